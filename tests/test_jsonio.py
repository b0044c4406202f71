from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iac._jsonio import _stdlib_dumps, atomic_write, compact, dumps, format_decimal, holds_float, loads


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e21", "1000000000000000000000"),
        ("1.5e-7", "0.00000015"),
        ("500.0", "500"),
        ("-0.0", "0"),
        ("0.10000000000000001", "0.10000000000000001"),
        ("9007199254740993", "9007199254740993"),
        ("10000000000000000000000000001.0", "10000000000000000000000000001"),
        ("1.0000000000000000000000000000001", "1.0000000000000000000000000000001"),
    ],
    ids=["exponent", "small exponent", "trailing zero", "negative zero", "float-unsafe fraction", "2^53+1",
         "29 digits", "33 digits"],
)
def test_numbers_keep_exact_value_and_plain_notation(text: str, expected: str) -> None:
    assert dumps(loads(text), indent=None) == expected


def test_loads_reads_fractions_as_decimal() -> None:
    assert loads('{"a": 0.1}') == {"a": Decimal("0.1")}


def test_dumps_sorts_keys_and_ends_with_newline() -> None:
    assert dumps({"b": 1, "a": [Decimal("2.50")]}) == '{\n  "a": [\n    2.5\n  ],\n  "b": 1\n}\n'


def test_format_decimal_rejects_nan() -> None:
    with pytest.raises(ValueError):
        format_decimal(Decimal("NaN"))


def test_atomic_write_leaves_old_file_when_writing_fails(tmp_path) -> None:
    target = tmp_path / "main.tf.json"
    target.write_text("old")

    with pytest.raises(TypeError):
        atomic_write(target, object())  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["main.tf.json"]


# -- compact: the fast writer must give exactly the stdlib writer's bytes -----------------------------

_KEYS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)
_STRINGS = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8),
    st.sampled_from(["1.5", "13.3.x-scala2.12", "NaN", "-Infinity", 'a"b\\c', "1E+21", "\u2028", "-0"]),
)
_NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("1.50"), Decimal("1E+21"), Decimal("500.0"), Decimal("-0"), Decimal("-0.0"),
                     Decimal("1e-7"), Decimal("123456789012345678901234567890.5")]),
)
_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), _NUMBERS, _STRINGS),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_compact_is_byte_identical_to_the_stdlib_writer(value: object) -> None:
    if "\\u0000dec:" in _stdlib_dumps(value, indent=None):
        return  # a string spelling the stdlib path's own Decimal marker: see the test below
    assert compact(value) == _stdlib_dumps(value, indent=None)
    assert dumps(value) == _stdlib_dumps(value, indent=2)


def test_a_string_that_looks_like_the_decimal_marker_stays_a_string() -> None:
    assert loads(dumps({"a": "\x00dec:5"})) == {"a": "\x00dec:5"}  # the stdlib path made it the number 5


@pytest.mark.parametrize("value", [{1: "int key"}, {"a": Decimal("NaN")}, {"a": object()}],
                         ids=["non-string key", "NaN", "unknown type"])
def test_compact_takes_the_stdlib_path_where_msgspec_differs(value: object) -> None:
    try:
        expected: object = _stdlib_dumps(value, indent=None)
    except (TypeError, ValueError) as error:
        expected = type(error)
    try:
        got: object = compact(value)
    except (TypeError, ValueError) as error:
        got = type(error)
    assert got == expected


@pytest.mark.parametrize(("value", "expected"), [
    ({"a": [1, {"b": 1.5}]}, True), ((1, 2.0), True), (2.5, True),
    ({"a": [1, {"b": Decimal("1.5")}], "c": "1.5", "d": True}, False), (loads(b'{"x": [1.5, 1e20]}'), False),
], ids=["nested float", "float in a tuple", "a float", "exact numbers", "what loads gives"])
def test_holds_float_finds_a_python_float_anywhere(value: object, expected: bool) -> None:
    assert holds_float(value) is expected

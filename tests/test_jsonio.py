from decimal import Decimal

import pytest

from iac._jsonio import atomic_write, dumps, format_decimal, loads


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e21", "1000000000000000000000"),
        ("1.5e-7", "0.00000015"),
        ("500.0", "500"),
        ("-0.0", "0"),
        ("0.10000000000000001", "0.10000000000000001"),
        ("9007199254740993", "9007199254740993"),
    ],
    ids=["exponent", "small exponent", "trailing zero", "negative zero", "float-unsafe fraction", "2^53+1"],
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

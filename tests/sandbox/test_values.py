from decimal import Decimal

import msgpack
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iac.sandbox.values import UNKNOWN, conform_block, conform_type, contains_unknown, decode_msgpack, encode_msgpack
from iac.schema import load_schemas


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        (msgpack.packb(60), 60),
        (msgpack.packb(0.5), Decimal("0.5")),
        (msgpack.packb("0.1"), "0.1"),
        (msgpack.packb(2**62), 2**62),
        (msgpack.packb(None), None),
        (b"", None),
    ],
    ids=["int", "exact float", "decimal string stays text until conformed", "big int", "null", "empty payload"],
)
def test_decode_keeps_numbers_exact(wire: bytes, expected: object) -> None:
    assert decode_msgpack(wire) == expected


@pytest.mark.parametrize("code", [0, 12], ids=["unknown", "refined unknown"])
def test_unknown_extensions_decode_to_unknown(code: int) -> None:
    wire = msgpack.packb({"id": msgpack.ExtType(code, b"\x00")})
    assert decode_msgpack(wire) == {"id": UNKNOWN}


def test_unknown_and_decimals_encode_as_cty_expects() -> None:
    encoded = msgpack.unpackb(encode_msgpack({"a": UNKNOWN, "b": Decimal("0.1"), "c": Decimal("60")}), raw=False)
    assert encoded["a"] == msgpack.ExtType(0, b"\x00")
    assert encoded["b"] == "0.1"  # cty parses decimal strings exactly
    assert encoded["c"] == 60


values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: d.normalize()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)


@given(values)
def test_msgpack_round_trip_is_exact(value: object) -> None:
    decoded = decode_msgpack(encode_msgpack(value))
    assert _numbers_as_decimal(decoded) == _numbers_as_decimal(value)


def _numbers_as_decimal(value: object) -> object:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, str):
        try:
            number = Decimal(value)  # non-integral decimals travel as strings, as cty writes them
        except ArithmeticError:
            return value
        return number if number.is_finite() else value  # "NaN" is a string here (and NaN != NaN)
    if isinstance(value, list):
        return [_numbers_as_decimal(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers_as_decimal(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize(
    ("value", "type_", "expected"),
    [
        (60, "string", "60"),
        ("60", "number", 60),
        ("1.5", "number", Decimal("1.5")),
        ("true", "bool", True),
        (["a", "a", "b"], ["set", "string"], ["a", "b"]),
        ({"b": 1, "a": 2}, ["map", "number"], {"a": 2, "b": 1}),
        ({"port": "443"}, ["object", {"port": "number", "host": "string"}], {"host": None, "port": 443}),
        (UNKNOWN, "string", UNKNOWN),
    ],
    ids=["number to string", "string to number", "decimal string", "bool text", "set dedupes", "map", "object fills nulls",
         "unknown passes"],
)
def test_conform_type(value: object, type_: object, expected: object) -> None:
    assert conform_type(value, type_) == expected


def test_conform_type_rejects_wrong_shapes() -> None:
    with pytest.raises(ValueError):
        conform_type("x", ["list", "string"])
    with pytest.raises(ValueError):
        conform_type("yes", "bool")


def test_conform_block_gives_every_attribute_and_block_and_drops_strangers() -> None:
    block = load_schemas().get("databricks_cluster").block  # type: ignore[union-attr]
    conformed = conform_block({"spark_version": "15.4", "autoscale": {"min_workers": 1}, "bogus": 1}, block)
    assert set(conformed) == set(block.attributes) | set(block.block_types)
    assert conformed["autoscale"] == [{"min_workers": 1, "max_workers": None}]  # one object -> one-element list
    assert conformed["library"] == [] and conformed["timeouts"] is None and conformed["num_workers"] is None


def test_contains_unknown_looks_inside_containers() -> None:
    assert contains_unknown({"a": [1, {"b": UNKNOWN}]})
    assert not contains_unknown({"a": [1, {"b": None}]})

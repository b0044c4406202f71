"""cty's set order (go-cty setRules.Less), which Terraform writes every set in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from iac._go import go_quote
from iac.diff.ctyorder import go_number, hash_bytes, sort_set
from iac.values import UNKNOWN


@pytest.mark.parametrize(("value", "expected"), [
    (0, "0"), (1, "1"), (100, "100"), (Decimal("1.5"), "1.5"), (-3, "-3"), (Decimal("0.0001"), "0.0001"),
    (Decimal("0.00001"), "1e-05"), (10**9, "1000000000"), (10**10, "1e+10"), (12345678901, "1.23456789e+10"),
    (Decimal("123456789.5"), "123456789.5"), (Decimal("1234567890.5"), "1234567890"),
    (Decimal("9999999999.5"), "1e+10"), (Decimal("2.5e-7"), "2.5e-07"),
], ids=str)
def test_numbers_are_written_as_go_big_float_string(value: Any, expected: str) -> None:
    assert go_number(value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("abc", '"abc"'), ('a"b\\c', '"a\\"b\\\\c"'), ("tab\there", '"tab\\there"'), ("\x01", '"\\x01"'),
    ("é ü 日本", '"é ü 日本"'), ("\u00ad", '"\\u00ad"'),
], ids=["plain", "quote and backslash", "tab", "control", "printable unicode", "soft hyphen"])
def test_strings_are_quoted_as_go_percent_q(text: str, expected: str) -> None:
    assert go_quote(text) == expected


def test_object_hash_lists_attribute_values_in_name_order_with_absent_ones_null() -> None:
    type_ = ["object", {"principal": "string", "privileges": ["set", "string"], "extra": "number"}]
    assert hash_bytes({"privileges": ["A", "B"], "principal": "x"}, type_) == b'<~;"x";["A";"B";];>'


def test_maps_lists_tuples_unknown_and_null() -> None:
    assert hash_bytes({"b": 1, "a": True}, ["map", "dynamic"]) == b'{"a":T;"b":1;}'
    assert hash_bytes([UNKNOWN, None], ["list", "string"]) == b"[?;~;]"
    assert hash_bytes(["x", 2], ["tuple", ["string", "number"]]) == b'<"x";2;>'


def test_primitive_sets_sort_by_value_known_before_unknown_before_null() -> None:
    assert sort_set(["b", None, UNKNOWN, "a"], "string") == ["a", "b", UNKNOWN, None]
    assert sort_set([10, 9, Decimal("9.5")], "number") == [9, Decimal("9.5"), 10]  # numerically, not as text
    assert sort_set([True, False], "bool") == [False, True]


def test_sets_of_objects_sort_by_hash_bytes_not_by_json() -> None:
    type_ = ["object", {"principal": "string", "privileges": ["set", "string"]}]
    grants = [{"principal": "b", "privileges": ["A"]}, {"principal": "a", "privileges": ["Z"]},
              {"principal": None, "privileges": ["A"]}]
    # `~` (null, 0x7E) sorts after `"` (0x22): the null principal comes last, as in Terraform
    assert [g["principal"] for g in sort_set(grants, type_)] == ["a", "b", None]

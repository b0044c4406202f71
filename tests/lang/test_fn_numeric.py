"""Numeric functions (abs, ceil, floor, log, max, min, parseint, pow, signum) against Terraform.

`check_against_terraform` is the harness the numeric, date-time and network tables share: every call in
one batched offline plan, compared with iac's `call()` — error <=> error (iac's message must appear in
Terraform's), the same known-ness, type, value and sensitivity, and for a number also `tostring()` of it
(the digits Terraform holds in memory: a plan stores a number that fits a float64 as one, so the plan's
value alone would hide a difference in the digits beyond).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import FunctionContext, FunctionError, call, lookup_function
from iac.lang.numbers import format_number, from_float64, parse_number, to_fraction
from tests.lang.tfeval import TfResult, hcl_literal, terraform_eval

Case = tuple[str, list[Value]]


def expression(name: str, args: Sequence[Value]) -> str:
    return f"{name}({', '.join(hcl_literal(a) for a in args)})"


def evaluate(expressions: Sequence[str], chunk: int = 50) -> list[TfResult]:
    """terraform_eval in chunks: a plan's time grows faster than its size when many expressions fail."""
    results: list[TfResult] = []
    for start in range(0, len(expressions), chunk):
        results.extend(terraform_eval(list(expressions[start:start + chunk])))
    return results


def _normal(text: str) -> str:
    return " ".join(text.split())


def check_against_terraform(cases: Sequence[Case], context: FunctionContext | None = None) -> list[str]:
    """Every case evaluated by iac and by Terraform; the differences, described (empty when they agree)."""
    got: list[Value | FunctionError] = []
    for name, args in cases:
        function = lookup_function(name)
        assert function is not None, name
        try:
            got.append(call(function, args, context))
        except FunctionError as error:
            got.append(error)
    expressions = [expression(name, args) for name, args in cases]
    digits: dict[int, int] = {}  # case index -> index of its tostring() expression
    for index, result in enumerate(got):
        if isinstance(result, Value) and result.type == cty.NUMBER and result.is_known and result.v is not None:
            digits[index] = len(expressions)
            expressions.append(f"tostring({expressions[index]})")
    tf = evaluate(expressions)
    problems = []
    for index, result in enumerate(got):
        expected = tf[index]
        where = expected.expression
        if isinstance(result, FunctionError):
            if not expected.error:
                problems.append(f"{where}: iac refused ({result.message}), Terraform gave {expected.value!r}")
            elif _normal(result.message) not in _normal(expected.error):
                problems.append(f"{where}: iac said {result.message!r}, Terraform {_normal(expected.error)!r}")
            continue
        infinite = result.type == cty.NUMBER and isinstance(result.v, Decimal) and result.v.is_infinite()
        if expected.error:
            if not (infinite and "infinity" in expected.error):
                problems.append(f"{where}: Terraform refused ({_normal(expected.error)}), iac gave {result!r}")
            continue
        if infinite:
            problems.append(f"{where}: iac gave an infinity, Terraform {expected.value!r}")
            continue
        if result.is_wholly_known() != (expected.unknown is False):
            problems.append(f"{where}: known-ness differs: iac {result!r}, Terraform unknown={expected.unknown!r}")
            continue
        if result.is_wholly_known():
            if result.type.to_json() != expected.type:
                problems.append(f"{where}: type iac {result.type.to_json()!r}, Terraform {expected.type!r}")
            elif plain(as_planned(result.unmark_deep()[0])) != expected.value:
                problems.append(f"{where}: value iac {result.v!r}, Terraform {expected.value!r}")
        if result.sensitive != (expected.sensitive is True):
            problems.append(f"{where}: sensitivity iac {result.sensitive}, Terraform {expected.sensitive!r}")
        if index in digits:
            text = tf[digits[index]]
            mine = format_number(result.unmark()[0].v)
            if text.error or text.value != mine:
                problems.append(f"{where}: digits iac {mine}, Terraform {text.value or text.error!r}")
    return problems


def plain(value: Value) -> object:
    """A wholly known value as JSON-shaped Python (as tfeval gives Terraform's)."""
    if isinstance(value.v, tuple):
        return [plain(e) for e in value.v]
    if isinstance(value.v, dict):
        return {k: plain(e) for k, e in value.v.items()}
    return value.v


def as_planned(value: Value) -> Value:
    """The value as a plan file gives it back: Terraform stores a number as an int64 when it is one, a
    fraction as a float64 when it is exactly one (read back with 53 bits of digits), else as its text
    (read back with 512 bits)."""
    v = value.v
    if value.type.kind == "number" and value.is_known and v is not None:
        fraction = to_fraction(v)
        if fraction.denominator == 1 and -(2**63) <= fraction < 2**63:
            return cty.number(int(fraction))
        if fraction.denominator != 1 and Fraction(float(fraction)) == fraction:
            return cty.number(from_float64(float(fraction)))
        parsed = parse_number(format_number(v))
        assert parsed is not None
        return cty.number(parsed)
    if isinstance(v, tuple):
        return Value(value.type, tuple(as_planned(e) for e in v), value.marks)
    if isinstance(v, dict):
        return Value(value.type, {k: as_planned(e) for k, e in v.items()}, value.marks)
    return value


def n(value: int | str | float) -> Value:
    """A number argument: an int, a decimal text (a 512-bit literal), or a float (a float64 result)."""
    if isinstance(value, float):
        return cty.number(from_float64(value))
    return cty.number(Decimal(value) if isinstance(value, str) else value)


s = cty.string
UNKNOWN_NUMBER = cty.unknown(cty.NUMBER)
UNKNOWN = cty.unknown(cty.DYNAMIC)
NULL_NUMBER = cty.null(cty.NUMBER)
NULL = cty.null(cty.DYNAMIC)


def secret(value: Value) -> Value:
    return value.mark({cty.SENSITIVE})


LIST = cty.tuple_value([n(1), n(2)])
INF = n("Infinity")
NEG_INF = n("-Infinity")

CASES: list[Case] = [
    # abs: documentation, then edges
    ("abs", [n(23)]), ("abs", [n(0)]), ("abs", [n("-12.4")]),
    ("abs", [n("-0")]), ("abs", [n("-1e400")]), ("abs", [n("-0.1")]), ("abs", [s("-5")]), ("abs", [s("x")]),
    ("abs", [secret(n(-3))]), ("abs", [UNKNOWN_NUMBER]), ("abs", [UNKNOWN]), ("abs", [NULL_NUMBER]), ("abs", [NULL]),
    ("abs", [LIST]), ("abs", [cty.TRUE]), ("abs", [n(-2.5)]), ("abs", [NEG_INF]), ("abs", []), ("abs", [n(1), n(2)]),
    ("abs", [n("-123456789012345678901234567890123456789.987654321")]),
    # ceil / floor
    ("ceil", [n(5)]), ("ceil", [n("5.1")]), ("floor", [n(5)]), ("floor", [n("4.9")]),
    ("ceil", [n("-5.1")]), ("floor", [n("-5.1")]), ("ceil", [n("-0.5")]), ("floor", [n("0.5")]),
    ("ceil", [n("1e300")]), ("floor", [n("-1e300")]), ("ceil", [n("1e400")]), ("floor", [n("1e-400")]),
    ("ceil", [n("-1e-400")]), ("ceil", [n("12345678901234567890123.5")]), ("floor", [n("12345678901234567890123.5")]),
    ("ceil", [n("0.99999999999999999999999999999999999")]), ("floor", [n(2.0**70)]), ("ceil", [n(1e300)]),
    ("floor", [n(1.4142135623730951)]), ("ceil", [n(1.4142135623730951)]), ("ceil", [INF]), ("floor", [NEG_INF]),
    ("ceil", [s("1.5")]), ("floor", [s("")]), ("ceil", [secret(n("1.5"))]), ("floor", [UNKNOWN_NUMBER]),
    ("ceil", [NULL_NUMBER]), ("floor", [NULL]), ("ceil", [cty.FALSE]), ("floor", [LIST]),
    ("ceil", [n("-9223372036854775808.5")]), ("floor", [n("9223372036854775807.5")]),
    # log
    ("log", [n(50), n(10)]), ("log", [n(16), n(2)]), ("log", [n(-1), n(2)]), ("log", [n(0), n(2)]),
    ("log", [n(2), n(1)]), ("log", [n(1), n(1)]), ("log", [n(0), n(0)]), ("log", [n("0.5"), n(1)]),
    ("log", [n(8), n(2)]), ("log", [n(1000), n(10)]), ("log", [n(3), n(10)]), ("log", [n("1e-320"), n(10)]),
    ("log", [n("1e400"), n(10)]), ("log", [n(10), n("1e400")]), ("log", [n("0.7071067811865476"), n(2)]),
    ("log", [n("1e308"), n("2.5")]), ("log", [n("123456789.123"), n("0.5")]), ("log", [n(2), n(-2)]),
    ("log", [INF, n(10)]), ("log", [n(10), INF]), ("log", [s("100"), s("10")]), ("log", [s("x"), n(10)]),
    ("log", [secret(n(100)), n(10)]), ("log", [n(100), UNKNOWN_NUMBER]), ("log", [NULL_NUMBER, n(10)]),
    ("log", [n(100)]), ("log", [n(100), n(10), n(1)]), ("log", [n(2.0**0.5), n(2)]),
    ("log", [n("5e-324"), n(2)]), ("log", [n("2.2250738585072014e-308"), n(2)]),
    # pow
    ("pow", [n(3), n(2)]), ("pow", [n(4), n(0)]), ("pow", [n(2), n("0.5")]), ("pow", [n(0), n(-1)]),
    ("pow", [n(-8), n("0.3333333333333333")]), ("pow", [n(10), n(400)]), ("pow", [n("1e300"), n(2)]),
    ("pow", [n(10), n(300)]), ("pow", [n(2), n(70)]), ("pow", [n("1.1"), n(7)]), ("pow", [n("1.0000001"), n(100)]),
    ("pow", [n("3.3"), n(-5)]), ("pow", [n(2), n(-1074)]), ("pow", [n(2), n(-1075)]), ("pow", [n("0.5"), n("0.5")]),
    ("pow", [n("1e-320"), n(1)]), ("pow", [n(-2), n(3)]), ("pow", [n(-2), n(-3)]), ("pow", [n(-1), INF]),
    ("pow", [n(2), INF]), ("pow", [n("0.5"), INF]), ("pow", [n(2), NEG_INF]), ("pow", [INF, n(-1)]),
    ("pow", [NEG_INF, n(3)]), ("pow", [NEG_INF, n(2)]), ("pow", [n(0), n(0)]), ("pow", [n(0), n(3)]),
    ("pow", [n(0), n("-0.5")]), ("pow", [n(2), n("-0.5")]), ("pow", [n("2.5"), n("3.7")]),
    ("pow", [n("7.25"), n("-2.75")]), ("pow", [n(10), n("-5.5")]), ("pow", [n("1e-10"), n("0.1")]),
    ("pow", [n(3), n("1e19")]), ("pow", [n("0.99"), n("1e19")]), ("pow", [n(-1), n("1e19")]),
    ("pow", [n("1.5"), n("1e10")]), ("pow", [n(2), n(1023)]), ("pow", [n(2), n(1024)]), ("pow", [n(-2), n(1025)]),
    ("pow", [n("123.456"), n(12)]), ("pow", [n("0.001"), n(-7)]), ("pow", [n(3), n("0.75")]),
    ("pow", [n("1e400"), n(0)]), ("pow", [n("1e400"), n(1)]), ("pow", [s("2"), s("3")]), ("pow", [s("two"), n(3)]),
    ("pow", [secret(n(2)), n(3)]), ("pow", [n(2), secret(n(3))]), ("pow", [UNKNOWN_NUMBER, n(3)]),
    ("pow", [n(2), NULL_NUMBER]), ("pow", [n(2)]), ("pow", [n(2.0**0.5), n(2)]), ("pow", [n(-2), n(-1075)]),
    ("pow", [n(-633), n(-42031772435)]), ("pow", [n(-4), n("0.5")]), ("pow", [n(-4), n("-0.5")]),
    ("pow", [NEG_INF, n("0.5")]), ("pow", [n("-0.0001"), n("-0.5")]), ("pow", [n("-1e-300"), n(3)]), ("abs", [n(-0.0)]), ("floor", [n(-0.0)]),
    # max / min
    ("max", [n(12), n(54), n(3)]), ("min", [n(12), n(54), n(3)]), ("max", []), ("min", []),
    ("max", [n(1), s("2"), n(3)]), ("min", [n("-1e400"), n("1e-400")]), ("max", [n("0.1"), n("0.10000000000000001")]),
    ("max", [n(1.4142135623730951), n("1.4142135623730951")]), ("min", [n(1.4142135623730951), n("1.4142135623730951")]),
    ("max", [NEG_INF]), ("min", [INF, n(5)]), ("max", [n(5), INF]), ("max", [n(-0), n(0)]),
    ("max", [secret(n(1)), n(2)]), ("min", [secret(n(1)), n(2)]), ("max", [n(1), UNKNOWN_NUMBER]),
    ("min", [n(1), UNKNOWN]), ("max", [n(1), NULL_NUMBER]), ("min", [s("a")]), ("max", [LIST]),
    ("max", [n(2.0**70), n("1180591620717411303425")]), ("min", [n(7)]),
    # signum
    ("signum", [n(-13)]), ("signum", [n(0)]), ("signum", [n(344)]), ("signum", [n("-0.5")]), ("signum", [n("0.5")]),
    ("signum", [n("1e300")]), ("signum", [n("9223372036854775807")]), ("signum", [n("9223372036854775808")]),
    ("signum", [n("-9223372036854775808")]), ("signum", [n("-9223372036854775809")]), ("signum", [n(2.0**62)]),
    ("signum", [INF]), ("signum", [s("-3")]), ("signum", [secret(n(-3))]), ("signum", [UNKNOWN_NUMBER]),
    ("signum", [NULL_NUMBER]), ("signum", [s("-")]), ("signum", [n(-0)]),
    # parseint: documentation, then edges
    ("parseint", [s("100"), n(10)]), ("parseint", [s("FF"), n(16)]), ("parseint", [s("-10"), n(16)]),
    ("parseint", [s("1011111011101111"), n(2)]), ("parseint", [s("aA"), n(62)]), ("parseint", [s("12"), n(2)]),
    ("parseint", [s("ff"), n(16)]), ("parseint", [s("zz"), n(36)]), ("parseint", [s("ZZ"), n(36)]),
    ("parseint", [s("Zz"), n(62)]), ("parseint", [s("Ff"), n(62)]), ("parseint", [s("FF"), n(36)]),
    ("parseint", [s("+5"), n(10)]), ("parseint", [s("--1"), n(10)]), ("parseint", [s("+-1"), n(10)]),
    ("parseint", [s(""), n(10)]), ("parseint", [s("-"), n(10)]), ("parseint", [s("+"), n(10)]),
    ("parseint", [s(" 12"), n(10)]), ("parseint", [s("12 "), n(10)]), ("parseint", [s("١٢"), n(10)]),
    ("parseint", [s("0x10"), n(16)]), ("parseint", [s("0b1"), n(2)]), ("parseint", [s("0o7"), n(8)]),
    ("parseint", [s("07"), n(8)]), ("parseint", [s("1_000"), n(10)]), ("parseint", [s("_1"), n(10)]),
    ("parseint", [s("9" * 200), n(10)]), ("parseint", [s("-" + "z" * 120), n(36)]), ("parseint", [s("1" * 700), n(2)]),
    ("parseint", [s("10"), n(2)]), ("parseint", [s("10"), n(62)]), ("parseint", [s("10"), n(1)]),
    ("parseint", [s("10"), n(63)]), ("parseint", [s("10"), n(0)]), ("parseint", [s("10"), n(-2)]),
    ("parseint", [s("10"), n("2.5")]), ("parseint", [s("10"), n("1e30")]), ("parseint", [s("10"), s("16")]),
    ("parseint", [s("10"), s("sixteen")]), ("parseint", [n(12), n(10)]), ("parseint", [cty.TRUE, n(10)]),
    ("parseint", [LIST, n(10)]), ("parseint", [cty.object_value({"a": s("1")}), n(10)]),
    ("parseint", [cty.list_value([s("1")]), n(10)]), ("parseint", [n(12), UNKNOWN_NUMBER]),
    ("parseint", [cty.unknown(cty.STRING), n(10)]), ("parseint", [UNKNOWN, n(10)]), ("parseint", [s("1"), UNKNOWN]),
    ("parseint", [NULL, n(10)]), ("parseint", [cty.null(cty.STRING), n(10)]), ("parseint", [s("10"), NULL_NUMBER]),
    ("parseint", [secret(s("11")), n(2)]), ("parseint", [s("11"), secret(n(2))]), ("parseint", [s("é"), n(36)]),
    ("parseint", [s("1😀"), n(10)]), ("parseint", [s("10")]),
]


@pytest.mark.oracle
def test_numeric_functions_match_terraform() -> None:
    assert check_against_terraform(CASES) == []

"""Infinite numbers, as Terraform has them: `1/0` is +Inf (a big.Float), usable in comparisons, `tostring`,
`format`, `max`, `pow` and `try`/`can`; the operations Go's big.Float refuses (0/0, Inf-Inf, 0*Inf, modulo
with an infinity) are Terraform's errors, and an infinity cannot be stored in a plan (a resource attribute,
a root output: tests/lang/test_rejections_oracle.py). iac against Terraform, case by case."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from iac.lang.numbers import INFINITY, NEGATIVE_INFINITY, Number, NumberError, add, divide, modulo, multiply, subtract
from tests.lang.configs import plan_both
from tests.lang.expr_oracle import compare

INF, NEG = "(1/0)", "(-1/0)"
Operation = Callable[[Number, Number], Number]

ARITHMETIC = [f"{wrap}({e})" for e in [
    "1/0", "-1/0", "0/0", "(1/0)/(1/0)", "(1/0)/(-1/0)", "1/0 + 1", "1/0 + -1/0", "-1/0 + -1/0", "1/0 - 1/0",
    "1/0 - -1/0", "-1/0 - 1/0", "0 * (1/0)", "(1/0) * 0", "(1/0) * (1/0)", "(1/0) * (-1/0)", "(1/0) * -2",
    "5 / (1/0)", "(1/0) / 5", "(1/0) / -5", "(1/0) % 3", "(-1/0) % 3", "3 % (1/0)", "-3 % (1/0)", "3 % (-1/0)",
    "0 % (1/0)", "(1/0) % 0", "(1/0) % (1/0)", "0.5 / 0", "-0.5 / 0", "(1/0) * 0.5", "pow(10, 400) * pow(10, 400)",
    "1e400 * 1e400", "tonumber(\"Inf\")", "tonumber(\"-inf\")", "tonumber(\"+Inf\") + 1", "tonumber(\"Infinity\")",
    "tonumber(\"inf\") - tonumber(\"inf\")", "-(1/0)", "pow(2, 0.5) * (1/0)", "(1/0) / pow(2, 0.5)",
] for wrap in ("can", "tostring")]

COMPARISON = ["1/0 > 5", "-1/0 < 0", "1/0 == 1/0", "1/0 == -1/0", "1/0 != 2", "1/0 > 1/0", "1/0 >= 1/0",
              "[1/0][0] > 1", "{a = 1/0}.a > 1", "contains([1/0], 1/0)", "index([1, 1/0], 1/0)",
              "length(toset([1/0, 1/0, 1]))", "[1/0] == [1/0]", "toset([1/0]) == toset([1/0])",
              f"{INF} > 0 ? \"p\" : \"n\"", f"[for i in range(3) : i if i < {INF}]", "try(1/0, 0) > 0"]

FUNCTIONS = [e for x in (INF, NEG) for e in [
    f"tostring(abs({x}))", f"tostring(ceil({x}))", f"tostring(floor({x}))", f"tostring(max({x}, 3))",
    f"tostring(min({x}, 3))", f"signum({x})", f"parseint(\"10\", {x})", f"tostring(pow({x}, 2))",
    f"tostring(pow(3, {x}))", f"tostring(pow(0, {x}))", f"tostring(pow({x}, 0))", f"tostring(pow({x}, -1))",
    f"tostring(log({x}, 2))", f"tostring(log(2, {x}))", f"range({x})", f"range(0, {x}, 1)", f"range(0, 5, {x})",
    f"substr(\"abc\", {x}, 1)", f"substr(\"abc\", 0, {x})", f"element([1, 2], {x})", f"chunklist([1], {x})",
    f"slice([1, 2], {x}, 1)", f"slice([1, 2], 0, {x})", f"indent({x}, \"a\")", f"[1, 2, 3][{x}]",
    f"cidrhost(\"10.0.0.0/8\", {x})", f"cidrsubnet(\"10.0.0.0/8\", {x}, 1)", f"cidrsubnets(\"10.0.0.0/8\", {x})",
    f"format(\"%v|%s|%f|%e|%g|%.3f|%8.2f|%E|%G\", {x}, {x}, {x}, {x}, {x}, {x}, {x}, {x}, {x})",
    f"format(\"%+f|% f|%08.2f|%-8f|%5v|%-6s|\", {x}, {x}, {x}, {x}, {x}, {x})",
    f"format(\"%d\", {x})", f"format(\"%x\", {x})", f"format(\"%b\", {x})", f"format(\"%o\", {x})",
    f"format(\"%#v\", {x})", f"format(\"%v\", [{x}])", f"formatlist(\"%v\", [{x}])", f"jsonencode({x})",
    f"jsonencode([1, {x}])", f"can(jsonencode({x}))", f"yamlencode({x})", f"yamlencode({{a = [{x}]}})",
    f"\"x${{{x}}}\"", f"join(\",\", [{x}, 1])", f"upper({x})", f"tostring(sum([{x}, 1, 2]))", f"sum([{x}, {INF}])",
    f"sum([{x}, {NEG}])", f"[for v in toset([{x}, 1, 0]) : tostring(v)]", f"tostring(tonumber(tostring({x})))",
]]


@pytest.mark.oracle
@pytest.mark.parametrize("group", [ARITHMETIC, COMPARISON, FUNCTIONS], ids=["arithmetic", "comparison", "functions"])
def test_infinities_as_terraform_has_them(group: list[str]) -> None:
    assert compare(group) == []


@pytest.mark.oracle
def test_an_infinite_local_plans_as_terraform_plans_it(tmp_path: Path) -> None:
    """An infinity in a local is fine as long as no resource or output stores it; null outputs are typed
    dynamic in Terraform's plan JSON."""
    files = {"main.tf": 'locals {\n  limit = 1 / 0\n}\n'
                        'resource "terraform_data" "a" {\n  input = local.limit > 100 ? "unbounded" : "bounded"\n}\n'
                        'output "shown" {\n  value = tostring(local.limit)\n}\n'
                        'output "nothing" {\n  value = tostring(null)\n}\n'}
    expected, actual = plan_both(tmp_path, files)
    assert actual == expected and expected["outputs"]["shown"] == ("+Inf", "string")
    assert expected["outputs"]["nothing"] == (None, "dynamic")


@pytest.mark.parametrize(("operation", "a", "b", "message"), [
    (add, INFINITY, NEGATIVE_INFINITY, "can't compute sum of opposing infinities"),
    (subtract, INFINITY, INFINITY, "can't subtract infinity from itself"),
    (multiply, 0, NEGATIVE_INFINITY, "can't multiply zero by infinity"),
    (divide, 0, 0, "can't divide zero by zero or infinity by infinity"),
    (divide, INFINITY, NEGATIVE_INFINITY, "can't divide zero by zero or infinity by infinity"),
    (modulo, 3, INFINITY, "can't use modulo with zero and infinity"),
])
def test_what_big_float_refuses_is_an_error_in_terraform_words(operation: Operation, a: Number, b: Number,
                                                                message: str) -> None:
    with pytest.raises(NumberError, match=message):
        operation(a, b)


@pytest.mark.parametrize(("operation", "a", "b", "expected"), [
    (add, INFINITY, 5, INFINITY), (add, -5, NEGATIVE_INFINITY, NEGATIVE_INFINITY),
    (subtract, 5, INFINITY, NEGATIVE_INFINITY), (multiply, NEGATIVE_INFINITY, -2, INFINITY),
    (divide, -1, 0, NEGATIVE_INFINITY), (divide, 7, INFINITY, 0), (modulo, INFINITY, 0, INFINITY),
])
def test_infinities_follow_the_signs(operation: Operation, a: Number, b: Number, expected: Number) -> None:
    assert operation(a, b) == expected

"""Compare iac's evaluation of standalone expressions with Terraform's, expression by expression.

    mismatches = compare(['1 + 2', 'true ? 1 : "a"', '[for x in [1, 2] : x * 2]'])
    assert not mismatches

An expression may use functions and literals only (no references): Terraform evaluates it as an output
and a terraform_data input in one offline plan (tests/lang/tfeval.py); iac parses and evaluates it with
an empty scope. Compared: error vs value, wholly-known-ness, type (when known), value, sensitivity.
"""

from __future__ import annotations

import re
from typing import Any

from iac.lang import ast, cty
from iac.lang.cty import Value
from iac.lang.evaluate import EvalError, evaluate_expr
from iac.lang.functions import FunctionContext
from iac.lang.hcl import HclSyntaxError, parse_expression
from iac.lang.plain import NotStorable, to_plain
from iac.values import Sensitive, Unknown
from tests.lang.tfeval import TfResult, terraform_eval

__all__ = ["BUILTIN_PRELUDE", "compare", "iac_eval", "message_differs"]


class _Empty:
    functions = FunctionContext()

    def lookup(self, traversal: ast.ScopeTraversal) -> tuple[Value, int]:
        raise EvalError(f'Reference to undeclared name "{traversal.root}"', traversal.pos)


class _DeclaresBuiltin(_Empty):
    """An expression in a module that declares terraform.io/builtin/terraform as `terraform` (BUILTIN_PRELUDE)."""

    functions = FunctionContext(declared_providers=frozenset({"terraform"}),
                                evaluated_providers={"terraform": "terraform.io/builtin/terraform"})


BUILTIN_PRELUDE = ('terraform {\n  required_providers {\n    terraform = { source = "terraform.io/builtin/terraform" }\n'
                   '  }\n}\n')
"""The terraform block that makes `provider::terraform::FN` callable (with `builtin=True`)."""


def iac_eval(expression: str, builtin: bool = False) -> Value | str:
    """iac's value, or the error message. Like Terraform's, the value must be one a plan can hold: the
    oracle stores each expression in a terraform_data input, where an infinity is an error. `builtin`:
    in a module that declares the built-in provider."""
    try:
        value = evaluate_expr(parse_expression(expression, "<expr>"), _DeclaresBuiltin() if builtin else _Empty())
        to_plain(value, stored=True)
        return value
    except (EvalError, HclSyntaxError, NotStorable) as error:
        return f"error: {error}"


def _value_and_masks(value: Value) -> tuple[Any, Any, Any]:
    """The value as Terraform's plan shows it (unknown parts null), its unknown mask and sensitivity mask."""
    plain = to_plain(value)
    return _shown(plain), _unknown_mask(plain), _sensitive_mask(plain)


def _shown(plain: Any) -> Any:
    if isinstance(plain, Sensitive):
        return _shown(plain.value)
    if isinstance(plain, Unknown):
        return None
    if isinstance(plain, dict):
        return {k: _shown(v) for k, v in plain.items() if not isinstance(_strip(v), Unknown)}
    if isinstance(plain, list):
        return [_shown(v) for v in plain]
    return plain


def _strip(plain: Any) -> Any:
    return plain.value if isinstance(plain, Sensitive) else plain


def _unknown_mask(plain: Any) -> Any:
    plain = _strip(plain)
    if isinstance(plain, Unknown):
        return True
    if isinstance(plain, dict):
        inner = {k: _unknown_mask(v) for k, v in plain.items()}
        return {k: v for k, v in inner.items() if v is not False}
    if isinstance(plain, list):
        return [_unknown_mask(v) for v in plain]
    return False


def _sensitive_mask(plain: Any) -> Any:
    if isinstance(plain, Sensitive):
        return True
    if isinstance(plain, dict):
        inner = {k: _sensitive_mask(v) for k, v in plain.items()}
        return {k: v for k, v in inner.items() if v is not False}
    if isinstance(plain, list):
        return [_sensitive_mask(v) for v in plain]
    return False


def _normal_mask(mask: Any) -> Any:
    """Terraform writes `{}`/`[]` of false where iac's walk gives nested falses: compare the true leaves."""
    if isinstance(mask, dict):
        inner = {k: _normal_mask(v) for k, v in mask.items()}
        kept = {k: v for k, v in inner.items() if v not in (False, {}, [])}
        return kept or False
    if isinstance(mask, list):
        inner = [_normal_mask(v) for v in mask]
        return inner if any(v not in (False, {}, []) for v in inner) else False
    return mask


def describe(expression: str, ours: Value | str, theirs: TfResult) -> str | None:
    """None when iac agrees with Terraform, else what differs."""
    if isinstance(ours, str):
        return None if theirs.error else f"{expression}: iac refused ({ours}); Terraform gave {theirs.value!r}"
    if theirs.error:
        return f"{expression}: Terraform refused ({theirs.error.splitlines()[0]}); iac gave {ours!r}"
    value, unknown, sensitive = _value_and_masks(ours)
    if _normal_mask(unknown) != _normal_mask(theirs.unknown):
        return f"{expression}: unknown mask {unknown!r} vs Terraform's {theirs.unknown!r}"
    if value != theirs.value:
        return f"{expression}: value {value!r} vs Terraform's {theirs.value!r}"
    if ours.is_wholly_known() and ours.type.to_json() != theirs.type:
        return f"{expression}: type {ours.type.to_json()!r} vs Terraform's {theirs.type!r}"
    if _normal_mask(sensitive) != _normal_mask(theirs.sensitive):
        return f"{expression}: sensitive mask {sensitive!r} vs Terraform's {theirs.sensitive!r}"
    return None


def compare(expressions: list[str], builtin: bool = False, messages: bool = False) -> list[str]:
    """Every disagreement between iac and Terraform over `expressions` (empty when they all agree).
    `builtin`: both evaluate them in a module that declares terraform.io/builtin/terraform; `messages`:
    a function's refusal must also be worded as Terraform words it (see `message_differs`)."""
    results = terraform_eval(expressions, BUILTIN_PRELUDE if builtin else "")
    found = []
    for expression, theirs in zip(expressions, results, strict=True):
        ours = iac_eval(expression, builtin)
        problem = describe(expression, ours, theirs)
        if not problem and messages and isinstance(ours, str) and theirs.error:
            problem = message_differs(expression, ours, theirs.error)
        if problem:
            found.append(problem)
    return found


_FUNCTION_SUMMARIES = ("Error in function call", "Invalid function argument", "Unknown provider function",
                       "Not enough function arguments", "Too many function arguments")
_RANGE_END = re.compile(r"(<decode_tfvars argument>:\d+,\d+)-\d+(?:,\d+)?")


def message_differs(expression: str, ours: str, theirs: str) -> str | None:
    """Terraform's "summary: detail" against iac's one-line error, for refusals by a function (others: not
    compared). Normalised: whitespace; the end of HCL ranges quoted by decode_tfvars and HCL's ", and N other
    diagnostic(s)" (iac reports where the first problem starts); the "Call to function failed" prefix iac's
    evaluator puts before every argument error."""
    summary = theirs.removeprefix("Error: ").split("\n", 1)[0]
    if summary not in _FUNCTION_SUMMARIES:
        return None
    detail = " ".join(theirs.rstrip().split("\n\n")[-1].split())
    want = _RANGE_END.sub(r"\1", re.sub(r", and \d+ other diagnostic\(s\)", "", f"{summary}: {detail}"))
    got = " ".join(ours.removeprefix("error: ").split()).removeprefix("<expr>:1: ")
    got = re.sub(r'Call to function "[^"]*" failed: (?=Invalid value for ")', "", got)
    return None if got == want else f"{expression}: iac said {got!r}, Terraform {want!r}"


def known(value: Value) -> bool:
    return value.is_wholly_known() and value.v is not cty.UNKNOWN

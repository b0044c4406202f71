"""Shared oracle machinery for the encoding, filesystem and crypto function tables (no tests here).

A case is a function name and its argument Values (or a `Case` with HCL overrides); `check_cases` renders
every case as one HCL call, evaluates them all with Terraform in one batched plan and compares each with
iac's `call()`: error <=> error (and iac's message must appear in Terraform's, whitespace-normalised),
wholly-known-ness, type JSON, value (exact numbers) and the deep sensitivity mask.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import FunctionContext, FunctionError, call, lookup_function
from tests.lang.tfeval import TfResult, hcl_literal, terraform_eval


@dataclass
class Case:
    """One call. `hcl` overrides the rendering of some arguments (index -> HCL text) where the Value alone
    cannot say what Terraform should see; `message` False skips the error wording check; `xfail` names
    why this case is known to differ (the case is then only reported, not failed)."""

    name: str
    args: Sequence[Value]
    hcl: Mapping[int, str] = field(default_factory=dict)
    message: bool = True
    xfail: str | None = None

    def expression(self) -> str:
        rendered = [self.hcl.get(i) or hcl_literal(a) for i, a in enumerate(self.args)]
        return f"{self.name}({', '.join(rendered)})"


CaseLike = Case | tuple[str, Sequence[Value]]

CHUNK = 60
"""Cases per Terraform plan: a plan with many failing expressions is slow to report them."""


def as_case(case: CaseLike) -> Case:
    return case if isinstance(case, Case) else Case(case[0], case[1])


def to_plain(value: Value) -> Any:
    """A known value as Terraform's plan JSON shows it."""
    v = value.v
    if v is None:
        return None
    if isinstance(v, tuple):
        return [to_plain(e) for e in v]
    if isinstance(v, dict):
        return {k: to_plain(e) for k, e in v.items()}
    return v


def tagged(plain: Any) -> Any:
    """A plain value with every scalar tagged by its kind, so that 1 == 1.0 but True != 1."""
    if isinstance(plain, list):
        return [tagged(e) for e in plain]
    if isinstance(plain, dict):
        return {k: tagged(e) for k, e in plain.items()}
    if isinstance(plain, bool) or plain is None or isinstance(plain, str):
        return (type(plain).__name__, plain)
    return ("number", Decimal(plain))


def sensitive_paths(value: Value, path: tuple[Any, ...] = ()) -> set[tuple[Any, ...]]:
    """Every path (indexes and keys) at which iac's value is marked sensitive."""
    found: set[tuple[Any, ...]] = set()
    if value.sensitive:
        found.add(path)
    if isinstance(value.v, tuple):
        for index, elem in enumerate(value.v):
            found |= sensitive_paths(elem, (*path, index))
    elif isinstance(value.v, dict):
        for key, elem in value.v.items():
            found |= sensitive_paths(elem, (*path, key))
    return found


def mask_paths(mask: Any, path: tuple[Any, ...] = ()) -> set[tuple[Any, ...]]:
    """The same from Terraform's deep sensitivity mask (true, false, lists and objects of them)."""
    if mask is True:
        return {path}
    found: set[tuple[Any, ...]] = set()
    if isinstance(mask, list):
        for index, elem in enumerate(mask):
            found |= mask_paths(elem, (*path, index))
    elif isinstance(mask, dict):
        for key, elem in mask.items():
            found |= mask_paths(elem, (*path, key))
    return found


def normalise(text: str) -> str:
    return " ".join(text.split())


def compare(case: Case, tf: TfResult, context: FunctionContext | None) -> str | None:
    """None when iac's call agrees with Terraform's result, else what differs."""
    function = lookup_function(case.name)
    if function is None:
        return f"{tf.expression}: iac has no function {case.name}"
    try:
        got = call(function, case.args, context)
    except FunctionError as error:
        if not tf.error:
            return f"{tf.expression}: iac refused ({error.message}), Terraform gave {tf.value!r}"
        if case.message and normalise(error.message) not in normalise(tf.error):
            return f"{tf.expression}: iac's message {error.message!r} is not in Terraform's:\n{tf.error}"
        return None
    if tf.error:
        return f"{tf.expression}: Terraform refused ({tf.error}), iac gave {got!r}"
    if got.is_wholly_known() != (tf.unknown is False):
        return f"{tf.expression}: iac {got!r} wholly known={got.is_wholly_known()}, Terraform unknown={tf.unknown!r}"
    if got.is_wholly_known():
        if got.type.to_json() != tf.type and not (got.v is None and tf.type == "dynamic"):  # (a plan shows no
            # type for a null output)
            return f"{tf.expression}: type {got.type.to_json()!r} != Terraform's {tf.type!r}"
        plain = to_plain(got.unmark_deep()[0])
        if tagged(plain) != tagged(tf.value):
            return f"{tf.expression}: value {plain!r} != Terraform's {tf.value!r}"
        if sensitive_paths(got) != mask_paths(tf.sensitive):
            return f"{tf.expression}: sensitive at {sensitive_paths(got)} != Terraform's {tf.sensitive!r}"
    elif got.sensitive != (tf.sensitive is True):
        return f"{tf.expression}: sensitive={got.sensitive}, Terraform's mask {tf.sensitive!r}"
    return None


def check_cases(cases: Sequence[CaseLike], *, context: FunctionContext | None = None, prelude: str = "",
                files: Mapping[str, str | bytes] | None = None, workdir: Path | None = None) -> int:
    """Evaluate every case with Terraform (one plan) and iac; fail listing every disagreement. Returns the
    number of cases that agreed (xfail cases that differ are not counted and do not fail)."""
    normal = [as_case(c) for c in cases]
    results: list[TfResult] = []
    for start in range(0, len(normal), CHUNK):  # Terraform's time per error grows with the plan's size
        results += terraform_eval([c.expression() for c in normal[start:start + CHUNK]], prelude=prelude,
                                  files=files, workdir=workdir)
    problems: list[str] = []
    agreed = 0
    for case, tf in zip(normal, results, strict=True):
        problem = compare(case, tf, context)
        if problem is None:
            agreed += 1
        elif case.xfail is None:
            problems.append(problem)
    assert not problems, f"{len(problems)} of {len(normal)} cases differ:\n\n" + "\n\n".join(problems)
    return agreed


def s(text: str) -> Value:
    return cty.string(text)


def sens(value: Value) -> Value:
    return value.mark({cty.SENSITIVE})


UNKNOWN_STRING = cty.unknown(cty.STRING)
NULL_STRING = cty.null(cty.STRING)
UNTYPED_NULL = cty.null(cty.DYNAMIC)

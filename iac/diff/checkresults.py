"""The results of a plan's checks, as Terraform's plan JSON `checks` lists them, and its check block warnings.

Checkable objects are those of the configuration with conditions: resources with preconditions or
postconditions, outputs with preconditions, variables with validations, and `check` blocks. The engine
reports each instance's status while it plans (a false condition of a resource, output or variable refuses
the plan, so those are `pass` or `unknown`); `evaluate_checks` then evaluates the check blocks' assertions
against the planned values. A false assertion is a warning, never an error: a check never changes a plan.

A plan that covers part of the configuration reports what it evaluated, as Terraform's does: in a `-target`
plan the objects of the targeted blocks and of what they depend on (an instance the plan leaves out is
`unknown`), every other object `unknown` without instances, check blocks never evaluated; a destroy plan
evaluates no condition (`destroy_plan_results`).

Data flows one way: engine -> `CheckRecorder` -> `Plan.checks` -> iac.plan.jsonplan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from iac.config.evaluate import EvaluationError, evaluate_typed
from iac.config.model import CheckBlock, Module
from iac.diagnostics import ConfigError, Diagnostic, Severity
from iac.diff.scope import EngineScope, Values
from iac.lang import cty
from iac.plan.model import CheckInstance, CheckResult
from iac.state.address import ModuleInstance, format_module
from iac.values import format_path

__all__ = ["PASS", "UNKNOWN", "CheckRecorder", "condition_status", "destroy_plan_results", "evaluate_checks"]

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"

_LABELS = {"var": "var", "output_value": "output", "check": "check"}
"""How an address names each kind of checkable object other than a resource."""

_Object = tuple[tuple[str, ...], str, str]
"""(static module path, kind, name): one checkable object of the configuration."""

_UNKNOWN_MESSAGE = ("This check failed, but has an invalid error message as described in the other accompanying "
                    "messages.")
_SENSITIVE_MESSAGE = "The error message included a sensitive value, so it will not be displayed."
_KNOWN_AFTER_APPLY = ("The condition could not be evaluated at this time, a result will be known when this plan is "
                      "applied.")


class CheckRecorder:
    """Each checkable object's instances and their results, as the engine reports them."""

    def __init__(self, modules: Mapping[tuple[str, ...], Module], resources: Iterable[tuple[tuple[str, ...], str]],
                 *, complete: bool = True):
        """`resources`: (static module path, address) of the resources with conditions (the graph finds them
        while it walks every block anyway; a second pass would cost milliseconds at 100,000 blocks).
        `complete`: the plan evaluates every object (an object without instances has none: `pass`); False
        for a plan of part of the configuration, where an object nothing reported was not evaluated."""
        self.complete = complete
        self._expanded: set[_Object] = set()
        self._objects: dict[_Object, dict[str, CheckInstance]] = {}
        for path, module in modules.items():
            self._objects.update({(path, "var", n): {} for n, var in module.variables.items() if var.validations})
            self._objects.update({(path, "output_value", n): {} for n, out in module.outputs.items() if out.conditions})
            self._objects.update({(path, "check", n): {} for n in module.checks})
        self._objects.update({(path, "resource", address): {} for path, address in resources})

    def __bool__(self) -> bool:
        return bool(self._objects)

    def report(self, path: tuple[str, ...], kind: str, name: str, instance: ModuleInstance, status: str,
               display: str | None = None, key: Any = None, problems: Sequence[str] = ()) -> None:
        """One instance's result; `display` is a resource instance's address (other kinds' is built here)."""
        module = format_module(instance) or None
        if display is None:
            label = _LABELS[kind]
            display = f"{module}.{label}.{name}" if module else f"{label}.{name}"
        self._objects[(path, kind, name)][display] = CheckInstance(display, status, module, key, tuple(problems))

    def expanded(self, path: tuple[str, ...], address: str) -> None:
        """A resource's instances are known (none may be): in a plan of part of the configuration, it was evaluated."""
        if not self.complete:
            self._expanded.add((path, "resource", address))

    def failed(self, path: tuple[str, ...], name: str, display: str) -> bool:
        """Has check block `name`'s instance already failed (its scoped data source could not be read)?"""
        found = self._objects.get((path, "check", name), {}).get(display)
        return found is not None and found.status == FAIL

    def results(self) -> tuple[CheckResult, ...]:
        """Every object's result, sorted by address as Terraform sorts them (as text)."""
        found = [_result(obj, instances, self.complete or obj in self._expanded)
                 for obj, instances in self._objects.items()]
        return tuple(sorted(found, key=lambda r: r.address))

    def root_outputs(self) -> list[str]:
        """The names of the root module's outputs with conditions."""
        return [name for path, kind, name in self._objects if kind == "output_value" and not path]


def destroy_plan_results(recorder: CheckRecorder, targeted: bool) -> tuple[CheckResult, ...]:
    """A destroy plan's results: Terraform evaluates no condition, and lists every object `unknown`; a whole
    destroy also gives each root output with conditions its one instance, `unknown` (a targeted one does not)."""
    if not targeted:
        for name in recorder.root_outputs():
            recorder.report((), "output_value", name, (), UNKNOWN)
    return recorder.results()


def _result(obj: _Object, instances: dict[str, CheckInstance], evaluated: bool) -> CheckResult:
    path, kind, name = obj
    module = ".".join(f"module.{n}" for n in path) or None
    mode = rtype = None
    label = _LABELS.get(kind)
    if kind == "resource":
        parts = name.split(".")
        mode, rtype, short = ("data", parts[1], parts[2]) if parts[0] == "data" else ("managed", parts[0], parts[1])
        address, name = name, short
    else:
        address = f"{label}.{name}"
    statuses = {i.status for i in instances.values()} if instances or evaluated else {UNKNOWN}
    status = FAIL if FAIL in statuses else UNKNOWN if UNKNOWN in statuses else PASS
    ordered = tuple(sorted((_sorted_problems(i) for i in instances.values()), key=lambda i: i.address))
    return CheckResult(kind, name, f"{module}.{address}" if module else address, status, ordered, module, mode, rtype)


def _sorted_problems(instance: CheckInstance) -> CheckInstance:
    """Problems sorted by message, as Terraform lists them."""
    if len(instance.problems) < 2:
        return instance
    return CheckInstance(instance.address, instance.status, instance.module, instance.key,
                         tuple(sorted(instance.problems)))


def condition_status(statuses: Iterable[str]) -> str:
    """One instance's status from its conditions' (fail, else unknown, else pass)."""
    seen = set(statuses)
    return FAIL if FAIL in seen else UNKNOWN if UNKNOWN in seen else PASS


def evaluate_checks(recorder: CheckRecorder, modules: Mapping[tuple[str, ...], Module],
                    instances: Mapping[tuple[str, ...], list[ModuleInstance]], values: Values) -> list[Diagnostic]:
    """Evaluate every check block's assertions in every module instance against the planned values; report
    each result and return Terraform's warnings (failed, or known only after apply), in configuration order."""
    warnings: list[Diagnostic] = []
    for path, module in modules.items():
        for check in module.checks.values():
            for instance in instances.get(path, []):
                _check_instance(recorder, path, check, instance, values, warnings)
    return warnings


def _check_instance(recorder: CheckRecorder, path: tuple[str, ...], check: CheckBlock, instance: ModuleInstance,
                    values: Values, warnings: list[Diagnostic]) -> None:
    module = format_module(instance)
    display = f"{module}.check.{check.name}" if module else f"check.{check.name}"
    if recorder.failed(path, check.name, display):
        return  # its scoped data source failed: Terraform evaluates no assertion
    scope = EngineScope(values, instance)
    statuses, problems = [], []
    for condition, message, source in check.asserts:
        status, text = _assertion(condition, message, source, scope, display)
        statuses.append(status)
        if status == UNKNOWN:
            warnings.append(Diagnostic(f"Check block assertion known after apply: {_KNOWN_AFTER_APPLY}",
                                       severity=Severity.warning, source=source, address=display))
        elif status == FAIL:
            if text is not None:
                problems.append(text)
            shown = _UNKNOWN_MESSAGE if text is None else text
            warnings.append(Diagnostic(f"Check block assertion failed: {shown}", severity=Severity.warning,
                                       source=source, address=display))
    recorder.report(path, "check", check.name, instance, condition_status(statuses), problems=problems)


def _assertion(condition: Any, message: Any, source: str, scope: EngineScope, display: str) -> tuple[str, str | None]:
    """(status, error message) of one assertion; its message is None when not known (or sensitive, shown as
    Terraform shows it). A condition that cannot be evaluated is Terraform's error, as elsewhere."""
    try:
        result = evaluate_typed(condition, scope).unmark_deep()[0]
        if result.v is cty.UNKNOWN:
            return UNKNOWN, None
        if result.v is None:
            raise ConfigError(Diagnostic("Invalid condition result: Condition expression must return either true or "
                                         "false, not null.", source=source, address=display))
        if cty.convert(result, cty.BOOL).v is not False:
            return PASS, None
        text, marks = evaluate_typed(message, scope).unmark_deep()
        if marks:
            return FAIL, _SENSITIVE_MESSAGE
        return FAIL, text.v if isinstance(text.v, str) and text.v is not cty.UNKNOWN else None
    except EvaluationError as error:
        raise ConfigError(Diagnostic(error.message, source=error.source(source), address=display,
                                     attribute=format_path(tuple(error.path)) or None)) from error
    except cty.ConversionError as error:
        raise ConfigError(Diagnostic(f"Invalid condition result: {error}", source=source,
                                     address=display)) from error

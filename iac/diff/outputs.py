"""Root output changes: what `terraform plan` lists under "Changes to Outputs"."""

from __future__ import annotations

from typing import Any

from iac.config.model import Module
from iac.diagnostics import ConfigError, Diagnostic
from iac.diff.scope import Values
from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.plain import NotStorable
from iac.plan.model import Action, OutputChange
from iac.state.model import State
from iac.values import strict_equal, unmark

__all__ = ["plan_outputs"]


def plan_outputs(module: Module, state: State, values: Values, destroy: bool,
                 only: frozenset[str] | None = None) -> dict[str, OutputChange]:
    """One change per root output in config or state. In destroy mode every stored output is deleted.
    `only`: a targeted plan covers just these configured outputs (and deletes none)."""
    changes: dict[str, OutputChange] = {}
    for name, stored in state.outputs.items():
        if only is None and (destroy or name not in module.outputs):
            changes[name] = OutputChange(name, Action.DELETE, stored.value, None, stored.sensitive, stored.sensitive)
    if destroy:
        return dict(sorted(changes.items()))
    for name, out in module.outputs.items():
        if only is not None and name not in only:
            continue
        typed = values.values[((), "output", name)]
        try:
            after, marks = unmark(values.plain(((), "output", name), stored=True))
        except NotStorable as error:  # Terraform: "Failed to serialize output value in state"
            raise ConfigError(Diagnostic(f"the value cannot be stored in the plan: {error}", source=out.file,
                                         address=f"output.{name}")) from None
        if marks and not out.sensitive:
            raise ConfigError(Diagnostic("output refers to sensitive values; set sensitive = true on it",
                                         source=out.file, address=f"output.{name}"))
        found = state.outputs.get(name)
        before = found.value if found else None  # Terraform never stores a null output
        action = _action(before, after)
        if action is Action.NOOP and found is not None and isinstance(typed, Value) and _retyped(found.type, typed):
            action = Action.UPDATE  # the same JSON, another type (a map where an object was): Terraform updates
        changes[name] = OutputChange(name, action, before, after,
                                     found.sensitive if found else False, out.sensitive,
                                     after_type=_type_json(typed, after, action))
    return dict(sorted(changes.items()))


def _type_json(typed: Any, after: Any, action: Action) -> Any:
    """The type Terraform's plan JSON gives a planned output: its value's, but "dynamic" for a null that stays
    null (a value turned null keeps its type: `var.on ? "x" : null` is a string)."""
    if not isinstance(typed, Value):
        return None
    return "dynamic" if after is None and action is Action.NOOP else typed.type.to_json()


def _retyped(stored: Any, typed: Value) -> bool:
    """Whether an output's stored type and its planned one differ where the JSON does not show it (a list,
    set or map on either side; the type of a null inside is not kept apart, see `iac.values.TypedObject`)."""
    try:
        before = cty.type_from_json(stored)
    except ValueError:
        return False
    after = typed.unmark_deep()[0].type
    return before != after and (cty.beyond_json(before) or cty.beyond_json(after))


def _action(before: Any, after: Any) -> Action:
    """Terraform's actions for a configured output: null -> null is a no-op, null -> value a create, anything
    else an update unless equal (unknown is never equal): value -> null too (only an output gone from the
    configuration, or a destroy plan, deletes)."""
    if before is None and after is None:
        return Action.NOOP
    if before is None:
        return Action.CREATE
    return Action.NOOP if after is not None and strict_equal(before, after) else Action.UPDATE

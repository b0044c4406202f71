"""Plan one resource instance: prior object + evaluated config -> one ResourceChange.

This is Terraform's `NodeAbstractResourceInstance.plan` in small: ignore_changes on the config, the
provider's proposed object, action choice (no-op / update / replace / create), a second plan from a null
prior for replacements (so computed attributes show as known after apply), then the tainted and
"only sensitivity changed" rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from iac.config.model import Lifecycle
from iac.diff.providers import TypePlanner
from iac.diff.reasons import attribute_reasons
from iac.diff.values import Path, get_path, strict_equal
from iac.plan.model import Action, Reason, ResourceChange
from iac.state.address import InstanceAddress
from iac.state.model import InstanceObject

__all__ = ["InstancePlan", "plan_instance", "state_sensitive_paths"]

_MISSING = object()


@dataclass(slots=True)
class InstancePlan:
    """Everything needed to plan one instance. `force_reason` is set for `--replace` (by request) and
    fired `replace_triggered_by` (by triggers)."""

    address: InstanceAddress
    planner: TypePlanner
    provider_name: str
    config: dict[str, Any]
    config_marks: list[Path]
    lifecycle: Lifecycle
    prior: InstanceObject | None
    previous_address: InstanceAddress | None
    create_before_destroy: bool
    force_reason: Reason | None = None
    import_id: str | None = None
    source: str | None = None


def plan_instance(job: InstancePlan) -> ResourceChange:
    """The change for one instance (see module docstring). Never raises for prevent_destroy: the engine
    checks that over all changes."""
    planner = job.planner
    prior_obj = job.prior
    prior = planner.unwrap(prior_obj.attributes) if prior_obj is not None else None
    importing = None
    if prior is None and job.import_id is not None:
        prior, importing = planner.imported(job.import_id, job.config), {"id": job.import_id}
    tainted = prior_obj is not None and prior_obj.tainted
    plan_prior = None if tainted else prior
    config = job.config if plan_prior is None else _ignore_changes(job.config, plan_prior, job.lifecycle, planner)
    planned = planner.plan(plan_prior, config)
    reason: Reason | None = None
    replace_paths: list[Path] = []
    prior_marks = state_sensitive_paths(prior_obj) if prior_obj is not None else []
    if plan_prior is None:
        action = Action.CREATE
    else:
        replace_paths = [p for p in planned.requires_replace
                         if not strict_equal(get_path(plan_prior, p), get_path(planned.value, p))]
        equal = strict_equal(planned.value, plan_prior)
        if job.force_reason is not None or replace_paths:
            action = _replace(job.create_before_destroy)
            reason = job.force_reason or Reason.REPLACE_BECAUSE_CANNOT_UPDATE
            planned = planner.plan(None, job.config)
        elif equal:
            action = Action.NOOP
            if set(job.config_marks) != set(prior_marks):
                action = Action.UPDATE  # only sensitivity changed: Terraform rewrites state
        else:
            action = Action.UPDATE
    if tainted and action is Action.CREATE:
        action, reason = _replace(job.create_before_destroy), Reason.REPLACE_BECAUSE_TAINTED
    reasons = (attribute_reasons(prior if action is not Action.CREATE else None, planned, replace_paths)
               if action is not Action.NOOP else {})
    return ResourceChange(
        address=job.address, action=action, provider_name=job.provider_name,
        before=prior if action is not Action.CREATE or importing else None,
        after=planned.value, schema_version=planner.schema_version,
        before_sensitive=tuple(prior_marks) + planner.sensitive(prior) if prior is not None else (),
        after_sensitive=tuple(job.config_marks) + planner.sensitive(planned.value),
        replace_paths=tuple(replace_paths), action_reason=reason,
        previous_address=job.previous_address, importing=importing, reasons=reasons, source=job.source,
    )


def _replace(create_before_destroy: bool) -> Action:
    return Action.CREATE_THEN_DELETE if create_before_destroy else Action.DELETE_THEN_CREATE


def state_sensitive_paths(obj: InstanceObject) -> list[Path]:
    """`sensitive_attributes` of a state object as value paths."""
    paths: list[Path] = []
    for raw in obj.sensitive_paths:
        steps: list[str | int] = []
        for step in raw if isinstance(raw, list) else []:
            if step.get("type") == "get_attr":
                steps.append(step["value"])
            else:
                key = step.get("value", {}).get("value")
                steps.append(int(key) if step.get("value", {}).get("type") == "number" else key)
        paths.append(tuple(steps))
    return paths


def _ignore_changes(config: dict[str, Any], prior: dict[str, Any], lifecycle: Lifecycle,
                    planner: TypePlanner) -> dict[str, Any]:
    """Terraform's processIgnoreChanges: ignored paths take the prior value (a map key the prior lacks
    is removed); `all` means the whole prior object, with computed-only attributes nulled."""
    if lifecycle.ignore_all:
        return {k: (None if k in planner.computed_only else v) for k, v in prior.items()}
    for path in lifecycle.ignore_changes:
        config = _set_path(config, path, get_path(prior, path, _MISSING))
    return config


def _set_path(value: Any, path: tuple[str | int, ...], new: Any) -> Any:
    if not path:
        return None if new is _MISSING else new
    step, rest = path[0], path[1:]
    if isinstance(value, dict) and isinstance(step, str):
        copy = dict(value)
        if not rest and new is _MISSING:
            copy.pop(step, None)
        elif step in copy or not rest:
            copy[step] = _set_path(copy.get(step), rest, new)
        return copy
    if isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
        items = list(value)
        items[step] = _set_path(items[step], rest, new)
        return items
    return value

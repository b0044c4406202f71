"""Plan one resource instance: prior object + evaluated config -> one ResourceChange.

This is Terraform's `NodeAbstractResourceInstance.plan` in small: ignore_changes on the config, the
provider's proposed object, action choice (no-op / update / replace / create), a second plan from a null
prior for replacements (so computed attributes show as known after apply), then the tainted and
"only sensitivity changed" rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from iac.config.model import Lifecycle
from iac.diff.reasons import attribute_reasons
from iac.diff.typeplanner import TypePlanner
from iac.plan.model import _NO_REASONS, Action, AttributeReason, Reason, ResourceChange, may_replace_reason
from iac.state.address import InstanceAddress
from iac.state.model import InstanceObject
from iac.values import Path, format_path, get_path, strict_equal

__all__ = ["ResourceContext", "plan_instance", "state_sensitive_paths"]

_MISSING = object()


class ResourceContext(NamedTuple):
    """What every instance of one resource block shares (computed once per block and module instance)."""

    planner: TypePlanner
    provider_name: str
    lifecycle: Lifecycle
    create_before_destroy: bool
    source: str | None
    typed: bool = False
    """The planner `keeps_types` and a state read holds types their JSON does not give: every instance's
    stored types are looked at (else only those of an instance configured with such a value)."""


_NO_MARKS: tuple[Path, ...] = ()


def plan_instance(ctx: ResourceContext, address: InstanceAddress, config: dict[str, Any], config_marks: Sequence[Path],
                  prior_obj: InstanceObject | None, previous: InstanceAddress | None = None,
                  force_reason: Reason | None = None, import_id: str | None = None, *,
                  plain_config: bool = False, config_types: dict[str, Any] | None = None) -> ResourceChange:
    """The change for one instance (see module docstring). `force_reason` is set for `--replace` and a
    fired `replace_triggered_by`. `plain_config`: the configuration is the loaded JSON itself (no
    reference evaluated into it, exact numbers), so the planner may adopt its values as equal prior values.
    `config_types`: for a planner that `keeps_types`, the configured arguments whose type their JSON does not
    give. Never raises for prevent_destroy: the engine checks all changes."""
    planner = ctx.planner
    prior = planner.prior_value(prior_obj, config if plain_config else None) if prior_obj is not None else None
    importing = None
    if prior is None and import_id is not None:
        prior, importing = planner.imported(import_id, config), {"id": import_id}
    tainted = prior_obj is not None and prior_obj.status == "tainted"
    plan_prior = None if tainted else prior
    lifecycle = ctx.lifecycle
    # types are looked at only where some are kept: a configured value's, or a state's (`ResourceContext.typed`)
    typed = ctx.typed or (config_types is not None and planner.keeps_types)
    prior_types = planner.stored_types(prior_obj) if typed and prior_obj is not None else None
    proposed = config
    if plan_prior is not None and (lifecycle.ignore_all or lifecycle.ignore_changes):
        if typed:  # an ignored argument keeps its prior value, and so its prior type
            config_types = _ignored_types(config_types, prior_types, lifecycle)
        proposed = _ignore_changes(config, plan_prior, lifecycle, planner)
    if typed:
        planned = planner.plan_typed(plan_prior, proposed, prior_types, config_types)
    else:
        planned = planner.plan(plan_prior, proposed)
    reason: Reason | None = None
    replace_paths: list[Path] = []
    prior_marks = state_sensitive_paths(prior_obj) if prior_obj is not None and prior_obj.sensitive_paths else _NO_MARKS
    if plan_prior is None:
        action = Action.CREATE
    else:
        if planned.requires_replace:
            # a planner that keeps types asks only for what changed (a list turned set has the same JSON)
            replace_paths = list(planned.requires_replace) if planner.keeps_types else [
                p for p in planned.requires_replace if not strict_equal(get_path(plan_prior, p), get_path(planned.value, p))]
            if len(replace_paths) > 1:
                replace_paths.sort(key=_path_set_order)
        if force_reason is not None or replace_paths:
            action = _replace(ctx.create_before_destroy)
            reason = force_reason or Reason.REPLACE_BECAUSE_CANNOT_UPDATE
            planned = planner.plan_typed(None, config, None, config_types) if typed else planner.plan(None, config)
        elif planned.value is plan_prior or (strict_equal(planned.value, plan_prior) and planned.types == prior_types):
            action = Action.NOOP
            if (config_marks or prior_marks) and _marks_differ(planner, plan_prior, config_marks, prior_marks):
                action = Action.UPDATE  # only sensitivity changed: Terraform rewrites state
        else:
            action = Action.UPDATE
    if tainted and action is Action.CREATE:
        action, reason = _replace(ctx.create_before_destroy), Reason.REPLACE_BECAUSE_TAINTED
    if action is Action.NOOP:
        reasons: Any = ({format_path(p): AttributeReason.NORMALISED_AWAY for p in planned.suppressed}
                        if planned.suppressed else _NO_REASONS)
    else:
        uncertain = _uncertain(planner, planned) if action is Action.UPDATE else None
        reasons = attribute_reasons(prior if action is not Action.CREATE else None, planned, replace_paths, uncertain)
    before_sensitive = planner.sensitive(prior, prior_marks) if prior is not None else _NO_MARKS
    if planned.value is prior and not config_marks and not prior_marks:
        after_sensitive = before_sensitive  # the same object, no marks either side: the same paths
    else:
        after_sensitive = planner.sensitive(planned.value, config_marks)
    return ResourceChange(
        address, action, ctx.provider_name,
        prior if action is not Action.CREATE or importing else None,
        planned.value, planner.schema_version, before_sensitive, after_sensitive,
        tuple(replace_paths) if replace_paths else _NO_MARKS, reason, previous, None, importing, reasons, ctx.source,
        planned.types, prior_obj.dependencies if prior_obj is not None else (), tainted,
    )


def _ignored_types(config_types: dict[str, Any] | None, prior_types: dict[str, Any] | None,
                   lifecycle: Lifecycle) -> dict[str, Any] | None:
    """The configuration's types with each wholly ignored argument's replaced by its prior one."""
    ignored = {path[0] for path in lifecycle.ignore_changes if len(path) == 1}
    if not lifecycle.ignore_all and not ignored:
        return config_types
    kept = {k: t for k, t in (config_types or {}).items() if not lifecycle.ignore_all and k not in ignored}
    kept.update({k: t for k, t in (prior_types or {}).items() if lifecycle.ignore_all or k in ignored})
    return kept or None


def _uncertain(planner: TypePlanner, planned: Any) -> tuple[Any, str] | None:
    """For an in-place update iac cannot vouch for: which changed paths may replace, and the reason."""
    if planner.rules_known and not planned.may_replace:
        return None
    reason = may_replace_reason(planner.type)
    if not planner.rules_known:
        return (lambda path: True), reason
    prefixes = [tuple(p) for p in planned.may_replace]
    return (lambda path: any(path[: len(p)] == p or p[: len(path)] == path for p in prefixes)), reason


def _marks_differ(planner: TypePlanner, value: dict[str, Any], config_marks: Sequence[Path], prior_marks: Sequence[Path]) -> bool:
    """Did the value marks change? Schema-sensitive paths are left out on both sides: whether a state
    lists them depends on the Terraform version that wrote it, and they are masked either way."""
    schema = set(planner.sensitive(value, ()))
    return set(config_marks) - schema != set(prior_marks) - schema


def _crc64_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xD800000000000000 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC64_ISO = _crc64_table()


def _path_set_order(path: Path) -> int:
    """The order of `replace_paths` in Terraform's plan JSON: they are a cty PathSet, listed by bucket,
    a bucket being the signed CRC-64 (ISO) of the path's attribute names (an index step counts as "#")."""
    crc = 0xFFFFFFFFFFFFFFFF
    for step in path:
        for byte in (step.encode("utf-8") if isinstance(step, str) else b"#"):
            crc = _CRC64_ISO[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFFFFFFFFFF
    return crc - (1 << 64) if crc >= 1 << 63 else crc


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

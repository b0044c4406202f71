"""PlanResourceChange for the sandbox: what an SDKv2 provider (databricks, azurerm) would plan, from schema data.

Terraform sends the prior state (null when creating) and its *proposed* new state: the configuration with
the prior values of computed attributes the configuration leaves null already merged in. From that we plan
like the Terraform plugin SDKv2 does:

- an omitted attribute with a schema `default` is planned at the default (this is why the response sets
  `legacy_type_system`: SDKv2 providers plan values the configuration does not contain, and Terraform
  accepts that only from providers that say they use the legacy type system);
- an omitted computed attribute is unknown ("known after apply") when creating, and keeps its prior value
  when updating (SDKv2 only marks computed values unknown on create unless a provider says otherwise);
- `diff_suppress` rules the provider applies are honoured where they are generic (case-insensitive names,
  trailing slashes, empty config keeps the remote value, Azure location spelling): the prior value is planned,
  so Terraform sees no change, exactly as with the real provider; provider-specific rules we do not model
  are compared literally;
- blocks marked `computed` in the schema data (optional+computed in the provider) keep their prior content
  when the configuration omits them;
- replacement: every attribute or block marked `force_new` whose planned value differs from the prior one
  is returned as a RequiresReplace path (Terraform re-checks each path itself), plus the plan-time
  (CustomizeDiff) rules described by `force_new_conditional` that we can state exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from iac.sandbox.values import UNKNOWN, conform_type
from iac.schema import MISSING, Attribute, Block, BlockType, ResourceSchema

__all__ = ["Path", "PlanResult", "plan_change"]

Path = tuple[str | int, ...]
"""An attribute path: attribute/block names and list indexes."""


@dataclass(frozen=True)
class PlanResult:
    """The planned new state (None for a destroy) and the paths whose change forces replacement."""

    planned: dict[str, Any] | None
    requires_replace: list[Path]


def plan_change(schema: ResourceSchema, prior: dict[str, Any] | None, proposed: dict[str, Any] | None) -> PlanResult:
    """Plan one resource instance change (create when `prior` is None, destroy when `proposed` is None)."""
    if proposed is None:
        return PlanResult(None, [])
    creating = prior is None
    planned = _plan_block(schema.block, prior, proposed, creating)
    if creating:
        return PlanResult(planned, [])
    assert prior is not None
    return PlanResult(planned, sorted(set(_replace_paths(schema.block, prior, planned, ())), key=_path_key))


def _path_key(path: Path) -> list[str]:
    return [f"{step:08d}" if isinstance(step, int) else step for step in path]


# --- planned values ----------------------------------------------------------------------------------------


def _plan_block(block: Block, prior: dict[str, Any] | None, proposed: dict[str, Any], creating: bool) -> dict[str, Any]:
    planned: dict[str, Any] = {}
    for name, attribute in block.attributes.items():
        before = prior.get(name) if prior else None
        planned[name] = _plan_attribute(attribute, before, proposed.get(name), creating)
    for name, block_type in block.block_types.items():
        before = prior.get(name) if prior else None
        planned[name] = _plan_nested(block_type, before, proposed.get(name), creating)
    return planned


def _plan_attribute(attribute: Attribute, before: Any, proposed: Any, creating: bool) -> Any:
    if proposed is UNKNOWN:
        return UNKNOWN
    if proposed is None:
        if attribute.default is not MISSING:
            return conform_type(attribute.default, attribute.type)
        if attribute.computed and creating:
            return UNKNOWN
        if before is not None and _suppressed(attribute.diff_suppress, before, None):
            return before
        return None
    if before is not None and _suppressed(attribute.diff_suppress, before, proposed):
        return before
    return proposed


def _plan_nested(block_type: BlockType, before: Any, proposed: Any, creating: bool) -> Any:
    if proposed is UNKNOWN:
        return UNKNOWN
    keeps_remote = block_type.computed or _has_rule(block_type.diff_suppress, "empty_config_keeps_remote")
    if block_type.nesting == "single":
        if proposed is None:
            return before if keeps_remote and before is not None else None
        return _plan_block(block_type.block, before if isinstance(before, dict) else None, proposed, creating)
    elements = proposed or []
    prior_elements = before if isinstance(before, list) else []
    if not elements and keeps_remote and prior_elements:
        return prior_elements
    planned = []
    for index, element in enumerate(elements):
        # Lists correlate by position; set elements have no identity before Terraform's own correlation,
        # which already copied their prior computed values into `proposed`.
        prior = prior_elements[index] if block_type.nesting == "list" and index < len(prior_elements) else None
        planned.append(_plan_block(block_type.block, prior, element, creating))
    return planned


# --- diff suppression (the generic rules of `diff_suppress` in the schema data) ------------------------------


def _has_rule(rule: str | None, name: str) -> bool:
    return rule is not None and name in [part.strip() for part in rule.split(";")]


def _is_empty(value: Any) -> bool:
    return value in (None, "", 0, False) or value == [] or value == {}


def _azure_location(value: str) -> str:
    return value.replace(" ", "").lower()


_SUPPRESS_RULES: dict[str, Callable[[Any, Any], bool]] = {
    "case_insensitive": lambda before, after: isinstance(after, str) and str(before).lower() == after.lower(),
    "trailing_slash_insensitive": lambda b, a: isinstance(a, str) and str(b).rstrip("/") == a.rstrip("/"),
    "empty_config_keeps_remote": lambda before, after: _is_empty(after),
    "unset_equals_false": lambda before, after: after is None and before is False,
    "unset equals ALL_SUCCESS": lambda before, after: after is None and before == "ALL_SUCCESS",
}


def _suppressed(rule: str | None, before: Any, after: Any) -> bool:
    """True when the provider would hide the difference between `before` (state) and `after` (config)."""
    if rule is None:
        return False
    if rule.startswith("azure location normalisation"):
        return isinstance(after, str) and _azure_location(str(before)) == _azure_location(after)
    for part in rule.split(";"):
        check = _SUPPRESS_RULES.get(part.strip())
        if check is not None and check(before, after):
            return True
    return False


# --- replacement -------------------------------------------------------------------------------------------


def _canonical(value: Any) -> str:
    """Order-insensitive text for comparing values whose lists may be sets (sorted element texts)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{_canonical(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, list):
        return "[" + ",".join(sorted(_canonical(v) for v in value)) + "]"
    if value is UNKNOWN:
        return "<unknown>"
    return json.dumps(value, default=str)


def _differs(before: Any, after: Any, ordered: bool = True) -> bool:
    if after is UNKNOWN or before is UNKNOWN:
        return True
    if ordered:
        return bool(before != after)
    return _canonical(before) != _canonical(after)


def _is_set_type(type_: Any) -> bool:
    return isinstance(type_, list) and type_[0] == "set"


def _replace_paths(block: Block, prior: dict[str, Any], planned: dict[str, Any], path: Path) -> Iterator[Path]:
    for name, attribute in block.attributes.items():
        before, after = prior.get(name), planned.get(name)
        forced = attribute.force_new and _differs(before, after, ordered=not _is_set_type(attribute.type))
        conditional = attribute.force_new_conditional and _conditional_replace(attribute.force_new_conditional, before, after)
        if forced or conditional:
            yield (*path, name)
    for name, block_type in block.block_types.items():
        yield from _nested_replace_paths(block_type, prior.get(name), planned.get(name), (*path, name))


def _nested_replace_paths(block_type: BlockType, before: Any, after: Any, path: Path) -> Iterator[Path]:
    ordered = block_type.nesting != "set"
    if block_type.force_new and _differs(_as_list(before), _as_list(after), ordered):
        yield path
        return
    if after is UNKNOWN:
        return
    if block_type.nesting == "single":
        if before is not None or after is not None:
            yield from _replace_paths(block_type.block, before or {}, after or {}, path)
        return
    if block_type.nesting == "set":
        # Set elements have no stable index: a changed force-new value inside a set replaces via the set itself.
        if _differs(before or [], after or [], ordered=False) and _has_force_new(block_type.block):
            changed = [p for b, a in _pairs_by_content(before or [], after or [])
                       for p in _replace_paths(block_type.block, b, a, path)]
            if changed:
                yield path
        return
    before_list, after_list = before or [], after or []
    for index in range(max(len(before_list), len(after_list))):
        b = before_list[index] if index < len(before_list) else {}
        a = after_list[index] if index < len(after_list) else {}
        yield from _replace_paths(block_type.block, b, a, (*path, index))


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    return [value] if isinstance(value, dict) else value


def _pairs_by_content(before: list[Any], after: list[Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Pair set elements that are not in both sets, in canonical order (added vs removed elements)."""
    before_keys = {_canonical(v): v for v in before}
    after_keys = {_canonical(v): v for v in after}
    removed = [before_keys[k] for k in sorted(before_keys.keys() - after_keys.keys())]
    added = [after_keys[k] for k in sorted(after_keys.keys() - before_keys.keys())]
    width = max(len(removed), len(added))
    return [(removed[i] if i < len(removed) else {}, added[i] if i < len(added) else {}) for i in range(width)]


def _has_force_new(block: Block) -> bool:
    return any(getattr(node, "force_new", False) for _, node in block.walk())


# Plan-time replacement rules (the provider's CustomizeDiff), keyed by the start of `force_new_conditional`.
def _both_set_and_changed(before: Any, after: Any) -> bool:
    return not _is_empty(before) and not _is_empty(after) and before != after


def _set_or_changed(before: Any, after: Any) -> bool:
    return not _is_empty(after) and before != after


def _removed_any(before: Any, after: Any) -> bool:
    return bool(set(before or []) - set(after or []))


def _changed_except_authorized_paths(before: Any, after: Any) -> bool:
    strip = lambda m: {k: v for k, v in (m or {}).items() if k != "authorized_paths"}  # noqa: E731
    return strip(before) != strip(after)


_CONDITIONAL_RULES: dict[str, Callable[[Any, Any], bool]] = {
    "replacement is forced (CustomizeDiff) when an existing non-empty workspace_id": _both_set_and_changed,
    "deprecated GKE field: clearing it is in-place": _set_or_changed,
    "deprecated GKE field: removing it is in-place": _set_or_changed,
    "changing sku TO 'trial'": lambda before, after: after == "trial" and before != "trial",
    "turning it off (true -> false)": lambda before, after: before is True and after is False,
    "removing any standard": _removed_any,
    "any added/removed/changed key other than 'authorized_paths'": _changed_except_authorized_paths,
}


def _conditional_replace(rule: str, before: Any, after: Any) -> bool:
    if after is UNKNOWN:
        return False
    return any(rule.startswith(prefix) and check(before, after) for prefix, check in _CONDITIONAL_RULES.items())

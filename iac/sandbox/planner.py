"""PlanResourceChange for the sandbox: what the real provider would plan, from the schema data.

Terraform sends the prior state (null when creating) and its *proposed* new state: the configuration with
the prior values of computed attributes the configuration leaves null already merged in. From that we plan
like the Terraform plugin SDKv2 does (the databricks, aws, azurerm and google providers are SDKv2 providers;
random, time and null are planned the same way, which their plan modifiers amount to for the types here):

- a configured value goes through the provider's StateFunc where the schema data names one (aws policy JSON:
  iac.diff.statefuncs, the provider functions as iac reproduces them);
- an omitted attribute with a schema `default` is planned at the default (this is why the response sets
  `legacy_type_system`: SDKv2 providers plan values the configuration does not contain, and Terraform
  accepts that only from providers that say they use the legacy type system);
- an omitted computed attribute is unknown ("known after apply") when creating, and keeps its prior value
  when updating (SDKv2 only marks computed values unknown on create unless a provider says otherwise);
- SDKv2 compares primitives as flatmap strings, where null and the zero value ("", 0, false) are the same
  string: in an object that exists (the resource, a list element), one in state and the other in the
  configuration is no change (the prior value is planned); a map the configuration removes is planned empty,
  not null (its keys are removed one by one), as the real aws provider plans `tags = {}`. Plugin-framework resources (random, time, null, and databricks types described with
  nested attributes) compare values as they are;
- the provider's diff suppression (iac.sandbox.suppress) keeps the prior value, so Terraform sees no change,
  exactly as with the real provider;
- blocks marked `computed` in the schema data (optional+computed in the provider) are unknown on create and
  keep their prior content afterwards when the configuration omits them, as do blocks whose removal the
  provider suppresses; an SDKv2 set holding an unknown element is unknown as a whole;
- plugin-framework nested attributes are planned element by element like blocks;
- replacement: every attribute, nested attribute or block marked `force_new` whose planned value differs from
  the prior one is returned as a RequiresReplace path (Terraform re-checks each path itself), plus the plan-time
  rules (CustomizeDiff, RequiresReplaceIf plan modifiers) described by `force_new_conditional`, decided by
  iac.diff.replacement (the rules iac's planner applies, read from each provider's source).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from iac.diff.replacement import conditional_rule
from iac.diff.statefuncs import STATE_FUNCS
from iac.sandbox.suppress import Rules, rules_for
from iac.sandbox.values import UNKNOWN, conform_type, contains_unknown
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
    planned = _Planner(rules_for(schema), creating, _is_sdkv2(schema)).block(schema.block, prior, proposed, "")
    if creating:
        return PlanResult(planned, [])
    assert prior is not None
    return PlanResult(planned, sorted(set(_replace_paths(schema.type, schema.block, prior, planned, ())), key=_path_key))


_FRAMEWORK_PROVIDERS = ("random", "time", "null")


_SDKV2: dict[int, tuple[ResourceSchema, bool]] = {}


def _is_sdkv2(schema: ResourceSchema) -> bool:
    """Whether the provider implements this type with the plugin SDKv2 (else the plugin framework); decided
    once per schema (a job's schema has thousands of nodes)."""
    found = _SDKV2.get(id(schema))
    if found is None or found[0] is not schema:
        framework = schema.provider_source.rsplit("/", 1)[-1] in _FRAMEWORK_PROVIDERS or any(
            getattr(node, "nested", None) is not None for _, node in schema.block.walk())
        found = _SDKV2[id(schema)] = (schema, not framework)
    return found[1]


def _path_key(path: Path) -> list[str]:
    return [f"{step:08d}" if isinstance(step, int) else step for step in path]


# --- planned values ----------------------------------------------------------------------------------------


class _Planner:
    """Plans the values of one instance; `path` arguments are schema paths ("a.b", no indexes)."""

    def __init__(self, rules: Rules, creating: bool, sdkv2: bool) -> None:
        self.rules = rules
        self.creating = creating
        self.sdkv2 = sdkv2

    def block(self, block: Block, prior: dict[str, Any] | None, proposed: dict[str, Any], path: str) -> dict[str, Any]:
        planned: dict[str, Any] = {}
        for name, attribute in block.attributes.items():
            before = prior.get(name) if prior else None
            planned[name] = self.attribute(attribute, before, proposed.get(name), path + name, prior is not None)
        for name, block_type in block.block_types.items():
            before = prior.get(name) if prior else None
            planned[name] = self.nested(block_type, before, proposed.get(name), path + name)
        return planned

    def attribute(self, attribute: Attribute, before: Any, proposed: Any, path: str, has_prior: bool) -> Any:
        if proposed is UNKNOWN:
            return UNKNOWN
        map_planner = self.rules.maps.get(path)
        if map_planner is not None:
            return map_planner(before, proposed)
        after = proposed
        if attribute.state_func is not None and isinstance(after, str):  # the provider's StateFunc normalises it
            after = STATE_FUNCS[attribute.state_func](after)
        if after is None and attribute.default is not MISSING:
            after = conform_type(attribute.default, attribute.type)
        if after is None and attribute.computed and self.creating:
            return UNKNOWN
        if attribute.nested is not None and after is not None:
            after = self.nested_attribute(attribute, before, after, path)
        if self.sdkv2 and _is_set_type(attribute.type) and isinstance(after, list) and any(v is UNKNOWN for v in after):
            after = UNKNOWN  # SDKv2 cannot hold a set with an unknown element: the whole set is unknown
        suppress = self.rules.attributes.get(path)
        if before is not None and suppress is not None and suppress(before, after):
            return before
        if self.sdkv2 and has_prior and _zero_or_null(before) and _zero_or_null(after):
            return before  # only against a prior object: a new set element has none to be equal to
        if self.sdkv2 and has_prior and after is None and isinstance(before, dict) and before and _is_map(attribute):
            return {}  # SDKv2 applies the removal key by key: an emptied map, not null (the real aws plans tags = {})
        return after

    def nested_attribute(self, attribute: Attribute, before: Any, after: Any, path: str) -> Any:
        """A plugin-framework nested attribute: its elements planned like blocks (defaults, computed values)."""
        assert attribute.nested is not None
        inner = attribute.nested
        if attribute.nesting in (None, "single"):
            return self.block(inner, before if isinstance(before, dict) else None, after, path + ".")
        if attribute.nesting == "map":
            prior = before if isinstance(before, dict) else {}
            return {key: self.block(inner, prior.get(key), value, path + ".") for key, value in after.items()}
        prior_items = before if isinstance(before, list) and attribute.nesting == "list" else []
        return [self.block(inner, prior_items[i] if i < len(prior_items) else None, item, path + ".")
                for i, item in enumerate(after)]

    def nested(self, block_type: BlockType, before: Any, proposed: Any, path: str) -> Any:
        if proposed is UNKNOWN:
            return UNKNOWN
        keeps_remote = block_type.computed or path in self.rules.keep_blocks
        if block_type.computed and self.creating and not proposed:
            return UNKNOWN  # an optional+computed block the configuration leaves out: the server fills it
        if block_type.nesting == "single":
            if proposed is None:
                return before if keeps_remote and before is not None else None
            return self.block(block_type.block, before if isinstance(before, dict) else None, proposed, path + ".")
        elements = proposed or []
        prior_elements = before if isinstance(before, list) else []
        if not elements and keeps_remote and prior_elements:
            return prior_elements
        planned = []
        for index, element in enumerate(elements):
            # Lists correlate by position; set elements have no identity before Terraform's own correlation,
            # which already copied their prior computed values into `proposed`.
            prior = prior_elements[index] if block_type.nesting == "list" and index < len(prior_elements) else None
            planned.append(self.block(block_type.block, prior, element, path + "."))
        return planned


_ZEROS = ("", 0, False)


def _zero_or_null(value: Any) -> bool:
    return value is None or (not isinstance(value, (dict, list)) and value is not UNKNOWN and value in _ZEROS)


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


def _is_map(attribute: Attribute) -> bool:
    return attribute.nested is None and isinstance(attribute.type, list) and attribute.type[0] == "map"


def _is_set_type(type_: Any) -> bool:
    return isinstance(type_, list) and type_[0] == "set"


def _replace_paths(resource_type: str, block: Block, prior: dict[str, Any], planned: dict[str, Any], path: Path) -> Iterator[Path]:
    for name, attribute in block.attributes.items():
        before, after = prior.get(name), planned.get(name)
        forced = attribute.force_new and _differs(before, after, ordered=not _is_set_type(attribute.type))
        conditional = attribute.force_new_conditional and _conditional_replace(resource_type, (*path, name), before,
                                                                               after)
        if forced or conditional:
            yield (*path, name)
        elif attribute.nested is not None and after is not UNKNOWN:
            yield from _nested_attribute_replace_paths(resource_type, attribute, before, after, (*path, name))
    for name, block_type in block.block_types.items():
        yield from _nested_replace_paths(resource_type, block_type, prior.get(name), planned.get(name), (*path, name))


def _nested_attribute_replace_paths(resource_type: str, attribute: Attribute, before: Any, after: Any, path: Path) -> Iterator[Path]:
    assert attribute.nested is not None
    if attribute.nesting in (None, "single"):
        if isinstance(before, dict) or isinstance(after, dict):
            yield from _replace_paths(resource_type, attribute.nested, before or {}, after or {}, path)
    elif attribute.nesting == "list":
        before_list, after_list = before or [], after or []
        for index in range(max(len(before_list), len(after_list))):
            b = before_list[index] if index < len(before_list) else {}
            a = after_list[index] if index < len(after_list) else {}
            yield from _replace_paths(resource_type, attribute.nested, b, a, (*path, index))
    elif _differs(before, after, ordered=False) and _has_force_new(attribute.nested):
        yield path  # set and map elements have no index: a force-new change inside replaces through the attribute


def _nested_replace_paths(resource_type: str, block_type: BlockType, before: Any, after: Any, path: Path) -> Iterator[Path]:
    ordered = block_type.nesting != "set"
    if block_type.force_new and _differs(_as_list(before), _as_list(after), ordered):
        yield path
        return
    if after is UNKNOWN:
        return
    if block_type.nesting == "single":
        if before is not None or after is not None:
            yield from _replace_paths(resource_type, block_type.block, before or {}, after or {}, path)
        return
    if block_type.nesting == "set":
        # Set elements have no stable index: a changed force-new value inside a set replaces via the set itself.
        if _differs(before or [], after or [], ordered=False) and _has_force_new(block_type.block):
            changed = [p for b, a in _pairs_by_content(before or [], after or [])
                       for p in _replace_paths(resource_type, block_type.block, b, a, path)]
            if changed:
                yield path
        return
    before_list, after_list = before or [], after or []
    for index in range(max(len(before_list), len(after_list))):
        b = before_list[index] if index < len(before_list) else {}
        a = after_list[index] if index < len(after_list) else {}
        yield from _replace_paths(resource_type, block_type.block, b, a, (*path, index))


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


def _conditional_replace(resource_type: str, path: Path, before: Any, after: Any) -> bool:
    """A plan-time replacement rule (CustomizeDiff, a RequiresReplaceIf plan modifier) described by
    `force_new_conditional`, decided by the rule iac.diff.replacement reproduces from the provider's source (one
    implementation for iac's planner and the sandbox). A value not known yet, or a rule nobody reproduces
    (time_rotating's rotation_rfc3339), does not replace here."""
    if contains_unknown(after) or not _differs(before, after):
        return False
    rule = conditional_rule(resource_type, ".".join(step for step in path if isinstance(step, str)))
    return rule is not None and rule.decide(before, after) is True

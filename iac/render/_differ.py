"""Build the diff tree of a resource from its plan JSON change and its provider schema (Terraform's
`jsonformat/differ`). The schema decides attributes (`key = value`) versus nested blocks
(`name {`), and maps (quoted keys, "elements") versus objects ("attributes"). Types come from
`iac.schema`; a resource type we have no schema for is shown with every attribute dynamic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from iac.render._block import BlockRenderer
from iac.render._change import Change, _get, compare_actions, same
from iac.render._common import Action
from iac.render._jsondiff import (
    PrimitiveRenderer,
    check_sensitive,
    check_unknown,
    collection_action,
    transform,
    transform_slice,
)
from iac.render._nodes import (
    Blocks,
    Diff,
    ListRenderer,
    MapRenderer,
    ObjectRenderer,
    SensitiveBlockRenderer,
    SensitiveRenderer,
    SetRenderer,
    UnknownRenderer,
)
from iac.schema import Attribute, Block

_PRIMITIVES = ("string", "number", "bool")


def compute_output(change: Change) -> Diff:
    """A value typed only by what it holds: outputs and `dynamic` attributes."""
    sensitive = check_sensitive(change, compute_output, SensitiveRenderer, change.replace.matches())
    if sensitive is not None:
        return sensitive
    unknown = _check_unknown(change, "dynamic")
    if unknown is not None:
        return unknown
    return transform(change)


def _as_diff(change: Change, renderer: Any) -> Diff:
    return Diff(renderer, change.calculate_action(), change.replace.matches())


def _check_unknown(change: Change, ctype: Any) -> Diff | None:
    return check_unknown(
        change, False,
        lambda current: _as_diff(current, UnknownRenderer()),
        lambda current, before: _as_diff(current, UnknownRenderer(compute_type(before, ctype))),
    )


def compute_type(change: Change, ctype: Any) -> Diff:
    """The diff of a value of a schema type (`"string"`, `["list", T]`, `["object", {...}]`...)."""
    if not change.non_legacy and (change.before == "" or change.after == ""):
        # SDKv2 providers cannot tell "" from null, so Terraform shows "" as null for them.
        change = replace(change, before=None if change.before == "" else change.before,
                         after=None if change.after == "" else change.after)
    sensitive = check_sensitive(change, lambda v: compute_type(v, ctype), SensitiveRenderer, change.replace.matches())
    if sensitive is not None:
        return sensitive
    unknown = _check_unknown(change, ctype)
    if unknown is not None:
        return unknown
    if ctype == "dynamic" or ctype is None:
        return compute_output(change)
    if ctype in _PRIMITIVES:
        return _as_diff(change, PrimitiveRenderer(change.before, change.after, ctype))
    kind, inner = ctype[0], ctype[1]
    if kind == "object":
        return _object(change, inner)
    if kind == "map":
        return _map(change, inner)
    if kind == "list":
        elements, action = transform_slice(change, lambda v: compute_type(v, inner), lambda _: _is_object(inner))
        return Diff(ListRenderer(elements), action, change.replace.matches())
    if kind == "tuple":
        return _tuple(change, inner)
    if kind == "set":
        elements, action = _set(change, lambda v: compute_type(v, inner))
        return Diff(SetRenderer(elements), action, change.replace.matches())
    raise ValueError(f"unknown attribute type {ctype!r}")


def _is_object(ctype: Any) -> bool:
    return isinstance(ctype, list) and ctype[0] == "object"


def _object(change: Change, attribute_types: Mapping[str, Any]) -> Diff:
    action = change.default_action_for_iteration()
    attributes = {}
    for key, ctype in attribute_types.items():
        if _null_everywhere(change, key):
            continue
        child = change.key(key, explicit=False)
        diff = compute_type(child, ctype)
        if diff.action is Action.NOOP and child.before is None and child.after is None:
            continue  # null on both sides: not even counted as unchanged
        attributes[key] = diff
        action = compare_actions(action, diff.action)
    return Diff(ObjectRenderer(attributes), action, change.replace.matches())


def _null_everywhere(change: Change, key: str) -> bool:
    """Null or absent on both sides, with no unknown or sensitive mark: its diff would be a no-op
    that is skipped anyway, so it is not computed (most schema attributes of a resource are like this)."""
    return (_get(change.before, key)[0] is None and _get(change.after, key)[0] is None
            and not _get(change.unknown, key)[0] and not _get(change.before_sensitive, key)[0]
            and not _get(change.after_sensitive, key)[0])


def _map(change: Change, element_type: Any) -> Diff:
    action = collection_action(change.before, change.after, Mapping)
    elements = {}
    for key in change.all_keys():
        elements[key] = compute_type(change.key(key), element_type)
        action = compare_actions(action, elements[key].action)
    return Diff(MapRenderer(elements), action, change.replace.matches())


def _tuple(change: Change, element_types: list[Any]) -> Diff:
    action = change.default_action_for_iteration()
    elements = []
    for ix, ctype in enumerate(element_types):
        element = compute_type(change.index(ix, ix), ctype)
        elements.append(element)
        action = compare_actions(action, element.action)
    return Diff(ListRenderer(elements), action, change.replace.matches())


def _set(change: Change, element_of: Any) -> tuple[list[Diff], Action]:
    """Set elements paired by equality; unpaired ones are removed or added."""
    before, after = change.before_list, change.after_list
    paired_after: dict[int, int] = {}
    pairs: list[tuple[int, int]] = []
    for ix in range(len(before)):
        match = len(after)
        for jx in range(len(after)):
            if jx in paired_after:
                continue
            child = change.index(ix, jx)
            if (same(child.before, child.after) and child.is_before_sensitive == child.is_after_sensitive
                    and not child.is_unknown):
                match = jx  # Terraform keeps scanning: every equal element is taken, the last one pairs
                paired_after[jx] = ix
        pairs.append((ix, match))
    pairs += [(len(before), jx) for jx in range(len(after)) if jx not in paired_after]
    action = change.default_action_for_iteration()
    elements = []
    for ix, jx in pairs:
        element = element_of(change.index(ix, jx))
        elements.append(element)
        action = compare_actions(action, element.action)
    return elements, action


def compute_attribute(change: Change, attribute: Attribute) -> Diff:
    return compute_type(change, attribute.type)


def _contains_dynamic(ctype: Any) -> bool:
    if ctype == "dynamic":
        return True
    if isinstance(ctype, list):
        inner = ctype[1]
        if isinstance(inner, Mapping):
            return any(_contains_dynamic(t) for t in inner.values())
        if ctype[0] == "tuple":
            return any(_contains_dynamic(t) for t in inner)
        return _contains_dynamic(inner)
    return False


_NON_LEGACY: dict[int, tuple[Block, bool]] = {}


def _non_legacy(block: Block) -> bool:
    """Features SDKv2 providers cannot have; without them "" is shown as null (see compute_type).
    Cached by identity (the entry keeps its block alive, so an id is never reused for another)."""
    entry = _NON_LEGACY.get(id(block))
    if entry is None or entry[0] is not block:
        entry = _NON_LEGACY[id(block)] = (block, _has_non_legacy_features(block))
    return entry[1]


def _has_non_legacy_features(block: Block) -> bool:
    if any(bt.nesting in ("map", "group") for bt in block.block_types.values()):
        return True
    for attribute in block.attributes.values():
        ctype = attribute.type
        if _contains_dynamic(ctype) or (isinstance(ctype, list) and ctype[0] in ("object", "tuple")):
            return True
        if isinstance(ctype, list) and ctype[0] in ("list", "set", "map"):
            inner = ctype[1]
            if isinstance(inner, list) and inner[0] in ("list", "set", "map") and inner[1] not in _PRIMITIVES:
                return True
    return False


def compute_block(change: Change, block: Block) -> Diff:
    """The diff of a resource body or nested block: attributes, then nested blocks by type."""
    sensitive = check_sensitive(change, lambda v: compute_block(v, block), SensitiveBlockRenderer,
                                change.replace.matches())
    if sensitive is not None:
        return sensitive
    unknown = check_unknown(
        change, dict.fromkeys(block.attributes, True),
        lambda current: _as_diff(current, UnknownRenderer()),
        lambda current, before: _as_diff(current, UnknownRenderer(compute_block(before, block))),
    )
    if unknown is not None:
        return unknown
    if not change.non_legacy and _non_legacy(block):
        change = replace(change, non_legacy=True)
    action = change.default_action_for_iteration()
    attributes = {}
    for key, attribute in block.attributes.items():
        if _null_everywhere(change, key):
            continue
        child = change.key(key, explicit=False)
        diff = compute_attribute(child, attribute)
        if diff.action is Action.NOOP and child.before is None and child.after is None:
            continue
        attributes[key] = diff
        action = compare_actions(action, diff.action)
    blocks = Blocks()
    for key, block_type in block.block_types.items():
        child = change.key(key)
        nested_action = _nested_blocks(blocks, key, child, block_type.nesting, block_type.block)
        if nested_action is not None:
            action = compare_actions(action, nested_action)
    return Diff(BlockRenderer(attributes, blocks), action, change.replace.matches())


def _nested_blocks(blocks: Blocks, key: str, child: Change, nesting: str, block: Block) -> Action | None:
    """Add the blocks of one block type; None when there are none on either side."""
    if nesting == "set":
        diffs, action = _set(child, lambda v: compute_block(v, block))
    elif nesting == "list":
        diffs, action = _nested_list(child, block)
    elif nesting == "map":
        action = collection_action(child.before, child.after, Mapping)
        by_key = {}
        for name in child.explicit_keys():
            by_key[name] = compute_block(child.key(name), block)
            action = compare_actions(action, by_key[name].action)
    else:  # single, group
        single = compute_block(child, block)
        action = single.action
    if action is Action.NOOP and child.before is None and child.after is None and not child.is_unknown:
        return None
    if nesting == "set":
        blocks.sets[key] = diffs
    elif nesting == "list":
        blocks.lists[key] = diffs
    elif nesting == "map":
        blocks.maps[key] = by_key
    else:
        blocks.single[key] = single
    blocks.note(key, child.replace.matches(), child.is_before_sensitive, child.is_after_sensitive, child.is_unknown)
    return action


def _nested_list(change: Change, block: Block) -> tuple[list[Diff], Action]:
    action = change.default_action_for_iteration()
    diffs = []
    for ix in range(max(len(change.before_list), len(change.after_list))):
        diff = compute_block(change.index(ix, ix), block)
        diffs.append(diff)
        action = compare_actions(action, diff.action)
    return diffs, action


def dynamic_block(change: Change) -> Block:
    """A stand-in schema for a resource type we do not know: every attribute dynamic (so never
    legacy: the change is marked non-legacy by the caller and the cache is not used)."""
    names: set[str] = set()
    for side in (change.before, change.after, change.unknown, change.before_sensitive, change.after_sensitive):
        if isinstance(side, Mapping):
            names.update(side)
    return Block(attributes={name: Attribute(name, "dynamic", optional=True) for name in sorted(names)})

"""A change as the leaves it changes: `[[path, before, after], ...]`, the structural form changes are compared in.

Leaves are flattened from the plan JSON's `before` / `after` (a JSON document inside a string, such as a cluster
policy's definition, is flattened too, so one rule that differs is one leaf). A leaf that is sensitive reads
`{"$": "sensitive"}`, one known only after apply `{"$": "unknown"}`, a side where the path does not exist
`{"$": "absent"}`: markers no flattened leaf can be (a non-empty object is always flattened further). A sensitive
leaf counts as changed only when the engine gave it a reason (its value is masked on both sides).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from iac._jsonio import loads
from iac.values import format_path

__all__ = ["ABSENT", "SENSITIVE", "UNKNOWN", "change_delta"]

SENSITIVE = {"$": "sensitive"}
UNKNOWN = {"$": "unknown"}
ABSENT = {"$": "absent"}

Path = tuple[str | int, ...]


def change_delta(change: Mapping[str, Any], changed: frozenset[str],
                 leaf: Callable[[str], str] | None = None) -> tuple[list[list[Any]], int]:
    """The changed leaves of one plan JSON change object, in path order, and how many leaves stay the same.
    `changed`: the dotted paths the engine gave a reason for (`iac.reasons[address]`); `leaf`: applied to every
    string leaf (a member's identity factored out), never to a path."""
    before: dict[Path, Any] = {}
    after: dict[Path, Any] = {}
    _leaves(change.get("before"), change.get("before_sensitive"), None, (), before, leaf)
    _leaves(change.get("after"), change.get("after_sensitive"), change.get("after_unknown"), (), after, leaf)
    # Each side is flattened in path order (sorted keys, list order): only paths on the before side alone (an
    # attribute removed) need a sort of the union.
    paths = after.keys() | before.keys() if not before.keys() <= after.keys() else None
    delta, same = [], 0
    for path in sorted(paths, key=_order) if paths is not None else after:
        old, new = before.get(path, ABSENT), after.get(path, ABSENT)
        if old == new and not (old == SENSITIVE and format_path(path) in changed):
            same += 1
            continue
        delta.append([list(path), old, new])
    return delta, same


def _leaves(value: Any, mask: Any, unknown: Any, path: Path, out: dict[Path, Any],
            leaf: Callable[[str], str] | None) -> None:
    # Hot (every leaf of every member's plan): exact type checks, masks looked up only where they exist.
    if value is None and not path and not unknown:
        return  # no object on this side (a create's before, a delete's after)
    if mask is True:
        if value is not None:
            out[path] = SENSITIVE
        return
    if unknown is True:
        out[path] = UNKNOWN
        return
    kind = type(value)
    if kind is dict or type(unknown) is dict:
        values = value if kind is dict else {}
        masks = mask if type(mask) is dict else None
        unknowns = unknown if type(unknown) is dict else None
        keys = sorted(values.keys() | unknowns.keys() if unknowns else values)
        if not keys and path:
            out[path] = {}
        for key in keys:
            child = values.get(key)
            marked = unknowns.get(key) if unknowns else None
            if child is None and not marked:
                continue  # null and absent print alike (as Terraform's diff shows them)
            _leaves(child, masks.get(key) if masks else None, marked, (*path, key), out, leaf)
    elif kind is list:
        if not value and path:
            out[path] = []
        mask_items = mask if type(mask) is list else None
        unknown_items = unknown if type(unknown) is list else None
        for index, child in enumerate(value):
            _leaves(child, mask_items[index] if mask_items and index < len(mask_items) else None,
                    unknown_items[index] if unknown_items and index < len(unknown_items) else None, (*path, index),
                    out, leaf)
    elif kind is str:
        if value[:1] in "{[" and isinstance(decoded := _json(value), (dict, list)) and decoded:
            _leaves(decoded, None, None, path, out, leaf)
        else:
            out[path] = leaf(value) if leaf is not None else value
    else:
        out[path] = value


def _json(text: str) -> Any:
    try:
        return loads(text)
    except ValueError:
        return None


def _order(path: Path) -> tuple[tuple[int, str], ...]:
    return tuple((0, f"{step:012d}") if isinstance(step, int) else (1, step) for step in path)

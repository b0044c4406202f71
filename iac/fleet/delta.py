"""A change as the leaves it changes: `[[path, before, after], ...]`, the structural form changes are compared in.

Leaves are flattened from the plan JSON's `before` / `after` (a JSON document inside a string, such as a cluster
policy's definition, is flattened too, so one rule that differs is one leaf). A leaf that is sensitive reads
`{"$": "sensitive"}`, one known only after apply `{"$": "unknown"}`, a side where the path does not exist
`{"$": "absent"}`: markers no flattened leaf can be (a non-empty object is always flattened further). A sensitive
leaf counts as changed only when the engine gave it a reason (its value is masked on both sides).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from iac._jsonio import loads
from iac.values import format_path

__all__ = ["ABSENT", "SENSITIVE", "UNKNOWN", "change_delta"]

SENSITIVE = {"$": "sensitive"}
UNKNOWN = {"$": "unknown"}
ABSENT = {"$": "absent"}

Path = tuple[str | int, ...]


def change_delta(change: Mapping[str, Any], changed: frozenset[str]) -> tuple[list[list[Any]], int]:
    """The changed leaves of one plan JSON change object, in path order, and how many leaves stay the same.
    `changed`: the dotted paths the engine gave a reason for (`iac.reasons[address]`)."""
    before = dict(_leaves(change.get("before"), change.get("before_sensitive"), None, ()))
    after = dict(_leaves(change.get("after"), change.get("after_sensitive"), change.get("after_unknown"), ()))
    delta, same = [], 0
    for path in sorted(before.keys() | after.keys(), key=_order):
        old, new = before.get(path, ABSENT), after.get(path, ABSENT)
        if old == new and not (old == SENSITIVE and format_path(path) in changed):
            same += 1
            continue
        delta.append([list(path), old, new])
    return delta, same


def _leaves(value: Any, mask: Any, unknown: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    if value is None and not path and not unknown:
        return  # no object on this side (a create's before, a delete's after)
    if mask is True:
        if value is not None:
            yield path, SENSITIVE
        return
    if unknown is True:
        yield path, UNKNOWN
        return
    if isinstance(value, Mapping) or isinstance(unknown, Mapping):
        value = value if isinstance(value, Mapping) else {}
        keys = set(value) | (set(unknown) if isinstance(unknown, Mapping) else set())
        if not keys and path:
            yield path, {}
        for key in keys:
            child = value.get(key)
            if child is None and not _child(unknown, key):
                continue  # null and absent print alike (as Terraform's diff shows them)
            yield from _leaves(child, _child(mask, key), _child(unknown, key), (*path, key))
    elif isinstance(value, list):
        if not value and path:
            yield path, []
        for index, child in enumerate(value):
            yield from _leaves(child, _child(mask, index), _child(unknown, index), (*path, index))
    elif isinstance(value, str) and value[:1] in "{[" and isinstance(decoded := _json(value), (dict, list)) and decoded:
        yield from _leaves(decoded, None, None, path)
    else:
        yield path, value


def _json(text: str) -> Any:
    try:
        return loads(text)
    except ValueError:
        return None


def _child(mask: Any, key: str | int) -> Any:
    if isinstance(mask, Mapping) and isinstance(key, str):
        return mask.get(key)
    if isinstance(mask, list) and isinstance(key, int) and key < len(mask):
        return mask[key]
    return None


def _order(path: Path) -> tuple[tuple[int, str], ...]:
    return tuple((0, f"{step:012d}") if isinstance(step, int) else (1, step) for step in path)

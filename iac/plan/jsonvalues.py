"""Values in Terraform's plan JSON: unknowns split out, sensitivity masks, masking, type inference.

Mirrors Terraform's `jsonplan` helpers: `omitUnknowns` (unknown object attributes left out, unknown
list elements as null), `unknownAsBool` and `sensitiveAsBool` (objects keep only non-false entries,
lists keep every position, null and known primitives are false), so our masks have exactly
Terraform's shape.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from iac._jsonio import infer_type
from iac.values import Path, Unknown

__all__ = ["SENSITIVE", "has_true", "infer_type", "masked", "sensitive_mask", "shape_of", "split_unknowns"]

SENSITIVE = "(sensitive value)"
_OMIT = object()


def split_unknowns(value: Any) -> tuple[Any, Any, Any]:
    """`(known, after_unknown, shape)`: the value without unknowns, the unknown mask, and the
    all-false mask of the same shape that `sensitive_mask` starts from."""
    if isinstance(value, Unknown):
        return _OMIT, True, ({} if value.kind == "map" else [] if value.kind == "seq" else False)
    if isinstance(value, dict):
        known: dict[str, Any] = {}
        unknown: dict[str, Any] = {}
        shape: dict[str, Any] = {}
        changed = False
        for key, item in value.items():
            k, u, s = split_unknowns(item)
            if k is _OMIT:
                changed = True
            else:
                known[key] = k
                changed = changed or k is not item
            if u is not False:
                unknown[key] = u
            if s is not False:
                shape[key] = s
        return (known if changed else value), unknown, shape
    if isinstance(value, list):
        items, unknowns, shapes = [], [], []
        changed = False
        for item in value:
            k, u, s = split_unknowns(item)
            if k is _OMIT:
                k, changed = None, True
            elif k is not item:
                changed = True
            items.append(k)
            unknowns.append(u)
            shapes.append(s)
        return (items if changed else value), unknowns, shapes
    return value, False, False


def shape_of(value: Any) -> Any:
    """The all-false mask of a value known to hold no unknowns (the fast path of `split_unknowns`).
    Lists of scalars (most leaves of a real value) are answered without recursing, and every object
    without nested containers gets the shared read-only `{}`."""
    kind = type(value)
    if kind is dict:
        shapes: dict[str, Any] | None = None
        previous: Any = None
        previous_shape: Any = None
        for key, item in value.items():
            kind = type(item)
            if kind is not dict and kind is not list:
                continue
            # equal siblings (terraform_data's input and output) have the same shape: compute it once
            if previous is None or item != previous:
                previous = item
                if kind is list and _SCALARS.issuperset(map(type, item)):
                    previous_shape = [False] * len(item)
                else:
                    previous_shape = shape_of(item)
            if shapes is None:
                shapes = {}
            shapes[key] = previous_shape
        return _EMPTY if shapes is None else shapes
    if kind is list:
        return [shape_of(v) if type(v) is dict or type(v) is list else False for v in value]
    return False


_SCALARS = frozenset((str, int, float, bool, Decimal, type(None)))
_EMPTY: dict[str, Any] = {}
"""The mask of every object without nested containers: shared, never mutated (`sensitive_mask` copies)."""


def sensitive_mask(shape: Any, paths: tuple[Path, ...] | list[Path]) -> Any:
    """The sensitivity mask: `shape` with `true` at every sensitive path (copied only where needed)."""
    for path in paths:
        shape = _set_true(shape, path)
    return shape


def _set_true(mask: Any, path: Path) -> Any:
    if not path or mask is True:  # a path inside what is sensitive already: the whole stays sensitive
        return True
    step, rest = path[0], path[1:]
    if isinstance(step, str):
        copy = dict(mask) if isinstance(mask, dict) else {}
        copy[step] = _set_true(copy.get(step, False), rest)
        return copy
    items = list(mask) if isinstance(mask, list) else []
    while len(items) <= step:
        items.append(False)
    items[step] = _set_true(items[step], rest)
    return items


def masked(value: Any, mask: Any) -> Any:
    """`value` with every non-null leaf under a `true` mask replaced by "(sensitive value)"."""
    if mask is True:
        return value if value is None else SENSITIVE
    if isinstance(mask, dict) and mask and isinstance(value, dict):
        return {k: masked(v, mask[k]) if k in mask else v for k, v in value.items()}
    if isinstance(mask, list) and isinstance(value, list):
        return [masked(v, m) for v, m in zip(value, mask, strict=False)] + value[len(mask):]
    return value


def has_true(mask: Any) -> bool:
    if mask is True:
        return True
    if isinstance(mask, dict):
        return any(has_true(m) for m in mask.values())
    if isinstance(mask, list):
        return any(has_true(m) for m in mask)
    return False

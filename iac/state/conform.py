"""Does a state object's attributes have the shape its schema says? Terraform decodes every object with its
resource type's schema before planning (`ctyjson.Unmarshal` with the type the schema implies) and
refuses a state where they disagree; the planner assumes they agree (a number where a block list should be
would be iterated). So the state reader asks here first, and a mismatch is one line naming the attribute.

What is checked is the shape: objects, lists, sets, maps, tuples and blocks where the schema has them, and
primitives that can be read as their type the way ctyjson reads them (a string may hold a number or
bool, a number may be written as a numeric string, a bool as "true", "false", "1" or "0"; null is always
allowed).
Attributes the schema does not know are left alone: the provider's state upgrade drops them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from iac.schema import Block

__all__ = ["Mismatch", "block_mismatch"]

Mismatch = tuple[tuple[str | int, ...], str]
"""(the path of the first value that does not fit, what was expected and found)."""


def block_mismatch(value: Any, block: Block, path: tuple[str | int, ...] = ()) -> Mismatch | None:
    """The first place where `value` (a block's attributes, decoded JSON) does not have `block`'s shape."""
    if not isinstance(value, dict):
        return path, f"an object is required, not {_kind(value)}"
    for name, attribute in block.attributes.items():
        item = value.get(name)
        if item is not None:
            found = _type_mismatch(item, attribute.type, (*path, name))
            if found:
                return found
    for name, nested in block.block_types.items():
        item = value.get(name)
        if item is None:
            continue
        where = (*path, name)
        if nested.nesting in ("single", "group"):
            found = block_mismatch(item, nested.block, where)
        elif nested.nesting == "map":
            found = (where, f"a map of blocks is required, not {_kind(item)}") if not isinstance(item, dict) else \
                _first(block_mismatch(v, nested.block, (*where, k)) for k, v in item.items())
        else:  # list, set
            found = (where, f"a list of blocks is required, not {_kind(item)}") if not isinstance(item, list) else \
                _first(block_mismatch(v, nested.block, (*where, i)) for i, v in enumerate(item))
        if found:
            return found
    return None


def _type_mismatch(value: Any, type_: Any, path: tuple[str | int, ...]) -> Mismatch | None:
    if value is None or type_ == "dynamic":
        return None
    if isinstance(type_, str):
        return None if _primitive_fits(value, type_) else (path, f"a {type_} is required, not {_kind(value)}")
    kind, inner = type_[0], type_[1]
    if kind in ("list", "set"):
        if not isinstance(value, list):
            return path, f"a {kind} is required, not {_kind(value)}"
        return _first(_type_mismatch(v, inner, (*path, i)) for i, v in enumerate(value))
    if kind == "map":
        if not isinstance(value, dict):
            return path, f"a map is required, not {_kind(value)}"
        return _first(_type_mismatch(v, inner, (*path, k)) for k, v in value.items())
    if kind == "object":
        if not isinstance(value, dict):
            return path, f"an object is required, not {_kind(value)}"
        return _first(_type_mismatch(value.get(k), t, (*path, k)) for k, t in inner.items())
    if kind == "tuple":
        if not isinstance(value, list) or len(value) != len(inner):
            return path, f"a tuple of {len(inner)} elements is required, not {_kind(value)}"
        return _first(_type_mismatch(v, t, (*path, i)) for i, (v, t) in enumerate(zip(value, inner, strict=True)))
    return None


def _primitive_fits(value: Any, type_: str) -> bool:
    if type_ == "string":
        return isinstance(value, (str, bool, int, Decimal))
    if type_ == "number":
        if isinstance(value, bool):
            return False
        if isinstance(value, (int, Decimal)):
            return True
        try:
            return isinstance(value, str) and Decimal(value).is_finite()
        except InvalidOperation:
            return False
    if type_ == "bool":
        return isinstance(value, bool) or value in ("true", "false", "1", "0")  # cty converts "1" and "0" too
    return True


def _first(found: Any) -> Mismatch | None:
    return next((f for f in found if f), None)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, (int, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"

"""The order in which an SDKv2 provider iterates a set (`*schema.Set.List()`).

A provider that turns a set into text (a policy document) writes its elements in this order, not cty's:
each element has a hash code — `hashcode.String` (CRC-32 IEEE) of the element's serialisation
(terraform-plugin-sdk helper/schema/serialize.go) — and `List()` returns the elements sorted by the
decimal *text* of their codes. Serialisation: a string as itself, a bool as `1`/`0`, a number in Go's
shortest form, each followed by `;`; a list `(…);`, a set `{…};` (its members in this same order), a map
`[k:v;…];`; an object (a block element) is its optional or required attributes, sorted by name, as
`name:value` — inside a collection wrapped as `<…>;`.
"""

from __future__ import annotations

import zlib
from decimal import Decimal
from typing import Any

from iac.schema import Block

__all__ = ["hash_code", "set_order"]


def hash_code(text: str) -> int:
    """`hashcode.String`: CRC-32 IEEE of the UTF-8 bytes (never negative on 64-bit Go)."""
    return zlib.crc32(text.encode("utf-8"))


def set_order(elements: list[Any], element: Any) -> list[Any]:
    """`elements` in the SDK's iteration order; `element` is the element type (type JSON) or a Block."""
    return sorted(elements, key=lambda value: str(hash_code(_member(value, element, top=True))))


def _member(value: Any, element: Any, top: bool = False) -> str:
    if isinstance(element, Block):
        body = _object(value, element)
        return body if top else f"<{body}>;"
    return _value(value, element)


def _object(value: dict[str, Any], block: Block) -> str:
    out = []
    for name in sorted([*block.attributes, *block.block_types]):
        attribute = block.attributes.get(name)
        if attribute is not None:
            if attribute.optional or attribute.required:
                out.append(f"{name}:{_value(value.get(name), attribute.type)}")
            continue
        nested = block.block_types[name]
        items = list(value.get(name) or [])
        if nested.nesting == "set":
            out.append(f"{name}:{{" + "".join(_member(v, nested.block) for v in set_order(items, nested.block)) + "};")
        else:
            out.append(f"{name}:(" + "".join(_member(v, nested.block) for v in items) + ");")
    return "".join(out)


def _value(value: Any, type_: Any) -> str:
    if value is None:
        return ";"
    if type_ == "bool":
        return ("1" if value else "0") + ";"
    if type_ == "number":
        number = Decimal(value)
        return (str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")) + ";"
    if type_ == "string" or not isinstance(type_, list):
        return f"{value};"
    kind, inner = type_[0], type_[1]
    if kind == "list":
        return "(" + "".join(_member(v, inner) for v in value) + ");"
    if kind == "set":
        return "{" + "".join(_member(v, inner) for v in set_order(list(value), inner)) + "};"
    if kind == "map":
        return "[" + "".join(f"{k}:{v};" for k, v in sorted(value.items()) if v is not None) + "];"
    raise ValueError(f"no SDK serialisation for {type_}")

"""Variable type constraints (`"map(object({workers = number}))"`) and value conversion to them.

Types are represented as Terraform's type JSON: `"string"`, `"number"`, `"bool"`, `"dynamic"` (any),
`["list", T]`, `["set", T]`, `["map", T]`, `["tuple", [T...]]`, `["object", {name: T}]`. Object
attributes declared `optional(T)` are listed in a third element, as Terraform writes them.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from iac._jsonio import format_decimal

__all__ = ["TypeConversionError", "convert", "parse_type"]


class TypeConversionError(ValueError):
    """A value that does not fit a type constraint; the message says where and why."""


_TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|[(){}\[\],=])")


def parse_type(text: str) -> Any:
    """Parse a bare type expression; `ValueError` when it is not one."""
    tokens = [m.group(1) for m in _TOKEN.finditer(text)]
    if "".join(tokens) != re.sub(r"\s+", "", text):
        raise ValueError(f"invalid type constraint {text!r}")
    result, pos = _type(tokens, 0, text)
    if pos != len(tokens):
        raise ValueError(f"invalid type constraint {text!r}")
    return result


def _expect(tokens: list[str], pos: int, token: str, text: str) -> int:
    if pos >= len(tokens) or tokens[pos] != token:
        raise ValueError(f"invalid type constraint {text!r}: expected {token!r}")
    return pos + 1


def _type(tokens: list[str], pos: int, text: str) -> tuple[Any, int]:
    if pos >= len(tokens):
        raise ValueError(f"invalid type constraint {text!r}")
    word = tokens[pos]
    if word in ("string", "number", "bool"):
        return word, pos + 1
    if word == "any":
        return "dynamic", pos + 1
    if word in ("list", "set", "map"):
        pos = _expect(tokens, pos + 1, "(", text)
        inner, pos = _type(tokens, pos, text)
        return [word, inner], _expect(tokens, pos, ")", text)
    if word == "tuple":
        pos = _expect(tokens, _expect(tokens, pos + 1, "(", text), "[", text)
        items: list[Any] = []
        while tokens[pos] != "]":
            item, pos = _type(tokens, pos, text)
            items.append(item)
            if tokens[pos] == ",":
                pos += 1
        return ["tuple", items], _expect(tokens, pos + 1, ")", text)
    if word == "object":
        return _object(tokens, pos, text)
    raise ValueError(f"invalid type constraint {text!r}: unknown type {word!r}")


def _object(tokens: list[str], pos: int, text: str) -> tuple[Any, int]:
    pos = _expect(tokens, _expect(tokens, pos + 1, "(", text), "{", text)
    attrs: dict[str, Any] = {}
    optional: list[str] = []
    while tokens[pos] != "}":
        name = tokens[pos]
        pos = _expect(tokens, pos + 1, "=", text)
        if tokens[pos] == "optional":
            pos = _expect(tokens, pos + 1, "(", text)
            attrs[name], pos = _type(tokens, pos, text)
            pos = _expect(tokens, pos, ")", text)
            optional.append(name)
        else:
            attrs[name], pos = _type(tokens, pos, text)
        if tokens[pos] == ",":
            pos += 1
    result = ["object", attrs, sorted(optional)] if optional else ["object", attrs]
    return result, _expect(tokens, pos + 1, ")", text)


def convert(value: Any, type_: Any, where: str = "") -> Any:
    """Convert a JSON-shaped value to a type constraint as Terraform would (strings <-> numbers/bools,
    objects to maps, missing optional object attributes as null). Unknown and sensitive wrappers are
    passed through untouched (the engine's job)."""
    if value is None or type_ == "dynamic" or type(value).__name__ in ("Unknown", "Sensitive"):
        return value
    if isinstance(type_, str):
        return _primitive(value, type_, where)
    kind = type_[0]
    if kind in ("list", "set"):
        if not isinstance(value, list):
            raise TypeConversionError(f"{where or 'value'}: a {kind} is required")
        items = [convert(v, type_[1], f"{where}[{i}]") for i, v in enumerate(value)]
        return _dedupe(items) if kind == "set" else items
    if kind == "tuple":
        if not isinstance(value, list) or len(value) != len(type_[1]):
            raise TypeConversionError(f"{where or 'value'}: a tuple of {len(type_[1])} elements is required")
        return [convert(v, t, f"{where}[{i}]") for i, (v, t) in enumerate(zip(value, type_[1], strict=True))]
    if not isinstance(value, dict):
        raise TypeConversionError(f"{where or 'value'}: an object or map is required")
    if kind == "map":
        return {k: convert(v, type_[1], f"{where}.{k}") for k, v in value.items()}
    return _object_value(value, type_, where)


def _object_value(value: dict[str, Any], type_: Any, where: str) -> dict[str, Any]:
    attrs, optional = type_[1], set(type_[2]) if len(type_) > 2 else set()
    out: dict[str, Any] = {}
    for name, attr_type in attrs.items():
        if name in value:
            out[name] = convert(value[name], attr_type, f"{where}.{name}")
        elif name in optional:
            out[name] = None
        else:
            raise TypeConversionError(f"{where or 'value'}: attribute {name!r} is required")
    return out


def _primitive(value: Any, type_: str, where: str) -> Any:
    if type_ == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, Decimal)):
            return format_decimal(Decimal(value))
        if isinstance(value, str):
            return value
    elif type_ == "number":
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                pass
            else:
                return int(number) if number.is_finite() and number.adjusted() < 18 and number == number.to_integral_value() \
                    else number
    elif type_ == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
    raise TypeConversionError(f"{where or 'value'}: a {type_} is required, got {_describe(value)}")


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, str):
        return "a string"
    return "a number"


def _dedupe(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out

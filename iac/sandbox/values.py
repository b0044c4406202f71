"""Terraform values on the wire (tfplugin6 `DynamicValue`) <-> plain Python, and conforming them to a schema.

Python side: objects and maps are `dict`, lists and sets are `list`, strings `str`, bools `bool`,
numbers `int` or `Decimal` (never float: Terraform numbers are exact decimals), null is `None`, and a
value Terraform does not know yet is the `UNKNOWN` singleton.

Wire side: Terraform sends msgpack (and JSON only for raw state being upgraded). cty's msgpack encoding
is self-describing except for `dynamic` attributes, which travel as `[type JSON, value]`: `conform` unwraps
them to the plain value and `encode_object` wraps them again with the value's implied type. Otherwise
decoding needs no type; encoding needs the type only to be *valid*, which `conform` guarantees first:
every object gets exactly the attributes its type declares (missing ones null, unknown keys dropped) and
primitives are coerced to their declared type (a schema default `60` for a string attribute becomes
`"60"`). Numbers: cty writes integers as msgpack ints, exactly representable fractions as float64 and
everything else as a decimal string; we read all three as exact values and write non-integral numbers
back as decimal strings, which cty parses exactly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import msgpack

from iac._jsonio import format_decimal, infer_type, loads
from iac.schema import Block

__all__ = ["UNKNOWN", "conform_block", "conform_type", "contains_unknown", "decode_json", "decode_msgpack", "encode_msgpack",
           "encode_object", "is_unknown"]

# cty's msgpack extension codes: 0 = unknown value, 12 = unknown value with refinements (Terraform >= 1.6).
_EXT_UNKNOWN = 0
_EXT_REFINED_UNKNOWN = 12


class _Unknown:
    """A value Terraform (or this provider's plan) does not know yet: "(known after apply)"."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __deepcopy__(self, memo: Any) -> _Unknown:
        return self

    def __copy__(self) -> _Unknown:
        return self


UNKNOWN: Any = _Unknown()


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


def contains_unknown(value: Any) -> bool:
    """True when the value or anything inside it is unknown."""
    if value is UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def _ext_hook(code: int, data: bytes) -> Any:
    if code in (_EXT_UNKNOWN, _EXT_REFINED_UNKNOWN):
        return UNKNOWN
    raise ValueError(f"unsupported msgpack extension type {code}")


def _exact(value: Any) -> Any:
    """Floats and decimal strings from the wire become Decimal; containers are walked."""
    if isinstance(value, float):
        return Decimal(value)  # float64 values cty sends are exact binary fractions
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exact(v) for v in value]
    return value


def decode_msgpack(data: bytes) -> Any:
    """Decode a msgpack DynamicValue payload (numbers as int/Decimal, unknowns as UNKNOWN)."""
    if not data:
        return None
    return _exact(msgpack.unpackb(data, ext_hook=_ext_hook, raw=False, strict_map_key=False))


def decode_json(data: bytes | str) -> Any:
    """Decode a JSON payload (raw state) with exact numbers."""
    if not data:
        return None
    return loads(data)


class _Dynamic:
    """A value of a `dynamic` attribute on its way to the wire: cty writes it as [type JSON, value]."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _default(value: Any) -> Any:
    if value is UNKNOWN:
        return msgpack.ExtType(_EXT_UNKNOWN, b"\x00")
    if isinstance(value, _Dynamic):
        return [json.dumps(infer_type(value.value), separators=(",", ":")).encode(), value.value]
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and abs(value) < 2**63:
            return int(value)
        return format_decimal(value)  # cty parses decimal strings into exact numbers
    raise TypeError(f"cannot encode {type(value).__name__} as a Terraform value")


def encode_msgpack(value: Any) -> bytes:
    """Encode a conformed Python value as a msgpack DynamicValue payload."""
    return msgpack.packb(value, default=_default, use_bin_type=True, strict_types=True)


_DYNAMIC_BLOCKS: dict[int, tuple[Block, bool]] = {}


def _has_dynamic(block: Block) -> bool:
    found = _DYNAMIC_BLOCKS.get(id(block))
    if found is None or found[0] is not block:
        found = _DYNAMIC_BLOCKS[id(block)] = (block, any(
            getattr(node, "type", None) == "dynamic" for _, node in block.walk()))
    return found[1]


def _wrap_dynamic(value: Any, block: Block) -> Any:
    if not isinstance(value, Mapping):
        return value
    wrapped = dict(value)
    for name, attribute in block.attributes.items():
        item = value.get(name)
        if attribute.type == "dynamic" and item is not None and item is not UNKNOWN:
            wrapped[name] = _Dynamic(item)
    for name, block_type in block.block_types.items():
        item = value.get(name)
        wrapped[name] = ([_wrap_dynamic(v, block_type.block) for v in item] if isinstance(item, list)
                         else _wrap_dynamic(item, block_type.block))
    return wrapped


def encode_object(value: Any, block: Block) -> bytes:
    """Encode a conformed object of a schema block (its `dynamic` attributes as cty writes them)."""
    return encode_msgpack(_wrap_dynamic(value, block) if _has_dynamic(block) else value)


# --- conforming values to schema types -------------------------------------------------------------------


def _number(value: Any) -> int | Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int):
        return value
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return int(number) if number == number.to_integral_value() and abs(number) < 2**63 else number


def _string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError(f"{value!r} is not a bool")


_PRIMITIVES = {"string": _string, "number": _number, "bool": _bool}


def conform_type(value: Any, type_: Any) -> Any:
    """Coerce `value` to Terraform type JSON `type_` (`"string"`, `["list", T]`, `["object", {...}]`...).

    Null and unknown pass through at any level. Raises ValueError when the value cannot be that type.
    """
    if value is None or value is UNKNOWN:
        return value
    if isinstance(type_, str):
        if type_ == "dynamic":  # [type JSON, value] from the wire, or a plain value
            is_wire = isinstance(value, list) and len(value) == 2 and isinstance(value[0], bytes)
            return value[1] if is_wire else value
        return _PRIMITIVES[type_](value)
    kind, inner = type_[0], type_[1]
    if kind in ("list", "set"):
        if not isinstance(value, list):
            raise ValueError(f"expected a {kind}, got {type(value).__name__}")
        items = [conform_type(v, inner) for v in value]
        return _unique(items) if kind == "set" else items
    if kind == "map":
        if not isinstance(value, Mapping):
            raise ValueError(f"expected a map, got {type(value).__name__}")
        return {str(k): conform_type(v, inner) for k, v in sorted(value.items())}
    if kind == "object":
        if not isinstance(value, Mapping):
            raise ValueError(f"expected an object, got {type(value).__name__}")
        return {name: conform_type(value.get(name), attr_type) for name, attr_type in sorted(inner.items())}
    raise ValueError(f"unsupported type {type_!r}")


def _unique(items: list[Any]) -> list[Any]:
    """Set semantics: drop duplicates, keep first-seen order (Terraform orders sets itself). Elements holding
    an unknown value are never duplicates: two unknown subnet ids may well be two subnets."""
    seen: set[str] = set()
    unique = []
    for item in items:
        if contains_unknown(item):
            unique.append(item)
            continue
        key = json.dumps(item, sort_keys=True, default=repr)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def conform_block(value: Any, block: Block) -> Any:
    """Make `value` exactly the object type a schema block implies.

    Every attribute and nested block is present (attributes null when missing; list/set blocks `[]`,
    single blocks null), keys the schema does not know are dropped, primitives are coerced.
    """
    if value is None or value is UNKNOWN:
        return value
    if not isinstance(value, Mapping):
        raise ValueError(f"expected an object, got {type(value).__name__}")
    result: dict[str, Any] = {}
    for name, attribute in block.attributes.items():
        try:
            result[name] = conform_type(value.get(name), attribute.type)
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    for name, block_type in block.block_types.items():
        raw = value.get(name)
        if block_type.nesting == "single":
            result[name] = conform_block(raw, block_type.block)
        elif raw is UNKNOWN:
            result[name] = raw
        else:
            if isinstance(raw, Mapping):  # one object where a one-element list is meant
                raw = [raw]
            items = [conform_block(item, block_type.block) for item in (raw or [])]
            result[name] = _unique(items) if block_type.nesting == "set" else items
    return result

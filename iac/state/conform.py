"""State values that the provider schema cannot hold: Terraform cannot read such a state, so neither does iac.

Terraform decodes each object's attributes with the resource type's schema (go-cty's JSON unmarshal, after
the SDKv2 provider dropped attributes its schema no longer has). What that decode accepts, this accepts:

    string    a string, a number or a bool (kept as text)
    number    a number, or a string that is one (`"2"`)
    bool      a bool, or the string `"true"` / `"false"` (or `"1"` / `"0"`, which cty converts too)
    list/set  a JSON array;  map/object: a JSON object;  nested blocks: objects (lists of them)
    null      anywhere;  unknown attribute names: ignored (the provider drops them)

Anything else (`"num_workers": "lots"`) is a problem naming the address and the attribute, never the value
(it could be a secret). Only schema-described types are checked; `terraform_data`'s values are dynamic.

What the decode converts is planned converted, as Terraform plans it (`"is_pinned": "1"` is `true`, so a
configuration saying `true` is no change): `conform` gives the state with such objects rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

import msgspec

from iac._jsonio import canonical_bytes, format_decimal
from iac._jsonread import decode_exact
from iac.schema import Block, BlockType, load_schemas
from iac.state.model import State

__all__ = ["conform"]

_DYNAMIC_ONLY = frozenset({"terraform_data"})


def conform(state: State) -> tuple[State, list[tuple[str, str, str]]]:
    """The state with every managed value converted to its schema's type as cty converts it, and (instance
    address, attribute path, problem) for every value the schema cannot hold."""
    schemas = load_schemas()
    types = {r.type for r in state.resources} - _DYNAMIC_ONLY  # one cheap pass: 2 ms at 100,000 resources
    blocks = {t: schema.block for t in types if (schema := schemas.get(t)) is not None}
    problems: list[tuple[str, str, str]] = []
    resources, rewritten = list(state.resources), False
    for index, resource in enumerate(resources if blocks else ()):
        block = blocks.get(resource.type) if resource.mode == "managed" else None
        if block is None:
            continue
        objects: Any = resource.instances  # copied on the first object rewritten
        for position, obj in enumerate(resource.instances):
            fast = resource.type in _DECODERS or _worth_a_decoder(resource.type)
            if fast and _fits_fast(resource.type, block, obj.raw_attributes):
                continue
            attributes = obj.attributes
            if not isinstance(attributes, Mapping):
                continue
            found = [(str(resource.address(obj)), path, problem) for path, problem in _block(block, attributes, "")]
            problems += found
            if not found:  # text for a number, a number for a string...: as the decode converts it
                converted = canonical_bytes(_converted_block(block, attributes))
                if not fast and converted == canonical_bytes(attributes):
                    continue  # every value already of its type: kept as the C check keeps it
                objects = list(objects) if objects is resource.instances else objects
                objects[position] = msgspec.structs.replace(obj, raw_attributes=msgspec.Raw(converted))
        if objects is not resource.instances:
            resources[index], rewritten = resource._replace(instances=tuple(objects)), True
    return (replace(state, resources=tuple(resources)) if rewritten else state), problems


_DECODER_AFTER = 8
"""Objects of one type walked in Python before its C decoder is built: building one costs about what walking
ten objects does. A small state (one fleet member: one to three of a type) is walked; a large estate, or a
fleet worker after a few members, is checked in C."""

_WALKED: dict[str, int] = {}
"""Objects of each type walked in this process (the choice changes no result: the walk is the reference)."""


def _worth_a_decoder(rtype: str) -> bool:
    """Whether to check the next object of `rtype`, which has no decoder yet, in C (else in Python, counted)."""
    count = _WALKED[rtype] = _WALKED.get(rtype, 0) + 1
    return count > _DECODER_AFTER


def _fits_fast(rtype: str, block: Block, raw: Any) -> bool:
    """Whether the raw attribute JSON decodes with the schema's msgspec type, every value already of its
    type (one C pass; the Python walk below runs only for an object that fails it: to say where and why,
    or to convert)."""
    if type(raw) is not msgspec.Raw:
        return False
    try:
        _decoder(rtype, block).decode(raw)
    except msgspec.DecodeError:  # a value off the schema, or text Go reads and msgspec refuses (invalid UTF-8):
        return False  # the walk below decides, on the attributes as Go reads them
    return True


_DECODERS: dict[str, msgspec.json.Decoder[Any]] = {}
"""Per resource type (the packaged schemas never change within a process)."""


def _decoder(rtype: str, block: Block) -> msgspec.json.Decoder[Any]:
    decoder = _DECODERS.get(rtype)
    if decoder is None:
        decoder = _DECODERS[rtype] = msgspec.json.Decoder(_struct(rtype, block))
    return decoder


_PRIMITIVES: dict[str, Any] = {"string": str, "number": int | float, "bool": bool}


def _msgspec_type(type_: Any) -> Any:
    if type_ == "dynamic":
        return Any
    if isinstance(type_, str):
        return _PRIMITIVES[type_] | None
    kind, inner = type_[0], type_[1]
    if kind in ("list", "set"):
        return list[_msgspec_type(inner)] | None  # type: ignore[misc]
    if kind == "map":
        return dict[str, _msgspec_type(inner)] | None  # type: ignore[misc]
    if kind == "object":
        return _object_struct("object", {k: _msgspec_type(t) for k, t in inner.items()}) | None
    return list[Any] | None  # tuple: checked by the Python walk


def _struct(name: str, block: Block) -> Any:
    fields = {n: _msgspec_type(a.type) for n, a in block.attributes.items()}
    for n, nested in block.block_types.items():
        child: Any = _struct(f"{name}_{n}", nested.block)
        fields[n] = (child if nested.nesting in ("single", "group") else list[child | None]) | None
    return _object_struct(name, fields)


def _object_struct(name: str, fields: dict[str, Any]) -> Any:
    """A struct of optional fields: absent keys are allowed, unknown keys ignored (the provider drops them)."""
    spec = [(f"f{i}", t, msgspec.field(default=None, name=k)) for i, (k, t) in enumerate(fields.items())]
    return msgspec.defstruct(name, spec, forbid_unknown_fields=False)  # fields renamed: JSON names need not be identifiers


_PLAIN = {"string": (str,), "number": (int, Decimal), "bool": (bool,)}
"""Python types a JSON value of each primitive type decodes to (a bool is also an int: checked apart)."""


def _block(block: Block, values: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    attributes, nested_blocks = block.attributes, block.block_types
    for name, value in values.items():
        if value is None:
            continue
        attribute = attributes.get(name)
        if attribute is not None:
            plain = _PLAIN.get(attribute.type) if type(attribute.type) is str else None
            if plain is not None and isinstance(value, plain) and (attribute.type == "bool") == isinstance(value, bool):
                continue  # the common case, decided without a call
            yield from _value(attribute.type, value, f"{prefix}.{name}" if prefix else name)
        elif name in nested_blocks:
            yield from _nested(nested_blocks[name], value, f"{prefix}.{name}" if prefix else name)


def _nested(nested: BlockType, value: Any, path: str) -> Iterator[tuple[str, str]]:
    single = nested.nesting in ("single", "group")
    items = [value] if single else value
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items if i is not None):
        yield path, f"block {nested.name!r} must be {'an object' if single else 'a list of objects'}, got {_kind(value)}"
        return
    for index, item in enumerate(items):
        if item is not None:
            yield from _block(nested.block, item, path if single else f"{path}[{index}]")


def _value(type_: Any, value: Any, path: str) -> Iterator[tuple[str, str]]:
    if value is None or type_ == "dynamic":
        return
    if isinstance(type_, str):
        if not _fits(type_, value):
            yield path, f"a {type_} is required, got {_kind(value)}"
        return
    kind, inner = type_[0], type_[1]
    if kind in ("list", "set", "tuple"):
        if not isinstance(value, list):
            yield path, f"a {kind} is required, got {_kind(value)}"
            return
        if kind == "tuple" and len(value) != len(inner):
            yield path, f"a tuple of {len(inner)} elements is required, got {len(value)}"
            return
        for index, item in enumerate(value):
            yield from _value(inner[index] if kind == "tuple" else inner, item, f"{path}[{index}]")
    elif not isinstance(value, Mapping):
        yield path, f"{'a map' if kind == 'map' else 'an object'} is required, got {_kind(value)}"
    else:
        for key, item in value.items():
            item_type = inner if kind == "map" else inner.get(key)
            if item_type is not None:
                yield from _value(item_type, item, f"{path}.{key}")


def _fits(type_: str, value: Any) -> bool:
    if type_ == "string":
        return isinstance(value, (str, bool, int, Decimal))
    if type_ == "bool":
        return isinstance(value, bool) or value in ("true", "false", "1", "0")
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, Decimal)):
        return True
    return isinstance(value, str) and _NUMBER_TEXT.match(value) is not None


_NUMBER_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\Z")
"""A number as cty parses one from text (big.Float, base 10: no spaces, underscores, Infinity or NaN)."""


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, (int, Decimal, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _converted_block(block: Block, values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` (which fit `block`: `_block` found no problem) with each primitive of its type."""
    converted = dict(values)
    for name, value in values.items():
        if value is None:
            continue
        if (attribute := block.attributes.get(name)) is not None:
            converted[name] = _converted(attribute.type, value)
        elif (nested := block.block_types.get(name)) is not None:
            if nested.nesting in ("single", "group"):
                converted[name] = _converted_block(nested.block, value)
            else:
                converted[name] = [None if item is None else _converted_block(nested.block, item) for item in value]
    return converted


def _converted(type_: Any, value: Any) -> Any:
    if value is None or type_ == "dynamic":
        return value
    if isinstance(type_, str):
        return _primitive(type_, value)
    kind, inner = type_[0], type_[1]
    if kind in ("list", "set"):
        return [_converted(inner, item) for item in value]
    if kind == "tuple":
        return [_converted(t, item) for t, item in zip(inner, value, strict=True)]
    if kind == "map":
        return {key: _converted(inner, item) for key, item in value.items()}
    return {key: _converted(inner[key], item) if key in inner else item for key, item in value.items()}


def _primitive(type_: str, value: Any) -> Any:
    """cty's conversions of a primitive (only those `_fits` allows reach here)."""
    if type_ == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        return format_decimal(Decimal(value)) if isinstance(value, (int, Decimal)) else value
    if type_ == "bool":
        return value if isinstance(value, bool) else value in ("true", "1")
    if not isinstance(value, str):
        return value
    try:
        return decode_exact(value.encode())  # "2" as the number 2 is read from JSON, "2.5" as Decimal("2.5")
    except (msgspec.DecodeError, RecursionError):
        return Decimal(value)  # "+2", ".5": numbers cty parses that JSON does not spell

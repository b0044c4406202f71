"""State values that the provider schema cannot hold: Terraform cannot read such a state, so neither does iac.

Terraform decodes each object's attributes with the resource type's schema (go-cty's JSON unmarshal, after
the SDKv2 provider dropped attributes its schema no longer has). What that decode accepts, this accepts:

    string    a string, a number or a bool (kept as text)
    number    a number, or a string that is one (`"2"`)
    bool      a bool, or the string `"true"` / `"false"`
    list/set  a JSON array;  map/object: a JSON object;  nested blocks: objects (lists of them)
    null      anywhere;  unknown attribute names: ignored (the provider drops them)

Anything else (`"num_workers": "lots"`) is a problem naming the address and the attribute, never the value
(it could be a secret). Only schema-described types are checked; `terraform_data`'s values are dynamic.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

import msgspec

from iac.schema import Block, BlockType, load_schemas
from iac.state.model import State

__all__ = ["schema_problems"]

_DYNAMIC_ONLY = frozenset({"terraform_data"})


def schema_problems(state: State) -> Iterator[tuple[str, str, str]]:
    """(instance address, attribute path, problem) for every managed value the schema cannot hold."""
    schemas = load_schemas()
    types = {r.type for r in state.resources} - _DYNAMIC_ONLY  # one cheap pass: 2 ms at 100,000 resources
    blocks = {t: schema.block for t in types if (schema := schemas.get(t)) is not None}
    if not blocks:
        return
    for resource in state.resources:
        block = blocks.get(resource.type) if resource.mode == "managed" else None
        if block is None:
            continue
        for obj in resource.instances:
            if _fits_fast(resource.type, block, obj.raw_attributes):
                continue
            attributes = obj.attributes
            if isinstance(attributes, Mapping):
                for path, problem in _block(block, attributes, ""):
                    yield str(resource.address(obj)), path, problem


def _fits_fast(rtype: str, block: Block, raw: Any) -> bool:
    """Whether the raw attribute JSON decodes with the schema's msgspec type (one C pass; the Python walk
    below runs only for an object that fails it, to say where and why)."""
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


_NUMBER_TEXT = Annotated[str, msgspec.Meta(pattern=r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")]
_PRIMITIVES: dict[str, Any] = {
    "string": str | int | float | bool,
    "number": int | float | _NUMBER_TEXT,
    "bool": bool | Literal["true", "false"],
}


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
        for index, item in enumerate(value):
            yield from _value(inner[index] if kind == "tuple" and index < len(inner) else inner, item, f"{path}[{index}]")
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
        return isinstance(value, bool) or value in ("true", "false")
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, Decimal)):
        return True
    if not isinstance(value, str):
        return False
    try:
        return Decimal(value).is_finite()
    except InvalidOperation:
        return False


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, (int, Decimal, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"

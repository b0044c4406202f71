"""A `.tf.json` file that repeats a key, read as Terraform reads it.

A JSON decoder keeps the last of two equal keys; Terraform's JSON syntax (HCL) keeps both and decides by
place. Where a key names a block type, both are blocks: two `"resource"` properties, two `"terraform_data"`
properties under one, two `"task"` blocks in a job, two providers of one name (aliases) — all kept, as if
written as an array. Where the key names a thing that must be unique it is an error: a resource, variable,
output, module or local value declared twice, an argument set twice, an object value with a key twice
("Duplicate object attribute"). Keeping the last would plan half the configuration (the other half
destroyed) or a value Terraform refuses.

`holds_duplicate_keys` tells, at C speed, whether a decoded document lost keys; only then is the text
parsed again here, pair by pair (`resolve_duplicates`). For the loader it encodes the resource bodies one by
one and tells which of them surely hold no template (`Plain`), which the loader would otherwise encode again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import msgspec

from iac.diagnostics import ConfigError, Diagnostic
from iac.schema import Block, load_schemas

__all__ = ["holds_duplicate_keys", "resolve_duplicates"]

_ENCODER = msgspec.json.Encoder(enc_hook=str)
_ENCODE, _ENCODE_INTO = _ENCODER.encode, _ENCODER.encode_into


Plain = dict[int, tuple[dict[str, Any], list[bool]]]
"""Resource (or data) blocks of one type, as a document holds them (`{NAME: BODY}`), by id (with the map
itself, so that the id stays its own): for each body in order, whether its JSON text surely holds no template
(neither `$` nor `%`); a body marked False may hold one."""


def holds_duplicate_keys(data: bytes, document: Any, plain: Plain | None = None) -> bool:
    """Did decoding `data` into `document` drop a repeated key? Compares the keys written (the text with its
    whitespace removed) with the keys kept (the document encoded again): each is the count of `":`, which
    ends every key and, in compact JSON, appears inside a string only after a backslash. A text with such
    a string (or text msgspec reads only once fixed as Go reads it) is checked the slow way.

    First, the cheap answer for the common case: a dropped key takes at least its own colon with it, and
    without `\\u` escapes (`\\u003a` is a colon the text does not show) every colon of the text is one of the
    document's, so as many colons kept as written means nothing was dropped (two byte counts, no formatting).

    With `plain` (the loader's), the colons kept are counted body by body (`_kept_colons`), and `plain` tells
    the loader which resource bodies hold no template: it would encode every body to look for templates, so
    the document is encoded once, not twice (20 ms at 100,000 resources)."""
    colons = _ENCODE(document).count(b":") if plain is None else _kept_colons(document, plain)
    if data.count(b":") == colons and b"\\u" not in data:
        return False
    lost = _lost_keys(data, _ENCODE(document))
    if lost and plain is not None:
        plain.clear()  # the text is read again, into other objects
    return lost


def _lost_keys(data: bytes, kept: bytes) -> bool:
    """The slow way: the keys written (`data` compacted) against the keys kept (`kept`), or True (maybe)."""
    try:
        written = msgspec.json.format(data, indent=-1)
    except msgspec.DecodeError:
        return True
    if b'\\":' in written or b'\\":' in kept:
        return True
    return written.count(b'":') != kept.count(b'":')


def _kept_colons(document: Any, plain: Plain) -> int:
    """`_ENCODE(document).count(b":")`, counted part by part: a key's colon, the colons inside keys (JSON
    escapes none), and each resource or data body's text on its own; whatever has another shape, whole.
    Each map of bodies goes into `plain`, with a flag per body."""
    if type(document) is not dict:
        return _ENCODE(document).count(b":")
    colons = len(document) + "".join(document).count(":")
    for kind, types in document.items():
        if kind not in ("resource", "data") or type(types) is not dict:
            colons += _ENCODE(types).count(b":")
            continue
        colons += len(types) + "".join(types).count(":")
        for named in types.values():
            if type(named) is not dict:
                colons += _ENCODE(named).count(b":")
                continue
            colons += len(named) + "".join(named).count(":")
            flags: list[bool] = []
            plain[id(named)] = (named, flags)
            add, text = flags.append, bytearray()
            for body in named.values():
                _ENCODE_INTO(body, text)  # into one buffer: 100,000 bodies in 30 ms (a bytes object each: 36 ms)
                colons += text.count(b":")
                # one byte searched for, not `${`: a search for two bytes costs ~0.1 us more per body
                add(text.find(b"$") < 0 and text.find(b"%") < 0)
    return colons


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as written: its (key, value) pairs in order, repeats included."""


def resolve_duplicates(data: bytes, file: str) -> Any:
    """The document of `data` with repeated keys resolved as Terraform does (see the module docstring)."""
    from iac._jsonread import go_json

    text = go_json(data).decode("utf-8")
    parsed = json.loads(text, object_pairs_hook=_Pairs, parse_float=Decimal, parse_int=_integer)
    return _Resolver(file).document(parsed)


def _integer(digits: str) -> int | Decimal:
    return int(digits) if len(digits) <= 4000 else Decimal(digits)


_LABELLED = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1}
_UNIQUE = {"resource": "resource", "data": "data resource", "variable": "variable", "output": "output",
           "module": "module call"}
_NESTED_BLOCKS = {"variable": {"validation"}, "output": {"precondition"}, "terraform": {"backend", "required_providers",
                                                                                       "cloud"},
                  "removed": {"lifecycle", "provisioner", "connection"}, "check": {"assert", "data"}}
_RESOURCE_BLOCKS = {"lifecycle", "provisioner", "connection", "dynamic"}


class _Resolver:
    def __init__(self, file: str) -> None:
        self.file = file

    def error(self, summary: str, address: str | None = None, attribute: str | None = None) -> ConfigError:
        return ConfigError(Diagnostic(summary, source=self.file, address=address, attribute=attribute))

    def document(self, value: Any) -> Any:
        """The top level: an object of block types, or (Terraform accepts it) an array of such objects."""
        if isinstance(value, list) and not isinstance(value, _Pairs):
            return [self.document(item) for item in value]
        if not isinstance(value, _Pairs):
            return value
        return self._grouped(value, lambda kind, values: self._top_block(kind, values))

    def _grouped(self, pairs: _Pairs, resolve: Callable[[str, list[Any]], Any]) -> dict[str, Any]:
        grouped: dict[str, list[Any]] = {}
        for key, item in pairs:
            grouped.setdefault(key, []).append(item)
        return {key: resolve(key, values) for key, values in grouped.items()}

    def _top_block(self, kind: str, values: list[Any]) -> Any:
        """Each `"resource"` (etc.) property is a block, or an array of them: all are kept."""
        labels = _LABELLED.get(kind)
        if kind == "//":
            return self.value(values[-1])
        resolved = [self._labelled(kind, item, labels) if labels else self._blocks(kind, item) for item in values]
        return resolved[0] if len(resolved) == 1 else _flatten(resolved)

    def _labelled(self, kind: str, value: Any, labels: int, outer: tuple[str, ...] = ()) -> Any:
        if isinstance(value, list) and not isinstance(value, _Pairs):
            return [self._labelled(kind, item, labels, outer) for item in value]
        if not isinstance(value, _Pairs):
            return self.value(value)
        if labels > 1:  # the type level of resource/data: a repeated type is more resources
            return self._grouped(value, lambda key, values: _one_or_many(
                [self._labelled(kind, v, labels - 1, (*outer, key)) for v in values]))
        return self._grouped(value, lambda name, values: self._named(kind, (*outer, name), values))

    def _named(self, kind: str, labels: tuple[str, ...], values: list[Any]) -> Any:
        address = ("data." if kind == "data" else "") + ".".join(labels) if kind in ("resource", "data") else \
            f"{'var' if kind == 'variable' else kind}.{labels[-1]}"
        if len(values) > 1 and kind in _UNIQUE:
            what = _UNIQUE[kind]
            article = "an" if what[0] in "aeiou" else "a"
            raise self.error(f"Duplicate {what}: {article} {what} named {labels[-1]!r} was already declared in this "
                             "file.", address=address)
        schema = load_schemas().get(labels[0]) if kind in ("resource", "data") else None
        if kind in ("resource", "data"):
            nested = _RESOURCE_BLOCKS | (set(schema.block.block_types) if schema else set())
        else:
            nested = _NESTED_BLOCKS.get(kind, set())
        bodies = [self.body(v, nested, schema.block if schema else None, address) for v in values]
        return _one_or_many(bodies)

    def _blocks(self, kind: str, value: Any) -> Any:
        """locals (attributes that must be unique), terraform, moved, import, removed, check bodies."""
        if isinstance(value, list) and not isinstance(value, _Pairs):
            return [self._blocks(kind, item) for item in value]
        if kind == "locals" and isinstance(value, _Pairs):
            seen: set[str] = set()
            for key, _ in value:
                if key in seen:
                    raise self.error(f"Duplicate local value definition: a local value named {key!r} was already "
                                     "defined.", address=f"local.{key}")
                seen.add(key)
            return {key: self.value(item, f"local.{key}") for key, item in value}
        return self.body(value, _NESTED_BLOCKS.get(kind, set()), None, kind)

    def body(self, value: Any, nested: set[str], block: Block | None, address: str, path: str = "") -> Any:
        """A block body: a repeated nested block type is more blocks, a repeated argument an error."""
        if isinstance(value, list) and not isinstance(value, _Pairs):
            return [self.body(item, nested, block, address, path) for item in value]
        if not isinstance(value, _Pairs):
            return self.value(value, address, path)

        def resolve(key: str, values: list[Any]) -> Any:
            if key in nested:
                inner = block.block_types[key].block if block is not None and key in block.block_types else None
                inner_names = set(inner.block_types) if inner is not None else set()
                resolved = [self.body(v, inner_names, inner, address, _join(path, key)) for v in values]
                return resolved[0] if len(resolved) == 1 else _flatten(resolved)
            if len(values) > 1 and key != "//":
                raise self.error(f"Duplicate argument: the argument {key!r} was already set in this block.",
                                 address=address, attribute=_join(path, key))
            return self.value(values[-1], address, _join(path, key))

        return self._grouped(value, resolve)

    def value(self, value: Any, address: str | None = None, path: str = "") -> Any:
        """An attribute's value: an object may not repeat a key."""
        if isinstance(value, _Pairs):
            result: dict[str, Any] = {}
            for key, item in value:
                if key in result:
                    raise self.error(f"Duplicate object attribute: an attribute named {key!r} was already defined.",
                                     address=address, attribute=path or None)
                result[key] = self.value(item, address, _join(path, key))
            return result
        if isinstance(value, list):
            return [self.value(item, address, f"{path}[{index}]") for index, item in enumerate(value)]
        return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _one_or_many(items: list[Any]) -> Any:
    return items[0] if len(items) == 1 else items


def _flatten(items: list[Any]) -> list[Any]:
    """Blocks given as several properties, each an object or an array of objects: one array of them."""
    out: list[Any] = []
    for item in items:
        out.extend(item if isinstance(item, list) else [item])
    return out

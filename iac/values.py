"""The value model of the whole program: plain JSON-shaped Python values plus an `Unknown` marker.

It sits at the bottom of the house, below everything that handles planned values: the configuration
reader evaluates into it (`iac.config`), the diff engine compares and plans with it (`iac.diff`), and the
plan model and its JSON carry it (`iac.plan`). It imports nothing of iac's.

A value is `None` (null), `bool`, `int` or `Decimal` (numbers, exact), `str`, `list` (list, tuple and
set values alike) or `dict` (objects and maps). Inside a dict, a key holding `None` is present-and-null
and differs from an absent key, as in Terraform (`{"a":1,"b":null}` != `{"a":1}`).

"Known after apply" is an `Unknown` instance. It remembers only the *kind* of value it stands for,
because Terraform's plan JSON shows an unknown object as `{}` in `after_sensitive` but an unknown
string as nothing. No type system beyond that: dynamic values take their type from their JSON shape,
which is what Terraform does for JSON configuration (objects -> object, arrays -> tuple).

Rejected alternative: one Python object per cty value (type + marks + value). It would be exact for
typed variables, but it costs ~10x the memory and time at 100,000 resources, and the only cases it
decides differently (the same elements as a list vs a tuple) do not arise from Terraform JSON literals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

__all__ = [
    "UNKNOWN",
    "UNKNOWN_MAP",
    "UNKNOWN_SEQ",
    "OpenObject",
    "TypedObject",
    "Path",
    "Sensitive",
    "Unknown",
    "contains_unknown",
    "strings_in",
    "format_path",
    "get_path",
    "is_unknown",
    "kind_unknown",
    "mark",
    "strict_equal",
    "unmark",
    "unknown_like",
]

Path = tuple[str | int, ...]
"""A path inside a value: attribute/map keys as str, list positions as int."""


class Unknown:
    """A value known only after apply. `kind` is "value", "map" (object or map) or "seq". `type` is the
    language's type of an unknown primitive (string, number, bool) where the expression gave one, None
    otherwise: a schema-less or dynamic attribute keeps it (Terraform's `terraform_data.input` set from a
    template is an unknown *string*), so a later reference sees the type Terraform sees. `not_null` and
    `prefix`: cty's refinements "known not to be null" (`terraform_data.id`, a template's result), which
    `x != null` reads, and a string's known beginning (`iac.lang.prefix`), which `startswith` reads."""

    __slots__ = ("kind", "type", "not_null", "prefix")

    def __init__(self, kind: str, type_: Any = None, not_null: bool = False, prefix: str = "") -> None:
        self.kind = kind
        self.type = type_
        self.not_null = not_null
        self.prefix = prefix

    def __repr__(self) -> str:
        return f"Unknown({self.kind})" if self.type is None else f"Unknown({self.type.kind})"

    def __reduce__(self) -> tuple[Any, ...]:
        # the shared one of its kind comes back (`is UNKNOWN` holds across processes); a typed one keeps its type
        if self.type is None and not self.not_null:
            return (kind_unknown, (self.kind,))
        return (Unknown, (self.kind, self.type, self.not_null, self.prefix))


UNKNOWN = Unknown("value")
UNKNOWN_MAP = Unknown("map")
UNKNOWN_SEQ = Unknown("seq")
_BY_KIND = {"value": UNKNOWN, "map": UNKNOWN_MAP, "seq": UNKNOWN_SEQ}


class OpenObject(dict):  # type: ignore[type-arg]
    """The planned object of a resource iac has no schema for, before it exists: the attributes the
    configuration sets, and every other attribute known only after apply (a reference to one evaluates
    to an unknown value; see iac.config.evaluate)."""

    __slots__ = ()


class TypedObject(dict):  # type: ignore[type-arg]
    """An object some of whose attributes have a type their JSON does not give (`types`: attribute name ->
    `iac.lang.cty.Type`): `terraform_data`'s `input`, `output` and `triggers_replace` hold any value, and
    Terraform keeps its type (a set, a map, a typed variable's list). What references see, so that
    `terraform_data.x.output` is the set it was given; the plan itself holds plain dicts. The type of a
    null inside such a value is not kept apart (a JSON null is planned as Terraform's dynamic null)."""

    __slots__ = ("types",)

    def __init__(self, value: dict[str, Any], types: dict[str, Any]) -> None:
        super().__init__(value)
        self.types = types

    def copy(self) -> TypedObject:  # type: ignore[override]
        return TypedObject(self, self.types)


def kind_unknown(kind: str) -> Unknown:
    """The shared Unknown of one kind."""
    return _BY_KIND[kind]


def unknown_like(value: Any) -> Unknown:
    """An Unknown of the same kind as `value` (what `UnknownVal(value.Type())` means in Terraform)."""
    if isinstance(value, dict):
        return UNKNOWN_MAP
    if isinstance(value, list):
        return UNKNOWN_SEQ
    if isinstance(value, Unknown):
        return value
    return UNKNOWN


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def contains_unknown(value: Any) -> bool:
    """True when `value` is or holds an Unknown anywhere."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


_NUMERIC = frozenset((int, Decimal))
_LEAF = frozenset((str, int, Decimal, bool))
_ABSENT = object()


def strict_equal(a: Any, b: Any) -> bool:
    """Terraform's `Equals` for known values: exact numbers (1 == 1.0), bool never equal to a number,
    null differs from absent. Anything unknown is *not* equal (Terraform: equality is unknown).

    Contract: at least one side is fully known (every caller compares against a prior value from
    state, which never holds unknowns), so the same object on both sides is equal.

    Fast path: Python's `==` (C) rejects differences; equal values are confirmed by their msgspec
    JSON encodings (C, keys sorted), which tell `true` from `1` and `null` from absent. Only when those
    differ although `==` holds (`1` vs `1.0`, a Decimal) or a value cannot be encoded (Unknown) does the
    exact walk run. (The stdlib encoder was 3x slower than the walk; msgspec's is faster.)"""
    if a is b:
        return not isinstance(a, Unknown)
    if a != b:
        return False
    try:
        if _encode(a) == _encode(b):
            return True
    except TypeError:
        pass
    return _equal_walk(a, b)


_encode = msgspec.json.Encoder(order="sorted").encode


def _equal_walk(a: Any, b: Any) -> bool:
    if a is b:
        return not isinstance(a, Unknown)
    ta = type(a)
    if ta is not type(b):
        return ta in _NUMERIC and type(b) in _NUMERIC and a == b
    if ta is dict:
        if len(a) != len(b):
            return False
        for key, va in a.items():
            vb = b.get(key, _ABSENT)
            if (va is vb and type(va) is not Unknown) or (type(va) in _LEAF and type(va) is type(vb) and va == vb):
                continue  # leaves inline: most nodes are leaves, a call per leaf doubles the cost
            if vb is _ABSENT or not _equal_walk(va, vb):
                return False
        return True
    if ta is list:
        if len(a) != len(b):
            return False
        for va, vb in zip(a, b, strict=True):
            if (va is vb and type(va) is not Unknown) or (type(va) in _LEAF and type(va) is type(vb) and va == vb):
                continue
            if not _equal_walk(va, vb):
                return False
        return True
    return ta in _LEAF and a == b  # same primitive type; Unknown never equals


def get_path(value: Any, path: Path, default: Any = None) -> Any:
    """The value at `path`, or `default` when a step is missing."""
    for step in path:
        if isinstance(value, dict) and isinstance(step, str):
            if step not in value:
                return default
            value = value[step]
        elif isinstance(value, list) and isinstance(step, int):
            if not 0 <= step < len(value):
                return default
            value = value[step]
        else:
            return default
    return value


def _is_identifier(text: str) -> bool:
    return bool(text) and (text[0].isalpha() or text[0] == "_") and all(c.isalnum() or c in "_-" for c in text)


def format_path(path: Path) -> str:
    """`("input", "tags", "team")` -> `input.tags.team`; list positions as `[0]`; odd keys as `["a.b"]`."""
    out: list[str] = []
    for step in path:
        if isinstance(step, int):
            out.append(f"[{step}]")
        elif _is_identifier(step):
            out.append(f".{step}" if out else step)
        else:
            escaped = step.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out)


class Sensitive:
    """A value marked sensitive while expressions are evaluated (a sensitive variable, a reference to a
    sensitive attribute). The engine strips the marks once per resource with `unmark` and keeps them as
    paths; plain values never carry wrappers."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value: Any = value.value if isinstance(value, Sensitive) else value

    def __repr__(self) -> str:
        return "Sensitive(...)"


def unmark(value: Any, path: Path = ()) -> tuple[Any, list[Path]]:
    """Split a value holding `Sensitive` wrappers into the plain value and the sensitive paths."""
    paths: list[Path] = []
    plain = _unmark(value, path, paths)
    return plain, paths


def _unmark(value: Any, path: Path, paths: list[Path]) -> Any:
    if isinstance(value, Sensitive):
        plain, inner = unmark(value.value, path)
        paths.append(path)
        paths.extend(p for p in inner if p != path)
        return plain
    if isinstance(value, dict):
        return {k: _unmark(v, (*path, k), paths) for k, v in value.items()}
    if isinstance(value, list):
        return [_unmark(v, (*path, i), paths) for i, v in enumerate(value)]
    return value


def mark(value: Any, paths: list[Path] | tuple[Path, ...]) -> Any:
    """Wrap the values at `paths` in `Sensitive` (the inverse of `unmark`), copying only what it must."""
    for path in paths:
        value = _mark_one(value, path)
    return value


def _mark_one(value: Any, path: Path) -> Any:
    if not path:
        return value if isinstance(value, Sensitive) else Sensitive(value)
    step, rest = path[0], path[1:]
    if isinstance(value, dict) and step in value:
        copy = value.copy() if type(value) is TypedObject else dict(value)
        copy[step] = _mark_one(value[step], rest)
        return copy
    if isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
        copy_list = list(value)
        copy_list[step] = _mark_one(value[step], rest)
        return copy_list
    return value


def strings_in(value: Any, found: list[str]) -> None:
    """Append every string of a plain value (its leaves, not its keys) to `found`: what a secret may be."""
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            strings_in(item, found)
    elif isinstance(value, list):
        for item in value:
            strings_in(item, found)

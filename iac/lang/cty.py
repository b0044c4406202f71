"""Terraform's typed values (go-cty), as far as the language needs them: types, values with unknowns and
marks, conversion and type unification.

Expressions and functions are evaluated on these; the planner works on plain JSON-shaped values
(`iac.values`), and `iac.lang.plain` converts at the boundary. Why a second model: Terraform's language
decides by type (a `for_each` over a tuple is an error, over a set it is not; `true ? 1 : "a"` is the
string "1"; `toset` orders and deduplicates), and a plain JSON value cannot tell a list from a tuple or a
set, nor a map from an object.

A value is `Value(type, v, marks)`:
- `v` is `None` for null, `UNKNOWN` when known only after apply, else the payload: `str`, `int`/`Decimal`
  (numbers exact, see `iac.lang.numbers`), `bool`, a tuple of Values (list, set, tuple), a dict of
  Values (map, object). Sets hold their elements deduplicated and in cty's set order.
- `marks` is a frozenset of mark names ("sensitive"); a collection can hold marked elements.
Values are immutable by convention: never mutate a payload after construction.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

__all__ = [
    "BOOL",
    "DYNAMIC",
    "EMPTY_OBJECT",
    "EMPTY_TUPLE",
    "FALSE",
    "NUMBER",
    "SENSITIVE",
    "STRING",
    "TRUE",
    "UNKNOWN",
    "ConversionError",
    "Type",
    "Value",
    "bool_value",
    "convert",
    "list_of",
    "list_value",
    "map_of",
    "map_value",
    "null",
    "number",
    "object_of",
    "object_value",
    "set_of",
    "set_value",
    "string",
    "tuple_of",
    "tuple_value",
    "unify",
    "unknown",
]


# -- types ----------------------------------------------------------------------------------------


class Type:
    """A cty type. `kind` is one of string, number, bool, dynamic, list, set, map, tuple, object.
    Compare with `==`; types are hashable and immutable."""

    __slots__ = ("kind", "elem", "elems", "attrs", "optional", "_hash")

    def __init__(self, kind: str, elem: Type | None = None, elems: tuple[Type, ...] = (),
                 attrs: Mapping[str, Type] | None = None, optional: frozenset[str] = frozenset()) -> None:
        self.kind = kind
        self.elem = elem
        self.elems = elems
        self.attrs: dict[str, Type] = dict(sorted(attrs.items())) if attrs else {}
        self.optional = optional
        self._hash = hash((kind, elem, elems, tuple(self.attrs.items()), optional))

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Type) or self._hash != other._hash:
            return False
        return (self.kind == other.kind and self.elem == other.elem and self.elems == other.elems
                and self.attrs == other.attrs and self.optional == other.optional)

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Type({self.to_json()!r})"

    @property
    def is_primitive(self) -> bool:
        return self.kind in ("string", "number", "bool")

    @property
    def is_collection(self) -> bool:
        """list, set or map: one element type."""
        return self.kind in ("list", "set", "map")

    @property
    def is_sequence(self) -> bool:
        """Values whose payload is a tuple of Values."""
        return self.kind in ("list", "set", "tuple")

    @property
    def is_mapping(self) -> bool:
        """Values whose payload is a dict of Values."""
        return self.kind in ("map", "object")

    def has_dynamic(self) -> bool:
        if self.kind == "dynamic":
            return True
        if self.elem is not None:
            return self.elem.has_dynamic()
        return any(t.has_dynamic() for t in self.elems) or any(t.has_dynamic() for t in self.attrs.values())

    def to_json(self) -> Any:
        """Terraform's type JSON: "string", ["list", "string"], ["object", {...}], "dynamic"."""
        if self.kind in ("string", "number", "bool", "dynamic"):
            return self.kind
        if self.elem is not None:
            return [self.kind, self.elem.to_json()]
        if self.kind == "tuple":
            return ["tuple", [t.to_json() for t in self.elems]]
        if self.optional:
            return ["object", {k: t.to_json() for k, t in self.attrs.items()}, sorted(self.optional)]
        return ["object", {k: t.to_json() for k, t in self.attrs.items()}]

    def friendly(self) -> str:
        """cty's FriendlyName: `string`, `list of string`, `map of number`, `object`, `tuple`."""
        if self.kind == "dynamic":
            return "dynamic"
        if self.elem is not None:
            return f"{self.kind} of {self.elem.friendly()}"
        return self.kind


STRING = Type("string")
NUMBER = Type("number")
BOOL = Type("bool")
DYNAMIC = Type("dynamic")


def list_of(elem: Type) -> Type:
    return Type("list", elem=elem)


def set_of(elem: Type) -> Type:
    return Type("set", elem=elem)


def map_of(elem: Type) -> Type:
    return Type("map", elem=elem)


def tuple_of(elems: Sequence[Type]) -> Type:
    return Type("tuple", elems=tuple(elems))


def object_of(attrs: Mapping[str, Type], optional: Iterable[str] = ()) -> Type:
    return Type("object", attrs=attrs, optional=frozenset(optional))


def type_from_json(data: Any) -> Type:
    """The inverse of `Type.to_json` (provider schema types, state `type` fields)."""
    if isinstance(data, str):
        found = {"string": STRING, "number": NUMBER, "bool": BOOL, "dynamic": DYNAMIC}.get(data)
        if found is None:
            raise ValueError(f"unknown type {data!r}")
        return found
    if isinstance(data, list) and data:
        kind = data[0]
        if kind in ("list", "set", "map") and len(data) == 2:
            return Type(kind, elem=type_from_json(data[1]))
        if kind == "tuple" and len(data) == 2:
            return tuple_of([type_from_json(t) for t in data[1]])
        if kind == "object" and len(data) in (2, 3):
            return object_of({k: type_from_json(t) for k, t in data[1].items()}, data[2] if len(data) == 3 else ())
    raise ValueError(f"not a type: {data!r}")


# -- values ---------------------------------------------------------------------------------------


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
"""The payload of a value known only after apply."""

SENSITIVE = "sensitive"
_NO_MARKS: frozenset[str] = frozenset()


class Value:
    """A typed value (see the module docstring)."""

    __slots__ = ("type", "v", "marks")

    def __init__(self, type_: Type, v: Any, marks: frozenset[str] = _NO_MARKS) -> None:
        self.type = type_
        self.v = v
        self.marks = marks

    def __repr__(self) -> str:
        marks = f", marks={sorted(self.marks)}" if self.marks else ""
        return f"Value({self.type.to_json()!r}, {self.v!r}{marks})"

    # -- state --
    @property
    def is_null(self) -> bool:
        return self.v is None

    @property
    def is_known(self) -> bool:
        return self.v is not UNKNOWN

    def is_wholly_known(self) -> bool:
        if self.v is UNKNOWN:
            return False
        if isinstance(self.v, tuple):
            return all(e.is_wholly_known() for e in self.v)
        if isinstance(self.v, dict):
            return all(e.is_wholly_known() for e in self.v.values())
        return True

    @property
    def sensitive(self) -> bool:
        return SENSITIVE in self.marks

    # -- marks --
    def mark(self, marks: Iterable[str]) -> Value:
        marks = frozenset(marks)
        if not marks or marks <= self.marks:
            return self
        return Value(self.type, self.v, self.marks | marks)

    def unmark(self) -> tuple[Value, frozenset[str]]:
        """The value without its own marks (elements keep theirs), and those marks."""
        if not self.marks:
            return self, _NO_MARKS
        return Value(self.type, self.v), self.marks

    def unmark_deep(self) -> tuple[Value, frozenset[str]]:
        """The value with no marks anywhere, and every mark found."""
        found: set[str] = set()
        plain = _unmark_deep(self, found)
        return plain, frozenset(found)

    def has_marks_deep(self) -> bool:
        if self.marks:
            return True
        if isinstance(self.v, tuple):
            return any(e.has_marks_deep() for e in self.v)
        if isinstance(self.v, dict):
            return any(e.has_marks_deep() for e in self.v.values())
        return False

    # -- payload access (known, non-null values) --
    def elements(self) -> tuple[Value, ...]:
        """Elements of a list, set or tuple; values of a map or object in key order."""
        if isinstance(self.v, tuple):
            return self.v
        if isinstance(self.v, dict):
            return tuple(self.v.values())
        raise TypeError(f"{self.type.friendly()} has no elements")

    def items(self) -> list[tuple[Value, Value]]:
        """(key, element) pairs as a `for` expression sees them: index numbers for sequences, string keys
        for maps and objects (in key order)."""
        if isinstance(self.v, dict):
            return [(string(k), e) for k, e in self.v.items()]
        if self.type.kind == "set":
            return [(e, e) for e in self.v]
        return [(number(i), e) for i, e in enumerate(self.v)]

    def length(self) -> int:
        return len(self.v)


def _unmark_deep(value: Value, found: set[str]) -> Value:
    found.update(value.marks)
    v = value.v
    if isinstance(v, tuple):
        v = tuple(_unmark_deep(e, found) for e in v)
    elif isinstance(v, dict):
        v = {k: _unmark_deep(e, found) for k, e in v.items()}
    elif not value.marks:
        return value
    return Value(value.type, v)


def string(text: str) -> Value:
    """A string value, normalised to NFC as cty.StringVal does (so `"e\u0301"` is `"\u00e9"`)."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return Value(STRING, text)


def number(n: int | Decimal) -> Value:
    if isinstance(n, Decimal) and n == n.to_integral_value() and abs(n) < 10**30:
        n = int(n)
    return Value(NUMBER, n)


def bool_value(b: bool) -> Value:
    return TRUE if b else FALSE


TRUE = Value(BOOL, True)
FALSE = Value(BOOL, False)


def null(type_: Type) -> Value:
    return Value(type_, None)


def unknown(type_: Type) -> Value:
    return Value(type_, UNKNOWN)


def tuple_value(elems: Sequence[Value]) -> Value:
    return Value(tuple_of([e.type for e in elems]), tuple(elems))


def object_value(attrs: Mapping[str, Value]) -> Value:
    ordered = dict(sorted(attrs.items()))
    return Value(object_of({k: e.type for k, e in ordered.items()}), ordered)


EMPTY_TUPLE = Value(Type("tuple"), ())
EMPTY_OBJECT = Value(Type("object"), {})


def list_value(elems: Sequence[Value], elem_type: Type | None = None) -> Value:
    """A list of `elems` (all already of one type; `elem_type` required when empty)."""
    if elem_type is None:
        if not elems:
            raise ValueError("an empty list needs an element type")
        elem_type = elems[0].type
    return Value(list_of(elem_type), tuple(elems))


def map_value(elems: Mapping[str, Value], elem_type: Type | None = None) -> Value:
    if elem_type is None:
        if not elems:
            raise ValueError("an empty map needs an element type")
        elem_type = next(iter(elems.values())).type
    return Value(map_of(elem_type), dict(sorted(elems.items())))


def set_value(elems: Sequence[Value], elem_type: Type | None = None) -> Value:
    """A set: duplicates removed, elements in cty's set order (unknown elements are never merged)."""
    if elem_type is None:
        if not elems:
            raise ValueError("an empty set needs an element type")
        elem_type = elems[0].type
    unique: list[Value] = []
    seen: dict[bytes, Value] = {}
    for elem in elems:
        if not elem.is_wholly_known():
            unique.append(elem)
            continue
        key = set_key(elem)
        if key in seen:
            merged = seen[key]
            if elem.marks - merged.marks:  # equal elements: the set keeps one, with every mark
                index = unique.index(merged)
                unique[index] = seen[key] = merged.mark(elem.marks)
            continue
        seen[key] = elem
        unique.append(elem)
    return Value(set_of(elem_type), tuple(sorted(unique, key=set_order_key)))


# -- set order (cty's setRules.Less) ----------------------------------------------------------------


def set_order_key(value: Value) -> tuple[Any, ...]:
    """Known elements first, then unknown ones, then null; strings by code point, numbers numerically,
    false before true; anything else by its set-hash bytes (cty/set_internals.go)."""
    if value.v is None:
        return (2,)
    if value.v is UNKNOWN:
        return (1,)
    kind = value.type.kind
    if kind == "string":
        return (0, value.v)
    if kind == "number":
        return (0, Decimal(value.v))
    if kind == "bool":
        return (0, value.v)
    return (0, set_key(value))


def set_key(value: Value) -> bytes:
    """cty's `makeSetHashBytes`: the bytes two set elements are compared and deduplicated by."""
    out: list[str] = []
    _hash_into(value, out)
    return "".join(out).encode("utf-8")


def _hash_into(value: Value, out: list[str]) -> None:
    from iac._go import go_quote
    from iac.lang.numbers import go_float_string

    v = value.v
    if v is UNKNOWN:
        out.append("?")
    elif v is None:
        out.append("~")
    elif value.type.kind == "number":
        out.append(go_float_string(v))
    elif value.type.kind == "bool":
        out.append("T" if v else "F")
    elif value.type.kind == "string":
        out.append(go_quote(v))
    elif value.type.kind == "map":
        out.append("{")
        for key, elem in v.items():
            out.append(go_quote(key))
            out.append(":")
            _hash_into(elem, out)
            out.append(";")
        out.append("}")
    elif value.type.kind in ("list", "set"):
        out.append("[")
        for elem in v:
            _hash_into(elem, out)
            out.append(";")
        out.append("]")
    else:  # object, tuple
        out.append("<")
        for elem in v.values() if isinstance(v, dict) else v:
            _hash_into(elem, out)
            out.append(";")
        out.append(">")


# -- conversion -----------------------------------------------------------------------------------


class ConversionError(ValueError):
    """A value that cannot be converted; `path` names where inside it (attribute names and indexes)."""

    def __init__(self, message: str, path: Sequence[str | int] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = list(path)

    def __str__(self) -> str:
        if not self.path:
            return self.message
        where = "".join(f"[{step}]" if isinstance(step, int) else f'["{step}"]' for step in self.path)
        return f"{where}: {self.message}"


def convert(value: Value, want: Type) -> Value:
    """cty's `convert.Convert`: `value` as type `want`, or ConversionError in cty's words. Marks are kept
    (on the value and inside it)."""
    if value.marks:
        inner, marks = value.unmark()
        return convert(inner, want).mark(marks)
    have = value.type
    if have == want or want.kind == "dynamic":
        return value
    if value.v is None:
        if have.kind != "dynamic" and not _convertible(have, want):
            raise ConversionError(_mismatch(want, have))
        return null(want)
    if value.v is UNKNOWN:
        if have.kind != "dynamic" and not _convertible(have, want):
            raise ConversionError(_mismatch(want, have))
        return unknown(want)
    if want.is_primitive:
        return _to_primitive(value, want)
    if want.kind in ("list", "set"):
        return _to_list_or_set(value, want)
    if want.kind == "map":
        return _to_map(value, want)
    if want.kind == "tuple":
        return _to_tuple(value, want)
    if want.kind == "object":
        return _to_object(value, want)
    raise ConversionError(_mismatch(want, have))


def _mismatch(want: Type, have: Type) -> str:
    if want.is_primitive:
        return f"{want.kind} required, but have {have.friendly()}"
    if want.kind == "object" and have.kind in ("object", "map"):
        return "object required"
    return f"{_article(want)} required" if not want.is_collection else f"{want.friendly()} required"


def _article(type_: Type) -> str:
    name = type_.friendly()
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def _convertible(have: Type, want: Type) -> bool:
    """Whether a conversion from `have` to `want` exists at all (for null and unknown values)."""
    if have == want or want.kind == "dynamic" or have.kind == "dynamic":
        return True
    if want.is_primitive:
        return have.is_primitive and not (have.kind == "number" and want.kind == "bool") and not (
            have.kind == "bool" and want.kind == "number")
    if want.kind in ("list", "set"):
        if have.kind in ("list", "set"):
            return _convertible(have.elem or DYNAMIC, want.elem or DYNAMIC)
        if have.kind == "tuple":
            return all(_convertible(t, want.elem or DYNAMIC) for t in have.elems)
        return False
    if want.kind == "map":
        if have.kind == "map":
            return _convertible(have.elem or DYNAMIC, want.elem or DYNAMIC)
        if have.kind == "object":
            return all(_convertible(t, want.elem or DYNAMIC) for t in have.attrs.values())
        return False
    if want.kind == "tuple":
        if have.kind == "tuple":
            return len(have.elems) == len(want.elems) and all(map(_convertible, have.elems, want.elems))
        return have.kind in ("list", "set")
    if want.kind == "object":
        if have.kind == "object":
            return all((name in have.attrs and _convertible(have.attrs[name], t)) or name in want.optional
                       for name, t in want.attrs.items())
        return have.kind == "map"
    return False


def _to_primitive(value: Value, want: Type) -> Value:
    from iac.lang.numbers import format_number, parse_number

    have = value.type.kind
    if not value.type.is_primitive:
        raise ConversionError(_mismatch(want, value.type))
    if want.kind == "string":
        if have == "number":
            return string(format_number(value.v))
        return string("true" if value.v else "false")
    if want.kind == "number":
        if have == "string":
            parsed = parse_number(value.v)
            if parsed is None:
                raise ConversionError("a number is required")
            return number(parsed)
        raise ConversionError("number required, but have bool")
    if have == "string":
        if value.v == "true":
            return TRUE
        if value.v == "false":
            return FALSE
        if value.v in ("1", "0"):
            raise ConversionError('a bool is required; to convert from string, use lowercase "true" or "false"')
        raise ConversionError("a bool is required")
    raise ConversionError("bool required, but have number")


def _elements_for_collection(value: Value, want: Type) -> list[Value]:
    kind = value.type.kind
    if kind in ("list", "set", "tuple"):
        return list(value.v)
    raise ConversionError(_mismatch(want, value.type))


def _convert_elements(elems: Sequence[Value], elem_type: Type) -> list[Value]:
    out: list[Value] = []
    for index, elem in enumerate(elems):
        try:
            out.append(convert(elem, elem_type))
        except ConversionError as error:
            error.path.insert(0, index)
            raise
    return out


def _to_list_or_set(value: Value, want: Type) -> Value:
    assert want.elem is not None
    elems = _elements_for_collection(value, want)
    elem_type = want.elem
    if elem_type.kind == "dynamic" or elem_type.has_dynamic():
        if value.type.kind in ("list", "set") and value.type.elem is not None and not elems:
            elem_type = value.type.elem if elem_type.kind == "dynamic" else elem_type
        unified = unify([e.type for e in elems]) if elems else (elem_type if elem_type.kind != "dynamic" else DYNAMIC)
        if unified is None:
            raise ConversionError(f"all {want.kind} elements must have the same type")
        elem_type = unified if elem_type.kind == "dynamic" else elem_type
    converted = _convert_elements(elems, elem_type)
    if want.kind == "set":
        return set_value(converted, elem_type)
    return Value(list_of(elem_type), tuple(converted))


def _to_map(value: Value, want: Type) -> Value:
    assert want.elem is not None
    if value.type.kind not in ("map", "object"):
        raise ConversionError(_mismatch(want, value.type))
    elem_type = want.elem
    if elem_type.kind == "dynamic":
        unified = unify([e.type for e in value.v.values()]) if value.v else (
            value.type.elem if value.type.kind == "map" and value.type.elem else DYNAMIC)
        if unified is None:
            raise ConversionError("all map elements must have the same type")
        elem_type = unified
    out: dict[str, Value] = {}
    for key, elem in value.v.items():
        try:
            out[key] = convert(elem, elem_type)
        except ConversionError as error:
            error.path.insert(0, key)
            raise
    return Value(map_of(elem_type), out)


def _to_tuple(value: Value, want: Type) -> Value:
    if value.type.kind not in ("list", "set", "tuple"):
        raise ConversionError("tuple required")
    if len(value.v) != len(want.elems):
        raise ConversionError(f"tuple required with {len(want.elems)} elements" if value.type.kind == "tuple" else
                              f"incorrect list length: tuple required with {len(want.elems)} elements")
    converted = []
    for index, (elem, elem_type) in enumerate(zip(value.v, want.elems, strict=True)):
        try:
            converted.append(convert(elem, elem_type))
        except ConversionError as error:
            error.path.insert(0, index)
            raise
    return Value(want, tuple(converted))


def _to_object(value: Value, want: Type) -> Value:
    if value.type.kind not in ("object", "map"):
        raise ConversionError("object required")
    have = value.v
    out: dict[str, Value] = {}
    for name, attr_type in want.attrs.items():
        if name in have:
            try:
                out[name] = convert(have[name], attr_type)
            except ConversionError as error:
                error.path.insert(0, name)
                raise
        elif name in want.optional:
            out[name] = null(attr_type)
        else:
            raise ConversionError(f'attribute "{name}" is required')
    if value.type.kind == "map":
        extra = sorted(set(have) - set(want.attrs))
        if extra:
            raise ConversionError(f'unsupported attribute "{extra[0]}"')
    result_type = want if not want.optional else object_of(want.attrs)
    return Value(result_type, out)


# -- unification ----------------------------------------------------------------------------------


def unify(types: Sequence[Type]) -> Type | None:
    """cty's `convert.UnifyUnsafe`: one type every given type converts to, or None. Used by conditionals,
    collection constructors from tuples and functions that take "any of one type"."""
    if not types:
        return DYNAMIC
    first = types[0]
    if all(t == first for t in types):
        return first
    if any(t.kind == "dynamic" for t in types):
        return DYNAMIC
    kinds = {t.kind for t in types}
    if kinds <= {"string", "number", "bool"}:
        return STRING
    if kinds <= {"object", "map"}:
        return _unify_objects(types)
    if kinds <= {"tuple", "list", "set"}:
        return _unify_sequences(types, kinds)
    return None


def _unify_objects(types: Sequence[Type]) -> Type | None:
    if all(t.kind == "object" for t in types):
        names = set(types[0].attrs)
        if all(set(t.attrs) == names for t in types):
            attrs: dict[str, Type] = {}
            for name in names:
                unified = unify([t.attrs[name] for t in types])
                if unified is None:
                    return None
                attrs[name] = unified
            return object_of(attrs)
    elems: list[Type] = []
    for t in types:
        elems.extend(t.attrs.values() if t.kind == "object" else [t.elem or DYNAMIC])
    elem = unify(elems) if elems else DYNAMIC
    return map_of(elem) if elem is not None else None


def _unify_sequences(types: Sequence[Type], kinds: set[str]) -> Type | None:
    if kinds == {"tuple"}:
        length = len(types[0].elems)
        if all(len(t.elems) == length for t in types):
            elems = []
            for i in range(length):
                unified = unify([t.elems[i] for t in types])
                if unified is None:
                    return None
                elems.append(unified)
            return tuple_of(elems)
    if "set" in kinds and "list" not in kinds and "tuple" not in kinds:
        inner = unify([t.elem or DYNAMIC for t in types])
        return set_of(inner) if inner is not None else None
    elems = []
    for t in types:
        elems.extend(t.elems if t.kind == "tuple" else [t.elem or DYNAMIC])
    elem = unify(elems) if elems else DYNAMIC
    if elem is None:
        return None
    return list_of(elem)

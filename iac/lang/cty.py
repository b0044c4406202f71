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

import functools
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
    "conforms",
    "convert",
    "equals",
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
    "type_from_json",
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


@functools.cache
def beyond_json(t: Type) -> bool:
    """Whether a value of type `t` has a type its JSON does not give: a list, set or map anywhere (JSON gives
    tuples and objects). Where it does not, two values with the same JSON have the same type (but for the
    type of a null, which iac does not keep apart: see `iac.values.TypedObject`)."""
    if t.kind in ("list", "set", "map"):
        return True
    return any(beyond_json(e) for e in t.elems) or any(beyond_json(a) for a in t.attrs.values())


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
EPHEMERAL = "ephemeral"
"""The mark of a value derived from an ephemeral variable or output: never stored in a plan or state."""
_NO_MARKS: frozenset[str] = frozenset()


class Value:
    """A typed value (see the module docstring)."""

    __slots__ = ("type", "v", "marks", "not_null", "prefix")

    def __init__(self, type_: Type, v: Any, marks: frozenset[str] = _NO_MARKS, not_null: bool = False,
                 prefix: str = "") -> None:
        self.type = type_
        self.v = v
        self.marks = marks
        self.not_null = not_null
        """For an unknown value: Terraform's refinement "known not to be null" (functions and operators refine
        their unknown results so; `uuid() == null` is a known false)."""
        self.prefix = prefix
        """For an unknown string: its refined known beginning (a template's, `iac.lang.prefix`)."""

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
        return Value(self.type, self.v, self.marks | marks, self.not_null, self.prefix)

    def unmark(self) -> tuple[Value, frozenset[str]]:
        """The value without its own marks (elements keep theirs), and those marks."""
        if not self.marks:
            return self, _NO_MARKS
        return Value(self.type, self.v, not_null=self.not_null, prefix=self.prefix), self.marks

    def unmark_deep(self) -> tuple[Value, frozenset[str]]:
        """The value with no marks anywhere, and every mark found."""
        found: set[str] = set()
        plain = _unmark_deep(self, found)
        return plain, frozenset(found)

    def has_mark_deep(self, mark: str) -> bool:
        """Does `mark` stand on this value or anywhere inside it? (No unmarked copy is built.)"""
        if mark in self.marks:
            return True
        if isinstance(self.v, tuple):
            return any(e.has_mark_deep(mark) for e in self.v)
        if isinstance(self.v, dict):
            return any(e.has_mark_deep(mark) for e in self.v.values())
        return False

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
    return Value(value.type, v, not_null=value.not_null, prefix=value.prefix)


def string(text: str) -> Value:
    """A string value, in Unicode normal form C as cty's StringVal makes every string ("e\u0301" is "é")."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return Value(STRING, text)


def number(n: int | Decimal) -> Value:
    from iac.lang.numbers import Float64

    if isinstance(n, Decimal) and not isinstance(n, Float64) and n.is_finite() and n.adjusted() < 30 \
            and n == n.to_integral_value():  # adjusted(), not abs(n) < 10**30: abs() overflows past 1e999999
        n = int(n)
    return Value(NUMBER, n)


def bool_value(b: bool) -> Value:
    return TRUE if b else FALSE


TRUE = Value(BOOL, True)
FALSE = Value(BOOL, False)


def null(type_: Type) -> Value:
    return Value(type_, None)


def unknown(type_: Type, not_null: bool = False, prefix: str = "") -> Value:
    """An unknown of `type_`; `not_null` refines it as never null (not for the dynamic pseudo-type, which
    cty does not refine), `prefix` (a string's) as beginning so."""
    return Value(type_, UNKNOWN, not_null=not_null and type_.kind != "dynamic",
                 prefix=prefix if type_.kind == "string" else "")


def refine_not_null(value: Value) -> Value:
    """`value` refined as not null when it is unknown (cty's RefineNotNull)."""
    if value.v is not UNKNOWN or value.not_null or value.type.kind == "dynamic":
        return value
    return Value(value.type, UNKNOWN, value.marks, True, value.prefix)


def is_not_null(value: Value) -> bool:
    """Known not to be null: a known non-null value, or an unknown refined so."""
    return value.v is not None and (value.v is not UNKNOWN or value.not_null)


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
    """A set: duplicates removed, elements in cty's set order (unknown elements are never merged). A set
    holds no marks inside: cty's SetVal moves every mark of its elements (deeply) onto the set itself."""
    if elem_type is None:
        if not elems:
            raise ValueError("an empty set needs an element type")
        elem_type = elems[0].type
    unique: list[Value] = []
    seen: set[bytes] = set()
    marks: set[str] = set()
    for elem in elems:
        if elem.has_marks_deep():
            elem, found = elem.unmark_deep()
            marks.update(found)
        if not elem.is_wholly_known():
            unique.append(elem)
            continue
        key = set_key(elem, exact=True)
        if key not in seen:
            seen.add(key)
            unique.append(elem)
    return Value(set_of(elem_type), tuple(sorted(unique, key=set_order_key))).mark(marks)


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


def set_key(value: Value, exact: bool = False) -> bytes:
    """cty's `makeSetHashBytes`: the bytes set elements are ordered by. Numbers are written with 10
    significant digits there, so 1.00000000001 and 1.00000000002 hash alike, yet cty keeps both in a set
    (its Equivalent compares exactly): `exact=True` gives the key elements are deduplicated by."""
    out: list[str] = []
    _hash_into(value, out, exact)
    return "".join(out).encode("utf-8")


def _hash_into(value: Value, out: list[str], exact: bool = False) -> None:
    from iac._go import go_quote
    from iac.lang.numbers import format_number, go_float_string

    v = value.v
    if v is UNKNOWN:
        out.append("?")
    elif v is None:
        out.append("~")
    elif value.type.kind == "number":
        out.append(format_number(v) if exact else go_float_string(v))
    elif value.type.kind == "bool":
        out.append("T" if v else "F")
    elif value.type.kind == "string":
        out.append(go_quote(v))
    elif value.type.kind == "map":
        out.append("{")
        for key, elem in v.items():
            out.append(go_quote(key))
            out.append(":")
            _hash_into(elem, out, exact)
            out.append(";")
        out.append("}")
    elif value.type.kind in ("list", "set"):
        out.append("[")
        for elem in v:
            _hash_into(elem, out, exact)
            out.append(";")
        out.append("]")
    else:  # object, tuple
        out.append("<")
        for elem in v.values() if isinstance(v, dict) else v:
            _hash_into(elem, out, exact)
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
    if have.kind != "dynamic" and not _convertible(have, want):
        raise ConversionError(mismatch_message(have, want))
    if value.v is None:
        return null(_dynamic_replace(have, without_optional(want)))
    if value.v is UNKNOWN:
        return unknown(_dynamic_replace(have, without_optional(want)), value.not_null)  # a string's prefix: not kept
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


def _dynamic_replace(have: Type, want: Type) -> Type:
    """cty's dynamicReplace: the type a null or unknown gets when converted: `want` with its dynamic parts
    taken from `have` (a null list of string converted to list(dynamic) stays a list of string)."""
    if have.kind == "dynamic":
        return want
    if want.kind == "dynamic":
        return have
    if want.kind in ("list", "set", "map"):
        assert want.elem is not None
        if want.kind == "map" and have.kind == "map" or want.kind != "map" and have.kind in ("list", "set"):
            return Type(want.kind, elem=_dynamic_replace(have.elem or DYNAMIC, want.elem))
        structural = have.elems if want.kind != "map" and have.kind == "tuple" else (
            list(have.attrs.values()) if want.kind == "map" and have.kind == "object" else None)
        if structural is not None:
            unified = _unify(list(structural))
            return Type(want.kind, elem=want.elem if unified is None else _dynamic_replace(unified, want.elem))
        return want
    if want.kind == "tuple" and have.kind == "tuple" and len(have.elems) == len(want.elems):
        return tuple_of([_dynamic_replace(h, w) for h, w in zip(have.elems, want.elems, strict=True)])
    if want.kind == "object" and have.kind == "object":
        return object_of({k: _dynamic_replace(have.attrs[k], t) if k in have.attrs else t
                          for k, t in want.attrs.items()})
    return want


def constraint_name(t: Type) -> str:
    """cty's FriendlyNameForConstraint: dynamic is "any type", list(dynamic) "list of any single type"."""
    if t.kind == "dynamic":
        return "any type"
    if t.elem is not None:
        inner = "any single type" if t.elem.kind == "dynamic" else constraint_name(t.elem)
        return f"{t.kind} of {inner}"
    return t.kind


def mismatch_message(got: Type, want: Type) -> str:
    """cty's MismatchMessage: why a value of type `got` cannot be converted to `want` at all."""
    if got.kind == "object" and want.kind == "object":
        missing = sorted(k for k in want.attrs if k not in got.attrs and k not in want.optional)
        if len(missing) == 1:
            return f'attribute "{missing[0]}" is required'
        if len(missing) == 2:
            return f'attributes "{missing[0]}" and "{missing[1]}" are required'
        if missing:
            return "attributes " + ", ".join(f'"{k}"' for k in missing[:-1]) + f', and "{missing[-1]}" are required'
        for name in sorted(want.attrs):
            if name in got.attrs and not _convertible(got.attrs[name], want.attrs[name]):
                return f'attribute "{name}": {mismatch_message(got.attrs[name], want.attrs[name])}'
        return "incorrect object attributes"
    if want.elem is not None and want.elem.kind == "dynamic" and (
            (got.kind == "tuple" and want.kind in ("list", "set")) or (got.kind == "object" and want.kind == "map")):
        return f"all {want.kind} elements must have the same type"
    required = f"{constraint_name(want)} required"
    if got.kind in ("tuple", "object") and want.is_collection:
        assert want.elem is not None
        if (want.kind == "map") != (got.kind == "object"):
            return required
        named = enumerate(got.elems) if got.kind == "tuple" else sorted(got.attrs.items())
        for key, elem in named:
            if elem != want.elem and not _convertible(elem, want.elem):
                shown = key if isinstance(key, int) else f'"{key}"'
                return f"element {shown}: {mismatch_message(elem, want.elem)}"
        return f"all elements must be {constraint_name(want.elem)}"
    if got.is_collection and want.is_collection:
        assert got.elem is not None and want.elem is not None
        if (want.kind == "map") != (got.kind == "map"):
            return required
        return f"incorrect {want.kind} element type: {mismatch_message(got.elem, want.elem)}"
    return f"{want.friendly()} required, but have {got.friendly()}"


def _mismatch(want: Type, have: Type) -> str:
    if want.is_primitive:
        # cty's MismatchMessage names the type it has where that cannot confuse: a structural or
        # collection value for a primitive, anything for a string, a bool for a number and back
        if not have.is_primitive or want.kind == "string" or {want.kind, have.kind} == {"number", "bool"}:
            return f"{want.kind} required, but have {have.friendly()}"
        return f"{want.kind} required"
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
            return _structural_to_collection(list(have.elems), want.elem or DYNAMIC)
        return False
    if want.kind == "map":
        if have.kind == "map":
            return _convertible(have.elem or DYNAMIC, want.elem or DYNAMIC)
        if have.kind == "object":  # (to map(dynamic): attributes that unify only to dynamic fail later)
            if (want.elem or DYNAMIC).kind == "dynamic":
                return not have.attrs or unify(list(have.attrs.values())) is not None
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


def _structural_to_collection(types: list[Type], elem: Type) -> bool:
    """Whether a tuple (object) with these element (attribute) types converts to a collection of `elem`;
    for `elem` dynamic they must unify (see `_dynamic_only_if_all`)."""
    if elem.kind == "dynamic" and types:
        unified = unify(types)
        return unified is not None and _dynamic_only_if_all(types, unified)
    return all(_convertible(t, elem) for t in types)


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
        raise ConversionError(_mismatch(want, value.type))
    if have == "string":
        if value.v in ("true", "1"):  # cty also takes "1" and "0"
            return TRUE
        if value.v in ("false", "0"):
            return FALSE
        if value.v.lower() in ("true", "false"):
            raise ConversionError(f'a bool is required; to convert from string, use lowercase "{value.v.lower()}"')
        raise ConversionError("a bool is required")
    raise ConversionError(_mismatch(want, value.type))


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
        if unified is None or not _dynamic_only_if_all([e.type for e in elems], unified):
            raise ConversionError(f"all {want.kind} elements must have the same type")
        elem_type = unified if elem_type.kind == "dynamic" else elem_type
    converted = _convert_elements(elems, elem_type)
    elem_type = without_optional(elem_type)  # the elements' type, not the constraint's (see _to_object)
    if want.kind == "set":
        return set_value(converted, elem_type)
    return Value(list_of(elem_type), tuple(converted))


def _dynamic_only_if_all(types: Sequence[Type], unified: Type) -> bool:
    """cty converts a tuple (object) to a list or set (map) of any single type only if the types unify to
    a known type, or are all dynamic (a tuple of untyped nulls)."""
    return unified.kind != "dynamic" or all(t.kind == "dynamic" for t in types)


def _to_map(value: Value, want: Type) -> Value:
    assert want.elem is not None
    if value.type.kind not in ("map", "object"):
        raise ConversionError(_mismatch(want, value.type))
    elem_type = want.elem
    if elem_type.kind == "dynamic":
        unified = unify([e.type for e in value.v.values()]) if value.v else (
            value.type.elem if value.type.kind == "map" and value.type.elem else DYNAMIC)
        if unified is None or not _dynamic_only_if_all([e.type for e in value.v.values()], unified):
            raise ConversionError("all map elements must have the same type")
        elem_type = unified
    out: dict[str, Value] = {}
    for key, elem in value.v.items():
        try:
            out[key] = convert(elem, elem_type)
        except ConversionError as error:
            error.path.insert(0, key)
            raise
    return Value(map_of(without_optional(elem_type)), out)


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
    return Value(without_optional(want), tuple(converted))


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
            out[name] = null(without_optional(attr_type))
        else:
            raise ConversionError(f'attribute "{name}" is required')
    if value.type.kind == "map":
        extra = sorted(set(have) - set(want.attrs))
        if extra:
            raise ConversionError(f'unsupported attribute "{extra[0]}"')
    # cty.ObjectVal: the type is the converted attributes' own (a constraint's optional markers, at any
    # depth, are gone: Terraform's plan shows object({a = bool}) for optional(object({a = optional(bool)})))
    result_type = want if not _has_optional(want) else object_of({name: out[name].type for name in want.attrs})
    return Value(result_type, out)


_WITHOUT_OPTIONAL: dict[Type, Type] = {}


def _has_optional(t: Type) -> bool:
    return without_optional(t) is not t


def without_optional(t: Type) -> Type:
    """cty's WithoutOptionalAttributesDeep: the type a value converted to the constraint `t` has (the
    same object when `t` has no optional attribute anywhere)."""
    found = _WITHOUT_OPTIONAL.get(t)
    if found is None:
        if t.kind == "object":
            attrs = {name: without_optional(a) for name, a in t.attrs.items()}
            changed = t.optional or any(attrs[name] is not a for name, a in t.attrs.items())
            found = object_of(attrs) if changed else t
        elif t.kind == "tuple":
            elems = [without_optional(e) for e in t.elems]
            found = tuple_of(elems) if any(e is not o for e, o in zip(elems, t.elems, strict=True)) else t
        elif t.elem is not None:
            elem = without_optional(t.elem)
            found = Type(t.kind, elem=elem) if elem is not t.elem else t
        else:
            found = t
        _WITHOUT_OPTIONAL[t] = found
    return found


# -- unification ----------------------------------------------------------------------------------


def unify(types: Sequence[Type]) -> Type | None:
    """cty's `convert.UnifyUnsafe`: one type every given type converts to, or None. Used by conditionals,
    collection constructors from tuples and functions that take "any of one type". (No types: dynamic.)"""
    if not types:
        return DYNAMIC
    return _unify(types)


def _unify(types: Sequence[Type]) -> Type | None:
    """cty's `unify` (convert/unify.go): first the structural cases (all maps, all lists, objects as maps,
    tuples as lists, ...), then the first type in preference order that every type converts to."""
    if not types:
        return None
    first = types[0]
    if all(t == first for t in types):
        return first
    count = {kind: 0 for kind in ("map", "list", "set", "object", "tuple", "dynamic")}
    for t in types:
        if t.kind in count:
            count[t.kind] += 1
    n, dynamic = len(types), count["dynamic"]
    if count["map"] and count["map"] + dynamic == n:
        return _unify_collections("map", types, dynamic > 0)
    if count["map"] and count["map"] + count["object"] + dynamic == n:
        found = _unify_as_collection(types, "object", "map")
        if found is not None:
            return found
    elif count["list"] and count["list"] + dynamic == n:
        return _unify_collections("list", types, dynamic > 0)
    elif count["list"] and count["list"] + count["tuple"] + dynamic == n:
        found = _unify_as_collection(types, "tuple", "list")
        if found is not None:
            return found
    elif count["set"] and count["set"] + dynamic == n:
        return _unify_collections("set", types, dynamic > 0)
    elif count["object"] and count["object"] + dynamic == n:
        return DYNAMIC if dynamic else _unify_objects(types)
    elif count["tuple"] and count["tuple"] + dynamic == n:
        return DYNAMIC if dynamic else _unify_tuples(types)
    elif count["object"] and count["tuple"]:
        return None
    return _unify_by_preference(types)


def _unify_collections(kind: str, types: Sequence[Type], has_dynamic: bool) -> Type | None:
    if has_dynamic:  # cty cannot tell which way those will go once known
        return DYNAMIC
    elem = _unify([t.elem or DYNAMIC for t in types])
    return None if elem is None else Type(kind, elem=elem)


def _unify_as_collection(types: Sequence[Type], structural: str, kind: str) -> Type | None:
    """cty's unifyObjectsAsMaps / unifyTuplesAsList: the objects (tuples) unified to one map (list) type,
    then everything unified with that in their place; None unless the result is a map (list)."""
    structs = [t for t in types if t.kind == structural]
    as_collection = _to_map_type(structs) if kind == "map" else _to_list_type(structs)
    if as_collection is None:
        return None
    found = _unify([as_collection if t.kind == structural else t for t in types])
    return found if found is not None and found.kind == kind else None


def _unify_objects(types: Sequence[Type]) -> Type | None:
    names = set(types[0].attrs)
    if any(set(t.attrs) != names for t in types[1:]):
        return _to_map_type(types)
    attrs: dict[str, Type] = {}
    for name in names:
        unified = _unify([t.attrs[name] for t in types])
        if unified is None:
            return None
        attrs[name] = unified
    return object_of(attrs)


def _to_map_type(types: Sequence[Type]) -> Type | None:
    elem = _unify([a for t in types for a in t.attrs.values()])
    return None if elem is None else map_of(elem)


def _unify_tuples(types: Sequence[Type]) -> Type | None:
    length = len(types[0].elems)
    if any(len(t.elems) != length for t in types[1:]):
        return _to_list_type(types)
    elems = []
    for i in range(length):
        unified = _unify([t.elems[i] for t in types])
        if unified is None:
            return None
        elems.append(unified)
    return tuple_of(elems)


def _to_list_type(types: Sequence[Type]) -> Type | None:
    elem = _unify([e for t in types for e in t.elems])
    return None if elem is None else list_of(elem)


def _unify_by_preference(types: Sequence[Type]) -> Type | None:
    """The first type, in cty's preference order (sortTypes: a topological sort by compareTypes), that
    every given type converts to."""
    count = len(types)
    edges: list[list[int]] = [[] for _ in types]
    for i in range(count - 1):
        for j in range(i + 1, count):
            cmp = _compare_types(types[i], types[j])
            if cmp < 0:
                edges[i].append(j)
            elif cmp > 0:
                edges[j].append(i)
    in_degree = [0] * count
    for outs in edges:
        for j in outs:
            in_degree[j] += 1
    order = [i for i in range(count) if in_degree[i] == 0]
    position = 0
    while position < len(order):
        for j in edges[order[position]]:
            in_degree[j] -= 1
            if in_degree[j] == 0:
                order.append(j)
        position += 1
    for want in order:
        if all(t == types[want] or _convertible(t, types[want]) for t in types):
            return types[want]
    return None


def _compare_types(a: Type, b: Type) -> int:
    """cty's compareTypes: < 0 when `a` is the more general (preferred) type, > 0 when `b` is."""
    if a.kind == "dynamic" or b.kind == "dynamic":  # dynamic last: tolist([null, 1]) is a list of number
        return (a.kind == "dynamic") - (b.kind == "dynamic")
    if a.is_primitive and b.is_primitive and STRING in (a, b):
        return (a != STRING) - (b != STRING)
    if a.kind == b.kind and a.kind in ("list", "set", "map"):
        return _compare_types(a.elem or DYNAMIC, b.elem or DYNAMIC)
    swap = 1
    if (a.kind, b.kind) in (("tuple", "list"), ("object", "map"), ("set", "tuple"), ("set", "list")):
        a, b, swap = b, a, -1
    if b.kind == "set" and a.kind in ("tuple", "list"):
        return -swap
    if (a.kind, b.kind) in (("list", "tuple"), ("map", "object")):
        return -swap
    if a.kind == b.kind == "object":
        if set(a.attrs) != set(b.attrs):
            return 0
        results = {_compare_types(a.attrs[k], b.attrs[k]) for k in a.attrs}
    elif a.kind == b.kind == "tuple":
        if len(a.elems) != len(b.elems):
            return 0
        results = {_compare_types(x, y) for x, y in zip(a.elems, b.elems, strict=True)}
    else:
        return 0
    a_super, b_super = any(r < 0 for r in results), any(r > 0 for r in results)
    if a_super == b_super:
        return 0
    return -swap if a_super else swap


# -- equality -------------------------------------------------------------------------------------


def equals(a: Value, b: Value) -> Value:
    """cty's `Value.Equals`: a bool, unknown when unknowns could decide it. Nulls equal each other whatever
    their types; values of different types are unequal; marks of both go on the result."""
    marks = a.marks | b.marks
    if marks:
        return equals(a.unmark()[0], b.unmark()[0]).mark(marks)
    if not a.is_known or not b.is_known:
        if not a.is_known and not b.is_known:
            return unknown(BOOL)
        known, other = (a, b) if a.is_known else (b, a)
        if known.v is None or other.type.has_dynamic() or known.type == other.type:
            return unknown(BOOL)
        return FALSE
    if a.v is None or b.v is None:
        return bool_value(a.v is None and b.v is None)
    if not _has_wholly_known_type(a) or not _has_wholly_known_type(b):
        if not conforms(a.type, b.type) and not conforms(b.type, a.type):
            return FALSE
        return unknown(BOOL)
    if a.type != b.type:
        return FALSE
    kind = a.type.kind
    if kind in ("string", "number", "bool"):
        return bool_value(a.v == b.v)
    if kind == "set":
        if any(e.v is UNKNOWN for e in a.v) or any(e.v is UNKNOWN for e in b.v):
            return unknown(BOOL)
        return bool_value(all(_set_has(b, e) for e in a.v) and all(_set_has(a, e) for e in b.v))
    if len(a.v) != len(b.v):
        return FALSE
    if isinstance(a.v, dict):
        if set(a.v) != set(b.v):
            return FALSE
        pairs = [(a.v[k], b.v[k]) for k in a.v]
    else:
        pairs = list(zip(a.v, b.v, strict=True))
    for x, y in pairs:
        found = equals(x, y)
        if not found.is_known:
            return unknown(BOOL)
        if found.v is False:
            return FALSE
    return TRUE


def _set_has(s: Value, elem: Value) -> bool:
    return any(equals(e, elem).v is True for e in s.v)


def _has_wholly_known_type(value: Value) -> bool:
    """cty's HasWhollyKnownType: no unknown value of a type with dynamic parts anywhere inside."""
    if value.v is None:
        return True
    if value.v is UNKNOWN:
        return not value.type.has_dynamic()
    if isinstance(value.v, tuple):
        return all(_has_wholly_known_type(e) for e in value.v)
    if isinstance(value.v, dict):
        return all(_has_wholly_known_type(e) for e in value.v.values())
    return True


def conforms(have: Type, constraint: Type) -> bool:
    """cty's TestConformance: `have` matches `constraint`, where dynamic in the constraint matches anything."""
    if constraint.kind == "dynamic":
        return True
    if have.kind != constraint.kind:
        return False
    if have.is_primitive:
        return True
    if have.elem is not None and constraint.elem is not None:
        return conforms(have.elem, constraint.elem)
    if have.kind == "tuple":
        return len(have.elems) == len(constraint.elems) and all(map(conforms, have.elems, constraint.elems))
    return set(have.attrs) == set(constraint.attrs) and all(
        conforms(t, constraint.attrs[k]) for k, t in have.attrs.items())

"""Between the language's typed values (`iac.lang.cty`) and the planner's plain values (`iac.values`).

Plain values are JSON-shaped (None, bool, int/Decimal, str, list, dict) with `Unknown` for values known
only after apply and `Sensitive` wrappers for marked ones. Going to plain forgets list/set/tuple and
map/object apart (the planner reads types from the provider schema); coming from plain infers Terraform
JSON's types (objects, tuples) unless a type is given.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from iac.lang import cty
from iac.lang.cty import DYNAMIC, Type, Value
from iac.values import UNKNOWN, UNKNOWN_MAP, UNKNOWN_SEQ, Sensitive, TypedObject, Unknown, kind_unknown, unknown_like

__all__ = ["UNKNOWN_STRING_NOT_NULL", "NotStorable", "from_plain", "to_plain", "unknown_of"]


_UNKNOWN_PRIMITIVE = {t.kind: Unknown("value", t) for t in (cty.STRING, cty.NUMBER, cty.BOOL)}
"""One shared unknown per primitive type (see `Unknown.type`)."""
_UNKNOWN_NOT_NULL = {t.kind: Unknown("value", t, not_null=True) for t in (cty.STRING, cty.NUMBER, cty.BOOL)}
"""The same, refined as not null (a template's result, `terraform_data.id`)."""
UNKNOWN_STRING_NOT_NULL = _UNKNOWN_NOT_NULL["string"]


def unknown_of(plain: Any) -> Unknown:
    """`cty.UnknownVal(value.Type())` of a plain value: an unknown of its primitive type (a str gives an unknown
    string), else of its kind (`unknown_like`)."""
    if isinstance(plain, bool):
        return _UNKNOWN_PRIMITIVE["bool"]
    if isinstance(plain, (int, Decimal)):
        return _UNKNOWN_PRIMITIVE["number"]
    if isinstance(plain, str):
        return _UNKNOWN_PRIMITIVE["string"]
    if isinstance(plain, Unknown) and (plain.not_null or plain.prefix):  # the type only, not what refined it
        return _UNKNOWN_PRIMITIVE.get(plain.type.kind, UNKNOWN) if plain.type is not None else kind_unknown(plain.kind)
    return unknown_like(plain)


class NotStorable(ValueError):
    """A value Terraform cannot write into a plan or state (an infinite number): its error, said where the
    value is stored (a resource attribute, a root output)."""


def to_plain(value: Value, *, stored: bool = False, refined: bool = False) -> Any:
    """The planner's form of a typed value. `stored`: the value goes into the plan (a resource attribute, a
    root output), where an infinity is Terraform's error (NotStorable); in a local or a comparison it is fine.
    `refined`: an unknown keeps its refinements (not null, a string's prefix), as Terraform's own
    `terraform_data` keeps them in its planned object; a provider's plan drops them."""
    if value.marks:
        inner = to_plain(Value(value.type, value.v, not_null=value.not_null, prefix=value.prefix), stored=stored,
                         refined=refined)
        return Sensitive(inner) if cty.SENSITIVE in value.marks else inner
    v = value.v
    if v is cty.UNKNOWN:
        kind = value.type.kind
        if kind in ("map", "object"):
            return UNKNOWN_MAP
        if kind in ("list", "set", "tuple"):
            return UNKNOWN_SEQ
        if not refined:
            return _UNKNOWN_PRIMITIVE.get(kind, UNKNOWN)
        if value.prefix:  # a string's known beginning (rare: its own object)
            return Unknown("value", value.type, value.not_null, value.prefix)
        return (_UNKNOWN_NOT_NULL if value.not_null else _UNKNOWN_PRIMITIVE).get(kind, UNKNOWN)
    if v is None or isinstance(v, (str, bool, int)):
        return v
    if isinstance(v, Decimal):
        if stored and v.is_infinite():
            raise NotStorable("cannot serialize infinity as JSON")
        return v
    if isinstance(v, tuple):
        return [to_plain(e, stored=stored, refined=refined) for e in v]
    return {k: to_plain(e, stored=stored, refined=refined) for k, e in v.items()}


def from_plain(plain: Any, type_: Type | None = None) -> Value:
    """A typed value for a plain one: shaped to `type_` when given (a provider schema's type: attributes
    the value lacks are null, lists and sets get their types), else with the type Terraform JSON gives it
    (object -> object, array -> tuple, null -> dynamic null). A value that does not fit keeps its own."""
    value = _infer(plain)
    if type_ is None or type_.kind == "dynamic":
        return value
    try:
        return _conform(value, type_)
    except cty.ConversionError:
        return value


def _conform(value: Value, type_: Type) -> Value:
    if type_.kind == "dynamic":
        return value
    if value.marks:
        inner, marks = value.unmark()
        return _conform(inner, type_).mark(marks)
    if value.v is None:
        return cty.null(type_)
    if value.v is cty.UNKNOWN:
        return cty.unknown(type_, value.not_null, value.prefix)
    if type_.kind == "object" and value.type.kind in ("object", "map"):
        attrs = {name: _conform(value.v[name], t) if name in value.v else cty.null(t)
                 for name, t in type_.attrs.items()}
        # an attribute of any type (dynamic in the schema) has its value's type, as in Terraform
        types = {name: attrs[name].type if t.kind == "dynamic" else t for name, t in type_.attrs.items()}
        return Value(cty.object_of(types), attrs)
    if type_.kind in ("list", "set") and value.type.kind in ("list", "set", "tuple"):
        assert type_.elem is not None
        elems = [_conform(e, type_.elem) for e in value.v]
        return cty.set_value(elems, type_.elem) if type_.kind == "set" else Value(type_, tuple(elems))
    if type_.kind == "map" and value.type.kind in ("object", "map"):
        assert type_.elem is not None
        return Value(type_, {k: _conform(e, type_.elem) for k, e in value.v.items()})
    return cty.convert(value, type_)


def _infer(plain: Any) -> Value:
    if isinstance(plain, Value):
        return plain
    if isinstance(plain, Sensitive):
        return _infer(plain.value).mark({cty.SENSITIVE})
    if isinstance(plain, Unknown):
        return cty.unknown(plain.type or DYNAMIC, plain.not_null, plain.prefix)
    if plain is None:
        return cty.null(DYNAMIC)
    if isinstance(plain, bool):
        return cty.bool_value(plain)
    if isinstance(plain, (int, Decimal)):
        return cty.number(plain)
    if isinstance(plain, float):
        return cty.number(Decimal(repr(plain)))
    if isinstance(plain, str):
        return cty.string(plain)
    if type(plain) is TypedObject:  # attributes with a type of their own (terraform_data's)
        types = plain.types
        return cty.object_value({str(k): _conform(_infer(v), types[k]) if k in types else _infer(v)
                                 for k, v in plain.items()})
    if isinstance(plain, dict):
        return cty.object_value({str(k): _infer(v) for k, v in plain.items()})
    if isinstance(plain, (list, tuple)):
        return cty.tuple_value([_infer(v) for v in plain])
    raise TypeError(f"not a plain value: {type(plain).__name__}")

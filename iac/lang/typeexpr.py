"""Type constraints of variables (`map(object({workers = optional(number, 2)}))`), read from their
expression as Terraform's typeexpr does, with `optional()` attribute defaults.

A constraint gives Terraform's type JSON (what `VariableConfig.type` holds, `"dynamic"` for `any`) and a
defaults tree applied to a value *before* it is converted, as Terraform does: a missing or null optional
attribute takes its default, in every element of the collections on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from iac.lang import ast, cty
from iac.lang.cty import Value
from iac.lang.hcl import HclSyntaxError, parse_expression

__all__ = ["Defaults", "TypeError_", "apply_defaults", "parse_type_constraint", "type_constraint"]


class TypeError_(ValueError):  # noqa: N801 - the builtin name is taken
    """An invalid type constraint; the message is Terraform's."""


@dataclass(frozen=True)
class Defaults:
    """Defaults below one type: `attrs` (optional attribute -> default value, a cty Value) and `children`
    (attribute name, or "*" for collection elements -> Defaults below it)."""

    attrs: dict[str, Value] = field(default_factory=dict)
    children: dict[str, Defaults] = field(default_factory=dict)


Constant = Callable[[Any], Value]
"""Evaluates an `optional()` default (a constant expression); the caller supplies it (the evaluator's
`evaluate_constant`), so type constraints need not import the evaluator."""


def type_constraint(expr: Any, constant: Constant) -> tuple[cty.Type, Defaults | None]:
    """The type and defaults of a type expression (`convert(x, list(string))`'s second argument)."""
    return _constraint(expr, False, constant)


def parse_type_constraint(source: Any, constant: Constant, file: str = "<type>") -> tuple[Any, Defaults | None]:
    """(type JSON, defaults) of a constraint given as text (JSON syntax) or as an expression (`.tf`)."""
    expr = source
    if isinstance(source, str):
        try:
            expr = parse_expression(source, file)
        except HclSyntaxError as error:
            raise TypeError_(f"Invalid type specification: {error.message}") from error
    type_, defaults = _constraint(expr, False, constant)
    return type_.to_json(), defaults


_PRIMITIVES = {"string": cty.STRING, "number": cty.NUMBER, "bool": cty.BOOL, "any": cty.DYNAMIC}


def _constraint(expr: Any, in_object: bool, constant: Constant) -> tuple[cty.Type, Defaults | None]:
    if isinstance(expr, ast.ScopeTraversal) and not expr.steps:
        found = _PRIMITIVES.get(expr.root)
        if found is not None:
            return found, None
        if expr.root in ("list", "set", "map", "tuple", "object"):
            raise TypeError_(f'Invalid type specification: The {expr.root} type constructor requires one argument '
                             f'specifying the element type.')
        raise TypeError_(f'Invalid type specification: The keyword "{expr.root}" is not a valid type specification.')
    if isinstance(expr, ast.Template) and len(expr.parts) == 1 and expr.parts[0] in _PRIMITIVES:
        return _PRIMITIVES[str(expr.parts[0])], None  # legacy quoted primitive: "string"
    if not isinstance(expr, ast.FunctionCall):
        raise TypeError_("Invalid type specification: A type specification is either a primitive type keyword "
                         "(bool, number, string) or a complex type constructor call, like list(string).")
    name, args = expr.name, expr.args
    if name in ("list", "set", "map"):
        if len(args) != 1:
            raise TypeError_(f"Invalid type specification: The {name} type constructor requires one argument "
                             "specifying the element type.")
        elem, defaults = _constraint(args[0], False, constant)
        children = {"*": defaults} if defaults else {}
        return cty.Type(name, elem=elem), (Defaults(children=children) if children else None)
    if name == "tuple":
        if len(args) != 1 or not isinstance(args[0], ast.TupleCons):
            raise TypeError_("Invalid type specification: The tuple type constructor requires a list of element "
                             "types.")
        elems, children = [], {}
        for index, item in enumerate(args[0].items):
            elem, defaults = _constraint(item, False, constant)
            elems.append(elem)
            if defaults:
                children[str(index)] = defaults
        return cty.tuple_of(elems), (Defaults(children=children) if children else None)
    if name == "object":
        if len(args) != 1 or not isinstance(args[0], ast.ObjectCons):
            raise TypeError_("Invalid type specification: The object type constructor requires one argument "
                             "specifying the attribute types as a map.")
        return _object(args[0], constant)
    if name == "optional":
        raise TypeError_("Invalid type specification: Keyword \"optional\" is valid only as a modifier for object "
                         "type attributes.")
    raise TypeError_(f'Invalid type specification: Keyword "{name}" is not a valid type constructor.')


def _object(cons: ast.ObjectCons, constant: Constant) -> tuple[cty.Type, Defaults | None]:
    attrs: dict[str, cty.Type] = {}
    optional: list[str] = []
    defaults: dict[str, Value] = {}
    children: dict[str, Defaults] = {}
    for item in cons.items:
        key = item.key
        if isinstance(key, ast.Literal) and isinstance(key.value, str):
            name = key.value
        elif isinstance(key, ast.ScopeTraversal) and not key.steps:
            name = key.root
        elif isinstance(key, ast.Template) and len(key.parts) == 1 and isinstance(key.parts[0], str):
            name = key.parts[0]
        else:
            raise TypeError_("Invalid type specification: Object constructor map keys must be attribute names.")
        value = item.value
        if isinstance(value, ast.FunctionCall) and value.name == "optional":
            if not 1 <= len(value.args) <= 2:
                raise TypeError_("Invalid type specification: Optional attribute modifier requires the attribute "
                                 "type as its argument, and optionally a default value.")
            attrs[name], nested = _constraint(value.args[0], True, constant)
            optional.append(name)
            if len(value.args) == 2:
                defaults[name] = _default(value.args[1], attrs[name], name, constant)
        else:
            attrs[name], nested = _constraint(value, True, constant)
        if nested:
            children[name] = nested
    type_ = cty.object_of(attrs, optional)
    return type_, (Defaults(defaults, children) if defaults or children else None)


def _default(expr: Any, type_: cty.Type, name: str, constant: Constant) -> Value:
    try:
        value = constant(expr)
    except ValueError as error:  # the evaluator's EvalError
        raise TypeError_(f'Invalid default value for optional attribute "{name}": {error}') from error
    try:
        return cty.convert(value, type_)
    except cty.ConversionError as error:
        raise TypeError_(f'Invalid default value for optional attribute "{name}": {error}.') from error


def apply_defaults(value: Value, defaults: Defaults | None) -> Value:
    """`value` with the optional attributes' defaults filled in, before conversion (Terraform's order)."""
    if defaults is None or value.v is None or value.v is cty.UNKNOWN:
        return value
    inner, marks = value.unmark()
    kind = inner.type.kind
    if kind in ("object", "map") and (defaults.attrs or set(defaults.children) - {"*"}):
        attrs = dict(inner.v)
        for name, default in defaults.attrs.items():
            if name not in attrs or attrs[name].v is None:
                attrs[name] = default
        for name, nested in defaults.children.items():
            if name in attrs:
                attrs[name] = apply_defaults(attrs[name], nested)
        return cty.object_value(attrs).mark(marks)
    elements = defaults.children.get("*")
    if elements is None and kind == "tuple":
        items = [apply_defaults(e, defaults.children.get(str(i))) for i, e in enumerate(inner.v)]
        return cty.tuple_value(items).mark(marks)
    if elements is None:
        return value
    if kind in ("list", "set", "tuple"):
        return cty.tuple_value([apply_defaults(e, elements) for e in inner.v]).mark(marks)
    if kind in ("map", "object"):
        return cty.object_value({k: apply_defaults(e, elements) for k, e in inner.v.items()}).mark(marks)
    return value

"""Type conversion functions: tobool, tonumber, tostring, tolist, toset, tomap (Terraform's MakeToFunc),
and the mark functions sensitive, nonsensitive, issensitive, ephemeralasnull.

`try`, `can` and `type` are special forms of the evaluator. iac has no ephemeral values, so
`ephemeralasnull` returns its argument unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from iac.lang import cty
from iac.lang.cty import ConversionError, Type, Value
from iac.lang.functions import FunctionError, Param, builtin


def _constraint_name(t: Type) -> str:
    """cty's FriendlyNameForConstraint: `list of any single type` for list(dynamic)."""
    if t.elem is not None and t.elem.kind == "dynamic":
        return f"{t.kind} of any single type"
    return t.friendly()


def _arg_error(message: str) -> FunctionError:
    return FunctionError(f'Invalid value for "v" parameter: {message}.', argument=0)


def _make_to(name: str, want: Type) -> None:
    def return_type(args: Sequence[Value]) -> Type:
        have = args[0].type
        if have == want or cty._convertible(have, want):  # noqa: SLF001 - cty's GetConversionUnsafe
            return want
        raise _arg_error(f"cannot convert {have.friendly()} to {_constraint_name(want)}")

    def impl(value: Value) -> Value:
        return_type([value])
        try:
            return cty.convert(value, want)
        except ConversionError as error:
            plain, marks = value.unmark_deep()
            have = plain.type
            if cty.SENSITIVE in marks:
                raise _arg_error(f"cannot convert this sensitive {have.friendly()} to {_constraint_name(want)}") \
                    from error
            if have == cty.STRING and want in (cty.BOOL, cty.NUMBER):
                from iac._go import go_quote

                shown = go_quote(plain.v) if plain.v is not None else "string"
                if want == cty.BOOL:
                    raise _arg_error(f'cannot convert {shown} to bool; only the strings "true" or "false" are '
                                     "allowed") from error
                raise _arg_error(f"cannot convert {shown} to number; given string must be a decimal "
                                 "representation of a number") from error
            raise _arg_error(f"cannot convert {have.friendly()} to {_constraint_name(want)}") from error

    impl.__doc__ = f"Terraform's {name}: an explicit conversion (unknown stays unknown, null stays null)."
    builtin(name, [Param("v", allow_null=True, allow_marked=True)], returns=return_type)(impl)


_make_to("tobool", cty.BOOL)
_make_to("tonumber", cty.NUMBER)
_make_to("tostring", cty.STRING)
_make_to("tolist", cty.list_of(cty.DYNAMIC))
_make_to("toset", cty.set_of(cty.DYNAMIC))
_make_to("tomap", cty.map_of(cty.DYNAMIC))


_ANY = Param("value", allow_unknown=True, allow_null=True, allow_marked=True, allow_dynamic=True)


@builtin("sensitive", [_ANY], returns=lambda args: args[0].type)
def sensitive(value: Value) -> Value:
    return value.mark({cty.SENSITIVE})


@builtin("nonsensitive", [_ANY], returns=lambda args: args[0].type)
def nonsensitive(value: Value) -> Value:
    """Removes the value's own sensitive mark (marks inside it stay); since Terraform 1.8 a value that is
    not sensitive is not an error."""
    inner, marks = value.unmark()
    return inner.mark(marks - {cty.SENSITIVE})


@builtin("issensitive", [_ANY], returns=cty.BOOL)
def issensitive(value: Value) -> Value:
    """Whether the value itself is marked sensitive (not its elements); unknown for an unknown value that
    is not marked, which may still become sensitive."""
    if value.sensitive:
        return cty.TRUE
    if not value.is_known:
        return cty.unknown(cty.BOOL)
    return cty.FALSE


@builtin("ephemeralasnull", [_ANY], returns=lambda args: args[0].type)
def ephemeralasnull(value: Value) -> Value:
    """Every part of `value` derived from an ephemeral value becomes null (of its type); other marks stay. An
    argument unknown as a whole gives an unknown (Terraform's result: checked with real Terraform)."""
    if value.v is cty.UNKNOWN:
        return cty.unknown(value.type).mark(value.marks - {cty.EPHEMERAL})
    if value.marks and cty.EPHEMERAL in value.marks:
        return cty.null(value.type).mark(value.marks - {cty.EPHEMERAL})
    if not value.has_marks_deep() or value.v is None or value.v is cty.UNKNOWN:
        return value
    if isinstance(value.v, tuple):
        elems = [ephemeralasnull(e) for e in value.v]
        if value.type.kind == "set":
            return cty.set_value(elems, value.type.elem or cty.DYNAMIC).mark(value.marks)
        return Value(value.type, tuple(elems), value.marks)
    if isinstance(value.v, dict):
        return Value(value.type, {k: ephemeralasnull(e) for k, e in value.v.items()}, value.marks)
    return value  # a marked primitive: sensitive, not ephemeral

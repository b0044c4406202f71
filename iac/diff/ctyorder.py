"""The order Terraform gives the elements of a set: cty's `setRules.Less` (go-cty, cty/set_internals.go).

Terraform writes every set (in state, in plan JSON, in the text plan) in this order, so iac keeps its set
values in it too; otherwise a plan would list the same elements in another order than Terraform's.

* known elements first, then unknown ones, then null;
* strings lexicographically (by code point, which is UTF-8 byte order), numbers numerically, false
  before true;
* anything else (objects, lists, maps, tuples) by its set-hash bytes, compared bytewise: `<` the values
  of every attribute in attribute-name order, each followed by `;`, `>` for objects and tuples; `[ … ]`
  for lists and sets, `{key:value; …}` for maps; `~` null, `?` unknown, `T`/`F`, strings as Go's `%q`,
  numbers as Go's `big.Float.String()` (10 significant digits, `%g`).

Types are Terraform type JSON ("string", ["set", T], ["object", {name: T}], ...); an object's attributes
come from its type, so an attribute missing from a value counts as null, as in cty.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from iac._go import go_quote
from iac._jsonio import infer_type
from iac.values import Sensitive, Unknown

__all__ = ["go_number", "hash_bytes", "sort_set"]


def sort_set(elements: list[Any], element_type: Any) -> list[Any]:
    """`elements` in cty's set order (stable: elements cty cannot order keep their relative order)."""
    if len(elements) < 2:
        return list(elements)
    return sorted(elements, key=lambda element: _order_key(element, element_type))


def _order_key(value: Any, type_: Any) -> tuple[Any, ...]:
    value = _plain(value)
    if value is None:
        return (2,)
    if isinstance(value, Unknown):
        return (1,)
    if type_ == "string" and isinstance(value, str):
        return (0, value)
    if type_ == "number" and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return (0, Decimal(value))
    if type_ == "bool" and isinstance(value, bool):
        return (0, value)
    return (0, hash_bytes(value, type_))


def hash_bytes(value: Any, type_: Any) -> bytes:
    """cty's `makeSetHashBytes` for a value of type `type_`."""
    out: list[str] = []
    _append(value, type_, out)
    return "".join(out).encode("utf-8")


def _append(value: Any, type_: Any, out: list[str]) -> None:
    value = _plain(value)
    if isinstance(value, Unknown):
        out.append("?")
        return
    if value is None:
        out.append("~")
        return
    if type_ == "dynamic":
        type_ = infer_type(value)
    if type_ == "number":
        out.append(go_number(value))
    elif type_ == "bool":
        out.append("T" if value else "F")
    elif type_ == "string":
        out.append(go_quote(str(value)))
    elif isinstance(type_, list) and type_[0] == "map":
        out.append("{")
        for key in sorted(value):
            out.append(go_quote(key))
            out.append(":")
            _append(value[key], type_[1], out)
            out.append(";")
        out.append("}")
    elif isinstance(type_, list) and type_[0] in ("list", "set"):
        out.append("[")
        for item in value:
            _append(item, type_[1], out)
            out.append(";")
        out.append("]")
    elif isinstance(type_, list) and type_[0] == "object":
        out.append("<")
        for name in sorted(type_[1]):
            _append(value.get(name), type_[1][name], out)
            out.append(";")
        out.append(">")
    elif isinstance(type_, list) and type_[0] == "tuple":
        out.append("<")
        for item, item_type in zip(value, type_[1], strict=False):
            _append(item, item_type, out)
            out.append(";")
        out.append(">")
    else:
        out.append(go_quote(str(value)))  # not a Terraform type: a stable stand-in, never reached by schema data


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Sensitive) else value


def go_number(value: int | Decimal) -> str:
    """Go's `big.Float.String()`: `Text('g', 10)` (10 significant digits, round half to even; `%e` form
    with a two-digit exponent when the exponent is below -4 or at least the digits shown)."""
    number = Decimal(value)
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    rounded = abs(number)
    exponent = rounded.adjusted()
    if len(rounded.as_tuple().digits) > 10:
        rounded = rounded.quantize(Decimal(1).scaleb(exponent - 9), rounding=ROUND_HALF_EVEN)
        exponent = rounded.adjusted()
    digits = "".join(map(str, rounded.as_tuple().digits)).rstrip("0") or "0"
    point = exponent + 1  # digits before the decimal point (strconv's `dp`)
    shown = 10 if not (len(digits) < 10 and len(digits) >= point) else len(digits)
    if exponent < -4 or exponent >= shown:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if len(digits) <= point:
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"

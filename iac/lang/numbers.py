"""Terraform's numbers: Go `big.Float` values with a 512-bit mantissa, rounded to nearest even.

iac keeps a number as `int` (a whole number) or `Decimal` (the *shortest* decimal that identifies the
512-bit float, which is how Terraform writes it: `Text('f', -1)`). Parsing the shortest text again gives the
same float, so nothing is lost between operations. Arithmetic computes the exact result of the two
rounded operands (Fraction), rounds it to 512 bits as Go does, and returns its shortest decimal: `1/3` is
the same 155-digit number Terraform prints.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

__all__ = [
    "PRECISION",
    "NumberError",
    "add",
    "compare",
    "divide",
    "format_number",
    "go_float_string",
    "modulo",
    "multiply",
    "negate",
    "parse_number",
    "round_fraction",
    "subtract",
    "to_fraction",
]

PRECISION = 512
"""Bits of mantissa in every Terraform number (cty.ParseNumberVal and arithmetic results)."""

Number = int | Decimal


class NumberError(ArithmeticError):
    """An arithmetic error in Terraform's words (division by zero, infinity)."""


_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(text: str) -> Number | None:
    """A string as Terraform's `tonumber` reads it (`big.ParseFloat` base 10, 512 bits), or None."""
    if not _NUMBER_TEXT.fullmatch(text):
        return None
    return from_fraction(Fraction(Decimal(text)))


def to_fraction(n: Number) -> Fraction:
    return Fraction(n) if isinstance(n, int) else Fraction(n)


def round_fraction(value: Fraction, precision: int = PRECISION) -> Fraction:
    """`value` rounded to `precision` significant bits, to nearest, ties to even (Go's ToNearestEven)."""
    if value == 0:
        return Fraction(0)
    sign = -1 if value < 0 else 1
    value = abs(value)
    num, den = value.numerator, value.denominator
    # exponent e with 2**(precision-1) <= value / 2**e < 2**precision
    e = num.bit_length() - den.bit_length() - precision
    while True:
        scaled = Fraction(num, den) / (Fraction(2) ** e)
        if scaled >= 2**precision:
            e += 1
        elif scaled < 2 ** (precision - 1):
            e -= 1
        else:
            break
    floor = scaled.numerator // scaled.denominator
    remainder = scaled - floor
    if remainder > Fraction(1, 2) or (remainder == Fraction(1, 2) and floor % 2 == 1):
        floor += 1
    return sign * Fraction(floor) * (Fraction(2) ** e)


def from_fraction(value: Fraction) -> Number:
    """The 512-bit float nearest `value`, as iac stores numbers (int, or the shortest Decimal)."""
    rounded = round_fraction(value)
    if rounded.denominator == 1 and abs(rounded.numerator) < 2**PRECISION:
        return int(rounded.numerator)
    return _shortest(rounded)  # beyond 2**512 an integer's shortest digits are not all of its digits


def _shortest(x: Fraction) -> Decimal:
    """The shortest decimal that rounds to `x` at 512 bits: Go's `roundShortest` (math/big/ftoa.go),
    which `Text('f', -1)` uses. Like Go, the digits of the bounds are compared position by position
    from each one's first digit."""
    sign = "-" if x < 0 else ""
    x = abs(x)
    den_bits = x.denominator.bit_length() - 1  # x is a binary float: its denominator is a power of two
    mant, exp = x.numerator, -den_bits
    # normalise to PRECISION+1 bits, so the lowest bit is half an ulp
    shift = mant.bit_length() - (PRECISION + 1)
    if shift > 0:
        mant, exp = mant >> shift, exp + shift
    else:
        mant, exp = mant << -shift, exp + shift
    digits, point = _digits(x)
    lower, _ = _digits(Fraction(mant - 1) * Fraction(2) ** exp)
    upper, _ = _digits(Fraction(mant + 1) * Fraction(2) ** exp)
    inclusive = mant & 2 == 0
    for i, d in enumerate(digits):
        low = lower[i] if i < len(lower) else "0"
        up = upper[i] if i < len(upper) else "0"
        ok_down = low != d or (inclusive and i + 1 == len(lower))
        ok_up = d != up and (inclusive or int(d) + 1 < int(up) or i + 1 < len(upper))
        if ok_down and ok_up:
            round_up = digits[i + 1] > "5" or (digits[i + 1] == "5" and (i + 2 < len(digits) or int(d) % 2 == 1)) \
                if i + 1 < len(digits) else False
            return _decimal(sign, digits[: i + 1], point, round_up)
        if ok_down:
            return _decimal(sign, digits[: i + 1], point, False)
        if ok_up:
            return _decimal(sign, digits[: i + 1], point, True)
    return _decimal(sign, digits, point, False)


def _digits(x: Fraction) -> tuple[str, int]:
    """The exact decimal digits of a positive binary fraction, without leading or trailing zeros, and the
    position of the decimal point relative to the first digit (x = 0.DIGITS * 10**point)."""
    den_power = x.denominator.bit_length() - 1
    text = str(x.numerator * 5**den_power)  # x = text / 10**den_power
    point = len(text) - den_power
    stripped = text.lstrip("0")
    point -= len(text) - len(stripped)
    return stripped.rstrip("0") or "0", point


def _decimal(sign: str, digits: str, point: int, round_up: bool) -> Decimal:
    if round_up:
        bumped = str(int(digits) + 1)
        if len(bumped) > len(digits):  # 999 -> 1000: one more digit before the point
            point += 1
        digits = bumped
    return Decimal(f"{sign}0.{digits}E{point}")


def format_number(n: Number) -> str:
    """A number as Terraform writes it in a string (`Text('f', -1)`): plain positional notation."""
    if isinstance(n, int):
        return str(n)
    text = format(n, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def go_float_string(n: Number) -> str:
    """Go's `big.Float.String()` (`%.10g`), which cty uses in set hashes."""
    from iac.diff.ctyorder import go_number

    return go_number(n)


def _fraction_of(n: Number) -> Fraction:
    """The 512-bit float a stored number stands for (a Decimal such as 1.1 is not exactly binary)."""
    if isinstance(n, int) and abs(n) < 2**PRECISION:
        return Fraction(n)
    return round_fraction(Fraction(n))


def add(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int) and abs(a) < 2**500 and abs(b) < 2**500:
        return a + b
    return from_fraction(_fraction_of(a) + _fraction_of(b))


def subtract(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int) and abs(a) < 2**500 and abs(b) < 2**500:
        return a - b
    return from_fraction(_fraction_of(a) - _fraction_of(b))


def multiply(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int) and abs(a) < 2**250 and abs(b) < 2**250:
        return a * b
    return from_fraction(_fraction_of(a) * _fraction_of(b))


def divide(a: Number, b: Number) -> Number:
    if b == 0:
        raise NumberError("Division by zero")
    return from_fraction(_fraction_of(a) / _fraction_of(b))


def modulo(a: Number, b: Number) -> Number:
    """cty's Modulo: the remainder of truncated division, sign of the dividend; `x % 0` is an error."""
    if b == 0:
        raise NumberError("Division by zero")  # cty panics with a "can't divide by zero" error
    fa, fb = _fraction_of(a), _fraction_of(b)
    quotient = fa / fb
    truncated = quotient.numerator // quotient.denominator if quotient >= 0 else -((-quotient.numerator) // quotient.denominator)
    return from_fraction(fa - fb * truncated)


def negate(a: Number) -> Number:
    return -a


def compare(a: Number, b: Number) -> int:
    fa, fb = _fraction_of(a), _fraction_of(b)
    return (fa > fb) - (fa < fb)


def quantize_integer(n: Number) -> int | None:
    """`n` as an int when it is whole, else None."""
    if isinstance(n, int):
        return n
    if n == n.to_integral_value():
        return int(n)
    return None


def decimal_places(n: Number, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 200
        return Decimal(n).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)

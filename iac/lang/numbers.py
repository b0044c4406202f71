"""Terraform's numbers: Go `big.Float` values with a 512-bit mantissa, rounded to nearest even.

iac keeps a number as `int` (a whole number) or `Decimal` (the *shortest* decimal that identifies the
512-bit float, which is how Terraform writes it: `Text('f', -1)`). Parsing the shortest text again gives the
same float, so nothing is lost between operations. Arithmetic computes the exact result of the two
rounded operands (Fraction), rounds it to 512 bits as Go does, and returns its shortest decimal: `1/3` is
the same 155-digit number Terraform prints.
"""

from __future__ import annotations

import re
from decimal import MAX_EMAX, MAX_PREC, ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

__all__ = [
    "PRECISION",
    "Float64",
    "NumberError",
    "add",
    "binary_value",
    "compare",
    "divide",
    "format_number",
    "from_float64",
    "go_float_string",
    "is_infinite",
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


class Float64(Decimal):
    """A number Terraform holds as a 53-bit `big.Float` (`cty.NumberFloatVal`: the results of `log` and
    `pow`, and `ceil`/`floor`/`abs`/`max`/`min` of such a number). Its Decimal value is the shortest
    decimal that identifies the float64, which is how Terraform writes it (`pow(2, 70)` is
    1180591620717411300000, `pow(2, 0.5)` is 1.4142135623730951); arithmetic uses the float64 itself
    (`pow(2, 0.5) * 3` is 4.2426406871192854364238655762164853513240814208984375). Build with
    `from_float64`."""

    __slots__ = ()

    def __neg__(self) -> Float64:  # type: ignore[override]
        return Float64(self.copy_negate())

    def __abs__(self) -> Float64:  # type: ignore[override]
        return Float64(self.copy_abs())


INFINITY = Decimal("Infinity")
NEGATIVE_INFINITY = Decimal("-Infinity")


def from_float64(value: float) -> Number:
    """A float64 result as iac stores it: an int when it is whole and below 2**53 (where its shortest
    digits are exact), infinities as Decimal infinities, else a Float64. NaN is the caller's error."""
    if value != value:
        raise ValueError("NaN is not a Terraform number")
    if value in (float("inf"), float("-inf")):
        return INFINITY if value > 0 else NEGATIVE_INFINITY
    if value == 0 and str(value)[0] == "-":
        return Float64("-0")  # Go's big.Float keeps the sign of zero: tostring(pow(-2, -1075)) is "-0"
    if value == int(value) and abs(value) < 2**53:
        return int(value)
    if abs(value) < 2.2250738585072014e-308:  # Go's big.Float has no subnormals: 53 bits of digits
        return Float64(_shortest(Fraction(value), 53))
    return Float64(repr(value))


def is_infinite(n: Number) -> bool:
    return isinstance(n, Decimal) and n.is_infinite()


_NUMBER_TEXT = re.compile(r"([+-]?)(?:(Inf|inf)|([0-9]+\.?[0-9]*|\.[0-9]+)(?:([eEpP])([+-]?[0-9]+))?)")


def parse_number(text: str) -> Number | None:
    """A string as Terraform's `tonumber` reads it (`big.ParseFloat` base 10, 512 bits), or None: an
    optional sign, then `Inf`/`inf`, or decimal digits with an optional point and an optional decimal
    (`e`) or binary (`p`: `1p3` is 8) exponent."""
    match = _NUMBER_TEXT.fullmatch(text)
    if not match:
        return None
    sign, inf, mantissa, kind, exponent = match.groups()
    if inf:
        return NEGATIVE_INFINITY if sign == "-" else INFINITY
    exp = int(exponent) if exponent else 0
    if abs(exp) > 2**31:  # Go: "exponent overflow"
        return None
    value = Fraction(Decimal(mantissa))
    if kind in ("p", "P"):
        value *= Fraction(2) ** exp
    elif exp:
        value *= Fraction(10) ** exp
    return from_fraction(-value if sign == "-" else value)


def to_fraction(n: Number) -> Fraction:
    if isinstance(n, Float64):
        return Fraction(float(n))
    return Fraction(n) if isinstance(n, int) else Fraction(n)


def round_fraction(value: Fraction, precision: int = PRECISION) -> Fraction:
    """`value` rounded to `precision` significant bits, to nearest, ties to even (Go's ToNearestEven).
    Integer division and shifts only: Fraction arithmetic reduces by gcd at every step, which took 20 s
    for `1e999999`."""
    if value == 0:
        return Fraction(0)
    sign = -1 if value < 0 else 1
    num, den = abs(value.numerator), value.denominator
    # exponent e with 2**(precision-1) <= value / 2**e < 2**precision
    e = num.bit_length() - den.bit_length() - precision
    while True:
        divisor = den << e if e >= 0 else den
        quotient, remainder = divmod(num if e >= 0 else num << -e, divisor)
        if quotient >= 1 << precision:
            e += 1
        elif quotient < 1 << (precision - 1):
            e -= 1
        else:
            break
    twice = remainder << 1
    if twice > divisor or (twice == divisor and quotient & 1):
        quotient += 1
    return sign * (Fraction(quotient << e) if e >= 0 else Fraction(quotient, 1 << -e))


def from_fraction(value: Fraction) -> Number:
    """The 512-bit float nearest `value`, as iac stores numbers (int, or the shortest Decimal)."""
    rounded = round_fraction(value)
    if rounded.denominator == 1 and abs(rounded.numerator) < 2**PRECISION:
        return int(rounded.numerator)  # below 2**512 a whole number's shortest digits are all of them
    return _shortest(rounded)


def _shortest(x: Fraction, precision: int = PRECISION) -> Decimal:
    """The shortest decimal that rounds to `x` at 512 bits: Go's `roundShortest` (math/big/ftoa.go),
    which `Text('f', -1)` uses. Like Go, the digits of the bounds are compared position by position
    from each one's first digit."""
    sign = "-" if x < 0 else ""
    x = abs(x)
    den_bits = x.denominator.bit_length() - 1  # x is a binary float: its denominator is a power of two
    mant, exp = x.numerator, -den_bits
    # normalise to PRECISION+1 bits, so the lowest bit is half an ulp
    shift = mant.bit_length() - (precision + 1)
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
    text = _decimal_digits(x.numerator * 5**den_power)  # x = text / 10**den_power
    point = len(text) - den_power
    stripped = text.lstrip("0")
    point -= len(text) - len(stripped)
    return stripped.rstrip("0") or "0", point


def _decimal_digits(n: int) -> str:
    """`str(n)` for a positive int of any size (Python limits str() of ints to 4300 digits, and both it and
    `Decimal(n)` take quadratic time: 15 s for the million digits of `1e999999`). Large ints are split in
    binary halves and joined with Decimal multiplications, which libmpdec does in subquadratic time (the
    method of CPython 3.12's `_pylong`)."""
    if n.bit_length() < 14000:
        return str(n)
    powers: dict[int, Decimal] = {}

    def power_of_two(bits: int) -> Decimal:
        if bits not in powers:
            powers[bits] = Decimal(1 << bits) if bits <= 1024 else power_of_two(bits >> 1) * power_of_two(bits - (bits >> 1))
        return powers[bits]

    def convert(value: int, bits: int) -> Decimal:
        if bits <= 1024:
            return Decimal(value)
        low_bits = bits >> 1
        high = value >> low_bits
        return convert(high, bits - low_bits) * power_of_two(low_bits) + convert(value - (high << low_bits), low_bits)

    with localcontext() as ctx:
        ctx.prec = MAX_PREC
        ctx.Emax = MAX_EMAX
        return "".join(map(str, convert(n, n.bit_length()).as_tuple().digits))


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
        return _decimal_digits(n) if n >= 0 else "-" + _decimal_digits(-n)
    if n.is_infinite():
        return "-Inf" if n < 0 else "+Inf"
    text = format(n, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0" and isinstance(n, Float64):
        return text
    return "0" if text in ("-0", "") else text


def go_float_string(n: Number) -> str:
    """Go's `big.Float.String()` (`%.10g`), which cty uses in set hashes."""
    from iac.diff.ctyorder import go_number

    return go_number(n)


def binary_value(n: Number) -> Fraction:
    """The exact binary value Terraform holds for `n` (a Decimal is the shortest text of a 512-bit float, a
    Float64 that of a float64); infinities are a NumberError."""
    return _fraction_of(n)


def _fraction_of(n: Number) -> Fraction:
    """The 512-bit float a stored number stands for (a Decimal such as 1.1 is not exactly binary)."""
    if isinstance(n, int) and abs(n) < 2**PRECISION:
        return Fraction(n)
    if isinstance(n, Float64):
        return Fraction(float(n))
    if isinstance(n, Decimal) and n.is_infinite():
        raise NumberError("infinity")
    return round_fraction(Fraction(n))


def _result(a: Number, b: Number, exact: Fraction) -> Number:
    """The rounded result of an operation: Go's `z.Op(x, y)` with a fresh z takes the larger precision of
    its operands, so two Float64 operands give a result rounded to 53 bits; anything else, to 512."""
    if isinstance(a, Float64) and isinstance(b, Float64):
        rounded = round_fraction(exact, 53)
        if Fraction(2) ** -1022 <= abs(rounded) < Fraction(2) ** 1024 or rounded == 0:
            return from_float64(float(rounded))
    return from_fraction(exact)


def add(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int) and abs(a) < 2**500 and abs(b) < 2**500:
        return a + b
    if is_infinite(a) or is_infinite(b):
        if is_infinite(a) and is_infinite(b) and _negative(a) != _negative(b):
            raise NumberError("can't compute sum of opposing infinities")
        return a if is_infinite(a) else b
    return _result(a, b, _fraction_of(a) + _fraction_of(b))


def subtract(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int) and abs(a) < 2**500 and abs(b) < 2**500:
        return a - b
    if is_infinite(a) or is_infinite(b):
        if is_infinite(a) and is_infinite(b) and _negative(a) == _negative(b):
            raise NumberError("can't subtract infinity from itself")
        return a if is_infinite(a) else negate(b)
    return _result(a, b, _fraction_of(a) - _fraction_of(b))


def multiply(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int) and abs(a) < 2**250 and abs(b) < 2**250:
        return a * b
    if is_infinite(a) or is_infinite(b):
        if a == 0 or b == 0:
            raise NumberError("can't multiply zero by infinity")
        return _signed_infinity(a, b)
    return _result(a, b, _fraction_of(a) * _fraction_of(b))


def divide(a: Number, b: Number) -> Number:
    """Go's `big.Float.Quo`: a non-zero number over zero, or infinity over a finite number, is an infinity;
    a finite number over infinity is zero (Go signs that zero; iac has no negative zero)."""
    if (a == 0 and b == 0) or (is_infinite(a) and is_infinite(b)):
        raise NumberError("can't divide zero by zero or infinity by infinity")
    if b == 0 or is_infinite(a):
        return _signed_infinity(a, b)
    if is_infinite(b):
        return 0
    return _result(a, b, _fraction_of(a) / _fraction_of(b))


def modulo(a: Number, b: Number) -> Number:
    """cty's Modulo: the remainder of truncated division, sign of the dividend; `x % 0` is `x` (as
    Terraform gives it, infinities included). An infinite divisor is Terraform's error, and so is an
    infinite dividend over a finite divisor (a nil-pointer panic inside cty, reported as such)."""
    if b == 0:
        return a
    if is_infinite(b):
        raise NumberError("can't use modulo with zero and infinity")
    if is_infinite(a):
        raise NumberError("panic in function implementation: runtime error: invalid memory address or nil pointer "
                          "dereference")
    if type(a) is int and type(b) is int and abs(a) < 2**PRECISION and abs(b) < 2**PRECISION:
        remainder = abs(a) % abs(b)  # whole numbers (count.index % 10): exact without fractions
        return -remainder if a < 0 else remainder
    fa, fb = _fraction_of(a), _fraction_of(b)
    quotient = fa / fb
    truncated = quotient.numerator // quotient.denominator if quotient >= 0 else -((-quotient.numerator) // quotient.denominator)
    return from_fraction(fa - fb * truncated)


def _negative(n: Number) -> bool:
    """The sign bit: true for negative numbers and for a Float64 negative zero."""
    return n < 0 if isinstance(n, int) else n.is_signed()


def _signed_infinity(a: Number, b: Number) -> Decimal:
    """The infinity of a product or quotient of `a` and `b`: negative when exactly one of them is."""
    return NEGATIVE_INFINITY if _negative(a) != _negative(b) else INFINITY


def negate(a: Number) -> Number:
    """-a, exactly (Decimal's `-` would round to its context's 28 digits); a Float64 stays one, as Go's
    Neg keeps the precision."""
    if isinstance(a, int):
        return -a
    return -a if isinstance(a, Float64) else a.copy_negate()


def compare(a: Number, b: Number) -> int:
    if type(a) is int and type(b) is int:
        return (a > b) - (a < b)
    if is_infinite(a) or is_infinite(b):
        da, db = Decimal(a), Decimal(b)
        return (da > db) - (da < db)
    fa, fb = _fraction_of(a), _fraction_of(b)
    return (fa > fb) - (fa < fb)


def quantize_integer(n: Number) -> int | None:
    """`n` as an int when it is whole, else None."""
    if isinstance(n, int):
        return n
    if n.is_finite() and n == n.to_integral_value():
        return int(n)
    return None


def decimal_places(n: Number, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 200
        return Decimal(n).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)

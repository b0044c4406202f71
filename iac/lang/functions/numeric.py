"""Numeric functions: abs, ceil, floor, log, max, min, parseint, pow, signum (go-cty `stdlib/number.go`).

Terraform's numbers are 512-bit floats (`iac.lang.numbers`), but `log` and `pow` convert their arguments
to float64 and compute with Go's `math.Log`/`math.Pow`, whose results are not always correctly rounded
(`pow(10, 300)` is 1.0000000000000006e300). So this module reproduces Go's float64 routines bit for bit
as Terraform runs them on amd64: `Log` and `Exp` from Go's assembly (Exp with fused multiply-adds, which
Go uses where the CPU has AVX and FMA, as every current x86-64 has), `Pow` from Go's `pow.go`.
"""

from __future__ import annotations

import math
import struct
import sys
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from iac._go import go_quote
from iac.lang import cty, numbers
from iac.lang.cty import Value
from iac.lang.functions import FunctionError, Param, builtin
from iac.lang.numbers import Float64, Number

_INT64_ERROR = "value must be a whole number, between -9223372036854775808 and 9223372036854775807"


# -- conversions as gocty does them ------------------------------------------------------------------


def to_float64(n: Number) -> float:
    """gocty's conversion of a number to float64: rounded to nearest even; a finite number too large for
    float64 is an error (an infinity stays one)."""
    if isinstance(n, Decimal) and n.is_infinite():
        return math.inf if n > 0 else -math.inf
    if isinstance(n, Float64):
        return float(n)
    try:
        return float(numbers.to_fraction(n) if isinstance(n, int) else numbers.binary_value(n))
    except OverflowError:
        limit = f"{sys.float_info.max:f}"
        raise FunctionError(f"value must be between -{limit} and {limit} inclusive.") from None


def to_int64(n: Number) -> int | None:
    """gocty's conversion of a number to a Go int: None unless whole and within int64."""
    if isinstance(n, Decimal):
        if not n.is_finite() or n != n.to_integral_value():
            return None
        n = int(n)
    return n if -(2**63) <= n < 2**63 else None


def _result(value: float) -> Value:
    """`cty.NumberFloatVal`: Go's big.Float refuses NaN with a panic, which cty reports."""
    if value != value:
        raise FunctionError("panic in function implementation: Float.SetFloat64(NaN)")
    return cty.number(numbers.from_float64(value))


# -- Go's float64 routines (amd64) ----------------------------------------------------------------


def _bits(x: float) -> int:
    return int(struct.unpack("<Q", struct.pack("<d", x))[0])


def _float(bits: int) -> float:
    return float(struct.unpack("<d", struct.pack("<Q", bits & 0xFFFFFFFFFFFFFFFF))[0])


def _fma(a: float, b: float, c: float) -> float:
    """a*b+c rounded once (VFMADD)."""
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    try:
        return float(exact)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def _div(a: float, b: float) -> float:
    """IEEE division (Python raises where the hardware gives ±Inf or NaN)."""
    if b == 0:
        if a == 0 or a != a:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


_HSQRT2 = 7.07106781186547524401e-01
_LN2HI = _float(0x3FE62E42FEE00000)
_LN2LO = _float(0x3DEA39EF35793C76)
_L1 = _float(0x3FE5555555555593)
_L2 = _float(0x3FD999999997FA04)
_L3 = _float(0x3FD2492494229359)
_L4 = _float(0x3FCC71C51D8E78AF)
_L5 = _float(0x3FC7466496CB03DE)
_L6 = _float(0x3FC39A09D078C69F)
_L7 = _float(0x3FC2F112DF3E5244)


def go_log(x: float) -> float:
    """Go's `math.Log` on amd64 (log_amd64.s). Its Frexp only masks bits, so a subnormal argument gives
    a wrong logarithm (`log(1e-320, 10)` is -307.95...), exactly as Terraform computes it."""
    bits = _bits(x)
    if bits & ~(1 << 63) == 0:
        return -math.inf
    if bits >> 63:
        return math.nan
    if bits >= 0x7FF0000000000000:
        return x
    f1 = _float((bits & 0x000FFFFFFFFFFFFF) | 0x3FE0000000000000)
    k = float(((bits >> 52) & 0x7FF) - 0x3FE)
    if not f1 > _HSQRT2:  # CMPSD not-less-than: also when f1 equals sqrt(2)/2
        k -= 1.0
        f1 *= 2.0
    f = f1 - 1.0
    s = f / (2.0 + f)
    s2 = s * s
    s4 = s2 * s2
    t1 = s2 * (((_L7 * s4 + _L5) * s4 + _L3) * s4 + _L1)
    t2 = s4 * ((_L6 * s4 + _L4) * s4 + _L2)
    r = t1 + t2
    hfsq = 0.5 * f * f
    return k * _LN2HI - ((hfsq - (s * (hfsq + r) + _LN2LO * k)) - f)


_LOG2E = 1.4426950408889634073599246810018920
_LN2U = 0.69314718055966295651160180568695068359375
_LN2L = 0.28235290563031577122588448175013436025525412068e-12
_OVERFLOW = 7.09782712893384e02
_EXP_TAYLOR = (2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3,
               8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0)
USE_FMA = True
"""Go's Exp takes its fused multiply-add path on CPUs with AVX and FMA (every current x86-64)."""


def _cvtsd2si(x: float) -> int:
    """CVTSD2SL: round to nearest even; out of int32 range (or NaN) gives the "integer indefinite"."""
    if x != x or not -(2.0**31) <= round(x) < 2.0**31:
        return -(2**31)
    return round(x)


def go_exp(x: float) -> float:
    """Go's `math.Exp` on amd64 (exp_amd64.s)."""
    bits = _bits(x)
    if bits & ~(1 << 63) >= 0x7FF0000000000000:
        return 0.0 if bits == 0xFFF0000000000000 else x
    if x > _OVERFLOW:
        return math.inf
    k = _cvtsd2si(_LOG2E * x)
    kf = float(k)
    if USE_FMA:
        x = _fma(-kf, _LN2U, x)
        x = _fma(-kf, _LN2L, x)
    else:
        x = x - kf * _LN2U
        x = x - kf * _LN2L
    x *= 0.0625
    p = _EXP_TAYLOR[0]
    for c in _EXP_TAYLOR[1:]:
        p = _fma(x, p, c) if USE_FMA else p * x + c
    x = x * p
    for _ in range(3):
        x = x * (x + 2.0)
    x = _fma(x + 2.0, x, 1.0) if USE_FMA else x * (x + 2.0) + 1.0
    e = k + 0x3FF
    if e <= 0:
        if e < -52:
            return 0.0
        x *= _float((e + 0x3FE) << 52)
        e = 1
    elif e >= 0x7FF:
        return math.inf
    return x * _float(e << 52)


def _frexp(x: float) -> tuple[float, int]:
    return math.frexp(x)


def _ldexp(frac: float, exp: int) -> float:
    try:
        return math.ldexp(frac, exp)
    except OverflowError:
        return math.copysign(math.inf, frac)


def _sqrt(x: float) -> float:
    """SQRTSD: NaN below zero (-0 stays -0)."""
    return math.nan if x < 0 else math.sqrt(x)


def _is_odd_int(x: float) -> bool:
    if abs(x) >= 1 << 53:  # Go: past 2**53 every float64 is even (infinities included)
        return False
    xf, xi = math.modf(x)
    return xf == 0 and int(xi) & 1 == 1


def go_pow(x: float, y: float) -> float:
    """Go's `math.Pow` (pow.go): special cases, then x**frac(y) by Exp(y*Log(x)) and x**int(y) by
    repeated squaring on a mantissa and exponent pair."""
    if y == 0 or x == 1:
        return 1.0
    if y == 1:
        return x
    if x != x or y != y:
        return math.nan
    if x == 0:
        if y < 0:
            return math.copysign(math.inf, x) if _is_odd_int(y) else math.inf
        return x if _is_odd_int(y) else 0.0
    if math.isinf(y):
        if x == -1:
            return 1.0
        return 0.0 if (abs(x) < 1) == (y > 0) else math.inf
    if math.isinf(x):
        if x < 0:
            return go_pow(_div(1.0, x), -y)
        return 0.0 if y < 0 else math.inf
    if y == 0.5:
        return _sqrt(x)
    if y == -0.5:
        return _div(1.0, _sqrt(x))
    yf, yi = math.modf(abs(y))
    if yf != 0 and x < 0:
        return math.nan
    if yi >= 2.0**63:
        if x == -1:
            return 1.0
        return 0.0 if (abs(x) < 1) == (y > 0) else math.inf
    a1, ae = 1.0, 0
    if yf != 0:
        if yf > 0.5:
            yf -= 1
            yi += 1
        a1 = go_exp(yf * go_log(x))
    x1, xe = _frexp(x)
    i = int(yi)
    while i != 0:
        if xe < -(1 << 12) or xe > (1 << 12):
            ae += xe
            break
        if i & 1 == 1:
            a1 *= x1
            ae += xe
        x1 *= x1
        xe <<= 1
        if x1 < 0.5:
            x1 += x1
            xe -= 1
        i >>= 1
    if y < 0:
        a1 = _div(1.0, a1)
        ae = -ae
    return _ldexp(a1, ae)


# -- the functions ------------------------------------------------------------------------------


@builtin("abs", [Param("num", cty.NUMBER, allow_marked=True, allow_dynamic=True)], returns=cty.NUMBER)
def abs_(num: Value) -> Value:
    """abs(-0) is 0; a float64 stays one (its digits are the float64's)."""
    inner, marks = num.unmark()
    n = inner.v
    if isinstance(n, int):
        return cty.number(-n if n < 0 else n).mark(marks)
    return cty.number(abs(n) if isinstance(n, Float64) else n.copy_abs()).mark(marks)  # abs() would round


def _whole(n: Number, up: bool) -> Number:
    """ceil (up) or floor of a number, at the number's own precision (`f.SetInt(i)` keeps f's)."""
    if isinstance(n, int) or n.is_infinite():
        return n
    if isinstance(n, Float64):
        return numbers.from_float64(float(math.ceil(float(n)) if up else math.floor(float(n))))
    if n == n.to_integral_value():  # a shortest Decimal that is whole is the number itself
        return n
    exact = numbers.binary_value(n)
    return math.ceil(exact) if up else math.floor(exact)


@builtin("ceil", [Param("num", cty.NUMBER)], returns=cty.NUMBER)
def ceil(num: Value) -> Value:
    return cty.number(_whole(num.v, up=True))


@builtin("floor", [Param("num", cty.NUMBER)], returns=cty.NUMBER)
def floor(num: Value) -> Value:
    return cty.number(_whole(num.v, up=False))


@builtin("log", [Param("num", cty.NUMBER), Param("base", cty.NUMBER)], returns=cty.NUMBER)
def log(num: Value, base: Value) -> Value:
    """Go's math.Log(num) / math.Log(base) in float64: log(0, b) is -Inf, log(x, 1) is ±Inf, a negative
    argument is NaN, which Terraform reports as a panic."""
    return _result(_div(go_log(to_float64(num.v)), go_log(to_float64(base.v))))


@builtin("pow", [Param("num", cty.NUMBER), Param("power", cty.NUMBER)], returns=cty.NUMBER)
def pow_(num: Value, power: Value) -> Value:
    return _result(go_pow(to_float64(num.v), to_float64(power.v)))


@builtin("signum", [Param("num", cty.NUMBER)], returns=cty.NUMBER)
def signum(num: Value) -> Value:
    """The number must be a whole number in int64's range (signum(0.5) is an error)."""
    n = to_int64(num.v)
    if n is None:
        raise FunctionError(_INT64_ERROR + ".")
    return cty.number((n > 0) - (n < 0))


def _extreme(args: tuple[Value, ...], sign: int) -> Value:
    if not args:
        raise FunctionError("must pass at least one number.")
    best: Number = numbers.NEGATIVE_INFINITY if sign > 0 else numbers.INFINITY
    for arg in args:
        if numbers.compare(arg.v, best) == sign:
            best = arg.v
    return cty.number(best)


@builtin("max", [], variadic=Param("numbers", cty.NUMBER, allow_dynamic=True), returns=cty.NUMBER)
def max_(*args: Value) -> Value:
    return _extreme(args, 1)


@builtin("min", [], variadic=Param("numbers", cty.NUMBER, allow_dynamic=True), returns=cty.NUMBER)
def min_(*args: Value) -> Value:
    return _extreme(args, -1)


def _parseint_type(args: Sequence[Value]) -> cty.Type:
    kind = args[0].type
    if kind != cty.STRING:
        raise FunctionError(f'Invalid value for "number" parameter: first argument must be a string, not '
                            f"{kind.friendly()}.", argument=0)
    return cty.NUMBER


def _digit(char: str, base: int) -> int:
    """Go's big.Int digit: 0-9, then a-z; A-Z equal a-z up to base 36 and count on from 36 above it."""
    if "0" <= char <= "9":
        d = ord(char) - ord("0")
    elif "a" <= char <= "z":
        d = ord(char) - ord("a") + 10
    elif "A" <= char <= "Z":
        d = ord(char) - ord("A") + (10 if base <= 36 else 36)
    else:
        return base
    return d


def go_parse_int(text: str, base: int) -> int | None:
    """Go's `big.Int.SetString(text, base)` for a base from 2 to 62: an optional sign and digits only (no
    prefix, no underscores, no spaces), or None."""
    sign = 1
    digits = text
    if digits[:1] in ("+", "-"):
        sign = -1 if digits[0] == "-" else 1
        digits = digits[1:]
    if not digits:
        return None
    value = 0
    for char in digits:
        d = _digit(char, base)
        if d >= base:
            return None
        value = value * base + d
    return sign * value


@builtin("parseint", [Param("number", cty.DYNAMIC), Param("base", cty.NUMBER)], returns=_parseint_type)
def parseint(number: Value, base: Value) -> Value:
    """The result is exact, however long (Terraform gives it the precision it needs)."""
    _parseint_type([number])
    b = to_int64(base.v)
    if b is None:
        raise FunctionError(f'Invalid value for "base" parameter: {_INT64_ERROR}.', argument=1)
    if not 2 <= b <= 62:
        raise FunctionError('Invalid value for "base" parameter: base must be a whole number between 2 and 62 '
                            "inclusive.", argument=1)
    parsed = go_parse_int(number.v, b)
    if parsed is None:
        raise FunctionError(f'Invalid value for "number" parameter: cannot parse {go_quote(number.v)} as a base '
                            f"{b} integer.", argument=0)
    return cty.number(parsed)

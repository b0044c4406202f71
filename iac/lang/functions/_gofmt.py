"""`format`'s verbs, as go-cty's `formatFSM` (cty v1.18) and Go's fmt, big.Int and big.Float print them.

A verb is `%` [flags `0#-+ `] [`[n]` argument index] [width] [`.` precision] letter. cty handles the
argument index, null, the conversions and the string verbs (`%s`, `%q`, `%v`, with widths and
precisions counted in grapheme clusters) itself, and hands number verbs to Go's fmt with a `*big.Int`
(`%d %b %o %x %X`) or a `*big.Float` (`%e %E %f %g %G`), whose own Format methods do the padding — which
is why `%-05d` pads with spaces on the right but `%-08.3f` pads with zeros on the left, and `%5t` is not
padded at all. Floats print the exact binary value of the 512-bit number, rounded half to even on its
decimal digits (`%.2f` of 2.675 is 2.67, `%.0f` of 0.5 is 0).

Errors carry cty's wording; `FormatError.offset`-free messages are exactly what Terraform shows after
`Call to function "format" failed: `.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from iac.lang import cty
from iac.lang.cty import ConversionError, Value
from iac.lang.functions._textseg import grapheme_clusters, grapheme_count
from iac.lang.numbers import PRECISION, format_number, is_infinite, round_fraction, to_fraction

__all__ = ["FormatError", "format_values", "go_json"]


class FormatError(ValueError):
    """A format call cty refuses; `too_many` is set for the "too many arguments" argument error."""

    def __init__(self, message: str, too_many: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.too_many = too_many


@dataclass
class _Verb:
    raw: str
    offset: int
    arg: int  # 1-based
    mode: str = ""
    zero: bool = False
    sharp: bool = False
    plus: bool = False
    minus: bool = False
    space: bool = False
    width: int = -1
    prec: int = -1


def format_values(text: str, args: list[Value]) -> str:
    """cty's formatFSM: `text` with its verbs applied to `args` (known, unmarked values)."""
    out: list[str] = []
    next_arg = 1
    max_used = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        if i + 1 < n and text[i + 1] == "%":
            out.append("%")
            i += 2
            continue
        verb, i = _scan_verb(text, i, next_arg)
        out.append(_append(verb, args))
        max_used = max(max_used, verb.arg)
        next_arg = verb.arg + 1
    if max_used < len(args):
        if max_used == 0:
            raise FormatError("too many arguments; no verbs in format string", too_many=0)
        raise FormatError(f"too many arguments; only {max_used} used by format string", too_many=max_used)
    return "".join(out)


def _scan_verb(text: str, start: int, next_arg: int) -> tuple[_Verb, int]:
    """The verb at text[start] ('%'), scanned as cty's Ragel machine does."""
    n = len(text)
    verb = _Verb(raw="", offset=start, arg=next_arg)
    i = start + 1
    flags = {"0": "zero", "#": "sharp", "-": "minus", "+": "plus", " ": "space"}
    while i < n and text[i] in flags:
        setattr(verb, flags[text[i]], True)
        i += 1
    if i < n and text[i] == "[":
        i += 1
        if i >= n or not "1" <= text[i] <= "9":
            raise _bad_char(text, i)
        j = i
        while j < n and text[j].isdigit() and text[j].isascii():
            j += 1
        verb.arg = int(text[i:j])
        i = j
        if i >= n or text[i] != "]":
            raise _bad_char(text, i)
        i += 1
    if i < n and "1" <= text[i] <= "9":
        j = i
        while j < n and "0" <= text[j] <= "9":
            j += 1
        verb.width = int(text[i:j])
        i = j
    if i < n and text[i] == ".":
        j = i + 1
        while j < n and "0" <= text[j] <= "9":
            j += 1
        verb.prec = int(text[i + 1:j] or "0")
        i = j
    if i >= n:
        raise _bad_char(text, i)
    if not ("a" <= text[i] <= "z" or "A" <= text[i] <= "Z"):
        raise _bad_char(text, i)
    verb.mode = text[i]
    verb.raw = text[start:i + 1]
    verb.offset = _offset(text, start)
    return verb, i + 1


def _offset(text: str, i: int) -> int:
    """cty reports offsets in bytes of the UTF-8 format string."""
    return i if text.isascii() else len(text[:i].encode("utf-8", "surrogatepass"))


def _bad_char(text: str, i: int) -> FormatError:
    if i >= len(text):
        return FormatError(f"invalid format string starting at offset {_offset(text, i)}")
    return FormatError(f"unrecognized format character {_go_quote_rune(text[i])} at offset {_offset(text, i)}")


_RUNE_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
                 "\\": "\\\\", "'": "\\'"}


def _go_quote_rune(char: str) -> str:
    """Go's strconv.QuoteRune: printable runes as they are, the rest escaped."""
    code = ord(char)
    if char in _RUNE_ESCAPES:
        body = _RUNE_ESCAPES[char]
    elif char.isprintable():
        body = char
    elif code < 0x80:
        body = f"\\x{code:02x}"
    elif code < 0x10000:
        body = f"\\u{code:04x}"
    else:
        body = f"\\U{code:08x}"
    return f"'{body}'"


def _append(verb: _Verb, args: list[Value]) -> str:
    if verb.arg > len(args):
        raise FormatError(f"not enough arguments for {_go_quote(verb.raw)} at {verb.offset}: need index "
                          f"{verb.arg} but have {len(args)} total")
    arg = args[verb.arg - 1]
    if verb.mode != "v" and arg.v is None:
        raise FormatError(f"unsupported value for {_go_quote(verb.raw)} at {verb.offset}: null value cannot be "
                          "formatted")
    mode = verb.mode
    if mode == "v":
        return _as_is(verb, arg)
    if mode == "t":
        return "true" if _convert(verb, arg, cty.BOOL).v else "false"
    if mode in "bdoxXeEfgG":
        number = _convert(verb, arg, cty.NUMBER).v
        if mode in "bdoxX":
            return _integer(verb, number)
        return _float(verb, number)
    if mode in "sq":
        return _string(verb, _convert(verb, arg, cty.STRING).v)
    raise FormatError(f"unsupported format verb {_go_quote_rune(mode)} in {_go_quote(verb.raw)} at offset "
                      f"{verb.offset}")


def _convert(verb: _Verb, arg: Value, type_: cty.Type) -> Value:
    try:
        return cty.convert(arg, type_)
    except ConversionError as error:
        raise FormatError(f"unsupported value for {_go_quote(verb.raw)} at {verb.offset}: {error}") from error


def _go_quote(text: str) -> str:
    from iac._go import go_quote

    return go_quote(text)


def _pad(verb: _Verb, text: str) -> str:
    """cty's formatPadWidth: pad to the width in grapheme clusters; '0' pads with zeros, '-' on the right."""
    if verb.width < 0:
        return text
    missing = verb.width - grapheme_count(text)
    if missing <= 0:
        return text
    pad = ("0" if verb.zero else " ") * missing
    return text + pad if verb.minus else pad + text


def _as_is(verb: _Verb, arg: Value) -> str:
    if not verb.sharp and arg.v is not None:
        if arg.type == cty.STRING:
            return _pad(verb, arg.v)
        if arg.type == cty.NUMBER:
            return _pad(verb, _float_text(arg.v, "g", -1))
    try:
        return _pad(verb, go_json(arg))
    except OverflowError as error:  # an infinity anywhere in the value
        raise FormatError(f"unsupported value for {_go_quote(verb.raw)} at {verb.offset}: {error}") from error


def _string(verb: _Verb, text: str) -> str:
    if verb.prec > 0:
        text = "".join(grapheme_clusters(text)[:verb.prec])
    if verb.mode == "q":
        text = _json_string(text)
    return _pad(verb, text)


# -- integers: Go's big.Int Format -----------------------------------------------------------------


def _integer(verb: _Verb, number: int | object) -> str:
    whole = _exact_int(number)
    if whole is None:
        raise FormatError(f"unsupported value for {_go_quote(verb.raw)} at {verb.offset}: an integer is required")
    base = {"b": 2, "o": 8, "d": 10, "x": 16, "X": 16}[verb.mode]
    digits = _digits_in_base(abs(whole), base)
    if verb.mode == "X":
        digits = digits.upper()
    sign = "-" if whole < 0 else "+" if verb.plus else " " if verb.space else ""
    prefix = {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(verb.mode, "") if verb.sharp else ""
    zeros = 0
    if verb.prec >= 0:
        if len(digits) < verb.prec:
            zeros = verb.prec - len(digits)
        elif digits == "0" and verb.prec == 0:
            return ""
    left = right = 0
    length = len(sign) + len(prefix) + zeros + len(digits)
    if verb.width >= 0 and length < verb.width:
        missing = verb.width - length
        if verb.minus:
            right = missing
        elif verb.zero and verb.prec < 0:
            zeros = missing
        else:
            left = missing
    return " " * left + sign + prefix + "0" * zeros + digits + " " * right


def _exact_int(number: object) -> int | None:
    """The number as an int when its 512-bit value is whole (cty: big.Float.Int is Exact)."""
    if is_infinite(number):  # type: ignore[arg-type]
        return None
    value = round_fraction(to_fraction(number)) if not isinstance(number, int) else Fraction(number)  # type: ignore[arg-type]
    if isinstance(number, int) and abs(number) >= 2**PRECISION:
        value = round_fraction(Fraction(number))
    return int(value) if value.denominator == 1 else None


def _digits_in_base(value: int, base: int) -> str:
    if base == 10:
        return str(value)
    return format(value, {2: "b", 8: "o", 16: "x"}[base])


# -- floats: Go's big.Float Format / Text -----------------------------------------------------------


def _float(verb: _Verb, number: object) -> str:
    if is_infinite(number):  # type: ignore[arg-type]
        return _infinity(verb, number)  # type: ignore[arg-type]
    mode = verb.mode
    text = _float_text(number, mode, verb.prec if verb.prec >= 0 else (6 if mode in "eEf" else -1))
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    elif verb.plus:
        sign = "+"
    elif verb.space:
        sign = " "
    padding = verb.width - len(sign) - len(text) if verb.width > len(sign) + len(text) else 0
    if verb.zero:
        return sign + "0" * padding + text
    if verb.minus:
        return sign + text + " " * padding
    return " " * padding + sign + text


def _infinity(verb: _Verb, number: Decimal) -> str:
    """big.Float's Format of an infinity: always signed ('+Inf', or ' Inf' with the space flag alone),
    padded with spaces even when the verb asks for zeros."""
    sign = "-" if number < 0 else " " if verb.space and not verb.plus else "+"
    text = sign + "Inf"
    padding = " " * max(verb.width - len(text), 0)
    return text + padding if verb.minus else padding + text


def _float_text(number: object, mode: str, prec: int) -> str:
    """big.Float.Text(mode, prec) of a cty number: exact binary value; prec -1 is the shortest form."""
    if is_infinite(number):  # type: ignore[arg-type]
        return "-Inf" if number < 0 else "+Inf"  # type: ignore[operator]
    exact = _binary_value(number)
    negative = exact < 0
    digits, exp = _exact_digits(abs(exact))  # value = 0.DIGITS * 10**exp ("" for zero)
    shortest = prec < 0
    if shortest:
        digits, exp = _shortest_digits(number)
        if mode in "eE":
            prec = len(digits) - 1
        elif mode == "f":
            prec = max(len(digits) - exp, 0)
        else:
            prec = len(digits)
    elif mode in "eE":
        digits, exp = _round(digits, exp, 1 + prec)
    elif mode == "f":
        digits, exp = _round(digits, exp, exp + prec)
    else:
        if prec == 0:
            prec = 1
        digits, exp = _round(digits, exp, prec)
    body = _layout(digits, exp, mode, prec, shortest)
    return ("-" if negative else "") + body


def _layout(digits: str, exp: int, mode: str, prec: int, shortest: bool) -> str:
    if mode in "eE":
        return _fmt_e(digits, exp, mode, prec)
    if mode == "f":
        return _fmt_f(digits, exp, prec)
    eprec = prec
    if eprec > len(digits) and len(digits) >= exp:
        eprec = len(digits)
    if shortest:
        eprec = 6
    if exp - 1 < -4 or exp - 1 >= eprec:
        if prec > len(digits):
            prec = len(digits)
        return _fmt_e(digits, exp, "e" if mode == "g" else "E", prec - 1)
    if prec > exp:
        prec = len(digits)
    return _fmt_f(digits, exp, max(prec - exp, 0))


def _fmt_e(digits: str, exp: int, mode: str, prec: int) -> str:
    out = [digits[0] if digits else "0"]
    if prec > 0:
        out.append(".")
        more = digits[1:prec + 1]
        out.append(more + "0" * (prec - len(more)))
    e = exp - 1 if digits else 0
    out.append(mode)
    out.append("-" if e < 0 else "+")
    out.append(f"{abs(e):02d}")
    return "".join(out)


def _fmt_f(digits: str, exp: int, prec: int) -> str:
    whole = (digits[:exp] + "0" * (exp - len(digits))) if exp > 0 else "0"
    if prec <= 0:
        return whole
    frac = "".join(_digit_at(digits, exp + i) for i in range(prec))
    return whole + "." + frac


def _digit_at(digits: str, index: int) -> str:
    return digits[index] if 0 <= index < len(digits) else "0"


def _binary_value(number: object) -> Fraction:
    """The 512-bit float a stored cty number stands for."""
    if isinstance(number, int) and abs(number) < 2**PRECISION:
        return Fraction(number)
    return round_fraction(to_fraction(number))  # type: ignore[arg-type]


def _exact_digits(value: Fraction) -> tuple[str, int]:
    """All decimal digits of a non-negative binary fraction, without leading or trailing zeros, and the
    exponent: value = 0.DIGITS * 10**exp."""
    if value == 0:
        return "", 0
    den_power = value.denominator.bit_length() - 1
    text = str(value.numerator * 5**den_power)  # value = text / 10**den_power
    exp = len(text) - den_power
    stripped = text.rstrip("0")
    return stripped, exp


def _shortest_digits(number: object) -> tuple[str, int]:
    """The shortest digits that identify the 512-bit value (Go's roundShortest), from iac's number,
    which is stored as exactly that shortest decimal (or an int)."""
    from decimal import Decimal

    from iac.lang.numbers import from_fraction

    if isinstance(number, int) and abs(number) >= 2**PRECISION:
        number = from_fraction(Fraction(number))
    if number == 0:
        return "", 0
    sign, digit_tuple, exponent = Decimal(number).as_tuple()  # type: ignore[arg-type]
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    assert isinstance(exponent, int)
    exp = len("".join(map(str, digit_tuple))) + exponent
    exp -= len("".join(map(str, digit_tuple))) - len(digits)
    return digits.rstrip("0"), exp


def _round(digits: str, exp: int, n: int) -> tuple[str, int]:
    """Go's decimal.round(n): keep n digits, rounding half to even on the exact digits."""
    if n < 0 or n >= len(digits):
        return digits, exp
    halfway = digits[n] == "5" and n + 1 == len(digits)
    up = (n > 0 and int(digits[n - 1]) % 2 == 1) if halfway else digits[n] >= "5"
    if not up:
        return digits[:n].rstrip("0"), exp
    kept = digits[:n]
    while kept and kept[-1] == "9":
        kept = kept[:-1]
    if not kept:
        return "1", exp + 1
    return (kept[:-1] + str(int(kept[-1]) + 1)), exp


# -- JSON as cty's json.Marshal writes it (Go's encoding/json with HTML escaping) -----------------


def go_json(value: Value) -> str:
    """cty's json.Marshal of a known value: sorted object keys, numbers as `Text('f', -1)`, strings as
    Go's encoding/json writes them (`<`, `>`, `&`, U+2028 and U+2029 escaped)."""
    v = value.v
    if v is None:
        return "null"
    kind = value.type.kind
    if kind == "string":
        return _json_string(v)
    if kind == "number":
        if is_infinite(v):
            raise OverflowError("cannot serialize infinity as JSON")
        return format_number(v)
    if kind == "bool":
        return "true" if v else "false"
    if isinstance(v, tuple):
        return "[" + ",".join(go_json(e) for e in v) + "]"
    return "{" + ",".join(f"{_json_string(k)}:{go_json(e)}" for k, e in sorted(v.items())) + "}"


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                 "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _json_string(text: str) -> str:
    out = ['"']
    for char in text:
        escaped = _JSON_ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif char < " ":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)

"""Date and time functions: formatdate, plantimestamp, timeadd, timecmp, timestamp.

Timestamps are read as Go's `time.Parse(time.RFC3339, ...)` reads them (its generic layout parser; a leap
second is out of range), and for formatdate and timeadd (go-cty's) with RFC 3339's own checks on top: a
two-digit hour, a period before the fraction of a second, a zone offset below 24:00. timecmp (Terraform's
own) skips those: it accepts "2017-11-22T0:00:00,5+24:00". The parse errors are reworded as Terraform does. Dates are held as
(unix seconds, nanoseconds, zone offset) so years outside 1-9999 work as in Go.
"""

from __future__ import annotations

from dataclasses import dataclass

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import FunctionContext, FunctionError, Param, builtin

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


# -- calendar arithmetic (proleptic Gregorian, any year) ------------------------------------------


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    days += 719468
    era = days // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return yoe + era * 400 + (month <= 2), month, day


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in(month: int, year: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


@dataclass(frozen=True)
class Time:
    """An instant (`unix` seconds and `nsec`) with the zone offset it is shown in."""

    unix: int
    nsec: int
    offset: int

    def fields(self) -> tuple[int, int, int, int, int, int, int]:
        """year, month, day, hour, minute, second, weekday (0 = Sunday) in the time's own offset."""
        local = self.unix + self.offset
        days, secs = divmod(local, 86400)
        year, month, day = _civil_from_days(days)
        return year, month, day, secs // 3600, secs // 60 % 60, secs % 60, (days + 4) % 7

    def add(self, nanoseconds: int) -> Time:
        total = self.unix * 10**9 + self.nsec + nanoseconds
        return Time(total // 10**9, total % 10**9, self.offset)

    def key(self) -> tuple[int, int]:
        return self.unix, self.nsec


def _append_int(x: int, width: int) -> str:
    """Go's time.appendInt: a sign, then the magnitude zero-padded to `width`."""
    return ("-" if x < 0 else "") + str(abs(x)).rjust(width, "0")


def _zone(offset: int, colon: bool, z: bool) -> str:
    """Go's Z07:00 / -07:00 / -0700 zone formats."""
    if z and offset == 0:
        return "Z"
    zone = int(offset / 60)  # Go's integer division truncates
    sign = "-" if zone < 0 else "+"
    zone = abs(zone)
    return f"{sign}{_append_int(zone // 60, 2)}{':' if colon else ''}{_append_int(zone % 60, 2)}"


def format_rfc3339(t: Time) -> str:
    year, month, day, hour, minute, second, _ = t.fields()
    return (f"{_append_int(year, 4)}-{_append_int(month, 2)}-{_append_int(day, 2)}T{_append_int(hour, 2)}:"
            f"{_append_int(minute, 2)}:{_append_int(second, 2)}{_zone(t.offset, True, True)}")


# -- Go's time.Parse(time.RFC3339, ...) ------------------------------------------------------------


class _ParseError(Exception):
    def __init__(self, layout_elem: str, value_elem: bytes, message: str = "") -> None:
        super().__init__(message)
        self.layout_elem = layout_elem
        self.value_elem = value_elem
        self.message = message


def go_quote_bytes(data: bytes) -> str:
    """Go's %q of a byte string: strconv.Quote, bytes that are not UTF-8 as \\x escapes."""
    from iac._go import go_quote

    out = ['"']
    i = 0
    while i < len(data):
        for width in (1, 2, 3, 4):
            try:
                char = data[i:i + width].decode("utf-8")
            except UnicodeDecodeError:
                continue
            out.append(go_quote(char)[1:-1])
            i += width
            break
        else:
            out.append(f"\\x{data[i]:02x}")
            i += 1
    out.append('"')
    return "".join(out)


def _isdigit(value: bytes, i: int) -> bool:
    return i < len(value) and 48 <= value[i] <= 57


def _getnum(value: bytes, fixed: bool) -> tuple[int, bytes, bool]:
    """Go's getnum: one or two digits (two when fixed); (number, rest, ok)."""
    if not _isdigit(value, 0):
        return 0, value, False
    if not _isdigit(value, 1):
        if fixed:
            return 0, value, False
        return value[0] - 48, value[1:], True
    return (value[0] - 48) * 10 + value[1] - 48, value[2:], True


def _skip(value: bytes, prefix: bytes, layout_elem: str) -> bytes:
    if not value.startswith(prefix):
        raise _ParseError(layout_elem, value)
    return value[len(prefix):]


def _parse(value: bytes, strict: bool) -> Time:
    """Go's generic parser for the RFC3339 layout "2006-01-02T15:04:05Z07:00" (its fast path accepts a
    subset of what this accepts, with the same result); `strict` adds RFC 3339's own checks as go-cty's
    formatdate and timeadd make them (Terraform's timecmp does not)."""
    hold = value
    if len(value) < 4 or not _isdigit(value, 0) or not all(48 <= c <= 57 for c in value[1:4]):
        raise _ParseError("2006", hold)
    year, value = int(value[:4]), value[4:]

    value = _skip(value, b"-", "-")
    hold = value
    month, value, ok = _getnum(value, True)
    if ok and not 1 <= month <= 12:
        raise _ParseError("01", value, ": month out of range")
    if not ok:
        raise _ParseError("01", hold)

    value = _skip(value, b"-", "-")
    hold = value
    day, value, ok = _getnum(value, True)
    if not ok:
        raise _ParseError("02", hold)

    value = _skip(value, b"T", "T")
    hold = value
    hour, value, ok = _getnum(value, False)
    if hour >= 24:
        raise _strict(_ParseError("15", value, ": hour out of range"), strict)
    if not ok:
        raise _strict(_ParseError("15", hold), strict)
    one_digit_hour = len(hold) - len(value) == 1

    value = _skip(value, b":", ":")
    hold = value
    minute, value, ok = _getnum(value, True)
    if minute >= 60:
        raise _strict(_ParseError("04", value, ": minute out of range"), strict)
    if not ok:
        raise _strict(_ParseError("04", hold), strict)

    value = _skip(value, b":", ":")
    hold = value
    second, value, ok = _getnum(value, True)
    if not ok:
        raise _ParseError("05", hold)
    if second >= 60:
        raise _ParseError("05", value, ": second out of range")
    nsec = 0
    comma = value[:1] == b","
    if len(value) >= 2 and value[0] in b".," and _isdigit(value, 1):
        n = 2
        while _isdigit(value, n):
            n += 1
        digits = value[1:min(n, 10)]
        nsec = int(digits) * 10 ** (9 - len(digits))
        value = value[n:]

    hold = value
    offset: int | None = None
    zone = b"Z"
    if value[:1] == b"Z":
        value = value[1:]
        offset = 0
    else:
        if len(value) < 6 or value[3:4] != b":":
            raise _ParseError("Z07:00", hold)
        zone, sign, hours, minutes, value = value[:6], value[0:1], value[1:3], value[4:6], value[6:]
        hr, _, ok = _getnum(hours, True)
        mm = 0
        if ok:
            mm, _, ok = _getnum(minutes, True)
        if hr > 24:
            raise _ParseError("Z07:00", value, ": time zone offset hour out of range")
        if mm > 60:
            raise _ParseError("Z07:00", value, ": time zone offset minute out of range")
        if ok and sign not in (b"+", b"-"):
            ok = False
        if not ok:
            raise _ParseError("Z07:00", hold)
        offset = (hr * 60 + mm) * 60 * (-1 if sign == b"-" else 1)

    if value:
        raise _ParseError("", value, ": extra text")
    if day < 1 or day > _days_in(month, year):
        raise _ParseError("", b"", ": day out of range")
    # what Go's generic parser accepts but RFC 3339 does not (Go's strict checks, in their order)
    if not strict:
        return Time(_unix(year, month, day, hour, minute, second, offset), nsec, offset)
    if one_digit_hour:
        raise _ParseError("", b"", ": hour must have exactly two digits")
    if comma:
        raise _ParseError(".", b",")
    if zone != b"Z" and (int(zone[1:3]) >= 24 or int(zone[4:6]) >= 60):
        raise _ParseError("Z07:00", zone)
    return Time(_unix(year, month, day, hour, minute, second, offset), nsec, offset)


def _unix(year: int, month: int, day: int, hour: int, minute: int, second: int, offset: int) -> int:
    return _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset


def _strict(error: _ParseError, strict: bool) -> _ParseError:
    """go-cty's strict reading words a bad hour or minute its own way (the end of the string as Go does)."""
    if not strict or not error.value_elem:
        return error
    if error.layout_elem == "15":
        return _ParseError("", b"", ": hour must be between 0 and 23 inclusive")
    return _ParseError("", b"", ": minute must have exactly two digits")


_WHAT = {"2006": "year", "01": "month", "02": "day of month", "15": "hour", "04": "minute", "05": "second",
         "Z07:00": "UTC offset"}


def parse_timestamp(text: str, strict: bool = True) -> Time:
    """parseTimestamp: Go's RFC3339 parse, its errors reworded (ValueError). go-cty's (formatdate,
    timeadd) is strict, Terraform's own (timecmp) lenient: `timecmp("2017-11-22T0:00:00Z", ...)` works."""
    try:
        return _parse(text.encode("utf-8", "surrogatepass"), strict)
    except _ParseError as error:
        raise ValueError(_describe(error)) from None


def _describe(error: _ParseError) -> str:
    layout, value = error.layout_elem, error.value_elem
    if not layout and not value and error.message:
        return f"not a valid RFC3339 timestamp{error.message}"
    if layout == "T":
        return "not a valid RFC3339 timestamp: missing required time introducer 'T'"
    if layout in (":", "-"):
        if not value:
            return f'not a valid RFC3339 timestamp: end of string where "{layout}" is expected'
        return f'not a valid RFC3339 timestamp: found {go_quote_bytes(value)} where "{layout}" is expected'
    what = _WHAT.get(layout, "timestamp segment")
    if not value:
        return f"not a valid RFC3339 timestamp: end of string before {what}"
    return f"not a valid RFC3339 timestamp: cannot use {go_quote_bytes(value)} as {what}"


# -- Go's time.ParseDuration -------------------------------------------------------------------------


_UNITS = {"ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}


def _time_quote(text: str) -> str:
    """The time package's own quote: non-ASCII and control bytes as \\x escapes."""
    out = ['"']
    for char in text:
        if ord(char) >= 0x80 or ord(char) < 0x20:
            out.extend(f"\\x{byte:02x}" for byte in char.encode("utf-8", "surrogatepass"))
        else:
            out.append("\\" + char if char in '"\\' else char)
    out.append('"')
    return "".join(out)


def parse_duration(text: str) -> int:
    """Go's time.ParseDuration in nanoseconds: signed sequences of decimal numbers with units (ns, us, µs,
    ms, s, m, h), "0" alone; fractions are computed in float64 as Go does (ValueError otherwise)."""
    invalid = ValueError(f"time: invalid duration {_time_quote(text)}")
    s = text
    neg = False
    if s[:1] in ("-", "+"):
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise invalid
    total = 0
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise invalid
        i = 0
        v = 0
        while i < len(s) and "0" <= s[i] <= "9":
            if v > (1 << 63) // 10:
                raise invalid
            v = v * 10 + ord(s[i]) - 48
            if v > 1 << 63:
                raise invalid
            i += 1
        pre = i > 0
        s = s[i:]
        f, scale, post = 0, 1.0, False
        if s[:1] == ".":
            s = s[1:]
            i = 0
            overflow = False
            while i < len(s) and "0" <= s[i] <= "9":
                if not overflow:
                    if f > ((1 << 63) - 1) // 10:
                        overflow = True
                    else:
                        y = f * 10 + ord(s[i]) - 48
                        if y > 1 << 63:
                            overflow = True
                        else:
                            f = y
                            scale *= 10
                i += 1
            post = i > 0
            s = s[i:]
        if not pre and not post:
            raise invalid
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            raise ValueError(f"time: missing unit in duration {_time_quote(text)}")
        unit_name, s = s[:i], s[i:]
        unit = _UNITS.get(unit_name)
        if unit is None:
            raise ValueError(f"time: unknown unit {_time_quote(unit_name)} in duration {_time_quote(text)}")
        if v > (1 << 63) // unit:
            raise invalid
        v *= unit
        if f > 0:
            v += int(float(f) * (float(unit) / scale))
            if v > 1 << 63:
                raise invalid
        total += v
        if total > 1 << 63:
            raise invalid
    if neg:
        return -total
    if total > (1 << 63) - 1:
        raise invalid
    return total


# -- the functions ------------------------------------------------------------------------------


def _tokens(data: bytes) -> list[bytes]:
    """go-cty's splitDateFormat run through bufio.Scanner: runs of one letter, quoted literals (a doubled
    quote inside is one quote; an unclosed one runs to the end), other text."""
    tokens = []
    pos = 0
    while pos < len(data):
        c = data[pos]
        if c == 0x27:
            if pos + 1 < len(data) and data[pos + 1] == 0x27:
                tokens.append(data[pos:pos + 2])
                pos += 2
                continue
            i = pos + 1
            end = None
            while i < len(data):
                if data[i] == 0x27:
                    if i + 1 == len(data):
                        end = i + 1
                        break
                    if data[i + 1] == 0x27:
                        i += 2
                        continue
                    end = i + 1
                    break
                i += 1
            end = end or len(data)
            tokens.append(data[pos:end])
            pos = end
        elif _is_letter(c):
            i = pos + 1
            while i < len(data) and data[i] == c:
                i += 1
            tokens.append(data[pos:i])
            pos = i
        else:
            i = pos + 1
            while i < len(data) and data[i] != 0x27 and not _is_letter(data[i]):
                i += 1
            tokens.append(data[pos:i])
            pos = i
    return tokens


def _is_letter(c: int) -> bool:
    return 65 <= c <= 90 or 97 <= c <= 122


def _format_error(message: str) -> FunctionError:
    return FunctionError(f'Invalid value for "format" parameter: {message}.', argument=0)


def _verb(tok: bytes, t: Time) -> str:
    year, month, day, hour, minute, second, weekday = t.fields()
    letter, n = chr(tok[0]), len(tok)
    quoted = go_quote_bytes(tok)

    def pick(choices: dict[int, str], message: str) -> str:
        if n not in choices:
            raise _format_error(f"invalid date format verb {quoted}: {message}")
        return choices[n]

    if letter == "Y":
        return pick({2: f"{int(_go_mod(year, 100)):02d}", 4: f"{year:04d}"}, 'year must either be "YY" or "YYYY"')
    if letter == "M":
        return pick({1: str(month), 2: f"{month:02d}", 3: _MONTHS[month - 1][:3], 4: _MONTHS[month - 1]},
                    'month must be "M", "MM", "MMM", or "MMMM"')
    if letter == "D":
        return pick({1: str(day), 2: f"{day:02d}"}, 'day of month must either be "D" or "DD"')
    if letter == "E":
        return pick({3: _WEEKDAYS[weekday][:3], 4: _WEEKDAYS[weekday]}, 'day of week must either be "EEE" or "EEEE"')
    if letter == "h":
        return pick({1: str(hour), 2: f"{hour:02d}"}, '24-hour must either be "h" or "hh"')
    if letter == "H":
        h12 = hour % 12 or 12
        return pick({1: str(h12), 2: f"{h12:02d}"}, '12-hour must either be "H" or "HH"')
    if letter in "Aa":
        if n != 2:
            raise _format_error(f'invalid date format verb {quoted}: must be "{letter}{letter}"')
        marker = "AM" if hour < 12 else "PM"
        return marker if letter == "A" else marker.lower()
    if letter == "m":
        return pick({1: str(minute), 2: f"{minute:02d}"}, 'minute must either be "m" or "mm"')
    if letter == "s":
        return pick({1: str(second), 2: f"{second:02d}"}, 'second must either be "s" or "ss"')
    if letter == "Z":
        four = _zone(t.offset, False, False)
        return pick({1: _zone(t.offset, True, True), 3: "UTC" if four == "+0000" else four, 4: four,
                     5: _zone(t.offset, True, False)}, "timezone must be Z, ZZZZ, or ZZZZZ")
    raise _format_error(f"invalid date format verb {quoted}")


def _go_mod(a: int, b: int) -> int:
    """Go's % (the sign of the dividend)."""
    return a - b * int(a / b)


@builtin("formatdate", [Param("format", cty.STRING), Param("time", cty.STRING)], returns=cty.STRING)
def formatdate(format_: Value, time: Value) -> Value:
    """Letters are verbs (a run of one letter: YYYY, MMM, EEEE, hh, AA, ZZZZZ...), any other letter is an
    error; text in single quotes is literal ('' is a quote)."""
    try:
        t = parse_timestamp(time.v)
    except ValueError as error:
        raise FunctionError(f'Invalid value for "time" parameter: {error}.', argument=1) from None
    out: list[str] = []
    for tok in _tokens(format_.v.encode("utf-8", "surrogatepass")):
        if tok[0] == 0x27:
            if tok[-1] != 0x27 or len(tok) == 1:
                raise _format_error("unterminated literal '")
            if len(tok) == 2:
                out.append("'")
                continue
            raw = tok[1:-1]
            i = 0
            while i < len(raw):
                out.append(raw[i:i + 1].decode("latin-1"))
                if raw[i] == 0x27:
                    i += 1
                i += 1
        elif _is_letter(tok[0]):
            out.append(_verb(tok, t))
        else:
            out.append(tok.decode("latin-1"))
    return cty.string("".join(out).encode("latin-1").decode("utf-8", "surrogatepass"))


@builtin("timeadd", [Param("timestamp", cty.STRING), Param("duration", cty.STRING)], returns=cty.STRING)
def timeadd(timestamp: Value, duration: Value) -> Value:
    try:
        t = parse_timestamp(timestamp.v)
        d = parse_duration(duration.v)
    except ValueError as error:
        raise FunctionError(f"{error}.") from None
    return cty.string(format_rfc3339(t.add(d)))


@builtin("timecmp", [Param("timestamp_a", cty.STRING), Param("timestamp_b", cty.STRING)], returns=cty.NUMBER)
def timecmp(timestamp_a: Value, timestamp_b: Value) -> Value:
    """The instants are compared, whatever their offsets."""
    times = []
    for index, (name, value) in enumerate((("timestamp_a", timestamp_a), ("timestamp_b", timestamp_b))):
        try:
            times.append(parse_timestamp(value.v, strict=False))
        except ValueError as error:
            raise FunctionError(f'Invalid value for "{name}" parameter: {error}.', argument=index) from None
    a, b = times[0].key(), times[1].key()
    return cty.number((a > b) - (a < b))


@builtin("timestamp", [], returns=cty.STRING, known_at_plan=False)
def timestamp() -> Value:
    """The current time: Terraform knows it only when it applies, so during a plan it is unknown."""
    import datetime as _dt

    now = _dt.datetime.now(_dt.UTC)
    return cty.string(now.strftime("%Y-%m-%dT%H:%M:%SZ"))


@builtin("plantimestamp", [], returns=cty.STRING, needs_context=True)
def plantimestamp(context: FunctionContext) -> Value:
    """The time the plan was made (the same for every call in one plan), known during the plan."""
    return cty.string(context.plan_timestamp)

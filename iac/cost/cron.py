"""How often a Quartz cron schedule fires in an average month.

Databricks job schedules are Quartz expressions: `sec min hour day-of-month month day-of-week [year]`,
day-of-week 1 = Sunday. We count the firings in a fixed reference year (a non-leap year, so the
result never depends on today's date) and divide by 12: a daily job runs 365/12 = 30.42 times a
month. Supported: `*`, `?`, numbers, names (JAN, MON), ranges, steps, lists, `L`, `L-n`, `nW`, `LW`
(day of month), `nL` and `n#k` (day of week). The year field is ignored (the schedule is taken to
repeat every year). Anything else raises `CronError`: the caller falls back to an assumption.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

__all__ = ["CronError", "REFERENCE_YEAR", "runs_per_month"]

REFERENCE_YEAR = 2026

_MONTHS = {name.upper(): i for i, name in enumerate(calendar.month_abbr) if name}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}


class CronError(ValueError):
    """The expression is not a Quartz cron expression this module understands."""


def _number(text: str, names: dict[str, int]) -> int:
    upper = text.upper()
    if upper in names:
        return names[upper]
    if not upper.isdigit():
        raise CronError(f"unexpected {text!r}")
    return int(upper)


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int]:
    """Expand one plain field (no L/W/#) to the set of values it allows."""
    names = names or {}
    out: set[int] = set()
    for part in field.split(","):
        spec, _, step_text = part.partition("/")
        step = _number(step_text, {}) if step_text else 1
        if step < 1:
            raise CronError(f"bad step in {part!r}")
        if spec in ("*", "?"):
            start, end = low, high
        elif "-" in spec:
            first, last = spec.split("-", 1)
            start, end = _number(first, names), _number(last, names)
        else:
            start = _number(spec, names)
            end = high if step_text else start
        if not (low <= start <= high and low <= end <= high):
            raise CronError(f"{part!r} is outside {low}-{high}")
        values = range(start, end + 1, step) if start <= end else [*range(start, high + 1), *range(low, end + 1)][::step]
        out.update(values)
    return out


DayTest = Callable[[date], bool]


def _weekday_nearest(day: date, target: int) -> bool:
    last = calendar.monthrange(day.year, day.month)[1]
    target = min(target, last)
    wanted = date(day.year, day.month, target)
    if wanted.weekday() == 5:  # Saturday -> Friday, unless that leaves the month
        wanted = wanted - timedelta(days=1) if target > 1 else wanted + timedelta(days=2)
    elif wanted.weekday() == 6:  # Sunday -> Monday, unless that leaves the month
        wanted = wanted + timedelta(days=1) if target < last else wanted - timedelta(days=2)
    return day == wanted


def _day_of_month(field: str) -> DayTest | None:
    """A test for the day-of-month field, or None when it does not restrict."""
    if field in ("*", "?"):
        return None
    if field == "L":
        return lambda d: d.day == calendar.monthrange(d.year, d.month)[1]
    if field.startswith("L-"):
        offset = _number(field[2:], {})
        return lambda d: d.day == calendar.monthrange(d.year, d.month)[1] - offset
    if field == "LW":
        return lambda d: _weekday_nearest(d, 31)
    if field.endswith("W"):
        target = _number(field[:-1], {})
        return lambda d: _weekday_nearest(d, target)
    days = _values(field, 1, 31)
    return lambda d: d.day in days


def _quartz_dow(day: date) -> int:
    return (day.weekday() + 1) % 7 + 1


def _day_of_week(field: str) -> DayTest | None:
    if field in ("*", "?"):
        return None
    if "#" in field:
        weekday_text, nth_text = field.split("#", 1)
        weekday, nth = _number(weekday_text, _DAYS), _number(nth_text, {})
        return lambda d: _quartz_dow(d) == weekday and (d.day - 1) // 7 + 1 == nth
    if field.endswith("L") and len(field) > 1:
        weekday = _number(field[:-1], _DAYS)
        return lambda d: _quartz_dow(d) == weekday and d.day + 7 > calendar.monthrange(d.year, d.month)[1]
    days = _values(field, 1, 7, _DAYS)
    return lambda d: _quartz_dow(d) in days


@functools.lru_cache(maxsize=1024)
def runs_per_month(expression: str) -> Decimal:
    """Average firings per month of a Quartz cron expression (reference year / 12)."""
    fields = expression.split()
    if len(fields) not in (6, 7):
        raise CronError(f"expected 6 or 7 fields, got {len(fields)}")
    seconds, minutes, hours, dom, month, dow = fields[:6]
    per_day = len(_values(seconds, 0, 59)) * len(_values(minutes, 0, 59)) * len(_values(hours, 0, 23))
    months = _values(month, 1, 12, _MONTHS)
    dom_test, dow_test = _day_of_month(dom), _day_of_week(dow)
    day, days = date(REFERENCE_YEAR, 1, 1), 0
    while day.year == REFERENCE_YEAR:
        if day.month in months and (dom_test is None or dom_test(day)) and (dow_test is None or dow_test(day)):
            days += 1
        day += timedelta(days=1)
    return Decimal(days * per_day) / Decimal(12)

"""Date and time functions (formatdate, timeadd, timecmp, timestamp, plantimestamp) against Terraform."""

from __future__ import annotations

import re

import pytest

from iac.lang import cty
from iac.lang.functions import FunctionContext, call, lookup_function
from tests.lang.test_fn_numeric import Case, check_against_terraform, evaluate, secret

s = cty.string
T = "2018-01-02T23:12:01Z"
T8 = "2018-01-02T23:12:01-08:00"

TIMESTAMPS = [
    # valid, in Go's lenient reading
    "2017-11-22T00:00:00Z", "2017-11-22T00:00:00+00:00", "2017-11-22T00:00:00-00:00", "2017-11-22T00:00:00+05:30",
    "2017-11-22T00:00:00.123456789Z", "2017-11-22T00:00:00.1234567891234Z", "2017-11-22T00:00:00,5Z",
    "2017-11-22T0:00:00Z", "2017-11-22T9:05:07+01:00", "2017-11-22T00:00:00+24:00", "2017-11-22T00:00:00-23:60",
    "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2016-02-29T12:00:00Z", "2000-02-29T00:00:00-12:00",
    "1969-12-31T23:59:59.999999999Z", "2017-11-22T23:59:59.5-11:59",
    # invalid: every error path
    "", "2017", "2017-", "2017-1", "2017-11", "2017-11-", "2017-11-2", "2017-11-22", "2017-11-22T",
    "2017-11-22 00:00:00Z", "2017-11-22t00:00:00Z", "2017-11-22T00", "2017-11-22T00:", "2017-11-22T00:00",
    "2017-11-22T00:00:", "2017-11-22T00:00:00", "2017-11-22T00:00:00z", "2017-11-22T00:00:00+0100",
    "2017-11-22T00:00:00+01", "2017-11-22T00:00:00+1:00", "2017-11-22T00:00:00 01:00", "2017-11-22T00:00:00+25:00",
    "2017-11-22T00:00:00+01:61", "2017-11-22T00:00:00+0a:00", "2017-11-22T00:00:00Zjunk", "2017-11-22T00:00:00.Z",
    "2017-11-22T00:00:00.5", "2017-13-01T00:00:00Z", "2017-00-01T00:00:00Z", "2017-02-29T00:00:00Z",
    "2017-04-31T00:00:00Z", "2017-11-00T00:00:00Z", "2017-11-32T00:00:00Z", "2017-11-22T24:00:00Z",
    "2017-11-22T00:60:00Z", "2017-11-22T00:00:60Z", "2016-12-31T23:59:60Z", "-2017-11-22T00:00:00Z",
    "+2017-11-22T00:00:00Z", "20171-11-22T00:00:00Z", "17-11-22T00:00:00Z", "2017/11/22T00:00:00Z",
    "2017-1-22T00:00:00Z", "2017-11-2T00:00:00Z", "2017-11-22T00:0:00Z", "2017-11-22T00:00:0Z", "２017-11-22T00:00:00Z",
    "2017-11-22T00:00:00Zé", "2017-11-22Té0:00:00Z", "2017-1é-22T00:00:00Z", " 2017-11-22T00:00:00Z",
    "2017-11-22T00:00:00Z ", "2017-11-22T00:00:00.Z", "2017-11-22T123:00:00Z", "2017-11-22T1:2:3Z",
]

DURATIONS = ["10m", "-10m", "+10m", "1h30m", "1.5h", ".5h", "5.s", "1h-1m", "0", "-0", "+0", "", "0s", "1", "1d",
             "1H", "300ms", "1us", "1µs", "1μs", "1ns", "2h45m30.5s", "9223372036854775807ns",
             "9223372036854775808ns", "-9223372036854775808ns", "2562047h", "2562048h", "1.000000000000000000001s",
             "0.1234567890123456789s", ".s", "-.s", "1 h", " 1h", "1h ", "-", "+", "1e3s", "1,5h", "100000000000000000000s",
             "9223372036.854775807s", "10m10m10m", "1.5", "x", "1hé", "87600h", "-87600h", "876000h", "3000000h"]

FORMATS = [
    "DD MMM YYYY hh:mm ZZZ", "EEEE, DD-MMM-YY hh:mm:ss ZZZ", "EEE, DD MMM YYYY hh:mm:ss ZZZ", "MMM DD, YYYY",
    "HH:mmaa", "h'h'mm", "H 'o''clock'", "YYYY-MM-DD'T'hh:mm:ssZ", "Z", "ZZZ", "ZZZZ", "ZZZZZ", "ZZ", "ZZZZZZ",
    "YY", "YYYY", "Y", "YYY", "YYYYY", "M", "MM", "MMM", "MMMM", "MMMMM", "D", "DD", "DDD", "EEE", "EEEE", "E", "EE",
    "EEEEE", "h", "hh", "hhh", "H", "HH", "HHH", "AA", "aa", "A", "a", "AAA", "m", "mm", "mmm", "s", "ss", "sss",
    "x", "Q", "", "'", "''", "''''", "'abc'", "'abc'x", "x'abc'", "'abc", "'ab''c'", "'ab''c'Y", "'abc''",
    "'It''s' h", "YYYY年MM月DD日", "DD/MM/YYYY 😀", "h:mm:ss.sss", "-_ /:.,+", "hh'''mm'''", "'", "YYYY'",
    "DDMMYYYYhhmmss", "EEE EEE MMM MMM", "YYYY\n\tMM",
]

CASES: list[Case] = (
    [("formatdate", [s(f), s(T)]) for f in FORMATS]
    + [("formatdate", [s(f), s(T8)]) for f in FORMATS[:12]]
    + [("formatdate", [s("YYYY-MM-DD hh:mm:ss ZZZZZ EEEE aa"), s(t)]) for t in TIMESTAMPS]
    + [("timeadd", [s("2017-11-22T00:00:00Z"), s(d)]) for d in DURATIONS]
    + [("timeadd", [s("2017-11-22T23:30:00+05:30"), s(d)]) for d in DURATIONS[:12]]
    + [("timeadd", [s(t), s("1h")]) for t in TIMESTAMPS]
    + [("timeadd", [s(t), s("-1ns")]) for t in TIMESTAMPS[:17]]
    + [("timecmp", [s(t), s("2017-11-22T00:00:00Z")]) for t in TIMESTAMPS]
    + [("timecmp", [s("2017-11-22T00:00:00Z"), s(t)]) for t in TIMESTAMPS[:24]]
    + [
        ("timecmp", [s("2017-11-22T00:00:00Z"), s("2017-11-22T00:00:00Z")]),
        ("timecmp", [s("2017-11-22T00:00:00Z"), s("2017-11-22T01:00:00Z")]),
        ("timecmp", [s("2017-11-22T01:00:00Z"), s("2017-11-22T00:00:00Z")]),
        ("timecmp", [s("2017-11-22T01:00:00Z"), s("2017-11-22T00:00:00-01:00")]),
        ("timecmp", [s("2017-11-22T00:00:00.000000001Z"), s("2017-11-22T00:00:00Z")]),
        ("timecmp", [s("2017-11-22T00:00:00.0000000001Z"), s("2017-11-22T00:00:00Z")]),
        ("timecmp", [s("bad"), s("worse")]),
        ("timeadd", [s("9999-12-31T23:59:59Z"), s("1s")]), ("timeadd", [s("0000-01-01T00:00:00Z"), s("-1s")]),
        ("timeadd", [s("0000-01-01T00:00:00Z"), s("-2562047h")]), ("timeadd", [s("9999-12-31T00:00:00Z"), s("2562047h")]),
        ("timeadd", [s("2017-11-22T00:00:00.999999999Z"), s("1ns")]), ("timeadd", [s("bad"), s("bad")]),
        ("timeadd", [s("2017-11-22T00:00:00Z"), s("bad")]), ("timeadd", [s("bad"), s("1h")]),
        ("timeadd", [s("2016-02-28T23:00:00+24:00"), s("1h")]), ("timeadd", [s("2017-03-01T00:00:00-23:60"), s("-1ns")]),
        ("formatdate", [s("YYYY"), s("bad")]), ("formatdate", [s("Q"), s("bad")]),
        ("formatdate", [s("YYYY"), s("0000-01-01T00:00:00Z")]), ("formatdate", [s("YY"), s("2005-01-01T00:00:00Z")]),
        ("formatdate", [s("EEEE"), s("1970-01-01T00:00:00Z")]), ("formatdate", [s("EEEE"), s("0000-03-01T00:00:00Z")]),
        ("formatdate", [s("HH AA H aa"), s("2018-01-02T00:12:01Z")]), ("formatdate", [s("HH AA"), s("2018-01-02T12:00:00Z")]),
        ("formatdate", [s("Z ZZZ ZZZZ ZZZZZ"), s("2018-01-02T12:00:00+00:00")]),
        ("formatdate", [s("Z ZZZ ZZZZ ZZZZZ"), s("2018-01-02T12:00:00-00:30")]),
        ("formatdate", [s("Z ZZZ ZZZZ ZZZZZ"), s("2018-01-02T12:00:00+24:00")]),
        # unknown, null, sensitive, wrong types, arity
        ("formatdate", [cty.unknown(cty.STRING), s(T)]), ("formatdate", [s("YYYY"), cty.unknown(cty.STRING)]),
        ("formatdate", [cty.null(cty.STRING), s(T)]), ("formatdate", [s("YYYY"), cty.null(cty.DYNAMIC)]),
        ("formatdate", [secret(s("YYYY")), s(T)]), ("formatdate", [s("YYYY"), secret(s(T))]),
        ("formatdate", [s("YYYY"), cty.number(5)]), ("formatdate", [cty.tuple_value([]), s(T)]), ("formatdate", [s("Y")]),
        ("timeadd", [cty.unknown(cty.DYNAMIC), s("1h")]), ("timeadd", [s(T), cty.null(cty.STRING)]),
        ("timeadd", [secret(s(T)), s("1h")]), ("timeadd", [s(T), secret(s("1h"))]), ("timeadd", [s(T), cty.number(1)]),
        ("timeadd", [s(T), cty.TRUE]), ("timeadd", [s(T)]),
        ("timecmp", [s(T), cty.unknown(cty.STRING)]), ("timecmp", [cty.null(cty.STRING), s(T)]),
        ("timecmp", [secret(s(T)), s(T)]), ("timecmp", [s(T), cty.list_value([s(T)])]), ("timecmp", [s(T), s(T), s(T)]),
        ("timestamp", []), ("timestamp", [s(T)]), ("plantimestamp", [s(T)]),
    ]
)

RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)")


@pytest.mark.oracle
def test_datetime_functions_match_terraform() -> None:
    assert check_against_terraform(CASES) == []


@pytest.mark.oracle
def test_plantimestamp_is_known_during_plan() -> None:
    """Terraform's value is its own clock: compare the shape and known-ness, and that iac gives the
    context's plan timestamp."""
    tf = evaluate(["plantimestamp()", "timestamp()", 'timeadd(plantimestamp(), "1h")'])
    assert tf[0].unknown is False and RFC3339.fullmatch(tf[0].value), tf[0]
    assert tf[1].unknown is True
    assert tf[2].unknown is False and RFC3339.fullmatch(tf[2].value)
    plan = lookup_function("plantimestamp")
    stamp = lookup_function("timestamp")
    assert plan is not None and stamp is not None
    got = call(plan, [], FunctionContext(plan_timestamp="2024-05-06T07:08:09Z"))
    assert got == cty.string("2024-05-06T07:08:09Z") or (got.v, got.type) == ("2024-05-06T07:08:09Z", cty.STRING)
    assert call(stamp, []).v is cty.UNKNOWN and call(stamp, []).type == cty.STRING

"""Oracle tables for yamlencode and yamldecode (go-cty-yaml)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from iac.lang import cty
from tests.lang.test_fn_encoding_support import (
    NULL_STRING,
    UNKNOWN_STRING,
    UNTYPED_NULL,
    CaseLike,
    check_cases,
    s,
    sens,
)

LONG = "word " * 30

ENCODE_VALUES = [
    s("hello"), s(""), s(" "), s("a b"), s(LONG), s(LONG.strip()), s("x" * 200), s("a  " * 40), s("  lead" + " x" * 50),
    s("line1\nline2"), s("line1\nline2\n"), s("line1\nline2\n\n"), s("\n"), s("\n\nx"), s(" leading\nx"),
    s("trailing \nx"), s("x\n "), s("tab\there"), s("a\u0085b\u2028c\u2029d"), s("😀 é e\u0301 日本"), s("\ufeffbom"),
    s("\u0000\u0007\u0008\u000b\u000c\u001b\u007f\u00a0"), s("quote \" backslash \\ single '"), s("- dash"),
    s("# hash"), s("key: value"), s("---"), s("..."), s("null"), s("true"), s("123"), s("@at"), s("`tick`"),
    s("multi\nline with trailing space \nend"), s("a\r\nb"), s("a\rb"), s(" \n "), s("\u2028"),
    s("long line " * 12 + "\nsecond line"), s("\t\n"), s("x\n\n"),
    cty.number(0), cty.number(-1), cty.number(Decimal("1.5")), cty.number(10**40), cty.number(Decimal("-1e-10")),
    cty.TRUE, cty.FALSE, UNTYPED_NULL, cty.null(cty.STRING), cty.null(cty.list_of(cty.STRING)),
    cty.EMPTY_TUPLE, cty.EMPTY_OBJECT, cty.list_value([], cty.STRING), cty.map_value({}, cty.STRING),
    cty.tuple_value([cty.tuple_value([cty.number(1), cty.number(2)]), cty.EMPTY_TUPLE, cty.EMPTY_OBJECT,
                     cty.object_value({"a": cty.object_value({"b": cty.tuple_value([cty.TRUE])})})]),
    cty.object_value({"a": cty.tuple_value([cty.object_value({"b": cty.number(1), "c": cty.tuple_value([s("2")])})])}),
    cty.object_value({"": s(""), "multi\nkey": s("v"), "key " * 40: cty.number(1), "😀": UNTYPED_NULL}),
    cty.object_value({"k": s("line1\nline2\n"), "l": cty.tuple_value([s("a\nb"), s(LONG)]),
                      "m": cty.object_value({"n": s(LONG), "o": cty.EMPTY_TUPLE})}),
    cty.map_value({"b": cty.number(1), "a": cty.number(2), "Z": cty.number(3)}),
    cty.set_value([s("b"), s("a")]), cty.list_value([cty.null(cty.STRING), s("x")]),
    cty.object_value({"x" * 130: s("long key"), "y" * 128: s("128")}),
    cty.object_value({"a": cty.object_value({"b": cty.object_value({"c": s(LONG + LONG)})})}),
    cty.tuple_value([cty.tuple_value([cty.tuple_value([s("deep\nblock")])])]),
    cty.object_value({"e": cty.EMPTY_OBJECT, "f": cty.tuple_value([cty.EMPTY_OBJECT, cty.EMPTY_TUPLE])}),
    cty.object_value({"multi\nkey": cty.tuple_value([cty.number(1)]), "k2": cty.EMPTY_OBJECT}),
]


def encode_cases() -> list[CaseLike]:
    cases: list[CaseLike] = [("yamlencode", [v]) for v in ENCODE_VALUES]
    cases += [
        ("yamlencode", [cty.object_value({"a": s("b"), "c": cty.tuple_value([s("d"), cty.number(1)])})]),
        ("yamlencode", [UNKNOWN_STRING]),
        ("yamlencode", [cty.unknown(cty.DYNAMIC)]),
        ("yamlencode", [cty.tuple_value([UNKNOWN_STRING])]),
        ("yamlencode", [sens(s("secret"))]),
        ("yamlencode", [cty.object_value({"a": sens(s("secret"))})]),
        ("yamlencode", []),
        ("yamlencode", [s("a"), s("b")]),
    ]
    return cases


DOCUMENTS = [
    # the documentation's examples
    "hello: world", "true", "{a: &ref [1, 2, 3], b: *ref}", "- a\n- b\n- c",
    # scalars and their resolution
    "1_000", "0x1F", "-0x1F", "+0x1F", "0o17", "-0o17", "017", "0b101", "+1", "1.", ".5", "1e3", "1E3", "1e+3",
    ".nan", ".NaN", "0.1e-2", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10",
    "2001-12-14T21:59:43Z", "2001-1-2", "2001-02-29", "2000-02-29", "2001-13-01", "2001-12-14T25:00:00Z",
    "2001-12-14T21:59:43+00:00", "2001-12-14T21:59:43+05:30", "2001-12-14 21:59:43 +5", "2001-12-14T1:2:3Z",
    "2001-12-14 21:59:43,5", "12345-01-01", "yes", "Yes", "YES", "y", "Y", "on", "ON", "off", "n", "NO", "~",
    "null", "NULL", "Null", "nUll", "true", "TRUE", "tRue", "+", ".", "0", "-0", "00", "08", "1:20", "12e", "0xGG",
    "1__0", "0x_1F", "1,000", "0.", "-.5", "+.5", "1e", "0o8", "0O17", "0X1F", "9223372036854775808",
    "0xFFFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFFF", "123456789012345678901234567890", "3.14159265358979323846264338327950",
    "!!str 123", "!!int 12", "!!int 1.5", "!!float 2", "!!bool yes", "!!bool 1", "!!bool maybe", "!!null x",
    "!!binary aGVsbG8=", "!!binary ???", "!!binary |\n  aGVs\n  bG8=", "!!timestamp 2001-12-14", "!!timestamp x",
    "!foo x", "! 12", "!!str", "'12'", '"true"', "!!map {}", "!!seq []", "!!set {a}", "!!omap []",
    "!!int 0x1F", "!!int 0b11", "!!int -0b11", "!!int 1_0", "!!int 017", "!!int 0o17", "!!int x", "!!float x",
    "!!merge x", "<<", "!<tag:yaml.org,2002:str> 5", "!!int ''", "!!str yes", "inf", "Infinity", "-", "- ",
    "?", ":", "'single ''quoted'''", '"double \\"quoted\\" \\u00e9 \\x41 \\U0001F600"', "'multi\n  line'",
    "plain\n  continued", "|\n  literal\n  text\n", ">\n  folded\n  text\n", "|-\n  strip\n", "|+\n  keep\n\n",
    ">2\n   indented\n", "e\u0301", "😀: 1", "'\\n'",
    # structures
    "a: 1\nb: [2, 3]\nc: {d: 4}", "[]", "{}", "[[], {}]", "a:\n  - 1\n  - b: 2\n    c: 3", "- - - x",
    "a: 1\na: 2", "a: 1\na: x", "1: one\n2: two", "true: t\nno: n", "1.50: x", "~: x", "null: x", ": empty key",
    "2001-12-14: date", "? [1]\n: x", "? {a: 1}\n: x", "[a, b]: c", "&a key: v", "a: &x 1\nb: *x",
    "a: &x {b: 1}\nc: *x", "a: *x", "a: &x [*x]", "a: &x\n  b: *x", "&x [1, *x]", "a: &x 1\na2: &x 2\nb: *x",
    "base: &base {a: 1, b: 2}\nderived:\n  <<: *base\n  b: 3", "<<: {a: 1}\nb: 2", "a:\n  <<: [{x: 1}, {y: 2}]",
    "<<: 1", "a: !!map\n  b: 1", "a: !!seq\n- 1", "!!map [1]", "!!seq {a: 1}", "!foo {a: 1}", "!foo [1]",
    # documents and streams
    "", " ", "\n", "# only a comment", "---", "--- null", "---\n...", "--- 1\n--- 2", "a: 1\n---\nb: 2",
    "--- 1\n...\n", "%YAML 1.1\n--- 1", "%YAML 2.0\n--- 1", "%TAG ! tag:example.com,2000:\n--- !foo 1", "...",
    # syntax errors
    "a: b: c", "[1, 2", "{a: 1", "a:\n  - 1\n - 2", "\ta: 1", "a: 'unterminated", 'a: "unterminated', "- a\nb: c",
    "a: @b", "a: `b`", "{a: 1, a}", "a:\n\tb: 1", "[a, b]]", "key: value\n  bad indent: x", "*", "&", "!",
    "a: |\n x\n  y\n z", "\"a\\qb\"", "? a\n? a", "- [a\n- b", "a: !!str\n  - x", "x: y\n- z",
    "\u0001", "a: \u0001", "\ufeffa: 1", "a: b\n\u0085c: d",
    # quoted scalars keep their text whatever the tag; merge keys; anchors on keys
    "!!int '12'", "!!bool 'yes'", "!!null ''", '!!int ""', "!!float ''", "!!binary '???'", "!foo 'x'",
    "!!int |\n  12", "!!str ''", "b: 3\n<<: {b: 1, c: 2}", "<<: {b: 1, c: 2}\nb: 3", '"<<": {a: 1}', "'<<': {a: 1}",
    "!!merge <<: {a: 1}", "<<: *x", "a: &x {p: 1}\n<<: *x\n<<: {q: 2}", "a: &x [1]\n<<: *x",
    "<<: {a: {b: 1}}\na: {c: 2}", "<<: ~", "<<: []", "<<: {}", "x:\n  <<: {a: 1}\n  a: 2\n  <<: {a: 3, z: 0}",
    "a: 1\n? a\n: [2]", "1: x\n'1': y", "!!str a: 1", "!!int 5: x", "? !!null x\n: y", "&k a: 1\nb: *k",
    "'': x", "''", "- ''", "!!int", "a: !!int", "a:", "!!null", "? |\n  block key\n: v", "!!binary 'aGVs\n  bG8='",
    "!!binary aGVs bG8=", "--- |\n  text", "a: [1, &y 2, *y]", "&a a: &b b", "x: &a\n  - *a",
    "a:\n  b:\n    c: !!set {x}", "a:\n  - 1\n  - !!binary '%'", "x: 1\ny: [1, 2\n",
    "|-\n  true", "|-\n  123", ">-\n  0x1F", "|\n", ">\n", "a: |\nb: 1", "a: >-\n  null", "|-\n  2001-12-14",
    "|-\n  .nan", "a: |-\n  ~", "|+\n", "? |-\n  1\n: x", "a: &x |-\n  12\nb: *x", "'0x1F'", "\"1e3\"",
]


def decode_cases() -> list[CaseLike]:
    cases: list[CaseLike] = [("yamldecode", [s(d)]) for d in DOCUMENTS]
    cases += [
        ("yamldecode", [UNKNOWN_STRING]),
        ("yamldecode", [sens(s("a: [1, 2]"))]),
        ("yamldecode", [sens(s("a: b: c"))]),
        ("yamldecode", [NULL_STRING]),
        ("yamldecode", [UNTYPED_NULL]),
        ("yamldecode", [cty.number(1)]),
        ("yamldecode", []),
    ]
    return cases


@pytest.mark.oracle
def test_yamlencode_matches_terraform() -> None:
    check_cases(encode_cases())


@pytest.mark.oracle
def test_yamldecode_matches_terraform() -> None:
    check_cases(decode_cases())


@pytest.mark.oracle
def test_yamldecode_infinities_match_terraform() -> None:
    """`.inf` decodes to an infinite number (a plan cannot hold one, so compare through expressions)."""
    from iac.lang.functions.encoding import yaml_decode
    from tests.lang.tfeval import terraform_eval

    documents = [".inf", ".Inf", "+.INF", "-.inf", "!!float .inf", "[.inf, -.Inf]"]
    results = terraform_eval([f'yamldecode("{d}") == yamldecode("{d}") ? jsonencode([for x in flatten([yamldecode("{d}")]) : '
                              f'x > 0 ? "+inf" : "-inf"]) : ""' for d in documents])
    for document, tf in zip(documents, results, strict=True):
        value = yaml_decode(document)
        elems = value.v if isinstance(value.v, tuple) else (value,)
        assert tf.value == "[" + ",".join('"+inf"' if e.v > 0 else '"-inf"' for e in elems) + "]", document

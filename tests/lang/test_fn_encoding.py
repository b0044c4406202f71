"""Oracle tables for the encoding functions: base64decode, base64encode, base64gzip, csvdecode, jsondecode,
jsonencode, textdecodebase64, textencodebase64, urlencode (YAML in test_fn_encoding_yaml.py)."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest

from iac.lang import cty
from iac.lang.cty import ConversionError
from tests.lang.test_fn_encoding_support import (
    NULL_STRING,
    UNKNOWN_STRING,
    UNTYPED_NULL,
    Case,
    CaseLike,
    check_cases,
    s,
    sens,
)

TEXTS = ["", "Hello World", "é", "e\u0301", "日本語のテキスト", "😀🎉 family: 👨‍👩‍👧", "\u0000\u0001\u001f\u007f",
         "a\nb\r\nc\t", "<tag>&amp;</tag>", "\u2028\u2029", "x" * 300, "~!@#$%^&*()_+`-={}|[]\\:\";'<>?,./ ",
         "\ufeffbom", "\U0010ffff", "ÿ\u0100"]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def base64_cases() -> list[CaseLike]:
    cases: list[CaseLike] = []
    for text in TEXTS:
        cases += [("base64encode", [s(text)]), ("base64gzip", [s(text)]), ("urlencode", [s(text)]),
                  ("base64decode", [s(b64(text.encode()))])]
    for encoded in ["SGVsbG8gV29ybGQ=", "SGVsbG8gV29ybGQ", "SGVsbG8gV29ybGQ==", "SGVs\nbG8g\r\nV29y\nbGQ=",
                    "SGVsbG8gV29ybGQ=\n", "SGVsbG8=V29ybGQ=", "SGVsbG8gV29ybGQ=x", "S", "SG", "SGV", "SGVs",
                    "====", "SGVsbA=", "SGVsbA==", "SGVsbA=\n=", "SGVsbA= =", "SG!s", "SGVsbG8-", "SGVsbG8_",
                    "SGVsbG9=", "/w==", "gICA", "7aCA", "wMA=", "é", " SGVs", "SGVs ", "\nSGVs\n", "=", "\n"]:
        cases.append(("base64decode", [s(encoded)]))
    cases += [
        ("base64decode", [sens(s("SGVsbG8gV29ybGQ="))]),
        ("base64decode", [sens(s("not base64!"))]),
        ("base64decode", [UNKNOWN_STRING]),
        ("base64decode", [sens(UNKNOWN_STRING)]),
        ("base64decode", [NULL_STRING]),
        ("base64decode", [UNTYPED_NULL]),
        ("base64decode", [cty.number(5)]),
        ("base64decode", [cty.tuple_value([])]),
        ("base64decode", []),
        ("base64encode", [sens(s("secret"))]),
        ("base64encode", [UNKNOWN_STRING]),
        ("base64encode", [NULL_STRING]),
        ("base64encode", [cty.number(12.5 if False else 12)]),
        ("base64encode", [cty.TRUE]),
        ("base64encode", [cty.list_value([s("a")])]),
        ("base64gzip", [sens(s("secret"))]),
        ("base64gzip", [UNKNOWN_STRING]),
        ("base64gzip", [NULL_STRING]),
        ("base64gzip", [s("The quick brown fox jumps over the lazy dog. " * 200)]),
        ("base64gzip", [s("".join(chr(0x20 + (i * 7919) % 0x5E) for i in range(5000)))]),
        ("urlencode", [s("Hello World!")]),
        ("urlencode", [s("☃")]),
        ("urlencode", [s("foo:bar@localhost?foo=bar&bar=baz")]),
        ("urlencode", [s("a+b c/d%20")]),
        ("urlencode", [sens(s("x y"))]),
        ("urlencode", [UNKNOWN_STRING]),
        ("urlencode", [NULL_STRING]),
        ("urlencode", [cty.number(-1.5 if False else -1)]),
    ]
    return cases


ENCODINGS = ["UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE", "US-ASCII", "ISO-8859-1", "ISO-8859-2", "ISO-8859-5",
             "ISO-8859-6-E", "ISO-8859-8-I", "ISO-8859-9", "ISO-8859-15", "ISO-8859-16", "windows-1250",
             "windows-1251", "windows-1252", "windows-1255", "windows-1258", "windows-874", "KOI8-R", "KOI8-U",
             "macintosh", "IBM437", "IBM850", "IBM852", "IBM855", "IBM00858", "IBM860", "IBM862", "IBM863", "IBM865",
             "IBM866", "IBM037", "IBM1047", "IBM01140", "Shift_JIS", "EUC-JP", "ISO-2022-JP", "EUC-KR", "GBK",
             "GB18030", "HZ-GB-2312", "Big5"]
ALIASES = ["utf-8", "csUTF16LE", " UTF-16LE ", "latin1", "l1", "IBM819", "ISO_8859-1:1987", "cyrillic", "Latin-9",
           "cswindows1252", "mac", "cp437", "437", "ascii", "us", "ANSI_X3.4-1968", "cp1252", "latin-1", "UTF8",
           "UTF-32", "UTF-7", "ISO-2022-KR", "windows-31j", "GB2312", "", "nope", "IBM864", "TIS-620", "ms_kanji",
           "csShiftJIS", "euc-jp", "cp936", "windows-936", "csgbk", "ibm00858", "ebcdic-cp-us", "ibm-1047"]

SAMPLES = ["Hello World~", "", "£¢¬‖−～〜¥‾∥－￡", "①ⅰ~~", "café", "Grüße, Jürgen", "€100", "Привет", "日本語", "한국어", "中文", "😀", "\u00a0",
           "ʃ", "\u0085", "a\nb"]


def text_encoding_cases() -> list[CaseLike]:
    cases: list[CaseLike] = []
    for name in ENCODINGS:
        for sample in SAMPLES:
            cases.append(("textencodebase64", [s(sample), s(name)]))
    for name in ALIASES:
        cases.append(("textencodebase64", [s("Hello é"), s(name)]))
    cases.append(("textencodebase64", [s("private \ue037 use"), s("Shift_JIS")]))
    for name in ["UTF-16", "UTF-16LE", "UTF-16BE", "windows-1252", "ISO-8859-2", "ISO-8859-9", "KOI8-U",
                 "windows-1255", "IBM1047", "Shift_JIS", "EUC-KR", "Big5", "GBK", "UTF-8", "macintosh", "US-ASCII",
                 "HZ-GB-2312", "ISO-2022-JP", "EUC-JP"]:
        for data in [b"Hello", b"\xfe\xff\x00A", b"\xff\xfeA\x00", b"\x00A\x00", b"\xd8\x00\x00A", b"\x80",
                     b"\x81\x8d", b"\xae\xbe", b"\xca", b"\xe9t\xe9", b"\x82\xa0", b"\xa4\xa4", b"\xc3\xa9",
                     b"\xef\xbf\xbd", b"\xff\xff", b"", b"~{VPND~}x", b"~{\"c", b"~~a", b"~x", b"\xa3\xe1",
                     b"\x1b$B-!|q\x1b(B", b"\x1b$B$\"\x1b(Ba", b"\x1b(J\\~", b"\x1b(I1", b"\x1b$B$", b"\x1b(Z",
                     b"\xa2\xe3", b"\x81", b"\xaa\xd8"]:
            cases.append(("textdecodebase64", [s(b64(data)), s(name)]))
    cases += [
        ("textencodebase64", [s("Hello World"), s("UTF-16LE")]),
        ("textdecodebase64", [s("SABlAGwAbABvACAAVwBvAHIAbABkAA=="), s("UTF-16LE")]),
        ("textdecodebase64", [s("SABlAGwAbABvACAAVwBvAHIAbABkAA"), s("UTF-16LE")]),
        ("textdecodebase64", [s("SABl!AGwA"), s("UTF-16LE")]),
        ("textdecodebase64", [s("SABlAG=wA"), s("UTF-16LE")]),
        ("textdecodebase64", [s("SGVsbG8="), s("nope")]),
        ("textencodebase64", [sens(s("Hello")), s("UTF-8")]),
        ("textencodebase64", [s("Hello"), sens(s("UTF-8"))]),
        ("textdecodebase64", [sens(s("SGVsbG8=")), s("UTF-8")]),
        ("textencodebase64", [UNKNOWN_STRING, s("UTF-8")]),
        ("textencodebase64", [s("a"), UNKNOWN_STRING]),
        ("textdecodebase64", [UNKNOWN_STRING, s("UTF-8")]),
        ("textencodebase64", [NULL_STRING, s("UTF-8")]),
        ("textencodebase64", [s("a"), NULL_STRING]),
        ("textdecodebase64", [s("SGVsbG8="), NULL_STRING]),
        ("textencodebase64", [s("a")]),
        ("textencodebase64", [s("a"), cty.number(8)]),
        ("textdecodebase64", [cty.tuple_value([]), s("UTF-8")]),
    ]
    return cases


def json_values() -> list[cty.Value]:
    return [
        s("hello"), s(""), s("<b>\"quoted\" & 'single'</b>"), s("\u2028\u2029"), s("\u0000\u0008\u000c\u001f\u007f"),
        s("tab\tnewline\ncr\r"), s("😀 é e\u0301 \\ /"), cty.number(0), cty.number(-12), cty.number(Decimal("3.14159")),
        cty.number(10**30), cty.number(Decimal("1e-20")), cty.number(Decimal("-0.5")),
        cty.number(Decimal("123456789012345678901234567890.123456789")), cty.TRUE, cty.FALSE,
        cty.null(cty.STRING), cty.null(cty.NUMBER), UNTYPED_NULL, cty.null(cty.list_of(cty.STRING)),
        cty.EMPTY_TUPLE, cty.EMPTY_OBJECT,
        cty.list_value([s("b"), s("a")]), cty.set_value([s("b"), s("a"), s("c")]),
        cty.set_value([cty.number(10), cty.number(9), cty.number(-1)]),
        cty.map_value({"z": cty.number(1), "a": cty.number(2), "é": cty.number(3), "B": cty.number(4)}),
        cty.object_value({"hello": s("world"), "list": cty.tuple_value([cty.number(1), cty.TRUE, UNTYPED_NULL]),
                          "nested": cty.object_value({"<": s(">")})}),
        cty.tuple_value([s("a"), cty.number(1), cty.EMPTY_OBJECT, cty.EMPTY_TUPLE]),
        cty.list_value([], cty.STRING), cty.set_value([], cty.NUMBER), cty.map_value({}, cty.BOOL),
        cty.object_value({"a": cty.null(cty.STRING), "b": cty.list_value([cty.null(cty.NUMBER)])}),
        cty.map_value({"k": cty.list_value([s("x")])}),
        cty.object_value({"": s("empty key"), "a b": s("space"), "10": s("num"), "2": s("two")}),
    ]


def json_cases() -> list[CaseLike]:
    cases: list[CaseLike] = [("jsonencode", [v]) for v in json_values()]
    cases += [
        ("jsonencode", [cty.object_value({"hello": s("world")})]),
        ("jsonencode", [UNKNOWN_STRING]),
        ("jsonencode", [cty.unknown(cty.DYNAMIC)]),
        ("jsonencode", [cty.tuple_value([s("a"), UNKNOWN_STRING])]),
        ("jsonencode", [cty.object_value({"a": UNKNOWN_STRING})]),
        ("jsonencode", [sens(s("secret"))]),
        ("jsonencode", [cty.object_value({"a": sens(s("secret")), "b": s("open")})]),
        ("jsonencode", [cty.tuple_value([sens(cty.number(1))])]),
        ("jsonencode", []),
        ("jsonencode", [s("a"), s("b")]),
    ]
    documents = ['{"hello": "world"}', "true", "false", "null", "0", "-0.5", "1e3", "1E+2", "12345678901234567890123",
                 "0.1", "3.141592653589793238462643383279502884197", "-1.5e-10", "1e400", '"string"', '""',
                 '"\\u00e9\\n\\t\\"\\\\\\/\\b\\f\\r"', '"\\ud83d\\ude00"', '"\\ud800"', '"\\udc00x"', '"\\ud800\\u0041"',
                 '"e\\u0301"', "[]", "{}", "[1, \"two\", [3], {\"four\": 4}, null, true]", '{"a": {"b": {"c": []}}}',
                 '{"b": 1, "a": 2, "é": 3}', ' \n\t {"a" : 1 } \r\n', '{"a": null}', "[null]", "[[], {}]",
                 "", " ", "[1,", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "{1: 2}", "{\"a\"}",
                 "tru", "truex", "nul", "nulL", "fals", "-", "-a", "01", "1.", "1.e3", ".5", "1e", "1e+", "1ea",
                 "+1", "NaN", "Infinity", "'single'", '"unterminated', '"bad \\x escape"', '"bad \\u12G4"',
                 '"ctl \n char"', '"\\u12"', "1 2", "1 ]", "{} }", "[] x", "{} {}", '"a" "b"', "[1] ,",
                 '{"a": 1, "a": 2}', '{"a": {"x": 1}, "a": []}', '{"a": [1], "a": [2]}', '{"a": null, "a": 1}',
                 '{"a": 1, "a": [}', "é", "[é]", "\u00a0", "\ufeff{}", "// comment\n1",
                 "[1]]", "]", "}", ":", ",", "{\"a\":}", "[,1]", '{"a":1}}', "123abc", '"x"y']
    cases += [("jsondecode", [s(d)]) for d in documents]
    cases += [
        ("jsondecode", [UNKNOWN_STRING]),
        ("jsondecode", [sens(s('{"a": [1, 2]}'))]),
        ("jsondecode", [sens(s("not json"))]),
        ("jsondecode", [NULL_STRING]),
        ("jsondecode", [UNTYPED_NULL]),
        ("jsondecode", [cty.number(1)]),
        ("jsondecode", [cty.EMPTY_OBJECT]),
        ("jsondecode", []),
    ]
    return cases


def csv_cases() -> list[CaseLike]:
    documents = ["a,b,c\n1,2,3\n4,5,6", "a,b,c\n1,2,3\n4,5,6\n", "a,b,c\r\n1,2,3\r\n", "a,b\n", "a,b", "a",
                 "", "\n", "\n\n", "a,b\n\n1,2\n\n", "a,a\n1,2", "a,b\n1,2,3", "a,b\n1", "a,b\n1,2\n3",
                 'a,b\n"x,y","z ""q"""\n', 'a,b\n"multi\nline",2\n', 'a\n"unterminated\n', 'a\nx"y\n',
                 'a\n"x"y\n', 'a,b\n"x" ,y\n', '"a\nb",c\n1,2', "a,b\n,\n", "a,b\n , \n", "a;b\n1;2", " a ,b\n1,2",
                 "é,日本\nü,😀\n", "e\u0301\nx", "a\tb\n1\t2", 'a,"b"\n1,"2"', 'a\n"""quoted"""', "a\r\n\r\n1\r\n",
                 "a\r", "a\n1\r", "a\n1\rb\n", 'a,b\n"1\r\n2",3', "a,\n1,2", ",\n1,2", "a,b,\n1,2,3",
                 'a\n"x"\n"y', 'a\n""\n', "a\n#comment\n", 'a\n"', 'a\n"x', 'a,b\n1,2\n3,4,5\n6,7',
                 'a,b\n1,"2\n3\n4",5\n', 'a\n"x\n\ny"\n', "a,b\n1,2\n\n\n3,4"]
    cases: list[CaseLike] = [("csvdecode", [s(d)]) for d in documents]
    cases += [
        ("csvdecode", [UNKNOWN_STRING]),
        ("csvdecode", [sens(s("a,b\n1,2"))]),
        ("csvdecode", [NULL_STRING]),
        ("csvdecode", [cty.number(1)]),
        ("csvdecode", []),
    ]
    return cases


@pytest.mark.oracle
def test_base64_and_urlencode_match_terraform() -> None:
    check_cases(base64_cases())


@pytest.mark.oracle
def test_text_encodings_match_terraform() -> None:
    check_cases(text_encoding_cases())


@pytest.mark.oracle
def test_json_matches_terraform() -> None:
    check_cases(json_cases())


@pytest.mark.oracle
def test_csvdecode_matches_terraform() -> None:
    check_cases(csv_cases())


def test_cty_strings_are_nfc_and_conversion_messages_name_the_type() -> None:
    """Shared-file changes this family relies on (iac/lang/cty.py)."""
    assert cty.string("e\u0301").v == "\u00e9"
    assert cty.string("\u212b").v == "\u00c5"
    with pytest.raises(ConversionError, match="string required, but have tuple"):
        cty.convert(cty.EMPTY_TUPLE, cty.STRING)
    with pytest.raises(ConversionError, match="number required, but have bool"):
        cty.convert(cty.TRUE, cty.NUMBER)
    with pytest.raises(ConversionError, match="bool required, but have number"):
        cty.convert(cty.number(1), cty.BOOL)
    assert Case("x", []).expression() == "x()"

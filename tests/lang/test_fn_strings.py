"""The string functions, case by case, against Terraform 1.15 (one offline plan evaluates every case).

Each case is a call with cty arguments; Terraform evaluates the same call written as HCL. Compared:
the value, its type, which parts are unknown, sensitivity, and for a refused call the error text (iac's
message must appear in Terraform's diagnostic). Cases marked REFUSES compare only that both refuse:
their message comes from a cty conversion whose wording is the value model's (see the note at the end).
String inputs are NFC, as HCL makes every literal.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

import pytest

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import FunctionContext, FunctionError, call, lookup_function
from tests.lang.tfeval import TfResult, hcl_literal, terraform_eval

S = cty.string
T = cty.tuple_value
UNKNOWN_S = cty.unknown(cty.STRING)
REFUSES = "refuses"


def N(n: int | str) -> Value:  # noqa: N802 - a value constructor, like S and T
    return cty.number(Decimal(n) if isinstance(n, str) else n)


def L(*items: str) -> Value:  # noqa: N802
    return cty.list_value([S(i) for i in items], cty.STRING)


def secret(value: Value) -> Value:
    return value.mark({cty.SENSITIVE})


CASES: list[tuple[str, list[Value]] | tuple[str, list[Value], str]] = [
    # upper, lower, title
    ("upper", [S("hello ÄbC ß ǆ ᾳ")]),
    ("upper", [secret(S("s"))]),
    ("upper", [UNKNOWN_S]),
    ("upper", [cty.null(cty.STRING)]),
    ("upper", [N(12)]),
    ("upper", [T([])], REFUSES),
    ("lower", [S("HELLO İ ÀÉ Σ ǅ")]),
    ("title", [S("hello world_x 1a a1 ǆa 'tis x.y x-y x\ty café")]),
    ("title", [S("αβγ δ hello\u00a0world €a ¿que?")]),
    ("title", [S("")]),
    # chomp, trim*
    ("chomp", [S("a\n\r\n\r")]),
    ("chomp", [S("a\r\n\n ")]),
    ("chomp", [S("\n")]),
    ("trimspace", [S("  a \u00a0\u2028\u001c")]),
    ("trimspace", [S("\u0085a\u0085\t")]),
    ("trim", [S("xxaxx"), S("x")]),
    ("trim", [S("abcba"), S("ab")]),
    ("trim", [S("a"), S("")]),
    ("trim", [S("¡¡hola!!"), S("!¡")]),
    ("trimprefix", [S("aab"), S("a")]),
    ("trimprefix", [S("ab"), S("")]),
    ("trimsuffix", [S("abb"), S("b")]),
    ("trimsuffix", [S("abb"), S("x")]),
    # startswith, endswith, strcontains
    ("startswith", [S("abc"), S("ab")]),
    ("startswith", [S("abc"), S("")]),
    ("startswith", [S("abc"), S("b")]),
    ("startswith", [UNKNOWN_S, S("")]),
    ("startswith", [UNKNOWN_S, S("a")]),
    ("startswith", [S("abc"), UNKNOWN_S]),
    ("startswith", [secret(S("abc")), S("a")]),
    ("endswith", [S("abc"), S("bc")]),
    ("endswith", [UNKNOWN_S, S("")]),
    ("strcontains", [S("abc"), S("")]),
    ("strcontains", [S("abc"), S("d")]),
    ("strcontains", [S("abc"), S("bc")]),
    # split, join
    ("split", [S(","), S("a,b,,c")]),
    ("split", [S(""), S("abc")]),
    ("split", [S(","), S("")]),
    ("split", [S(""), S("")]),
    ("split", [S("é"), S("aébéc")]),
    ("split", [S(","), cty.null(cty.STRING)]),
    ("split", [S(","), UNKNOWN_S]),
    ("join", [S(","), L("a", "b")]),
    ("join", [S(","), L("a"), L("b", "c")]),
    ("join", [S(",")]),
    ("join", [S(","), T([])]),
    ("join", [S(","), T([S("a"), cty.null(cty.STRING)])]),
    ("join", [S(","), L("a"), T([S("b"), cty.null(cty.STRING)])]),
    ("join", [S(","), T([S("a"), UNKNOWN_S])]),
    ("join", [S(","), cty.set_value([S("b"), S("a")])]),
    ("join", [S(","), T([N(1), cty.TRUE])]),
    ("join", [S(","), T([secret(S("a")), S("b")])]),
    ("join", [S(","), S("a")], REFUSES),
    ("join", [S(""), L("e", "\u0301")]),
    # substr, strrev
    ("substr", [S("hello"), N(1), N(3)]),
    ("substr", [S("hello"), N(-3), N(2)]),
    ("substr", [S("hello"), N(-10), N(2)]),
    ("substr", [S("hello"), N(10), N(2)]),
    ("substr", [S("hello"), N(1), N(-1)]),
    ("substr", [S("hello"), N(1), N(-2)]),
    ("substr", [S("hello"), N(0), N(0)]),
    ("substr", [S("hello"), N(-1), N(0)]),
    ("substr", [S("hello"), N(5), N(1)]),
    ("substr", [S("hello"), N(4), N(10)]),
    ("substr", [S("hello"), N("1.5"), N(2)]),
    ("substr", [S("hello"), N(1), N("2.5")]),
    ("substr", [S("hello"), N(10**20), N(1)]),
    ("substr", [S(""), N(-1), N(1)]),
    ("substr", [S("🇺🇸🇫🇷x"), N(1), N(1)]),
    ("substr", [S("क्षa"), N(0), N(1)]),
    ("strrev", [S("abc")]),
    ("strrev", [S("")]),
    ("strrev", [S("a\r\nb")]),
    ("strrev", [S("\u0301a")]),
    ("strrev", [S("🇺🇸🇫🇷x👨\u200d👩\u200d👧")]),
    ("strrev", [S("क्ष")]),
    ("strrev", [S("\uac01\uac01")]),
    # indent
    ("indent", [N(2), S("a\nb\n")]),
    ("indent", [N(0), S("a\nb")]),
    ("indent", [N("1.5"), S("a\nb")]),
    ("indent", [N(-1), S("a\nb")], REFUSES),  # Terraform appends the panic's stack to the message
    ("indent", [N(2), S("a\r\nb")]),
    # replace
    ("replace", [S("hello"), S("l"), S("L")]),
    ("replace", [S("hello"), S(""), S("-")]),
    ("replace", [S("hello"), S("/l+/"), S("L")]),
    ("replace", [S("hello"), S("/(l+)/"), S("[$1]")]),
    ("replace", [S("hello"), S("/(?P<x>l+)/"), S("[$x][${x}]")]),
    ("replace", [S("hello"), S("/(l)/"), S("$1x|${1}x|$$|$")]),
    ("replace", [S("abc"), S("/b*/"), S("-")]),
    ("replace", [S("abc"), S("//"), S("-")]),
    ("replace", [S("abc"), S("/"), S("-")]),
    ("replace", [S("a/b/c"), S("/"), S("-")]),
    ("replace", [S("abc"), S("/(/"), S("-")]),
    ("replace", [S("aaa"), S("/a*?/"), S("-")]),
    ("replace", [S("abc"), S("/(b)/"), S("$01|$1|$10|${1}0|${1")]),
    ("replace", [S("abc"), S("/(?P<n1>b)/"), S("$n1|$n|${n1}")]),
    ("replace", [S("abc"), S("/b/"), S("$0")]),
    ("replace", [S("héllo"), S("/./"), S("-")]),
    ("replace", [S("a\nb\n"), S("/$/"), S("!")]),
    ("replace", [S("a\nb\n"), S("/(?m)$/"), S("!")]),
    ("replace", [S("x"), S("/\\p{Old_Italic}/"), S("-")]),
    # regex, regexall
    ("regex", [S("[a-z]+"), S("123abc456")]),
    ("regex", [S("x"), S("abc")]),
    ("regex", [S("(\\d+)-(\\d+)"), S("10-20")]),
    ("regex", [S("(?P<a>\\d+)-(?P<b>\\d+)"), S("10-20")]),
    ("regex", [S("(x)|(y)"), S("y")]),
    ("regex", [S("(x)(?P<n>y)"), S("xy")]),
    ("regex", [S("(?P<a>x)(?P<a>y)"), S("xy")]),
    ("regex", [S("(?P<1a>x)"), S("x")]),
    ("regex", [S("(?<n>x)"), S("x")]),
    ("regex", [S("(a*)*"), S("b")]),
    ("regex", [S("(a|)+"), S("aa")]),
    ("regex", [S("(|a)+"), S("aa")]),
    ("regex", [S("(|a)+b"), S("aab")]),
    ("regex", [S("(a|){1,3}"), S("a")]),
    ("regex", [S("(a?){2,}"), S("aaa")]),
    ("regex", [S("(a|ab)(c|bcd)(d*)"), S("abcd")]),
    ("regex", [S("(a*?)*$"), S("aaa")]),  # Go's engine: a Perl-style one says ["a"]
    ("regex", [S("(a*?)*($)+"), S("aaaaaa")]),
    ("regex", [S("((a)|b|)+c"), S("abac")]),
    ("regexall", [S("(a|)*?b"), S("aab b")]),
    ("replace", [S("aabaa"), S("/(a|)+/"), S("[$1]")]),
    ("regex", [S("["), UNKNOWN_S]),
    ("regex", [UNKNOWN_S, S("abc")]),
    ("regex", [S("(a)"), UNKNOWN_S]),
    ("regex", [S("(?i)\\p{Ascii}"), S("ſ")]),
    ("regex", [secret(S("a+")), S("baa")]),
    ("regexall", [S("a*"), S("baaac")]),
    ("regexall", [S("a*?"), S("baaac")]),
    ("regexall", [S(""), S("abc")]),
    ("regexall", [S("x*"), S("")]),
    ("regexall", [S("\\b"), S("ab cd")]),
    ("regexall", [S("\\bé"), S("é é")]),
    ("regexall", [S("\\w+"), S("héllo wörld")]),
    ("regexall", [S("a$"), S("a\na")]),
    ("regexall", [S("a$"), S("a\n")]),
    ("regexall", [S("(?m)a$"), S("a\na\n")]),
    ("regexall", [S("(?m)^"), S("a\nb\n")]),
    ("regexall", [S("(?i)k|(?i)S"), S("kKsſ")]),
    ("regexall", [S("(?i)[^s]"), S("sSſx")]),
    ("regexall", [S("(?i)\\w"), S("ſs_é")]),
    ("regexall", [S("(?i)[[:^upper:]]"), S("aA1")]),
    ("regexall", [S("(?i)\\P{Lu}"), S("aA1")]),
    ("regexall", [S("(?U)a+"), S("aaa")]),
    ("regexall", [S("(?U)a+?"), S("aaa")]),
    ("regexall", [S("(?s)."), S("a\n")]),
    ("regexall", [S("\\Qa.b\\E."), S("a.bc")]),
    ("regexall", [S("\\x41\\x{42}\\101\\0"), S("AB A\u0000")]),
    ("regexall", [S("[[:alpha:]]+|[[:^alpha:]]+"), S("ab1é")]),
    ("regexall", [S("\\p{Greek}+|\\pN|\\p{^Latin}"), S("aαβ1²!")]),
    ("regexall", [S("\\p{Letter}|\\p{greek}|\\p{ AS_CII }"), S("aé1")]),
    ("regexall", [S("x{2,3}"), S("xxxxxxx")]),
    ("regexall", [S("x{,3}"), S("x{,3}")]),
    ("regexall", [S("a{01}"), S("a{01}")]),
    ("regexall", [S("[]a]|[^]a]|[a-]"), S("]b-")]),
    ("regexall", [S("(a)"), S("")]),
    ("regexall", [S("(?P<n>a)|(?P<m>b)"), S("ab")]),
    ("regexall", [S("(?P<a>x)"), UNKNOWN_S]),
    ("regexall", [S("["), UNKNOWN_S]),
    # regex syntax errors: Go's codes and fragments
    *[("regexall", [S(p), S("a")]) for p in [
        "x{2}{3}", "a**", "a*??", "a{1001}", "(a{10}){200}", "(", ")", "[a", "[z-a]", "\\8", "\\1", "a\\",
        "(?P<>a)", "(?P<a-b>a)", "(?P<a", "(?x)a", "(?i", "(?-)a", "(?i-)a", "*", "(*)", "a|*", "\\pX",
        "\\p{Foo}", "\\p{", "[[:foo:]]", "\\C", "\\Z", "\\x{110000}", "\\x4", "\\xZZ", "[a-\\d]", "[]",
        "a{2,1}", "(?'n'x)", "\\p{Old_Italic}", "\\p{Garay}", "(?P<", "x(?i)*", "\\é",
    ]],
    # format
    ("format", [S("%5s|%-5s|%.2s|%5.1s|%05s|%-05s|"), S("a"), S("b"), S("abc"), S("abc"), S("a"), S("a")]),
    ("format", [S("%5d|%-5d|%05d|%+d|% d|%.5d|%08.5d|%-05d|%+08d|"), *[N(n) for n in (3, 3, -3, 3, 3, 3, 3, 3, 3)]]),
    ("format", [S("%x %X %o %b %#x %#o %#b %#X"), *[N(n) for n in (255, 255, 8, 5, 255, 8, 5, 255)]]),
    ("format", [S("%x|%.0d|"), N(-255), N(0)]),
    ("format", [S("%e %E %g %G %g %g"), N("123456.789"), N("0.000123"), N("1e21"), N("1e-7"), N(100000), N("1e20")]),
    ("format", [S("%f|%.2f|%.0f|%10.3f|%-08.3f|%08.3f|%+.3e|%.3g|%.10g"), N("3.14159"), N("2.675"), N("0.5"),
                N("-3.14159"), N("3.14159"), N("-3.14159"), N(12345), N("3.14159"), N(123456)]),
    ("format", [S("%.20f|%.2f|%.1f|%.1f|%5.1f|%.0e|%.0g|%.f"), N("0.1"), N("1.005"), N("0.25"), N("0.35"),
                N("9.99"), N(15), N(15), N("3.7")]),
    ("format", [S("%v|%v|%v|%v|%v|%v|%v"), N("1e21"), N("0.1"), N(1234567), N(123456), N("-0.0001"), N("0.00001"),
                N(12345678901234567890)]),
    ("format", [S("%v"), N("0.333333333333333333333333333333333333")]),
    ("format", [S("%f|%d|%x|%s"), N(10**30), N(10**30), N(10**30), N(10**30)]),
    ("format", [S("%e|%g|%.3e"), N(0), N(0), N(0)]),
    ("format", [S("%v %v %v %v"), cty.TRUE, cty.null(cty.STRING), S("s"), T([N(1), S("a")])]),
    ("format", [S("%v|%#v|%#v|%#v"), cty.object_value({"a": N(1), "b": T([cty.TRUE])}), S("a"), N(1), N("1e21")]),
    ("format", [S("%q|%q|%5q|%.2q|% q|%+q"), S('a"b\n<>&\u2028\u0001\b\f\u007f'), N(12), S("a"), S("abc"),
                S("a"), S("é")]),
    ("format", [S("%v"), cty.object_value({"a<b": S("x&y")})]),
    ("format", [S("%v"), cty.set_value([S("b"), S("a")])]),
    ("format", [S("%05v|%05v|%-5v|%5v|"), N(-3), cty.TRUE, T([N(1)]), S("a")]),
    ("format", [S("%t|%t|%5t|%-5t|"), S("true"), cty.FALSE, cty.TRUE, cty.TRUE]),
    ("format", [S("%s|%s|%s|%s|%d|%f"), N("1.5"), cty.TRUE, N(12345678901234567890), S(""), S("12"), S("1.5")]),
    ("format", [S("%3s|%3s|%.1s|%4s|"), S("éé"), S("q\u0301"), S("q\u0301x"), S("🇺🇸🇫🇷")]),
    ("format", [S("%[2]s %[1]s|%[1]d %[1]x %[1]o|%[2]s"), N(10), S("b")]),
    ("format", [S("%%%d|%%"), N(5)]),
    ("format", [S("%s"), secret(S("a"))]),
    ("format", [S("%s"), UNKNOWN_S]),
    ("format", [S("%z"), UNKNOWN_S]),
    ("format", [UNKNOWN_S, S("a")]),
    ("format", [S("%v"), T([UNKNOWN_S])]),
    ("format", [S("%t"), N(1)], REFUSES),
    ("format", [S("%d"), cty.TRUE], REFUSES),
    ("format", [S("%s"), T([N(1)])], REFUSES),
    *[("format", [S(f)] + [N(1)] * count) for f, count in [
        ("%d", 0), ("%d", 1), ("%x", 1), ("%[3]s", 1), ("%s %s", 1), ("%[2]s %s %[1]s", 2), ("%*d", 2),
        ("%.*f", 2), ("%c", 1), ("%z", 1), ("%U", 1), ("abc%", 0), ("%!", 1), ("%[0]d", 1), ("%[01]d", 1),
        ("%5.2%|", 0), ("a%%b%5%c", 0), ("x", 1), ("x", 2), ("%[1]s", 2), ("%[2]s %[1]s %s", 3),
        ("ä%z", 1), ("ä%!", 1), ("äb%", 1), ("ä%[2]s", 1), ("%é", 1), ("%\u00a0", 1), ("%\t", 1), ("%'", 1),
        ("%[1", 1), ("%[1x", 1), ("%[", 1), ("%5", 1), ("%.", 1), ("%-", 1),
    ]],
    ("format", [S("%d"), N("1.5")]),
    ("format", [S("%d"), S("x")]),
    ("format", [S("%s"), cty.null(cty.STRING)]),
    # formatlist
    ("formatlist", [S("%s-%s"), L("a", "b"), S("x")]),
    ("formatlist", [S("%s-%s"), L("a", "b"), L("c", "d")]),
    ("formatlist", [S("%s-%s"), L("a", "b"), L("c")]),
    ("formatlist", [S("%s")]),
    ("formatlist", [S("x")]),
    ("formatlist", [S("%s"), T([])]),
    ("formatlist", [S("%s"), L("a"), S("x")]),
    ("formatlist", [S("%d"), L("a")]),
    ("formatlist", [S("%s"), T([S("a"), UNKNOWN_S])]),
    ("formatlist", [S("%s"), cty.unknown(cty.list_of(cty.STRING))]),
    ("formatlist", [S("%s-%s"), L("a"), L("b", "c"), cty.unknown(cty.list_of(cty.STRING))]),
    ("formatlist", [S("%v"), cty.null(cty.list_of(cty.STRING))]),
    ("formatlist", [S("%v"), cty.set_value([S("b"), S("a")])]),
    ("formatlist", [S("%v"), cty.object_value({"a": N(1)})]),
    ("formatlist", [S("%v"), T([T([N(1)]), T([N(2)])])]),
    ("formatlist", [S("%s"), T([N(1), cty.TRUE])]),
    ("formatlist", [UNKNOWN_S, L("a")]),
    ("formatlist", [S("%s %s"), L("a")]),
    ("formatlist", [S("abc%"), L("a")]),
    ("formatlist", [S("%s"), secret(L("a", "b"))]),
    # templatestring: what the function sees is checked without an evaluator (below); Terraform refuses a
    # literal first argument at the expression level
    ("templatestring", [S("x"), cty.EMPTY_OBJECT], REFUSES),
]


def _expression(name: str, args: list[Value]) -> str:
    return f"{name}({', '.join(hcl_literal(a) for a in args)})"


def _case_id(case: tuple[Any, ...]) -> str:
    return _expression(case[0], case[1])[:80]


@pytest.fixture(scope="module")
def terraform() -> dict[str, TfResult]:
    expressions = [_expression(case[0], case[1]) for case in CASES]
    return dict(zip(expressions, terraform_eval(expressions), strict=True))


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("│", " ")).strip()


def compare(name: str, args: list[Value], tf: TfResult, messages: bool = True) -> None:
    """Assert that iac's call agrees with Terraform's result for the same expression."""
    function = lookup_function(name)
    assert function is not None, name
    try:
        got = call(function, args)
    except FunctionError as error:
        assert tf.error, f"{tf.expression}: iac refused ({error.message}), Terraform gave {tf.value!r}"
        if messages:
            expected = error.message if error.argument is not None else \
                f'Call to function "{name}" failed: {error.message}.'
            assert _normalized(expected) in _normalized(tf.error), f"{tf.expression}:\n{tf.error}"
        return
    assert not tf.error, f"{tf.expression}: Terraform refused ({tf.error}), iac gave {got!r}"
    plain, _ = got.unmark_deep()
    assert _unknown_mask(plain) == tf.unknown, tf.expression
    if plain.is_wholly_known():
        assert got.type.to_json() == tf.type, tf.expression
    assert _plain(plain) == tf.value, tf.expression
    assert _marked_paths(got) == _true_paths(tf.sensitive), tf.expression


def _plain(value: Value) -> Any:
    if value.v is None or value.v is cty.UNKNOWN:
        return None
    if isinstance(value.v, tuple):
        return [_plain(e) for e in value.v]
    if isinstance(value.v, dict):
        return {k: _plain(e) for k, e in value.v.items()}
    if isinstance(value.v, Decimal):
        return value.v
    return value.v


def _unknown_mask(value: Value) -> Any:
    if value.v is cty.UNKNOWN:
        return True
    if isinstance(value.v, tuple) and any(not e.is_wholly_known() for e in value.v):
        return [_unknown_mask(e) for e in value.v]
    if isinstance(value.v, dict) and any(not e.is_wholly_known() for e in value.v.values()):
        return {k: _unknown_mask(e) for k, e in value.v.items()}
    return False


def _marked_paths(value: Value, path: tuple[Any, ...] = ()) -> set[tuple[Any, ...]]:
    """Where the value is sensitive (Terraform's after_sensitive mask, as a set of paths)."""
    if value.sensitive:
        return {path}
    if isinstance(value.v, tuple):
        return {p for i, e in enumerate(value.v) for p in _marked_paths(e, (*path, i))}
    if isinstance(value.v, dict):
        return {p for k, e in value.v.items() for p in _marked_paths(e, (*path, k))}
    return set()


def _true_paths(mask: Any, path: tuple[Any, ...] = ()) -> set[tuple[Any, ...]]:
    if mask is True:
        return {path}
    if isinstance(mask, list):
        return {p for i, e in enumerate(mask) for p in _true_paths(e, (*path, i))}
    if isinstance(mask, dict):
        return {p for k, e in mask.items() for p in _true_paths(e, (*path, k))}
    return set()


@pytest.mark.oracle
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_matches_terraform(case: tuple[Any, ...], terraform: dict[str, TfResult]) -> None:
    name, args = case[0], case[1]
    for arg in args:
        for text in _strings(arg):
            assert unicodedata.is_normalized("NFC", text), "HCL makes every literal NFC; write cases in NFC"
    compare(name, args, terraform[_expression(name, args)], messages=len(case) < 3)


def _strings(value: Value) -> list[str]:
    if isinstance(value.v, str):
        return [value.v]
    if isinstance(value.v, tuple):
        return [s for e in value.v for s in _strings(e)]
    if isinstance(value.v, dict):
        return [s for e in value.v.values() for s in _strings(e)]
    return []


@pytest.mark.oracle
def test_unicode_class_names_are_go_1_25s() -> None:
    """Every \\p name iac accepts is one Terraform accepts, and the near misses are refused by both."""
    from iac.lang.functions._gosyntax import _CATEGORIES, _CATEGORY_ALIASES, _SCRIPTS, _unicode_table

    near_misses = ["Garay", "Sunuwar", "Todhri", "Chisoi", "Sidetic", "Gurung_Khema", "Ol_Onal", "SignWriting",
                   "Old_Italic", "Zanabazar_Square", "Unknown", "Zzzz", "Latn", "IsGreek", "Greek_And_Coptic"]
    names = sorted(_SCRIPTS) + sorted(_CATEGORIES) + sorted(_CATEGORY_ALIASES) + near_misses + [
        "LC", "Any", "Assigned", "ASCII", "greek", "LETTER", "_l_u_", "cased letter"]
    results = terraform_eval([f'regexall("\\\\p{{{name}}}", "")' for name in names])
    for name, tf in zip(names, results, strict=True):
        assert (_unicode_table(name) is not None) == (tf.error is None), name


# -- what the oracle cannot show ------------------------------------------------------------------


def _call(name: str, *args: Value, context: FunctionContext | None = None) -> Value:
    function = lookup_function(name)
    assert function is not None
    return call(function, list(args), context)


def test_results_are_nfc_like_cty_strings() -> None:
    assert _call("join", S(""), L("e", "\u0301")).v == "é"
    assert _call("format", S("%s%s"), S("e"), S("\u0301")).v == "\u00e9"
    assert _call("strrev", S("\u0301a")).v == "á"


def test_templatestring_checks_its_arguments() -> None:
    rendered: list[tuple[str, Value, str]] = []

    def render(text: str, variables: Value, file: str) -> Value:
        rendered.append((text, variables, file))
        return S(text.replace("${name}", variables.v["name"].v) if "name" in variables.v else text)

    context = FunctionContext(render_template=render)
    result = _call("templatestring", secret(S("Hello, ${name}!")), cty.object_value({"name": S("Alex")}),
                   context=context)
    assert result.v == "Hello, Alex!" and result.sensitive
    assert rendered[0][2] == "<templatestring argument>"
    assert not _call("templatestring", UNKNOWN_S, cty.EMPTY_OBJECT, context=context).is_known
    assert not _call("templatestring", S("x"), cty.unknown(cty.DYNAMIC), context=context).is_known

    def refused(*args: Value, ctx: FunctionContext | None = context) -> FunctionError:
        with pytest.raises(FunctionError) as caught:
            _call("templatestring", *args, context=ctx)
        return caught.value

    error = refused(N(1), cty.EMPTY_OBJECT)
    assert (error.argument, error.message) == (
        0, 'Invalid value for "template" parameter: invalid template value: a string is required.')
    assert refused(cty.null(cty.STRING), cty.EMPTY_OBJECT).argument == 0
    error = refused(S("x"), L("a"))
    assert (error.argument, error.message) == (1, 'Invalid value for "vars" parameter: invalid vars value: must be '
                                                  'a map.')
    error = refused(S("x"), cty.object_value({"1a": S("v")}))
    assert error.message == ('Invalid value for "vars" parameter: invalid template variable name "1a": must start '
                             'with a letter, followed by zero or more letters, digits, and underscores.')
    assert _call("templatestring", S("x"), cty.object_value({"a-b": S("v"), "_c": S("w")}), context=context).v == "x"
    assert "needs the evaluator" in refused(S("x"), cty.EMPTY_OBJECT, ctx=None).message
    error = refused(S("x"), cty.EMPTY_OBJECT, ctx=FunctionContext(render_template=lambda t, v, f: T([])))
    assert error.message.startswith("invalid template result: ")


def test_regex_timeout_is_an_error_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    from iac.lang.functions import _goregexp

    monkeypatch.setattr(_goregexp, "TIMEOUT", 0.05)
    _goregexp.compile_go.cache_clear()
    with pytest.raises(FunctionError, match="took more than"):
        _call("regexall", S("(a|aa)+$"), S("a" * 30 + "b"))
    _goregexp.compile_go.cache_clear()


def test_indent_refuses_absurd_sizes() -> None:
    with pytest.raises(FunctionError, match="refusing"):
        _call("indent", N(10**9), S("a\nb"))


# A note on REFUSES: Terraform words a failed primitive conversion "bool required, but have number"
# (cty's MismatchMessage); iac's value model says "bool required". The function side passes cty.convert's
# message through unchanged, so the wording follows when the value model adopts cty's.

"""Properties of the string functions (hypothesis), and differential runs against Terraform on generated
regular expressions and format strings.

The differential tests generate a batch of calls per example and have Terraform evaluate the whole batch
in one plan; they are derandomized so CI runs the same batches every time (raise `max_examples` locally to
search further). The invariants below need no Terraform.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import FunctionError, call, lookup_function
from iac.lang.functions._textseg import grapheme_clusters
from tests.lang.test_fn_strings import _expression, compare
from tests.lang.tfeval import terraform_eval

S = cty.string


def _call(name: str, *args: Value) -> Value:
    function = lookup_function(name)
    assert function is not None
    return call(function, list(args))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Characters that exercise clusters, case and normalization without leaving what HCL can write.
_ALPHABET = st.sampled_from(list("abcXYZ _-.,\n\r\t0189éßΣσςǆİ") + ["🇺🇸", "👍🏽", "क्ष", "e\u0301", "\r\n", "각"])
texts = st.lists(_ALPHABET, max_size=12).map(lambda parts: _nfc("".join(parts)))


# -- invariants -----------------------------------------------------------------------------------


@given(texts, st.sampled_from([",", "-", "ab", "é", "\n"]))
def test_join_undoes_split(text: str, separator: str) -> None:
    parts = _call("split", S(separator), S(text))
    assert _call("join", S(separator), parts).v == text
    assert len(parts.v) == text.count(separator) + 1


@given(texts, st.integers(min_value=0, max_value=15))
def test_substr_pieces_concatenate(text: str, cut: int) -> None:
    head = _call("substr", S(text), cty.number(0), cty.number(cut)).v
    tail = _call("substr", S(text), cty.number(cut), cty.number(-1)).v
    assert _nfc(head + tail) == text
    assert _call("substr", S(text), cty.number(0), cty.number(-1)).v == text


@given(texts)
def test_strrev_reverses_clusters(text: str) -> None:
    text = text.replace("\r", "")  # "\n\r" reversed is "\r\n", one cluster: not an involution
    reversed_text = _call("strrev", S(text)).v
    assert grapheme_clusters(reversed_text) == grapheme_clusters(text)[::-1]
    assert _call("strrev", S(reversed_text)).v == text


@given(texts)
def test_case_mapping_is_idempotent(text: str) -> None:
    for name in ("upper", "lower", "title"):
        once = _call(name, S(text)).v
        assert _call(name, S(once)).v == once


@given(st.integers(min_value=-(10**40), max_value=10**40))
def test_integer_verbs_agree_with_python(n: int) -> None:
    got = _call("format", S("%d|%x|%X|%o|%b|%+d"), *[cty.number(n)] * 6).v
    assert got == f"{n:d}|{n:x}|{n:X}|{n:o}|{n:b}|{n:+d}"


@given(texts, texts)
def test_plain_replace_is_str_replace(text: str, needle: str) -> None:
    if needle.startswith("/") and needle.endswith("/") and len(needle) > 1:
        return
    got = _call("replace", S(text), S(needle), S("<>")).v
    assert got == _nfc(text.replace(needle, "<>"))


@given(texts)
def test_quoted_literal_pattern_finds_every_occurrence(text: str) -> None:
    for needle in ("a", "é", ".", "\n"):
        matches = _call("regexall", S(f"\\Q{needle}\\E"), S(text)).v
        assert len(matches) == text.count(needle)


@given(st.lists(texts, min_size=1, max_size=4))
def test_formatlist_is_format_per_element(items: list[str]) -> None:
    listed = _call("formatlist", S("<%s|%[1]q>"), cty.list_value([S(i) for i in items], cty.STRING))
    assert [e.v for e in listed.v] == [_call("format", S("<%s|%[1]q>"), S(i)).v for i in items]


# -- differential: generated regular expressions ---------------------------------------------------

_ATOMS = ["a", "b", "ab", ".", "[ab]", "[^a]", "[a-c]", "\\d", "\\w", "\\s", "\\W", "\\b", "\\B", "^", "$", "\\A",
          "\\z", "é", "(?i)a", "(?i:b)", "(?s).", "(?m)^", "(?m)$", "\\pL", "\\p{Greek}", "[[:alpha:]]", "\\n",
          "x{", "\\Qa.\\E", "[\\d-]", "(?U)a*", "(a|)", "(|b)", "(a*?)", "(?:)", "[^\\D]", "(?i)σ"]
_QUANTIFIERS = ["", "", "", "*", "+", "?", "*?", "+?", "??", "{2}", "{1,2}", "{0,}", "{,2}", "**", "{1001}"]


@st.composite
def go_patterns(draw: st.DrawFn, depth: int = 0) -> str:
    pieces = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if depth < 2 and draw(st.integers(min_value=0, max_value=4)) == 0:
            inner = draw(go_patterns(depth + 1))
            if draw(st.booleans()):
                inner += "|" + draw(go_patterns(depth + 1))
            opener = draw(st.sampled_from(["(", "(?:", "(?P<n>", "(", "("]))
            atom = opener + inner + ")"
        else:
            atom = draw(st.sampled_from(_ATOMS))
        pieces.append(atom + draw(st.sampled_from(_QUANTIFIERS)))
    return "".join(pieces)


subjects = st.lists(st.sampled_from(list("aabbc é1_\nA.αΣ") + ["ab", "aa"]), max_size=10).map("".join)


def _differential(calls: list[tuple[str, list[Value]]]) -> None:
    calls = list(dict.fromkeys((name, tuple(args)) for name, args in calls))  # type: ignore[arg-type]
    expressions = [_expression(name, list(args)) for name, args in calls]
    for (name, args), tf in zip(calls, terraform_eval(expressions), strict=True):
        compare(name, list(args), tf)


@pytest.fixture(params=["regex module", "go engine"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Patterns run where they normally do, then all on the Go engine (`EXACT_ALWAYS`)."""
    from iac.lang.functions import _goregexp

    monkeypatch.setattr(_goregexp, "EXACT_ALWAYS", request.param == "go engine")
    _goregexp.compile_go.cache_clear()
    request.addfinalizer(_goregexp.compile_go.cache_clear)


@pytest.mark.oracle
@pytest.mark.slow
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(cases=st.lists(st.tuples(go_patterns(), subjects), min_size=25, max_size=25))
def test_generated_regexps_match_terraform(engine: None, cases: list[tuple[str, str]]) -> None:
    calls: list[tuple[str, list[Value]]] = []
    for pattern, subject in cases:
        calls.append(("regexall", [S(pattern), S(_nfc(subject))]))
        calls.append(("replace", [S(_nfc(subject)), S(f"/{pattern}/"), S("<$1>")]))
    _differential(calls)


# -- differential: generated format strings ------------------------------------------------------

_NUMBERS = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25),
    st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=4, allow_nan=False),
    st.sampled_from([Decimal("0.5"), Decimal("1.5"), Decimal("2.5"), Decimal("0.125"), Decimal("1e-7"),
                     Decimal("123456789.987654321"), Decimal("1e30"), Decimal("-0.000001")]),
).map(lambda n: cty.number(n.normalize() if isinstance(n, Decimal) else n))


@st.composite
def verbs(draw: st.DrawFn) -> tuple[str, Value]:
    flags = "".join(draw(st.lists(st.sampled_from("0-+ #"), max_size=2)))
    width = draw(st.sampled_from(["", "", "1", "5", "12"]))
    precision = draw(st.sampled_from(["", "", ".", ".0", ".1", ".3", ".12"]))
    mode = draw(st.sampled_from("deEfgGxXobsvqt"))
    if mode in "dxXob":
        value = cty.number(draw(st.integers(min_value=-(10**20), max_value=10**20)))
    elif mode in "sq":
        value = S(_nfc(draw(subjects)))
    elif mode == "t":
        value = draw(st.sampled_from([cty.TRUE, cty.FALSE, S("true")]))
    else:
        value = draw(_NUMBERS)
    return f"%{flags}{width}{precision}{mode}", value


@pytest.mark.oracle
@pytest.mark.slow
@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.lists(verbs(), min_size=1, max_size=3), min_size=30, max_size=30))
def test_generated_formats_match_terraform(rows: list[list[tuple[str, Value]]]) -> None:
    calls: list[tuple[str, list[Value]]] = []
    for row in rows:
        spec = "|".join(verb for verb, _ in row) + "|"
        calls.append(("format", [S(spec), *[value for _, value in row]]))
    _differential(calls)


def test_error_calls_do_not_raise_python_errors() -> None:
    """Every malformed pattern is a FunctionError (never an exception from the engine)."""
    for pattern in ["(?P<n>a)(?P<n>", "[[:alpha:]", "\\p{L}{1000}{2}", "(" * 1001 + ")" * 1001, "a{1000}{2}"]:
        with pytest.raises(FunctionError):
            _call("regexall", S(pattern), S("a"))

"""Generated calls of the encoding functions (base64, url, text encodings, JSON, CSV, YAML), compared with
Terraform: random unicode text, random bytes, nested values with big and fractional numbers, nulls,
unknowns and sensitive parts, and text mutated into syntax errors."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions.encoding import yaml_encode
from iac.lang.numbers import parse_number
from tests.lang.test_fn_encoding_support import Case, CaseLike, check_cases, s, sens

SETTINGS = settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck),
                    phases=(Phase.explicit, Phase.reuse, Phase.generate))
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
ASCIIISH = st.text(st.sampled_from("ab é😀\n\t\"'\\<>&,:-#{}[]~|"), max_size=30)


def numbers() -> st.SearchStrategy[Value]:
    mantissa = st.integers(min_value=-(10**25), max_value=10**25)
    exponent = st.integers(min_value=-30, max_value=40)
    decimal = st.builds(lambda m, e: parse_number(str(Decimal(m).scaleb(e))), mantissa, exponent)
    return st.one_of(st.integers(min_value=-(2**70), max_value=2**70), decimal).map(cty.number)


PRIMITIVES = st.one_of(TEXT.map(s), numbers(), st.booleans().map(cty.bool_value),
                       st.just(cty.null(cty.STRING)), st.just(cty.null(cty.DYNAMIC)))


def values() -> st.SearchStrategy[Value]:
    def extend(children: st.SearchStrategy[Value]) -> st.SearchStrategy[Value]:
        keys = st.text(st.sampled_from("abcé_-1 "), max_size=4)
        return st.one_of(
            st.lists(children, max_size=4).map(cty.tuple_value),
            st.dictionaries(keys, children, max_size=4).map(lambda d: cty.object_value(d) if d else cty.EMPTY_OBJECT),
            st.lists(TEXT.map(s), min_size=1, max_size=4).map(cty.list_value),
            st.lists(numbers(), min_size=1, max_size=4).map(cty.set_value),
            st.dictionaries(keys, TEXT.map(s), min_size=1, max_size=3).map(cty.map_value),
        )

    return st.recursive(PRIMITIVES, extend, max_leaves=12)


@st.composite
def marked(draw: st.DrawFn, value: Value) -> Value:
    """The value, sometimes sensitive as a whole or in one element."""
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return sens(value)
    if choice == 1 and value.type.kind == "tuple" and value.v:
        index = draw(st.integers(0, len(value.v) - 1))
        elems = list(value.v)
        elems[index] = sens(elems[index])
        return cty.tuple_value(elems)
    return value


@st.composite
def base64_call(draw: st.DrawFn) -> CaseLike:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return ("base64encode", [s(draw(TEXT))])
    if kind == 1:
        return ("urlencode", [s(draw(TEXT))])
    if kind == 2:
        repeated = draw(st.lists(st.sampled_from(["ab", "abc", "hello ", "x", "😀", "\n", "the quick "]), max_size=80))
        return ("base64gzip", [s("".join(repeated) + draw(TEXT))])
    if kind == 3:
        return ("base64decode", [s(base64.b64encode(draw(TEXT).encode()).decode())])
    noise = draw(st.text(st.sampled_from("ABCabc019+/=\n\r !é"), max_size=16))
    return ("base64decode", [s(noise)])


ENCODINGS = ["UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE", "US-ASCII", "ISO-8859-1", "ISO-8859-2", "ISO-8859-7",
             "ISO-8859-15", "windows-1250", "windows-1251", "windows-1252", "windows-1256", "KOI8-R", "KOI8-U",
             "macintosh", "IBM437", "IBM850", "IBM866", "IBM037", "IBM1047", "Shift_JIS", "EUC-JP", "EUC-KR",
             "GBK", "GB18030", "HZ-GB-2312", "ISO-2022-JP"]  # (Big5: table tests only, see encoding.py)
ENCODABLE = st.text(st.sampled_from("aZ09 ~éüßçÀ€£¥©°±µ¶ΩαβЖжЯя日本語中文한국어あアー①"), max_size=12)


@st.composite
def text_encoding_call(draw: st.DrawFn) -> CaseLike:
    encoding = s(draw(st.sampled_from(ENCODINGS)))
    if draw(st.booleans()):
        return ("textencodebase64", [s(draw(ENCODABLE)), encoding])
    data = draw(st.binary(max_size=8))
    return ("textdecodebase64", [s(base64.b64encode(data).decode()), encoding])


@st.composite
def json_call(draw: st.DrawFn) -> CaseLike:
    kind = draw(st.integers(0, 3))
    if kind <= 1:
        return ("jsonencode", [draw(marked(draw(values())))])
    document = json.dumps(draw(st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30), TEXT,
                  st.decimals(allow_nan=False, allow_infinity=False, places=5).map(float)),
        lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text("abc", max_size=2), c, max_size=3)),
        max_leaves=8)), indent=draw(st.sampled_from([None, 1])), ensure_ascii=draw(st.booleans()))
    if kind == 3:  # damage it
        position = draw(st.integers(0, len(document)))
        document = document[:position] + draw(st.sampled_from(["", ",", "]", "}", "\"", "x", " 1", "{"])) + \
            document[position + draw(st.integers(0, 2)):]
    return ("jsondecode", [s(document)])


@st.composite
def csv_call(draw: st.DrawFn) -> CaseLike:
    return ("csvdecode", [s(draw(st.text(st.sampled_from('ab,,"\n\r é'), max_size=30)))])


@st.composite
def yaml_call(draw: st.DrawFn) -> CaseLike:
    kind = draw(st.integers(0, 3))
    if kind <= 1:
        return ("yamlencode", [draw(marked(draw(values())))])
    if kind == 2:
        return ("yamldecode", [s(yaml_encode(draw(values())))])
    lines = draw(st.lists(st.one_of(
        st.sampled_from(["a: 1", "- x", "  - y", "b:", "  c: &k yes", "d: *k", "<<: {e: 2}", "'q': \"r\"", "f: [1, 0x1F]",
                         "g: |", "  text", "---", "h: 2001-12-14", "i: !!str 5", "j: ~", "k: .5", "- {a: b}", "l: -", "#c"]),
        ASCIIISH), max_size=6))
    # random syntax: libyaml 0.2.5 and go-yaml's port word a few scanner errors differently
    return Case("yamldecode", [s("\n".join(lines))], message=False)


@pytest.mark.oracle
@SETTINGS
@given(st.lists(base64_call(), min_size=60, max_size=80))
def test_generated_base64_calls_match_terraform(cases: list[CaseLike]) -> None:
    check_cases(cases)


@pytest.mark.oracle
@SETTINGS
@given(st.lists(text_encoding_call(), min_size=60, max_size=80))
def test_generated_text_encoding_calls_match_terraform(cases: list[CaseLike]) -> None:
    check_cases(cases)


@pytest.mark.oracle
@SETTINGS
@given(st.lists(st.one_of(json_call(), csv_call()), min_size=60, max_size=80))
def test_generated_json_and_csv_calls_match_terraform(cases: list[CaseLike]) -> None:
    check_cases(cases)


@pytest.mark.oracle
@SETTINGS
@given(st.lists(yaml_call(), min_size=60, max_size=80))
def test_generated_yaml_calls_match_terraform(cases: list[CaseLike]) -> None:
    check_cases(cases)

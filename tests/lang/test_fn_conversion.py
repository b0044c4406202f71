"""Type conversion and mark functions against Terraform: tobool, tonumber, tostring, tolist, toset, tomap,
sensitive, nonsensitive, issensitive, ephemeralasnull — documented examples and edge cases."""

from __future__ import annotations

import pytest

from iac.lang.cty import BOOL, DYNAMIC, NUMBER, STRING, Value
from tests.lang.test_fn_collections import (
    BIG,
    COMBINING,
    EMOJI,
    LN,
    LS,
    MS,
    NULL,
    SEN,
    SET,
    SS,
    TUP,
    F,
    L,
    M,
    N,
    O,
    S,
    T,
    U,
)
from tests.lang.tfeval import check_calls

LISTS: list[Value] = [
    TUP(S("a"), S("b"), S("c")), TUP(S("a"), N(1), T), TUP(N(1), T), TUP(), TUP(NULL(), N(1)), TUP(NULL(), NULL()),
    TUP(NULL(), L(S("a"))), TUP(L(N(1)), L(S("a"))), TUP(L(N(1)), TUP(S("a"))), TUP(O(a=N(1)), O(a=S("x"))),
    TUP(O(a=N(1)), O(b=N(1))), TUP(O(a=N(1)), M(b=S("x"))), TUP(M(a=N(1)), M(b=T)), TUP(TUP(), TUP(N(1))),
    TUP(SET(S("b")), L(S("a"))), TUP(S("b"), S("a"), S("b"), N(10), N(9)), L(S("a"), S("b")), L(of=STRING),
    SET(S("b"), S("a")), SET(of=NUMBER), TUP(U(), S("a")), TUP(U(DYNAMIC), S("a")), U(LS), U(SS), U(DYNAMIC),
    TUP(SEN(S("a")), S("b")), SEN(TUP(S("a"))), TUP(N("1.5"), BIG, N("-0")), TUP(COMBINING, S("é")),
    TUP(L(N(1)), N(1)), TUP(O(a=N(1)), TUP(N(1))), M(a=S("x")), O(a=S("x")), S("a"), N(1), T, NULL(), NULL(LS), NULL(LN),
    TUP(NULL(STRING), N(1)), TUP(U(), U()), TUP(L(U()), L(S("a"))), TUP(S("1"), N(1)), TUP(F, S("false")),
]
MAPS: list[Value] = [
    O(a=S("b"), c=S("d")), O(a=N(1), b=S("x")), O(a=N(1), b=T), O(), O(a=NULL(), b=N(1)), O(a=NULL()), O(a=L(N(1)), b=L(S("a"))),
    O(a=O(x=N(1)), b=O(x=S("y"))), O(a=O(x=N(1)), b=O(y=S("y"))), O(a=L(S("a")), b=TUP()), M(a=S("x")), M(of=NUMBER),
    O(a=U(), b=S("x")), O(a=U(DYNAMIC), b=S("x")), U(MS), U(DYNAMIC), O(a=SEN(S("x"))), SEN(O(a=S("x"))), TUP(S("a")), L(S("a")),
    S("a"), NULL(), NULL(MS), O(**{"é": N(1), "a b": N(2)}), O(a=N(1), b=L(N(1))), SET(S("a")),
]
PRIMITIVES: list[Value] = [
    S("hello"), S(""), S("true"), S("false"), S("True"), S("1"), S("0"), S("12"), S("-1.5e3"), S("0x10"), S(" 1"), S("1e400"),
    S(".5"), S("5."), S("+3"), S("1_000"), S("Infinity"), S("NaN"), N(1), N(0), N("-0.5"), BIG, N("1e-30"), T, F, NULL(), NULL(STRING),
    NULL(NUMBER), NULL(BOOL), U(), U(NUMBER), U(BOOL), U(DYNAMIC), SEN(S("x")), SEN(S("true")), SEN(N(1)), SEN(S("12")),
    L(S("a")), TUP(), O(), M(a=S("x")), EMOJI, COMBINING,
]
MARKED: list[Value] = [
    S("a"), SEN(S("a")), U(), SEN(U()), U(DYNAMIC), SEN(U(DYNAMIC)), NULL(), SEN(NULL()), NULL(LS), L(SEN(S("a")), S("b")),
    SEN(L(SEN(S("a")))), TUP(SEN(N(1)), L(SEN(T))), O(a=SEN(S("x")), b=N(1)), SEN(O(a=S("x"))), M(a=SEN(S("x"))),
    SET(SEN(S("a")), S("b")), SEN(SET(S("a"))), N(1), T, L(U()), SEN(L(U())), TUP(), EMOJI,
]

CASES: list[tuple[str, list[Value]]] = (
    [(name, [v]) for name in ("tolist", "toset") for v in LISTS]
    + [("tomap", [v]) for v in MAPS]
    + [(name, [v]) for name in ("tostring", "tonumber", "tobool") for v in PRIMITIVES]
    + [(name, [v]) for name in ("sensitive", "nonsensitive", "issensitive", "ephemeralasnull") for v in MARKED]
    + [(name, []) for name in ("tolist", "tostring", "sensitive", "nonsensitive", "issensitive", "ephemeralasnull")]
    + [(name, [S("a"), S("b")]) for name in ("tomap", "tonumber", "sensitive", "issensitive")]
)


def _chunks(cases: list, size: int) -> list[list]:
    return [cases[i:i + size] for i in range(0, len(cases), size)]


@pytest.mark.oracle
@pytest.mark.parametrize("batch", range(len(_chunks(CASES, 150))))
def test_conversion_functions_match_terraform(batch: int) -> None:
    failures = check_calls(_chunks(CASES, 150)[batch])
    assert not failures, "\n".join(failures)

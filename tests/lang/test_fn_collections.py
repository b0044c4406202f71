"""Collection functions against Terraform: every documented example and the edge cases (empty, unicode,
big and fractional numbers, typed and untyped nulls, unknowns, sensitive values, wrong types, every error
path), each evaluated by iac's `call` and by Terraform in a few batched plans."""

from __future__ import annotations

from decimal import Decimal

import pytest

from iac.lang import cty
from iac.lang.cty import BOOL, DYNAMIC, NUMBER, STRING, Value
from iac.lang.functions import lookup_function
from tests.lang.tfeval import check_calls, terraform_eval

S = cty.string
T = cty.TRUE
F = cty.FALSE


def N(n: int | str) -> Value:  # noqa: N802 - short constructors keep the tables readable
    return cty.number(Decimal(n) if isinstance(n, str) else n)


def L(*elems: Value, of: cty.Type | None = None) -> Value:  # noqa: N802
    return cty.list_value(list(elems), of)


def SET(*elems: Value, of: cty.Type | None = None) -> Value:  # noqa: N802
    return cty.set_value(list(elems), of)


def TUP(*elems: Value) -> Value:  # noqa: N802
    return cty.tuple_value(list(elems))


def M(of: cty.Type | None = None, **elems: Value) -> Value:  # noqa: N802
    return cty.map_value(elems, of)


def O(**attrs: Value) -> Value:  # noqa: N802, E743
    return cty.object_value(attrs)


def U(t: cty.Type = STRING) -> Value:  # noqa: N802
    return cty.unknown(t)


def NULL(t: cty.Type = DYNAMIC) -> Value:  # noqa: N802
    return cty.null(t)


def SEN(v: Value) -> Value:  # noqa: N802
    return v.mark({cty.SENSITIVE})


LS = cty.list_of(STRING)
LN = cty.list_of(NUMBER)
MS = cty.map_of(STRING)
SS = cty.set_of(STRING)
BIG = N("123456789012345678901234567890.5")
COMBINING = S("e\u0301")  # normalised to é (one character)
EMOJI = S("👍🏽👨‍👩‍👧")  # two grapheme clusters, non-BMP

CASES: list[tuple[str, list[Value]]] = [
    # length
    ("length", [L(S("a"), S("b"))]), ("length", [TUP()]), ("length", [L(of=STRING)]), ("length", [S("hello")]),
    ("length", [M(a=S("x"), b=S("y"))]), ("length", [S("")]), ("length", [COMBINING]), ("length", [EMOJI]),
    ("length", [S("🌍x\u0301\r\n")]), ("length", [O(a=N(1), b=U())]), ("length", [TUP(U(), U())]),
    ("length", [U(LS)]), ("length", [SET(S("a"), U())]), ("length", [SET(U())]), ("length", [U()]),
    ("length", [SEN(L(S("a")))]), ("length", [SEN(S("abc"))]), ("length", [N(5)]), ("length", [T]),
    ("length", [NULL()]), ("length", [NULL(LS)]), ("length", [U(DYNAMIC)]), ("length", [SEN(U(DYNAMIC))]),
    ("length", [L(S("a"), U())]), ("length", [SET(L(U()), L(S("b")))]), ("length", []),
    ("length", [S("a"), S("b")]),
    # element
    ("element", [L(S("a"), S("b"), S("c")), N(1)]), ("element", [L(S("a"), S("b"), S("c")), N(3)]),
    ("element", [L(S("a"), S("b"), S("c")), N(-1)]), ("element", [L(S("a"), S("b"), S("c")), N(-4)]),
    ("element", [L(S("a")), N("1.5")]), ("element", [L(S("a")), BIG]), ("element", [L(of=STRING), N(0)]),
    ("element", [TUP(), N(0)]), ("element", [TUP(S("a"), N(1)), N(3)]), ("element", [TUP(S("a"), N(1)), U(NUMBER)]),
    ("element", [SET(S("a")), N(0)]), ("element", [S("abc"), N(0)]), ("element", [M(a=S("b")), N(0)]),
    ("element", [U(LS), N(0)]), ("element", [U(LS), N(-1)]), ("element", [L(S("a")), S("0")]),
    ("element", [L(S("a")), S("x")]), ("element", [NULL(LS), N(0)]), ("element", [L(S("a")), NULL(NUMBER)]),
    ("element", [SEN(L(S("a"), S("b"))), N(1)]), ("element", [L(S("a"), SEN(S("b"))), N(1)]),
    ("element", [L(S("a")), SEN(N(0))]), ("element", [U(DYNAMIC), N(0)]), ("element", [TUP(), N("1.5")]),
    ("element", [L(S("a"), U()), N(1)]), ("element", [TUP(S("a"), T), N(-1)]),
    # index
    ("index", [L(S("a"), S("b"), S("c")), S("b")]), ("index", [L(S("a")), S("z")]), ("index", [L(of=STRING), S("a")]),
    ("index", [TUP(N(1), S("1")), S("1")]), ("index", [L(N(1), N(2)), S("2")]), ("index", [L(U(), S("a")), S("a")]),
    ("index", [L(S("a"), U()), S("a")]), ("index", [SET(S("a")), S("a")]), ("index", [M(a=S("a")), S("a")]),
    ("index", [L(S("a")), U()]), ("index", [L(S("a")), NULL(STRING)]), ("index", [L(NULL(STRING)), NULL(STRING)]),
    ("index", [TUP(L(N(1)), O(a=N(1))), O(a=N(1))]), ("index", [SEN(L(S("a"))), S("a")]),
    ("index", [L(N("1.0"), N(1)), N(1)]),
    # lookup
    ("lookup", [M(a=S("ay"), b=S("bee")), S("a"), S("what?")]), ("lookup", [M(a=S("ay"), b=S("bee")), S("c"), S("what?")]),
    ("lookup", [M(a=S("x")), S("b")]), ("lookup", [O(a=N(1), b=S("x")), S("b")]), ("lookup", [O(a=N(1)), S("z")]),
    ("lookup", [O(a=N(1)), S("z"), T]), ("lookup", [M(a=N(1)), S("z"), S("7")]), ("lookup", [M(a=N(1)), S("z"), S("x")]),
    ("lookup", [M(a=N(1)), S("z"), L(N(1))]), ("lookup", [M(a=N(1)), U(), N(2)]), ("lookup", [O(a=N(1)), U()]),
    ("lookup", [U(MS), S("a")]), ("lookup", [M(a=S("x")), S("a"), U()]), ("lookup", [M(a=S("x")), S("b"), U()]),
    ("lookup", [M(a=S("x")), S("b"), NULL()]), ("lookup", [SEN(M(a=S("x"))), S("a")]), ("lookup", [M(a=S("x")), SEN(S("a"))]),
    ("lookup", [M(a=S("x")), SEN(S("zz"))]), ("lookup", [M(a=S("x")), S("b"), SEN(S("d"))]),
    ("lookup", [M(a=SEN(S("x"))), S("a")]), ("lookup", [L(S("a")), S("0")]), ("lookup", [S("a"), S("a")]),
    ("lookup", [M(a=S("x"))]), ("lookup", [M(a=S("x")), S("a"), S("b"), S("c")]), ("lookup", [NULL(MS), S("a")]),
    ("lookup", [M(a=S("x")), NULL(STRING)]), ("lookup", [M(a=L(S("x"))), S("b"), TUP()]),
    ("lookup", [O(a=N(1), b=U()), S("a")]), ("lookup", [M(a=S("x"), b=U()), S("a")]), ("lookup", [U(DYNAMIC), S("a")]),
    ("lookup", [M(a=S("x")), S("b"), U(DYNAMIC)]), ("lookup", [O(), S("a"), S("d")]), ("lookup", [M(of=STRING), S("a"), S("d")]),
    ("lookup", [M(**{"é": S("x")}), COMBINING]),
    # keys / values
    ("keys", [M(a=N(1), c=N(2), d=N(3))]), ("keys", [O(b=N(1), a=S("x"))]), ("keys", [O()]), ("keys", [M(of=STRING)]),
    ("keys", [U(MS)]), ("keys", [O(a=U())]), ("keys", [SEN(M(a=N(1)))]), ("keys", [SEN(O(a=N(1)))]), ("keys", [L(S("a"))]),
    ("keys", [NULL(MS)]), ("keys", [U(DYNAMIC)]), ("keys", [M(b=SEN(N(1)), a=N(2))]), ("keys", [S("x")]),
    ("keys", [M(**{"b": N(1), "B": N(2), "ä": N(3), "a": N(4), "10": N(5), "9": N(6)})]),
    ("values", [M(a=N(3), c=N(2), d=N(1))]), ("values", [O(b=N(1), a=S("x"))]), ("values", [O()]), ("values", [M(of=STRING)]),
    ("values", [U(MS)]), ("values", [O(a=U())]), ("values", [SEN(M(a=N(1)))]), ("values", [M(a=SEN(N(1)), b=N(2))]),
    ("values", [L(S("a"))]), ("values", [NULL(MS)]), ("values", [U(DYNAMIC)]), ("values", [S("x")]),
    # alltrue / anytrue
    ("alltrue", [L(S("true"), T)]), ("alltrue", [L(T, F)]), ("alltrue", [L(of=BOOL)]), ("alltrue", [TUP()]),
    ("alltrue", [L(T, U(BOOL))]), ("alltrue", [L(U(BOOL), F)]), ("alltrue", [L(F, U(BOOL))]), ("alltrue", [L(NULL(BOOL), T)]),
    ("alltrue", [L(S("x"))]), ("alltrue", [TUP(T, N(1))]), ("alltrue", [U(cty.list_of(BOOL))]), ("alltrue", [L(SEN(T), T)]),
    ("alltrue", [SET(T)]), ("alltrue", [L(S("True"))]), ("alltrue", [L(S("FALSE"))]), ("alltrue", [L(S("1"), S("0"))]), ("alltrue", [NULL(cty.list_of(BOOL))]), ("alltrue", [S("true")]),
    ("anytrue", [L(S("true"))]), ("anytrue", [L(T, F)]), ("anytrue", [L(F, F)]), ("anytrue", [TUP()]), ("anytrue", [L(F, U(BOOL))]),
    ("anytrue", [L(U(BOOL), T)]), ("anytrue", [L(NULL(BOOL), F)]), ("anytrue", [L(SEN(F))]), ("anytrue", [TUP(S("false"), T)]),
    ("anytrue", [TUP(N(1))]),
    # compact
    ("compact", [L(S("a"), S(""), S("b"), NULL(STRING), S("c"))]), ("compact", [L(S(""), S(""))]), ("compact", [L(of=STRING)]),
    ("compact", [TUP(S("a"), N(1), T)]), ("compact", [L(S("a"), U())]), ("compact", [U(LS)]), ("compact", [L(SEN(S("a")), S(""))]),
    ("compact", [TUP(L(S("a")))]), ("compact", [SET(S(""), S("b"))]), ("compact", [NULL(LS)]),
    # contains
    ("contains", [L(S("a"), S("b"), S("c")), S("a")]), ("contains", [L(S("a"), S("b"), S("c")), S("d")]),
    ("contains", [L(N(1)), S("1")]), ("contains", [TUP(N(1)), S("1")]), ("contains", [SET(N(1), N(2)), N(2)]),
    ("contains", [L(of=STRING), U()]), ("contains", [L(S("a")), U()]), ("contains", [L(S("a"), U()), S("a")]),
    ("contains", [L(S("b"), U()), S("a")]), ("contains", [L(S("b")), NULL(STRING)]), ("contains", [TUP(NULL()), NULL(STRING)]),
    ("contains", [M(a=S("a")), S("a")]), ("contains", [S("abc"), S("a")]), ("contains", [SEN(L(S("a"))), S("a")]),
    ("contains", [L(S("a")), SEN(S("a"))]), ("contains", [TUP(O(a=N(1)), L(N(1))), L(N(1))]), ("contains", [TUP(TUP(N(1))), L(N(1))]),
    ("contains", [SET(L(S("a"), U())), L(S("b"), S("c"))]), ("contains", [U(DYNAMIC), S("a")]), ("contains", [L(COMBINING), S("é")]),
    # distinct
    ("distinct", [L(S("a"), S("b"), S("a"), S("c"), S("d"), S("b"))]), ("distinct", [L(of=STRING)]), ("distinct", [TUP()]),
    ("distinct", [TUP(N(1), S("1"), N("1.0"))]), ("distinct", [L(S("a"), U())]), ("distinct", [L(SEN(S("a")), S("a"))]),
    ("distinct", [L(NULL(STRING), NULL(STRING))]), ("distinct", [TUP(L(N(1)), L(N(1)), L(N(2)))]), ("distinct", [TUP(N(1), T)]),
    ("distinct", [SET(S("b"), S("a"))]), ("distinct", [M(a=S("a"))]), ("distinct", [S("a")]),
    # sort
    ("sort", [L(S("e"), S("d"), S("a"), S("x"))]), ("sort", [L(S("10"), S("9"), S("1"))]), ("sort", [TUP(N(10), N(9), N(1))]),
    ("sort", [L(S("b"), S("B"), S("ä"), S("a"), S("🌍"), S("ｚ"))]), ("sort", [L(of=STRING)]), ("sort", [L(S("b"), NULL(STRING))]),
    ("sort", [L(S("b"), U())]), ("sort", [U(LS)]), ("sort", [L(SEN(S("b")), S("a"))]), ("sort", [SET(S("b"), S("a"))]),
    ("sort", [TUP(T, F)]), ("sort", [TUP(L(S("a")))]),
    # sum
    ("sum", [L(N(10), N(13), N(6), N(5))]), ("sum", [L(N("0.1"), N("0.2"))]), ("sum", [TUP(N(1), S("2"))]),
    ("sum", [L(N("1e30"), N("-1e30"), N("0.5"))]), ("sum", [L(of=NUMBER)]), ("sum", [TUP()]), ("sum", [SET(N(1), N(2), N(3))]),
    ("sum", [M(a=N(1))]), ("sum", [M(of=NUMBER)]), ("sum", [O(a=N(1))]), ("sum", [N(1)]), ("sum", [S("1")]),
    ("sum", [L(N(1), NULL(NUMBER))]), ("sum", [TUP(N(1), S("x"))]), ("sum", [TUP(N(1), T)]), ("sum", [L(N(1), U(NUMBER))]),
    ("sum", [L(SEN(N(1)), N(2))]), ("sum", [TUP(N(1), L(N(1)))]), ("sum", [L(BIG, N("-0.25"), N("1.333333333333333333"))]),
    ("sum", [TUP(NULL(NUMBER))]), ("sum", [U(DYNAMIC)]),
    # chunklist
    ("chunklist", [L(S("a"), S("b"), S("c"), S("d"), S("e")), N(2)]), ("chunklist", [L(S("a"), S("b"), S("c"), S("d"), S("e")), N(1)]),
    ("chunklist", [L(N(1), N(2)), N(0)]), ("chunklist", [L(N(1), N(2)), N(5)]), ("chunklist", [L(of=STRING), N(2)]),
    ("chunklist", [L(of=STRING), N(-1)]), ("chunklist", [L(N(1)), N(-1)]), ("chunklist", [L(N(1)), N("1.5")]),
    ("chunklist", [TUP(N(1), S("a"), T), N(2)]), ("chunklist", [TUP(N(1), L(N(1))), N(2)]), ("chunklist", [U(LS), N(2)]),
    ("chunklist", [L(S("a")), U(NUMBER)]), ("chunklist", [SEN(L(S("a"), S("b"))), N(1)]), ("chunklist", [L(S("a"), S("b")), SEN(N(1))]),
    ("chunklist", [L(SEN(S("a")), S("b")), N(1)]), ("chunklist", [SET(S("b"), S("a")), N(1)]), ("chunklist", [M(a=S("a")), N(1)]),
    ("chunklist", [L(S("a"), U()), N(1)]), ("chunklist", [TUP(), N(3)]), ("chunklist", [L(S("a")), NULL(NUMBER)]),
    # coalesce
    ("coalesce", [S("a"), S("b")]), ("coalesce", [S(""), S("b")]), ("coalesce", [N(1), N(2)]), ("coalesce", [N(1), S("x")]),
    ("coalesce", [NULL(), S("b")]), ("coalesce", [NULL(STRING), NULL(NUMBER), N(3)]), ("coalesce", [S(""), NULL(STRING)]),
    ("coalesce", []), ("coalesce", [N(1), T]), ("coalesce", [U(), S("b")]), ("coalesce", [S("a"), U()]), ("coalesce", [S(""), U()]),
    ("coalesce", [L(S("a")), TUP()]), ("coalesce", [TUP(), L(N(1))]), ("coalesce", [L(of=STRING), L(S("b"))]),
    ("coalesce", [O(a=N(1)), M(b=N(2))]), ("coalesce", [SEN(S("a")), S("b")]), ("coalesce", [S(""), SEN(S("b"))]),
    ("coalesce", [U(DYNAMIC), S("b")]), ("coalesce", [S("b"), U(DYNAMIC)]), ("coalesce", [NULL(), NULL()]),
    ("coalesce", [N(0), N(1)]), ("coalesce", [F, T]), ("coalesce", [N(1), L(N(1))]), ("coalesce", [T, S("")]),
    ("coalesce", [S(""), N(5)]),
    # coalescelist
    ("coalescelist", [L(S("a"), S("b")), L(S("c"), S("d"))]), ("coalescelist", [TUP(), L(S("c"), S("d"))]),
    ("coalescelist", [L(of=STRING), TUP()]), ("coalescelist", []), ("coalescelist", [NULL(), L(N(1))]), ("coalescelist", [NULL(LS), L(N(1))]),
    ("coalescelist", [U(LS), L(S("a"))]), ("coalescelist", [L(S("a")), U(LS)]), ("coalescelist", [S("a")]),
    ("coalescelist", [SET(S("a"))]), ("coalescelist", [L(S("a")), TUP(N(1))]), ("coalescelist", [SEN(L(S("a")))]),
    ("coalescelist", [TUP(), SEN(TUP(N(1)))]), ("coalescelist", [U(DYNAMIC), L(S("a"))]), ("coalescelist", [L(of=STRING), L(of=NUMBER)]),
    # concat
    ("concat", [L(S("a"), S("")), L(S("b"), S("c"))]), ("concat", [L(N(1)), L(S("a"))]), ("concat", [L(N(1)), TUP(S("a"))]),
    ("concat", [TUP(), TUP()]), ("concat", [L(of=STRING)]), ("concat", [L(of=STRING), L(of=NUMBER)]), ("concat", []),
    ("concat", [L(N(1)), L(L(N(1)))]), ("concat", [L(N(1)), U(LS)]), ("concat", [TUP(N(1)), U(LS)]), ("concat", [TUP(U())]),
    ("concat", [S("a")]), ("concat", [L(S("a")), SET(S("b"))]), ("concat", [NULL(LS)]), ("concat", [SEN(L(S("a"))), L(S("b"))]),
    ("concat", [L(SEN(S("a"))), TUP(N(1))]), ("concat", [L(S("a"), U()), L(S("b"))]), ("concat", [M(a=S("a"))]),
    ("concat", [L(O(a=N(1))), L(O(a=S("x")))]), ("concat", [L(O(a=N(1))), L(O(b=N(1)))]), ("concat", [U(DYNAMIC)]),
    # flatten
    ("flatten", [TUP(L(S("a"), S("b")), TUP(), L(S("c")))]), ("flatten", [TUP(TUP(L(S("a"), S("b")), TUP()), L(S("c")))]),
    ("flatten", [TUP()]), ("flatten", [L(of=STRING)]), ("flatten", [TUP(N(1), TUP(S("a"), TUP(T)))]),
    ("flatten", [TUP(SET(S("b"), S("a")), L(N(1)))]), ("flatten", [TUP(NULL(LS), L(S("a")))]), ("flatten", [TUP(NULL(), N(1))]),
    ("flatten", [TUP(U(LS), L(S("a")))]), ("flatten", [TUP(S("a"), U())]), ("flatten", [TUP(U(DYNAMIC), S("a"))]),
    ("flatten", [U(LS)]), ("flatten", [S("a")]), ("flatten", [M(a=S("a"))]), ("flatten", [TUP(M(a=S("a")), O(b=N(1)))]),
    ("flatten", [SEN(TUP(L(S("a"))))]), ("flatten", [TUP(SEN(L(S("a"))), S("b"))]), ("flatten", [TUP(L(SEN(S("a"))))]),
    ("flatten", [SEN(TUP())]), ("flatten", [TUP(SET(S("a"), U()))]), ("flatten", [TUP(SET(U()))]), ("flatten", [NULL(LS)]),
    ("flatten", [L(L(S("a")), L(of=STRING))]), ("flatten", [SET(L(S("b")), L(S("a")))]),
    # matchkeys
    ("matchkeys", [L(S("i-123"), S("i-abc"), S("i-def")), L(S("us-west"), S("us-east"), S("us-east")), L(S("us-east"))]),
    ("matchkeys", [L(S("a"), S("b")), L(N(1), N(2)), L(S("2"))]), ("matchkeys", [L(S("a")), L(S("k")), L(of=STRING)]),
    ("matchkeys", [L(S("a")), L(S("k"), S("j")), L(S("k"))]), ("matchkeys", [L(S("a")), L(L(S("k"))), L(S("k"))]),
    ("matchkeys", [L(S("a"), U()), L(S("k"), S("j")), L(S("j"))]), ("matchkeys", [L(S("a")), L(U()), L(S("j"))]),
    ("matchkeys", [L(S("a")), L(S("k")), L(U())]), ("matchkeys", [L(S("a")), L(S("k")), L(S("k"), U())]),
    ("matchkeys", [U(LS), L(S("k")), L(S("k"))]), ("matchkeys", [L(SEN(S("a"))), L(S("k")), L(S("k"))]),
    ("matchkeys", [L(S("a")), SEN(L(S("k"))), L(S("k"))]), ("matchkeys", [TUP(N(1), S("x")), L(S("k"), S("k")), L(S("k"))]),
    ("matchkeys", [L(S("a"), S("b")), L(NULL(STRING), S("k")), L(NULL(STRING))]), ("matchkeys", [L(of=STRING), L(of=STRING), L(S("k"))]),
    ("matchkeys", [L(S("a")), L(S("k")), S("k")]),
    # one
    ("one", [TUP()]), ("one", [L(S("hello"))]), ("one", [L(S("hello"), S("goodbye"))]), ("one", [SET(S("hello"))]),
    ("one", [L(of=STRING)]), ("one", [SET(of=NUMBER)]), ("one", [TUP(N(1))]), ("one", [TUP(N(1), N(2))]), ("one", [U(LS)]),
    ("one", [SET(U(), S("a"))]), ("one", [SET(U())]), ("one", [L(U())]), ("one", [SEN(L(S("a")))]), ("one", [L(SEN(S("a")))]),
    ("one", [M(a=S("a"))]), ("one", [S("a")]), ("one", [NULL(LS)]), ("one", [U(DYNAMIC)]), ("one", [L(NULL(STRING))]),
    # range
    ("range", [N(3)]), ("range", [N(1), N(4)]), ("range", [N(1), N(8), N(2)]), ("range", [N(1), N(4), N("0.5")]),
    ("range", [N(4), N(1)]), ("range", [N(10), N(5), N(-2)]), ("range", [N(-3)]), ("range", [N(0)]), ("range", [N("2.5")]),
    ("range", [N(1), N(1)]), ("range", [N(1), N(1), N(0)]), ("range", [N(0), N(5), N(0)]), ("range", [N(1), N(5), N(-1)]),
    ("range", [N(5), N(1), N(1)]), ("range", []), ("range", [N(1), N(2), N(3), N(4)]), ("range", [N(1024)]), ("range", [N(1025)]),
    ("range", [N(0), N(1), N("0.1")]), ("range", [U(NUMBER)]), ("range", [S("3")]), ("range", [S("x")]), ("range", [SEN(N(2))]),
    ("range", [NULL(NUMBER)]), ("range", [N("0.3"), N(1), N("0.3")]), ("range", [BIG, N("123456789012345678901234567893")]),
    # reverse
    ("reverse", [L(N(1), N(2), N(3))]), ("reverse", [TUP(S("a"), N(1), T)]), ("reverse", [TUP()]), ("reverse", [L(of=STRING)]),
    ("reverse", [SET(S("b"), S("a"), S("c"))]), ("reverse", [S("abc")]), ("reverse", [M(a=S("a"))]), ("reverse", [U(LS)]),
    ("reverse", [SEN(L(S("a"), S("b")))]), ("reverse", [L(SEN(S("a")), S("b"))]), ("reverse", [L(S("a"), U())]), ("reverse", [NULL(LS)]),
    # slice
    ("slice", [L(S("a"), S("b"), S("c"), S("d")), N(1), N(3)]), ("slice", [TUP(S("a"), N(1), T), N(1), N(3)]),
    ("slice", [L(S("a")), N(0), N(0)]), ("slice", [TUP(S("a")), N(1), N(1)]), ("slice", [L(S("a")), N(-1), N(1)]),
    ("slice", [L(S("a")), N(0), N(2)]), ("slice", [L(S("a")), N(2), N(1)]), ("slice", [L(S("a"), S("b")), N(1), N(0)]),
    ("slice", [L(S("a")), N(0), N(-1)]), ("slice", [L(S("a")), N("0.5"), N(1)]), ("slice", [L(S("a")), N(0), N("0.5")]),
    ("slice", [SET(S("a")), N(0), N(1)]), ("slice", [S("abc"), N(0), N(1)]), ("slice", [U(LS), N(0), N(1)]),
    ("slice", [U(LS), N(-1), N(1)]), ("slice", [TUP(S("a"), N(1)), U(NUMBER), N(1)]), ("slice", [TUP(S("a"), N(1)), N(3), U(NUMBER)]),
    ("slice", [L(S("a")), U(NUMBER), N(-1)]), ("slice", [SEN(L(S("a"), S("b"))), N(0), N(1)]), ("slice", [L(S("a"), S("b")), SEN(N(0)), N(1)]),
    ("slice", [L(SEN(S("a")), S("b")), N(0), N(1)]), ("slice", [L(S("a"), U()), N(1), N(2)]), ("slice", [NULL(LS), N(0), N(0)]),
    # merge
    ("merge", [M(a=S("b"), c=S("d")), M(e=S("f"), c=S("z"))]), ("merge", [M(a=S("b")), O(e=N(1), c=S("z"))]),
    ("merge", []), ("merge", [M(a=S("b"))]), ("merge", [O(a=N(1)), O(a=S("x"))]), ("merge", [O(a=N(1)), O(b=T)]),
    ("merge", [M(a=N(1)), M(b=S("x"))]), ("merge", [M(of=STRING), M(of=STRING)]), ("merge", [NULL(), M(a=S("x"))]),
    ("merge", [NULL(MS), M(a=S("x"))]), ("merge", [NULL(MS), NULL(MS)]), ("merge", [U(MS), M(a=S("x"))]),
    ("merge", [U(MS), O(a=S("x"))]), ("merge", [U(DYNAMIC), M(a=S("x"))]), ("merge", [L(S("a"))]), ("merge", [S("a")]),
    ("merge", [SEN(M(a=S("x"))), M(b=S("y"))]), ("merge", [M(a=SEN(S("x"))), M(a=S("y"))]), ("merge", [M(a=S("x"), b=U())]),
    ("merge", [O(a=N(1)), NULL(MS)]), ("merge", [O(a=N(1)), O()]), ("merge", [O(), O()]), ("merge", [M(of=NUMBER), O()]),
    # setproduct
    ("setproduct", [SET(S("development"), S("staging"), S("production")), SET(S("app1"), S("app2"))]),
    ("setproduct", [L(S("a"), S("b")), L(N(1), N(2))]), ("setproduct", [L(S("b"), S("a")), SET(N(2), N(1))]),
    ("setproduct", [TUP(S("a"), N(1)), L(S("x"))]), ("setproduct", [TUP(), L(S("x"))]), ("setproduct", [L(of=STRING), L(S("x"))]),
    ("setproduct", [SET(of=STRING), SET(S("x"))]), ("setproduct", [L(S("a"))]), ("setproduct", [L(S("a")), M(a=S("a"))]),
    ("setproduct", [TUP(S("a"), L(S("b"))), L(S("x"))]), ("setproduct", [U(LS), L(S("x"))]), ("setproduct", [U(LS), L(of=STRING)]),
    ("setproduct", [U(LS), TUP()]), ("setproduct", [SET(S("a"), U()), L(of=STRING)]),
    ("setproduct", [SET(S("a"), U()), SET(S("b"))]), ("setproduct", [SET(S("b"), U()), L(S("a"))]), ("setproduct", [L(S("a"), U()), L(S("x"))]), ("setproduct", [SET(S("a"), U()), L(S("x"))]),
    ("setproduct", [SEN(L(S("a"))), L(S("x"))]), ("setproduct", [L(SEN(S("a"))), L(S("x"))]), ("setproduct", [L(SEN(S("a"))), SET(S("x"))]),
    ("setproduct", [L(S("a"), S("a")), SET(S("x"))]), ("setproduct", [L(N(1), N("1.0")), L(S("x"))]), ("setproduct", [U(DYNAMIC), L(S("x"))]),
    ("setproduct", [NULL(LS), L(S("x"))]), ("setproduct", [L(S("a")), L(S("b")), L(S("c"), S("d"))]),
    # transpose
    ("transpose", [M(a=L(S("1"), S("2")), b=L(S("2"), S("3")))]), ("transpose", [M(of=LS)]), ("transpose", [M(a=L(of=STRING))]),
    ("transpose", [O(a=TUP(N(1), T))]), ("transpose", [M(a=L(S("x")), b=L(S("x")), B=L(S("x")))]), ("transpose", [M(a=L(U()))]),
    ("transpose", [M(a=U(LS))]), ("transpose", [U(cty.map_of(LS))]), ("transpose", [M(a=L(NULL(STRING)))]), ("transpose", [M(a=NULL(LS))]),
    ("transpose", [M(a=L(SEN(S("x"))))]), ("transpose", [SEN(M(a=L(S("x"))))]), ("transpose", [M(a=S("x"))]), ("transpose", [L(S("a"))]),
    ("transpose", [M(a=L(S("x"), S("x")))]),
    # zipmap
    ("zipmap", [L(S("a"), S("b")), L(N(1), N(2))]), ("zipmap", [L(S("a"), S("b")), TUP(N(1), L(S("c")))]),
    ("zipmap", [L(of=STRING), L(of=NUMBER)]), ("zipmap", [L(of=STRING), TUP()]), ("zipmap", [L(S("a")), L(N(1), N(2))]),
    ("zipmap", [L(S("a")), TUP(N(1), N(2))]), ("zipmap", [L(S("a"), S("a")), L(N(1), N(2))]), ("zipmap", [L(S("a"), S("a")), TUP(N(1), T)]),
    ("zipmap", [L(NULL(STRING)), TUP(N(1))]), ("zipmap", [L(S("a"), U()), L(N(1), N(2))]), ("zipmap", [L(S("a"), U()), TUP(N(1), N(2))]),
    ("zipmap", [L(S("a")), U(LS)]), ("zipmap", [U(LS), L(N(1))]), ("zipmap", [L(S("a")), SET(S("x"))]), ("zipmap", [L(S("a")), M(a=S("x"))]),
    ("zipmap", [SEN(L(S("a"))), L(N(1))]), ("zipmap", [L(SEN(S("a"))), L(N(1))]), ("zipmap", [L(S("a")), SEN(L(N(1)))]),
    ("zipmap", [L(S("a")), L(SEN(N(1)))]), ("zipmap", [TUP(N(1), T), TUP(S("x"), S("y"))]), ("zipmap", [L(S("a")), TUP(U())]),
    # setunion / setintersection / setsubtract
    ("setunion", [SET(S("a"), S("b")), SET(S("b"), S("c")), SET(S("d"))]), ("setunion", [SET(N(1)), SET(S("1"))]),
    ("setunion", [L(S("b"), S("a")), TUP(S("c"), N(1))]), ("setunion", [SET(of=DYNAMIC), SET(S("a"))]), ("setunion", [TUP()]),
    ("setunion", [SET(of=DYNAMIC)]), ("setunion", [SET(S("a"), U()), SET(S("b"))]), ("setunion", [U(SS), SET(S("b"))]),
    ("setunion", [SET(S("a")), TUP(N(1), T)]), ("setunion", [SET(S("a")), SET(L(S("a")))]), ("setunion", [S("a")]),
    ("setunion", [SEN(SET(S("a"))), SET(S("b"))]), ("setunion", [NULL(SS)]), ("setunion", [U(DYNAMIC), SET(S("a"))]),
    ("setunion", [M(a=S("a"))]), ("setunion", [SET(N(1), N(2)), SET(N("1.0"), N(3))]), ("setunion", [TUP(NULL(), S("a"))]),
    ("setintersection", [SET(S("a"), S("b")), SET(S("b"), S("c")), SET(S("b"), S("d"))]), ("setintersection", [SET(N(1)), SET(S("1"))]),
    ("setintersection", [SET(S("a")), SET(of=STRING)]), ("setintersection", [SET(S("a"), U()), SET(S("a"))]),
    ("setintersection", [SET(S("a")), SET(S("a"), U())]), ("setintersection", [TUP(S("b"), S("a")), L(S("a"))]),
    ("setintersection", [SET(S("a")), SET(T)]), ("setintersection", [SET(S("a")), SET(L(S("a")))]),
    ("setsubtract", [SET(S("a"), S("b"), S("c")), SET(S("a"), S("c"))]), ("setsubtract", [SET(S("a"), S("b")), SET(of=STRING)]),
    ("setsubtract", [SET(S("a")), SET(S("a"), U())]), ("setsubtract", [SET(N(1), N(2)), SET(S("1"))]),
    ("setsubtract", [SET(S("a"))]), ("setsubtract", [SET(S("a")), SET(S("b")), SET(S("c"))]), ("setsubtract", [SET(of=DYNAMIC), SET(of=DYNAMIC)]),
    ("setsubtract", [SEN(SET(S("a"), S("b"))), SET(S("a"))]),
]


def _chunks(cases: list, size: int) -> list[list]:
    return [cases[i:i + size] for i in range(0, len(cases), size)]


@pytest.mark.oracle
@pytest.mark.parametrize("batch", range(len(_chunks(CASES, 150))))
def test_collection_functions_match_terraform(batch: int) -> None:
    failures = check_calls(_chunks(CASES, 150)[batch])
    assert not failures, "\n".join(failures)


@pytest.mark.oracle
def test_removed_list_and_map_functions_are_errors() -> None:
    """Terraform 1.15 still knows `list()` and `map()` only to refuse them; iac does not define them at
    all (the evaluator reports an unknown function), so both refuse the call."""
    results = terraform_eval(['list("a")', 'map("a", 1)'])
    assert all(r.error for r in results)
    assert lookup_function("list") is None and lookup_function("map") is None

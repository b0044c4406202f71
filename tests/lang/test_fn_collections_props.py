"""Generated calls of the collection and conversion functions, iac against Terraform: random nested
values (unicode text, big and fractional numbers, typed nulls, unknowns, sensitive parts), a batch of
calls per example evaluated in one plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from iac.lang import cty
from iac.lang.cty import BOOL, NUMBER, STRING, Type, Value
from tests.lang.tfeval import check_calls

_CHARS = st.sampled_from(list("aAbz09 _-./$%{}\"\\\n\téE\u0301\u00e9ß🌍👍🏽\u200d字ｚ"))
TEXT = st.lists(_CHARS, max_size=5).map("".join)
KEYS = st.lists(st.sampled_from(list("abAB1é_ ")), min_size=1, max_size=3).map("".join)
NUMBERS = st.one_of(
    st.integers(-5, 12),
    st.integers(-(10**40), 10**40),
    st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("0.1"), Decimal("1e-20"), Decimal("123456789012345678901234567890.5"), Decimal("2.5")]),
)
PRIMS = {STRING: TEXT.map(cty.string), NUMBER: NUMBERS.map(cty.number), BOOL: st.booleans().map(cty.bool_value)}


def _decorate(values: st.SearchStrategy[Value], t: Type) -> st.SearchStrategy[Value]:
    """Mostly known values, sometimes null, unknown or sensitive."""
    return st.one_of(
        values, values, values, values, values, values,
        st.just(cty.null(t)), st.just(cty.unknown(t)), values.map(lambda v: v.mark({cty.SENSITIVE})),
    )


def prim(t: Type) -> st.SearchStrategy[Value]:
    return _decorate(PRIMS[t], t)


PRIM_TYPE = st.sampled_from([STRING, NUMBER, BOOL])


@st.composite
def collection(draw: st.DrawFn, depth: int = 2) -> Value:
    """A list, set, map, tuple or object (of primitives, or of collections when depth allows)."""
    kind = draw(st.sampled_from(["list", "set", "map", "tuple", "object", "list", "tuple"]))
    size = draw(st.integers(0, 4))
    if kind in ("tuple", "object"):
        elems = [draw(any_value(depth - 1)) for _ in range(size)]
        if kind == "tuple":
            return cty.tuple_value(elems)
        names = draw(st.lists(KEYS, min_size=size, max_size=size, unique=True))
        return cty.object_value(dict(zip(names, elems, strict=True)))
    if depth > 1 and draw(st.booleans()):
        inner = draw(st.sampled_from([cty.list_of(STRING), cty.list_of(NUMBER), cty.map_of(STRING)]))
        elems = [draw(_typed(inner)) for _ in range(size)]
        elem_type = inner
    else:
        elem_type = draw(PRIM_TYPE)
        elems = [draw(prim(elem_type) if kind != "set" else PRIMS[elem_type]) for _ in range(size)]
    if kind == "list":
        return cty.list_value(elems, elem_type)
    if kind == "set":
        return cty.set_value(elems, elem_type)
    names = draw(st.lists(KEYS, min_size=size, max_size=size, unique=True))
    return cty.map_value(dict(zip(names, elems, strict=True)), elem_type)


def _typed(t: Type) -> st.SearchStrategy[Value]:
    assert t.elem is not None
    elems = st.lists(PRIMS[t.elem], max_size=3)
    if t.kind == "list":
        return elems.map(lambda es: cty.list_value(es, t.elem))
    return st.dictionaries(KEYS, PRIMS[t.elem], max_size=3).map(lambda d: cty.map_value(d, t.elem))


def any_value(depth: int = 2) -> st.SearchStrategy[Value]:
    prims = PRIM_TYPE.flatmap(prim)
    if depth <= 0:
        return prims
    return st.one_of(prims, collection(depth), collection(depth), st.just(cty.null(cty.DYNAMIC)))


def _list_of(t: Type) -> st.SearchStrategy[Value]:
    return st.lists(prim(t), max_size=5).map(lambda es: cty.list_value(es, t))


STRINGS = st.one_of(_list_of(STRING), st.lists(TEXT.map(cty.string), max_size=5).map(cty.tuple_value))
SMALL = st.integers(-3, 6).map(cty.number)


@st.composite
def call(draw: st.DrawFn) -> tuple[str, list[Value]]:
    """One function call with arguments shaped for that function (and sometimes not)."""
    anything = any_value()
    name = draw(st.sampled_from(sorted(_ARGS)))
    return name, draw(_ARGS[name](anything))


_ARGS = {
    "length": lambda a: st.tuples(a).map(list),
    "keys": lambda a: st.tuples(a).map(list),
    "values": lambda a: st.tuples(a).map(list),
    "flatten": lambda a: st.lists(a, max_size=4).map(lambda es: [cty.tuple_value(es)]),
    "concat": lambda a: st.lists(st.one_of(a, STRINGS), min_size=1, max_size=3),
    "merge": lambda a: st.lists(a, max_size=3),
    "distinct": lambda a: st.one_of(STRINGS, a).map(lambda v: [v]),
    "sort": lambda a: st.one_of(STRINGS, a).map(lambda v: [v]),
    "compact": lambda a: st.one_of(STRINGS, a).map(lambda v: [v]),
    "contains": lambda a: st.tuples(st.one_of(STRINGS, a), st.one_of(PRIM_TYPE.flatmap(prim), a)).map(list),
    "index": lambda a: st.tuples(st.one_of(STRINGS, a), PRIM_TYPE.flatmap(prim)).map(list),
    "element": lambda a: st.tuples(st.one_of(STRINGS, a), SMALL).map(list),
    "slice": lambda a: st.tuples(st.one_of(STRINGS, a), SMALL, SMALL).map(list),
    "reverse": lambda a: st.tuples(a).map(list),
    "chunklist": lambda a: st.tuples(st.one_of(STRINGS, a), SMALL).map(list),
    "coalesce": lambda a: st.lists(PRIM_TYPE.flatmap(prim), min_size=1, max_size=3),
    "coalescelist": lambda a: st.lists(st.one_of(STRINGS, a), min_size=1, max_size=3),
    "lookup": lambda a: st.tuples(a, KEYS.map(cty.string)).map(list) | st.tuples(a, KEYS.map(cty.string), a).map(list),
    "matchkeys": lambda a: st.tuples(STRINGS, STRINGS, STRINGS).map(list),
    "one": lambda a: st.tuples(a).map(list),
    "range": lambda a: st.lists(st.integers(-6, 6).map(cty.number) | st.sampled_from([cty.number(Decimal("0.5"))]),
                                min_size=1, max_size=3),
    "setunion": lambda a: st.lists(st.one_of(STRINGS, a), min_size=1, max_size=3),
    "setintersection": lambda a: st.lists(st.one_of(STRINGS, a), min_size=1, max_size=3),
    "setsubtract": lambda a: st.lists(st.one_of(STRINGS, a), min_size=2, max_size=2),
    "setproduct": lambda a: st.lists(st.one_of(STRINGS, a), min_size=2, max_size=3),
    "sum": lambda a: st.one_of(_list_of(NUMBER), a).map(lambda v: [v]),
    "transpose": lambda a: st.one_of(_typed(cty.map_of(STRING)), a).map(lambda v: [v]),
    "zipmap": lambda a: st.tuples(STRINGS, st.one_of(STRINGS, a)).map(list),
    "alltrue": lambda a: st.one_of(_list_of(BOOL), a).map(lambda v: [v]),
    "anytrue": lambda a: st.one_of(_list_of(BOOL), a).map(lambda v: [v]),
}

# no shrinking: each step would be another plan; a failure lists every differing call of its batch anyway
SETTINGS = settings(max_examples=2, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.oracle
@SETTINGS
@given(st.lists(call(), min_size=100, max_size=120))
def test_generated_collection_calls_match_terraform(calls: list[tuple[str, list[Value]]]) -> None:
    failures = check_calls(calls)
    assert not failures, "\n".join(failures)

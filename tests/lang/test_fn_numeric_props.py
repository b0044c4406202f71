"""Generated calls of the numeric functions against Terraform: each example is one batch of calls."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.numbers import parse_number
from tests.lang.test_fn_numeric import Case, check_against_terraform


@st.composite
def number_texts(draw: st.DrawFn) -> str:
    sign = draw(st.sampled_from(["", "-"]))
    whole = draw(st.text("0123456789", min_size=1, max_size=30))
    fraction = draw(st.text("0123456789", max_size=30))
    exponent = draw(st.one_of(st.just(0), st.integers(-30, 30), st.integers(-400, 400)))
    text = f"{sign}{whole}" + (f".{fraction}" if fraction else "") + (f"e{exponent}" if exponent else "")
    return text


def literal(text: str) -> Value:
    """A number as Terraform reads the literal (512 bits)."""
    parsed = parse_number(text)
    assert parsed is not None, text
    return cty.number(parsed)


NUMBERS = st.one_of(
    st.integers(-1000, 1000).map(lambda i: cty.number(i)),
    st.integers(-(2**80), 2**80).map(lambda i: cty.number(i)),
    number_texts().map(literal),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: literal(repr(f))),
    st.floats(min_value=-50, max_value=50, allow_nan=False).map(lambda f: literal(repr(f))),
    st.sampled_from(["0", "1", "-1", "0.5", "2", "10", "9007199254740993", "9223372036854775807",
                     "9223372036854775808", "1e308", "2e308", "5e-324", "1e-400"]).map(literal),
)

ODD = st.sampled_from([cty.unknown(cty.NUMBER), cty.null(cty.NUMBER), cty.string("12"), cty.string("x"),
                       cty.unknown(cty.DYNAMIC), cty.TRUE])


@st.composite
def arguments(draw: st.DrawFn) -> Value:
    value = draw(st.one_of(NUMBERS, NUMBERS, NUMBERS, NUMBERS, ODD))
    if draw(st.integers(0, 9)) == 0:
        value = value.mark({cty.SENSITIVE})
    return value


DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@st.composite
def parseint_calls(draw: st.DrawFn) -> Case:
    base = draw(st.integers(2, 62))
    valid = DIGITS[:base] if base > 36 else DIGITS[:base] + DIGITS[36:36 + base - 10]
    digits = draw(st.text(st.sampled_from(valid), min_size=1, max_size=60))
    if draw(st.integers(0, 5)) == 0:
        digits = draw(st.text(min_size=0, max_size=6)) + digits
    sign = draw(st.sampled_from(["", "", "-", "+"]))
    return ("parseint", [cty.string(sign + digits), cty.number(base)])


@st.composite
def calls(draw: st.DrawFn) -> Case:
    name = draw(st.sampled_from(["abs", "ceil", "floor", "log", "pow", "signum", "max", "min", "parseint"]))
    if name == "parseint":
        return draw(parseint_calls())
    count = {"log": 2, "pow": 2}.get(name, 1)
    if name in ("max", "min"):
        count = draw(st.integers(1, 4))
    return (name, [draw(arguments()) for _ in range(count)])


@pytest.mark.oracle
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])  # no shrinking: each example is a plan
@given(st.lists(calls(), min_size=150, max_size=150))
def test_generated_numeric_calls_match_terraform(cases: list[Case]) -> None:
    assert check_against_terraform(cases) == []

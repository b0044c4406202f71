"""Generated calls of the date and time functions against Terraform: each example is one batch."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from iac.lang import cty
from iac.lang.cty import Value
from tests.lang.test_fn_numeric import Case, check_against_terraform


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    year = draw(st.integers(0, 9999))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 31))
    text = f"{year:04d}-{month:02d}-{day:02d}T{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}:" \
           f"{draw(st.integers(0, 59)):02d}"
    text += draw(st.sampled_from(["", "", ".5", ".123456789", ".0000000001"]))
    text += draw(st.one_of(st.just("Z"), st.builds(lambda sign, h, m: f"{sign}{h:02d}:{m:02d}",
                                                   st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 59))))
    if draw(st.integers(0, 7)) == 0:  # damage it
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(st.text("0123456789:-+TZ.,é x", max_size=2)) + text[position + 1:]
    return text


@st.composite
def durations(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(["", "", ".5", ".25", ".999999999"]),
                                    st.sampled_from(["h", "m", "s", "ms", "us", "µs", "ns"])), min_size=1, max_size=3))
    text = draw(st.sampled_from(["", "", "-", "+"])) + "".join(f"{n}{f}{u}" for n, f, u in parts)
    if draw(st.integers(0, 9)) == 0:
        text = draw(st.text("0123456789.hmsu-+dx", max_size=6))
    return text


FORMAT = st.lists(st.sampled_from(list("YMDEhHAamsZ'") + [" ", "-", ":", "/", "x", "é", "''", "YYYY", "MMM"]),
                  max_size=10).map("".join)


def secret_sometimes(draw: st.DrawFn, value: Value) -> Value:
    return value.mark({cty.SENSITIVE}) if draw(st.integers(0, 12)) == 0 else value


@st.composite
def calls(draw: st.DrawFn) -> Case:
    name = draw(st.sampled_from(["formatdate", "formatdate", "timeadd", "timecmp"]))
    stamp = cty.string(draw(timestamps()))
    if name == "formatdate":
        args = [cty.string(draw(FORMAT)), stamp]
    elif name == "timeadd":
        args = [stamp, cty.string(draw(durations()))]
    else:
        args = [stamp, cty.string(draw(timestamps()))]
    if draw(st.integers(0, 15)) == 0:
        args[draw(st.integers(0, 1))] = draw(st.sampled_from([cty.unknown(cty.STRING), cty.null(cty.STRING)]))
    return (name, [secret_sometimes(draw, a) for a in args])


@pytest.mark.oracle
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])  # no shrinking: each example is a plan
@given(st.lists(calls(), min_size=150, max_size=150))
def test_generated_datetime_calls_match_terraform(cases: list[Case]) -> None:
    assert check_against_terraform(cases) == []

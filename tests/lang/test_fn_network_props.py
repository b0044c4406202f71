"""Generated calls of the IP network functions against Terraform: each example is one batch."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from iac.lang import cty
from tests.lang.test_fn_numeric import Case, check_against_terraform


@st.composite
def ipv4(draw: st.DrawFn) -> str:
    octets = [draw(st.integers(0, 255)) for _ in range(4)]
    text = ".".join(str(o) for o in octets)
    return text


@st.composite
def ipv6(draw: st.DrawFn) -> str:
    groups = [draw(st.sampled_from([0, 0, 0, 1, 0xFFFF, draw(st.integers(0, 0xFFFF))])) for _ in range(8)]
    text = ":".join(f"{g:x}" for g in groups)
    if draw(st.booleans()):
        import ipaddress

        text = str(ipaddress.IPv6Address(text))
    return text


@st.composite
def prefixes(draw: st.DrawFn) -> tuple[str, int]:
    if draw(st.booleans()):
        bits, text = 32, draw(ipv4())
    else:
        bits, text = 128, draw(ipv6())
    length = draw(st.integers(0, bits))
    text = f"{text}/{length}"
    if draw(st.integers(0, 12)) == 0:
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(st.text("0123456789abcdef:./x", max_size=2)) + text[position + 1:]
    return text, length


NUMBERS = st.one_of(st.integers(-40, 300), st.integers(-(2**70), 2**70), st.sampled_from([2**64, 2**128, -(2**64)]))


@st.composite
def calls(draw: st.DrawFn) -> Case:
    name = draw(st.sampled_from(["cidrhost", "cidrnetmask", "cidrsubnet", "cidrsubnets", "cidrsubnets"]))
    prefix, length = draw(prefixes())
    p = cty.string(prefix)
    if name == "cidrhost":
        return (name, [p, cty.number(draw(NUMBERS))])
    if name == "cidrnetmask":
        return (name, [p])
    if name == "cidrsubnet":
        return (name, [p, cty.number(draw(st.integers(-4, 40))), cty.number(draw(NUMBERS))])
    bits = draw(st.lists(st.integers(-1, 34), max_size=6)) if draw(st.integers(0, 4)) == 0 else \
        draw(st.lists(st.integers(1, 12), max_size=6))
    return (name, [p, *(cty.number(b) for b in bits)])


@pytest.mark.oracle
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])  # no shrinking: each example is a plan
@given(st.lists(calls(), min_size=150, max_size=150))
def test_generated_network_calls_match_terraform(cases: list[Case]) -> None:
    assert check_against_terraform(cases) == []

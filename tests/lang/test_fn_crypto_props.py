"""Generated calls of the hash and uuid functions, compared with Terraform."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.lang.test_fn_encoding_support import CaseLike, check_cases, s, sens

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
HASHES = ["md5", "sha1", "sha256", "sha512", "base64sha256", "base64sha512"]
NAMESPACES = st.one_of(st.sampled_from(["dns", "url", "oid", "x500", "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                                        "{6ba7b811-9dad-11d1-80b4-00c04fd430c8}"]),
                       st.uuids().map(str), st.uuids().map(lambda u: u.hex.upper()), TEXT)


@st.composite
def hash_call(draw: st.DrawFn) -> CaseLike:
    text = s(draw(TEXT))
    return (draw(st.sampled_from(HASHES)), [sens(text) if draw(st.booleans()) else text])


@st.composite
def uuid_call(draw: st.DrawFn) -> CaseLike:
    return ("uuidv5", [s(draw(NAMESPACES)), s(draw(TEXT))])


@pytest.mark.oracle
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck),
                    phases=(Phase.explicit, Phase.reuse, Phase.generate))
@given(st.lists(st.one_of(hash_call(), uuid_call()), min_size=100, max_size=120))
def test_generated_hash_calls_match_terraform(cases: list[CaseLike]) -> None:
    check_cases(cases)

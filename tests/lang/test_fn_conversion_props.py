"""Generated calls of the conversion and mark functions, iac against Terraform, batched per example."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iac.lang.cty import Value
from tests.lang.test_fn_collections_props import SETTINGS, any_value
from tests.lang.tfeval import check_calls

NAMES = ["tolist", "toset", "tomap", "tostring", "tonumber", "tobool", "sensitive", "nonsensitive", "issensitive",
         "ephemeralasnull"]
CALL = st.tuples(st.sampled_from(NAMES), any_value().map(lambda v: [v]))


@pytest.mark.oracle
@SETTINGS
@given(st.lists(CALL, min_size=100, max_size=120))
def test_generated_conversion_calls_match_terraform(calls: list[tuple[str, list[Value]]]) -> None:
    failures = check_calls(calls)
    assert not failures, "\n".join(failures)

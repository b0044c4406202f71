"""Random before/after configurations through the oracle (real Terraform, offline).

For every example: Terraform applies `before`; Terraform and iac plan `after` on that state and must
agree (actions, replace_paths, before/after/after_unknown, masks, reasons, outputs); then Terraform
applies `after` and iac must plan no changes for it. Examples: IAC_ORACLE_EXAMPLES (default 200).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from iac._jsonio import dumps
from tests.oracle.harness import TerraformFailed, TerraformOracle, comparable
from tests.properties.strategies import configs, edits

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

_EXAMPLES = int(os.environ.get("IAC_ORACLE_EXAMPLES", "200"))
_ORACLE = TerraformOracle(Path(tempfile.mkdtemp(prefix="iac-oracle-")))  # one directory, reused


@st.composite
def _pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    before = draw(configs())
    return before, draw(edits(before))


@settings(max_examples=_EXAMPLES, deadline=None, derandomize=not os.environ.get("IAC_ORACLE_RANDOM"), database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_pairs())
def test_iac_agrees_with_terraform_and_converges(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    before, after = pair
    _ORACLE.reset()
    try:
        _ORACLE.apply(before)
    except TerraformFailed:
        event("Terraform rejected the before-config")
        return
    try:
        expected = _ORACLE.plan(after)
    except TerraformFailed as failure:
        with pytest.raises(Exception):  # noqa: B017 - iac must refuse too (the message differs)
            _ORACLE.iac_plan(after)
        assert "Error" in str(failure)
        event("both refused the after-config")
        return
    actual = _ORACLE.iac_plan(after)
    event("compared: " + ",".join(sorted({"+".join(rc["change"]["actions"]) for rc in actual.get("resource_changes", [])})))
    assert comparable(actual) == comparable(expected), dumps({"before": before, "after": after})
    _ORACLE.apply(after)
    again = _ORACLE.iac_plan(after)
    changed = [rc["address"] for rc in again.get("resource_changes", []) if rc["change"]["actions"] != ["no-op"]]
    assert changed == [] and not again["applyable"], dumps({"after": after, "changed": changed})

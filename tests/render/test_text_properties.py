"""Invariants of the text renderer on generated plans: every destructive change is shown, and no
value marked sensitive is ever printed (the plan is masked as our contract requires first)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tf_oracle import mask_plan

from iac.render._common import action_of, shown_changes
from iac.render.text import render_plan

pytestmark = pytest.mark.slow

SECRET = re.compile(r"SECRET-[0-9a-f]{8}")

keys = st.from_regex(r"[a-z][a-z_]{0,5}", fullmatch=True) | st.sampled_from(["id", "name", "tags", "spark.conf", "with space"])
leaves = (
    st.none() | st.booleans() | st.integers(-(10**20), 10**20)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: d if d != d.to_integral_value() else Decimal("0.5"))
    | st.text(max_size=10) | st.sampled_from(['{"a": [1, 2]}', "line one\nline two\n", "[1, 2]", ""])
)
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=10)
ACTIONS = [["create"], ["update"], ["delete"], ["delete", "create"], ["create", "delete"], ["no-op"], ["forget"]]
TYPES = ["terraform_data", "custom_widget", "databricks_cluster"]


def _with_secrets(draw: st.DrawFn, value: Any) -> tuple[Any, Any]:
    """Replace some string leaves by secret tokens; return the value and its sensitivity mask."""
    if isinstance(value, dict):
        pairs = {k: _with_secrets(draw, v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, {k: m for k, (_, m) in pairs.items() if m is not False}
    if isinstance(value, list):
        pairs = [_with_secrets(draw, v) for v in value]
        return [v for v, _ in pairs], [m for _, m in pairs]
    if isinstance(value, str) and draw(st.booleans()):
        return f"SECRET-{draw(st.integers(0, 2**32 - 1)):08x}", True
    return value, False


@st.composite
def side(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    value, mask = _with_secrets(draw, draw(st.dictionaries(keys, values, min_size=1, max_size=5)))
    if draw(st.booleans()):  # a whole top-level value marked sensitive
        value["secret"] = {"nested": "SECRET-" + f"{draw(st.integers(0, 2**32 - 1)):08x}"}
        mask["secret"] = True
    return value, mask


@st.composite
def resource_change(draw: st.DrawFn, ix: int) -> dict[str, Any]:
    actions = draw(st.sampled_from(ACTIONS))
    kind = draw(st.sampled_from(TYPES))
    before, before_mask = draw(side()) if actions != ["create"] else (None, False)
    after, after_mask = draw(side()) if actions not in (["delete"], ["forget"]) else (None, False)
    if actions == ["no-op"]:
        after, after_mask = before, before_mask
    unknown: dict[str, Any] = {}
    if isinstance(after, dict) and draw(st.booleans()):
        name = sorted(after)[0]
        after = {k: v for k, v in after.items() if k != name}
        unknown[name] = True
    change = {"actions": actions, "before": before, "after": after, "after_unknown": unknown,
              "before_sensitive": before_mask, "after_sensitive": after_mask}
    if "delete" in actions and "create" in actions and draw(st.booleans()) and isinstance(after, dict) and after:
        change["replace_paths"] = [[sorted(after)[0]]]
    rc = {"address": f"{kind}.r{ix}", "mode": "managed", "type": kind, "name": f"r{ix}", "change": change}
    if actions == ["delete"]:
        rc["action_reason"] = draw(st.sampled_from([None, "delete_because_no_resource_config"]))
    return rc


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 4))
    changes = [draw(resource_change(ix)) for ix in range(count)]
    secret = draw(st.booleans())
    outputs = {"out": {"actions": ["update"], "before": "SECRET-0000beef" if secret else "a", "after": "b",
                       "after_unknown": False, "before_sensitive": secret, "after_sensitive": secret}}
    return {"format_version": "1.2", "resource_changes": changes, "output_changes": outputs}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plans())
def test_no_sensitive_value_is_ever_printed(plan: dict[str, Any]) -> None:
    for color in (False, True):
        text = render_plan(mask_plan(plan), color=color)
        assert SECRET.search(text) is None, text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plans())
def test_every_delete_and_replace_is_shown(plan: dict[str, Any]) -> None:
    text = render_plan(mask_plan(plan))
    headers = [line for line in text.splitlines() if line.lstrip().startswith("# ")]
    for rc in plan.get("resource_changes", []):
        if "delete" in rc["change"]["actions"]:
            words = "destroyed" if rc["change"]["actions"] == ["delete"] else "replaced"
            assert any(f"# {rc['address']} " in h and words in h for h in headers), text
    shown = [rc["address"] for rc in shown_changes(plan)]
    assert [h.split()[1] for h in headers if h.split()[1] in shown] == shown  # in plan order, each once


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plans())
def test_rendering_is_deterministic_and_summary_is_last_of_resources(plan: dict[str, Any]) -> None:
    masked = mask_plan(plan)
    text = render_plan(masked)
    assert text == render_plan(mask_plan(plan))
    if any(action_of(rc["change"]["actions"]).value != "no-op" for rc in plan.get("resource_changes", [])):
        assert re.search(r"^Plan: \d+ to add, \d+ to change, \d+ to destroy\.$", text, re.M)

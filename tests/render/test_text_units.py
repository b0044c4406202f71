"""Text renderer details that real Terraform cannot show us offline: masked sensitive values (our
plan JSON never holds a secret, so whether one changed comes from `iac.reasons`), reason paths."""

from __future__ import annotations

from typing import Any

import pytest

from iac.render._common import MASK
from iac.render.text import parse_path, render_plan


def _secret_plan(reasons: dict[str, str], *, other_change: bool = True) -> dict[str, Any]:
    before = {"key": "k", "scope": "s", "string_value": MASK, "id": "s|||k", "provider_config": []}
    after = dict(before, key="k2" if other_change else "k")
    return {
        "format_version": "1.2",
        "resource_changes": [{
            "address": "databricks_secret.t", "mode": "managed", "type": "databricks_secret", "name": "t",
            "change": {"actions": ["update"], "before": before, "after": after, "after_unknown": {},
                       "before_sensitive": {"string_value": True}, "after_sensitive": {"string_value": True}},
        }],
        "iac": {"reasons": {"databricks_secret.t": reasons}},
    }


@pytest.mark.parametrize(
    ("reasons", "shown"),
    [
        ({"string_value": "set in config"}, True),
        ({"key": "set in config"}, False),
        ({"string_value": "normalised away"}, False),
        ({"string_value": "provider default"}, True),
    ],
    ids=["reported changed", "not reported", "normalised away", "provider default is a change"],
)
def test_masked_value_is_changed_only_when_the_engine_says_so(reasons: dict[str, str], shown: bool) -> None:
    text = render_plan(_secret_plan(reasons))
    assert ("~ string_value = (sensitive value)" in text) is shown
    assert ("# (2 unchanged attributes hidden)" in text) is (not shown)


def test_masked_leaf_under_a_reported_parent_path_is_changed() -> None:
    plan = _secret_plan({})
    for side in ("before", "after"):
        change = plan.get("resource_changes", [])[0]["change"]
        change[side]["input"] = {"pw": MASK, "user": "ana"}
        change[f"{side}_sensitive"]["input"] = {"pw": True}
    plan.get("resource_changes", [])[0]["type"] = "custom_thing"  # no schema: every attribute dynamic
    plan.get("resource_changes", [])[0]["address"] = "custom_thing.t"
    plan["iac"]["reasons"] = {"custom_thing.t": {"input": "set in config"}}
    assert "~ pw   = (sensitive value)" in render_plan(plan)


def test_masked_value_unknown_after_apply_is_an_update_never_a_removal() -> None:
    """A secret whose new value is not known yet (a variable without a value) is replaced, not set to null."""
    plan = _secret_plan({"string_value": "forces replacement"}, other_change=False)
    rc = plan.get("resource_changes", [])[0]
    rc["change"]["actions"] = ["delete", "create"]
    rc["change"]["replace_paths"] = [["string_value"]]
    del rc["change"]["after"]["string_value"]
    rc["change"]["after_unknown"] = {"string_value": True, "id": True}
    text = render_plan(plan)
    assert "~ string_value = (sensitive value) # forces replacement" in text
    assert "-> null" not in text


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("input.tags.team", ["input", "tags", "team"]),
        ("task[0].notebook_task[0].base_parameters.date", ["task", "0", "notebook_task", "0", "base_parameters", "date"]),
        ("task.2", ["task", "2"]),
        ('spark_conf["spark.speculation"]', ["spark_conf", "spark.speculation"]),
        ('m["say \\"hi\\""]', ["m", 'say "hi"']),
    ],
)
def test_parse_reason_paths(text: str, steps: list[str]) -> None:
    assert parse_path(text) == steps

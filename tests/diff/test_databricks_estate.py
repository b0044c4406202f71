"""The example estate's Databricks resources through the SDKv2 emulation: once "applied" (planned
values written as state, unknowns filled), the same configuration plans no changes, and an edit
plans exactly that edit."""

from __future__ import annotations

from typing import Any

import pytest

from iac.plan.model import Plan
from iac.state import State
from iac.synth import synthesize
from iac.workflows.planning import make_plan
from tests.diff.helpers import apply_until_stable


def _planner(env: str) -> tuple[Any, Any]:
    synthesized = synthesize(env, None)
    document = synthesized.document
    secrets = {f"TF_VAR_{name}": "value-1234" for name, var in document.get("variable", {}).items() if "default" not in var}

    def plan_with(state: State, doc: dict[str, Any] = document) -> Plan:
        return make_plan(doc, state, base_dir=synthesized.workdir, env=secrets)

    return document, plan_with


@pytest.mark.parametrize("env", ["dev", pytest.param("prod", marks=pytest.mark.slow)])
def test_applied_estate_plans_no_changes(env: str) -> None:
    _, plan_with = _planner(env)
    state, result = apply_until_stable(plan_with)
    changed = [(str(rc.address), rc.action.value, dict(rc.reasons)) for rc in result.resource_changes
               if rc.action.value != "no-op"]
    assert changed == []
    assert len(result.resource_changes) > 50


def test_an_edit_plans_exactly_that_edit() -> None:
    document, plan_with = _planner("dev")
    state, _ = apply_until_stable(plan_with)
    clusters = document["resource"]["databricks_cluster"]
    name = sorted(clusters)[0]
    edited = {**document, "resource": {**document["resource"], "databricks_cluster": {
        **clusters, name: {**clusters[name], "autotermination_minutes": 17}}}}
    result = plan_with(state, edited)
    changed = {str(rc.address): dict(rc.reasons) for rc in result.resource_changes if rc.action.value != "no-op"}
    assert changed == {f"databricks_cluster.{name}": {"autotermination_minutes": "set in config"}}

"""The checks on plans made by iac's own diff engine from a state file (not hand-written JSON)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from iac.config import load_document
from iac.plan.jsonplan import to_json
from iac.policy.engine import evaluate
from iac.state import read_state
from iac.workflows.planning import make_plan
from tests.planfixtures import judged, relaxed

NODE_HOUR = Decimal("0.55") + Decimal("0.312")  # i3.xlarge all-purpose: 1 DBU x 0.55 + VM
HOURS = Decimal(176) + Decimal(11)  # 176 busy + 1 session/day x 30 min x 22 days
PROVIDERS = {"required_providers": {"databricks": {"source": "databricks/databricks", "version": "1.110.0"}}}


def cluster(workers: int) -> dict[str, Any]:
    return {"cluster_name": "c", "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": workers,
            "autotermination_minutes": 30, "custom_tags": {"team": "t"}, "data_security_mode": "SINGLE_USER"}


def engine_plan(tmp_path: Path, config_workers: int | None, state_workers: int) -> tuple[dict[str, Any], dict[str, Any]]:
    resources = {"databricks_cluster": {"c": cluster(config_workers)}} if config_workers is not None else {}
    document: dict[str, Any] = {"terraform": PROVIDERS, **({"resource": resources} if resources else {})}
    attributes = {**cluster(state_workers), "id": "0101-abc", "cluster_id": "0101-abc"}
    state = {"version": 4, "terraform_version": "1.15.5", "serial": 3, "lineage": "l", "outputs": {}, "resources": [
        {"mode": "managed", "type": "databricks_cluster", "name": "c",
         "provider": 'provider["registry.terraform.io/databricks/databricks"]',
         "instances": [{"schema_version": 0, "attributes": attributes, "sensitive_attributes": []}]}]}
    (tmp_path / "terraform.tfstate").write_text(json.dumps(state))
    module = load_document(document, file=str(tmp_path / "main.tf.json"), base_dir=tmp_path)
    plan = make_plan(module, read_state(tmp_path / "terraform.tfstate"), config_text=json.dumps(document).encode(),
                     base_dir=tmp_path)
    return to_json(plan), document


@pytest.mark.parametrize(
    ("config_workers", "action", "before_nodes", "after_nodes"),
    [
        pytest.param(4, ["update"], 3, 5, id="scale up: 1+2 -> 1+4 nodes"),
        pytest.param(2, None, 3, 3, id="same size costs nothing extra"),
        pytest.param(None, ["delete"], 3, 0, id="removed cluster saves its cost"),
    ],
)
def test_cost_delta_on_a_real_plan(tmp_path: Path, config_workers: int | None, action: list[str] | None,
                                   before_nodes: int, after_nodes: int) -> None:
    plan_json, document = engine_plan(tmp_path, config_workers, 2)
    if action is not None:  # (a hand-made state lacks server defaults, so "same size" may still plan an update)
        assert plan_json.get("resource_changes", [])[0]["change"]["actions"] == action
    report = evaluate(plan_json, relaxed(tags={"required": ["team"]}), mode="production", config=document)
    (line,) = report.cost.lines
    assert line.before_monthly == before_nodes * NODE_HOUR * HOURS
    assert line.after_monthly == after_nodes * NODE_HOUR * HOURS
    assert report.cost.delta == (after_nodes - before_nodes) * NODE_HOUR * HOURS
    assert judged(report.findings) == [] and report.verdict.value == "pass"

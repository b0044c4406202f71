"""Cost guardrail table tests: each guardrail with a passing and a failing case."""

from typing import Any

import pytest

from iac.policy import cost_checks
from iac.policy.settings import BASELINE_ITEMS
from tests.planfixtures import change, plan, run_checks


def cluster(**extra: Any) -> dict[str, Any]:
    base = {"cluster_name": "c", "node_type_id": "i3.xlarge", "num_workers": 2, "autotermination_minutes": 30,
            "data_security_mode": "SINGLE_USER"}
    return {**base, **extra}


def policy(definition: str) -> dict[str, Any]:
    return {"name": "p", "definition": definition}


BOUNDED = '{"autoscale.max_workers":{"type":"range","maxValue":4},"node_type_id":{"type":"allowlist","values":["i3.xlarge"]},"num_workers":{"type":"forbidden"}}'
CAPPED = '{"dbus_per_hour":{"type":"range","maxValue":10}}'
LOOSE = '{"autoscale.max_workers":{"type":"range","maxValue":4}}'

CASES = [
    # (id, settings, changes, expected)
    ("dbu/h within limit", {"guardrails": {"max_dbu_per_hour": 3}}, [change("databricks_cluster.c", cluster())], []),
    ("dbu/h above limit", {"guardrails": {"max_dbu_per_hour": 2}}, [change("databricks_cluster.c", cluster())],
     [("COST002", "databricks_cluster.c", "")]),
    ("photon counts toward dbu/h", {"guardrails": {"max_dbu_per_hour": 5}},
     [change("databricks_cluster.c", cluster(runtime_engine="PHOTON"))], [("COST002", "databricks_cluster.c", "")]),
    ("job cluster dbu/h above limit", {"guardrails": {"max_dbu_per_hour": 2}},
     [change("databricks_job.j", {"name": "j", "job_cluster": [{"job_cluster_key": "k", "new_cluster": [cluster(num_workers=4)]}]})],
     [("COST002", "databricks_job.j", "job_cluster[0].new_cluster")]),
    ("autotermination within limit", {}, [change("databricks_cluster.c", cluster(autotermination_minutes=60))], []),
    ("autotermination disabled", {}, [change("databricks_cluster.c", cluster(autotermination_minutes=0))],
     [("COST003", "databricks_cluster.c", "autotermination_minutes")]),
    ("autotermination above limit", {"guardrails": {"max_autotermination_minutes": 30}},
     [change("databricks_cluster.c", cluster(autotermination_minutes=45))], [("COST003", "databricks_cluster.c", "autotermination_minutes")]),
    ("autotermination unknown", {}, [change("databricks_cluster.c", cluster(autotermination_minutes=None), after_unknown={"autotermination_minutes": True})],
     [("COST013", "databricks_cluster.c", "autotermination_minutes")]),
    ("workers within limit", {"guardrails": {"max_workers": 8}}, [change("databricks_cluster.c", cluster(autoscale=[{"min_workers": 1, "max_workers": 8}]))], []),
    ("autoscale above limit", {"guardrails": {"max_workers": 4}}, [change("databricks_cluster.c", cluster(autoscale=[{"min_workers": 1, "max_workers": 8}]))],
     [("COST004", "databricks_cluster.c", "autoscale.max_workers")]),
    ("pipeline cluster above limit", {"guardrails": {"max_workers": 4}},
     [change("databricks_pipeline.p", {"name": "p", "cluster": [{"label": "default", "node_type_id": "i3.xlarge", "num_workers": 6}]})],
     [("COST004", "databricks_pipeline.p", "cluster[0].num_workers")]),
    ("spot workers", {"guardrails": {"require_spot_workers": True}},
     [change("databricks_cluster.c", cluster(aws_attributes=[{"availability": "SPOT_WITH_FALLBACK", "first_on_demand": 1}]))], []),
    ("on-demand workers where spot is required", {"guardrails": {"require_spot_workers": True}},
     [change("databricks_cluster.c", cluster(aws_attributes=[{"availability": "ON_DEMAND"}]))], [("COST005", "databricks_cluster.c", "")]),
    ("single node needs no spot", {"guardrails": {"require_spot_workers": True}},
     [change("databricks_cluster.c", cluster(num_workers=0))], []),
    ("policy required and present", {"guardrails": {"require_cluster_policy": True, "require_bounded_policies": False}},
     [change("databricks_cluster.c", cluster(policy_id="abc"))], []),
    ("policy required and missing", {"guardrails": {"require_cluster_policy": True}},
     [change("databricks_cluster.c", cluster())], [("COST006", "databricks_cluster.c", "policy_id")]),
    ("bounded policy", {}, [change("databricks_cluster_policy.p", policy(BOUNDED))], []),
    ("policy capped by dbus_per_hour", {}, [change("databricks_cluster_policy.p", policy(CAPPED))], []),
    ("policy leaving node type and num_workers open", {}, [change("databricks_cluster_policy.p", policy(LOOSE))],
     [("COST007", "databricks_cluster_policy.p", "definition")]),
    ("policy bound above the limit", {"guardrails": {"max_dbu_per_hour": 5}}, [change("databricks_cluster_policy.p", policy(BOUNDED))],
     [("COST007", "databricks_cluster_policy.p", "definition")]),
    ("cluster obeys its policy", {},
     [change("databricks_cluster.c", cluster(policy_id="pol", autoscale=[{"min_workers": 1, "max_workers": 4}], num_workers=None)),
      change("databricks_cluster_policy.p", {**policy(BOUNDED), "policy_id": "pol"})], []),
    ("cluster breaks its policy", {},
     [change("databricks_cluster.c", cluster(policy_id="pol", node_type_id="i3.2xlarge")),
      change("databricks_cluster_policy.p", {**policy(BOUNDED), "policy_id": "pol"})],
     [("COST012", "databricks_cluster.c", "node_type_id"), ("COST012", "databricks_cluster.c", "num_workers")]),
    ("warehouse stops in time", {"guardrails": {"max_warehouse_auto_stop_minutes": 30}},
     [change("databricks_sql_endpoint.w", {"name": "w", "cluster_size": "Small", "auto_stop_mins": 15})], []),
    ("warehouse never stops", {"guardrails": {"max_warehouse_auto_stop_minutes": 30}},
     [change("databricks_sql_endpoint.w", {"name": "w", "cluster_size": "Small", "auto_stop_mins": 0})],
     [("COST010", "databricks_sql_endpoint.w", "auto_stop_mins")]),
    ("pool idle within limit", {"guardrails": {"max_pool_idle_instances": 2}},
     [change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "min_idle_instances": 2, "aws_attributes": [{"availability": "ON_DEMAND"}]})], []),
    ("pool idle above limit", {"guardrails": {"max_pool_idle_instances": 1}},
     [change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "min_idle_instances": 2, "aws_attributes": [{"availability": "ON_DEMAND"}]})],
     [("COST011", "databricks_instance_pool.p", "min_idle_instances")]),
    ("triggered pipeline", {"guardrails": {"allow_continuous_pipelines": False}, "usage": {"dbu_per_hour": 4}},
     [change("databricks_pipeline.p", {"name": "p", "continuous": False, "serverless": True})], []),
    ("continuous pipeline not allowed", {"guardrails": {"allow_continuous_pipelines": False}, "usage": {"dbu_per_hour": 4}},
     [change("databricks_pipeline.p", {"name": "p", "continuous": True, "serverless": True})],
     [("COST014", "databricks_pipeline.p", "continuous")]),
    ("serving scales to zero", {"guardrails": {"require_scale_to_zero": True}},
     [change("databricks_model_serving.s", {"name": "s", "config": [{"served_entities": [
         {"name": "m", "workload_size": "Small", "scale_to_zero_enabled": True}]}]})], []),
    ("serving always on", {"guardrails": {"require_scale_to_zero": True}},
     [change("databricks_model_serving.s", {"name": "s", "config": [{"served_entities": [
         {"name": "m", "workload_size": "Small", "scale_to_zero_enabled": False}]}]})],
     [("COST015", "databricks_model_serving.s", "config.served_entities[0].scale_to_zero_enabled")]),
    ("priced", {}, [change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "min_idle_instances": 1, "aws_attributes": [{"availability": "ON_DEMAND"}]})], []),
    ("unknown node type is unpriced", {}, [change("databricks_instance_pool.p", {"node_type_id": "zz.huge", "min_idle_instances": 1, "aws_attributes": [{"availability": "ON_DEMAND"}]})],
     [("COST001", "databricks_instance_pool.p", "")]),
    ("within budget", {"guardrails": {"budget": {"monthly_total": 500, "monthly_delta": 500}}},
     [change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "min_idle_instances": 2, "aws_attributes": [{"availability": "ON_DEMAND"}]})], []),
    ("over total budget", {"guardrails": {"budget": {"monthly_total": 400}}},
     [change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "min_idle_instances": 2, "aws_attributes": [{"availability": "ON_DEMAND"}]})], [("COST008", "", "")]),
    ("over delta budget", {"guardrails": {"budget": {"monthly_delta": 100}}},
     [change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "min_idle_instances": 2, "aws_attributes": [{"availability": "ON_DEMAND"}]},
             before={"node_type_id": "i3.xlarge", "min_idle_instances": 1, "aws_attributes": [{"availability": "ON_DEMAND"}]})], [("COST009", "", "")]),
    ("over delta percent", {"guardrails": {"budget": {"monthly_delta_percent": 50}}},
     [change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "min_idle_instances": 2, "aws_attributes": [{"availability": "ON_DEMAND"}]},
             before={"node_type_id": "i3.xlarge", "min_idle_instances": 1, "aws_attributes": [{"availability": "ON_DEMAND"}]})], [("COST009", "", "")]),
]


# One guardrail at a time: the baseline's defaults (iac/policy/baseline.py, its own tests) would add the others.
ALONE = dict.fromkeys(BASELINE_ITEMS, "table test of one guardrail at a time")


@pytest.mark.parametrize(("settings", "changes", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_cost_guardrails(settings: dict, changes: list, expected: list) -> None:
    assert run_checks(plan(*changes), cost_checks.CHECKS, relax=ALONE, **settings) == sorted(expected)


def test_unpriced_is_a_warning_outside_production() -> None:
    from datetime import date

    from iac.policy.engine import evaluate
    from iac.policy.settings import PolicySettings

    document = plan(change("databricks_instance_pool.p", {"node_type_id": "zz.huge", "min_idle_instances": 1, "aws_attributes": [{"availability": "ON_DEMAND"}]}))
    dev = evaluate(document, PolicySettings(), mode="development", today=date(2026, 5, 1), checks=cost_checks.CHECKS)
    prod = evaluate(document, PolicySettings(), mode="production", today=date(2026, 5, 1), checks=cost_checks.CHECKS)
    assert [f.severity.value for f in dev.findings] == ["warning"] and [f.severity.value for f in prod.findings] == ["error"]

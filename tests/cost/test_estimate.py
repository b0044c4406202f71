"""Hand-computed monthly costs (cost-model.md worked examples) must match within 1%."""

from decimal import Decimal
from typing import Any

import pytest

from iac.cost.catalog import load_catalog
from iac.cost.compute import PriceContext, Spec
from iac.cost.estimate import estimate_cluster, estimate_job, estimate_pool, estimate_warehouse
from iac.cost.estimate_services import estimate_pipeline, estimate_serving
from iac.cost.model import Estimate
from iac.cost.usage import ResourceUsage, UsageAssumptions
from iac.plan.view import Unknown

AWS = PriceContext(load_catalog(), "aws", "premium")
AZURE = PriceContext(load_catalog(), "azure", "premium")
NO_IDLE = UsageAssumptions(sessions_per_day=Decimal(0))


def close(actual: Decimal, expected: str) -> bool:
    return abs(actual - Decimal(expected)) <= Decimal(expected) * Decimal("0.01")


def autoscaling(**extra: Any) -> dict[str, Any]:
    return {"node_type_id": "i3.xlarge", "autoscale": [{"min_workers": 2, "max_workers": 8}],
            "autotermination_minutes": 30, **extra}


def test_cluster_i3_xlarge_autoscale_2_to_8_at_176_hours() -> None:
    # min: 3 nodes x (1 DBU x 0.55 + 0.312 VM) = 2.586 $/h x 176 h = 455.14; max: 9 nodes -> 7.758 $/h -> 1,365.41
    estimate = estimate_cluster(Spec(autoscaling()), AWS, NO_IDLE, "databricks_cluster.c")
    assert close(estimate.monthly_min, "455")
    assert close(estimate.monthly_max, "1365")
    assert close(estimate.hourly_min, "2.59") and close(estimate.hourly_max, "7.76")
    assert estimate.dbu_per_hour_max == 9
    assert not estimate.unpriced


def test_cluster_photon_and_spot_worst_cases() -> None:
    photon = estimate_cluster(Spec(autoscaling(runtime_engine="PHOTON")), AWS, NO_IDLE, "c")
    spot = estimate_cluster(Spec(autoscaling(aws_attributes=[{"availability": "SPOT_WITH_FALLBACK"}])), AWS, NO_IDLE, "c")
    assert close(photon.hourly_max, "12.71")  # DBUs x 2.0, VMs unchanged
    assert close(spot.hourly_max, "6.25")  # 8 workers at the 0.1236 spot price, driver on-demand
    assert photon.dbu_per_hour_max == 18


def test_cluster_idle_tail_and_always_on() -> None:
    usage = UsageAssumptions(monthly_hours=Decimal(176), sessions_per_day=Decimal(2))
    fixed = {"node_type_id": "i3.xlarge", "num_workers": 1, "autotermination_minutes": 30}
    tail = estimate_cluster(Spec(fixed), AWS, usage, "c")
    always = estimate_cluster(Spec({**fixed, "autotermination_minutes": 0}), AWS, usage, "c")
    hourly = Decimal("2") * (Decimal("0.55") + Decimal("0.312"))
    assert tail.monthly_expected == hourly * (176 + 2 * Decimal("0.5") * 22)  # 198 h
    assert always.monthly_expected == hourly * 730
    assert any("always on" in a for a in always.assumptions)


def test_pool_with_two_idle_i3_xlarge() -> None:
    on_demand = {"node_type_id": "i3.xlarge", "min_idle_instances": 2, "aws_attributes": [{"availability": "ON_DEMAND"}]}
    assert estimate_pool(Spec(on_demand), AWS, NO_IDLE, "p").monthly_expected == Decimal("455.52")


def test_aws_pool_without_attributes_is_spot_by_default() -> None:
    estimate = estimate_pool(Spec({"node_type_id": "i3.xlarge", "min_idle_instances": 2}), AWS, NO_IDLE, "p")
    assert estimate.monthly_expected == 2 * Decimal("0.1236") * 730  # the catalog's spot price


def daily_job(**extra: Any) -> dict[str, Any]:
    return {
        "job_cluster": [{"job_cluster_key": "main", "new_cluster": [{"node_type_id": "m5d.xlarge", "num_workers": 4, **extra}]}],
        "task": [{"task_key": "a", "job_cluster_key": "main"}, {"task_key": "b", "job_cluster_key": "main"}],
        "schedule": [{"quartz_cron_expression": "0 0 6 * * ?", "timezone_id": "UTC", "pause_status": "UNPAUSED"}],
    }


def test_job_cluster_daily_45_minutes() -> None:
    # 5 x 0.69 = 3.45 DBU/h x 0.15 + 5 x 0.226 VM = 1.6475 $/h; 30 runs x 0.75 h = 22.5 h -> 37.07
    usage = UsageAssumptions(avg_run_minutes=Decimal(45), resources={"databricks_job.j": ResourceUsage(runs_per_month=Decimal(30))})
    plain = estimate_job(Spec(daily_job()), AWS, usage, "databricks_job.j")
    photon = estimate_job(Spec(daily_job(runtime_engine="PHOTON")), AWS, usage, "databricks_job.j")
    assert close(plain.monthly_expected, "37") and close(photon.monthly_expected, "59")
    # from the schedule itself: 365 / 12 runs a month (two tasks share one job cluster, priced once)
    by_cron = estimate_job(Spec(daily_job()), AWS, UsageAssumptions(avg_run_minutes=Decimal(45)), "databricks_job.j")
    assert by_cron.monthly_expected == Decimal("1.6475") * Decimal(365) / 12 * Decimal("0.75")


@pytest.mark.parametrize(
    ("change", "hours"),
    [
        pytest.param({"schedule": [{"quartz_cron_expression": "0 0 6 * * ?", "pause_status": "PAUSED"}]}, 0, id="paused schedule"),
        pytest.param({"schedule": [], "continuous": [{"pause_status": "UNPAUSED"}]}, 730, id="continuous"),
        pytest.param({"schedule": [], "trigger": [{"pause_status": "PAUSED"}]}, 0, id="paused trigger"),
        pytest.param({"schedule": []}, Decimal(30) * Decimal(45) / 60, id="no schedule: assumed runs"),
    ],
)
def test_job_run_hours(change: dict[str, Any], hours: Decimal) -> None:
    estimate = estimate_job(Spec({**daily_job(), **change}), AWS, UsageAssumptions(avg_run_minutes=Decimal(45)), "j")
    assert estimate.monthly_expected == Decimal("1.6475") * hours


def test_job_task_on_existing_cluster_costs_nothing_itself() -> None:
    job = {"task": [{"task_key": "a", "existing_cluster_id": "0101-abc"}], "schedule": [{"quartz_cron_expression": "0 0 6 * * ?"}]}
    estimate = estimate_job(Spec(job), AWS, UsageAssumptions(), "j")
    assert estimate.monthly_expected == 0 and not estimate.unpriced
    assert any("existing cluster" in a for a in estimate.assumptions)


def test_serverless_job_task_without_usage_is_unpriced_not_zero() -> None:
    job = {"task": [{"task_key": "a", "environment_key": "default"}]}
    assert estimate_job(Spec(job), AWS, UsageAssumptions(), "j").unpriced
    priced = estimate_job(Spec(job), AWS, UsageAssumptions(dbu_per_hour=Decimal(4), avg_run_minutes=Decimal(60)), "j")
    assert priced.monthly_expected == Decimal(4) * Decimal("0.35") * 30


def test_serverless_warehouse_medium_one_to_three_clusters_220_hours() -> None:
    spec = {"cluster_size": "Medium", "enable_serverless_compute": True, "min_num_clusters": 1, "max_num_clusters": 3,
            "auto_stop_mins": 10}
    estimate = estimate_warehouse(Spec(spec), AWS, UsageAssumptions(active_hours=Decimal(220), sessions_per_day=Decimal(0)), "w")
    assert close(estimate.hourly_min, "16.80")
    assert close(estimate.monthly_min, "3696") and close(estimate.monthly_max, "11088")


def test_pro_warehouse_adds_vm_cost() -> None:
    spec = {"cluster_size": "Medium", "warehouse_type": "PRO", "spot_instance_policy": "RELIABILITY_OPTIMIZED"}
    estimate = estimate_warehouse(Spec(spec), AWS, UsageAssumptions(), "w")
    assert close(estimate.hourly_min, str(Decimal("13.20") + Decimal("7.49")))


def test_warehouse_that_never_stops_runs_730_hours() -> None:
    estimate = estimate_warehouse(Spec({"cluster_size": "Small", "enable_serverless_compute": True, "auto_stop_mins": 0}),
                                  AWS, UsageAssumptions(), "w")
    assert estimate.monthly_expected == 12 * Decimal("0.7") * 730


def test_continuous_pro_pipeline_on_azure() -> None:
    # 3 x DS3_v2: 2.25 DBU/h x 0.38 = 0.855 + 3 x 0.293 VM = 1.734 $/h x 730 = 1,265.82
    spec = {"edition": "PRO", "continuous": True, "cluster": [{"label": "default", "node_type_id": "Standard_DS3_v2", "num_workers": 2}]}
    estimate = estimate_pipeline(Spec(spec), AZURE, UsageAssumptions(), "p")
    assert close(estimate.monthly_expected, "1266")


def test_cpu_small_serving_endpoint_always_on() -> None:
    spec = {"config": [{"served_entities": [{"name": "m", "workload_size": "Small", "scale_to_zero_enabled": False}]}]}
    estimate = estimate_serving(Spec(spec), AWS, UsageAssumptions(), "s")
    assert close(estimate.hourly_min, "0.28") and close(estimate.monthly_expected, "204")


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        pytest.param({"node_type_id": "x9.mega", "num_workers": 2}, "not in the price catalog", id="unknown node type"),
        pytest.param({"node_type_id": Unknown(("var.node",)), "num_workers": 2}, "known only after apply", id="unknown value"),
        pytest.param({"node_type_id": "Standard_E64ds_v4", "num_workers": 1}, "no VM price", id="node without VM price"),
        pytest.param({"instance_pool_id": "pool-123", "num_workers": 1}, "pool is not in this plan", id="pool outside the plan"),
    ],
)
def test_unpriceable_cluster_is_flagged_never_silently_zero(spec: dict[str, Any], reason: str) -> None:
    estimate = estimate_cluster(Spec(spec), AWS, UsageAssumptions(), "c")
    assert any(reason in r for r in estimate.unpriced), estimate.unpriced


def test_estimates_add_up() -> None:
    a = Estimate(Decimal(1), Decimal(2), Decimal(3), Decimal(4), Decimal(5), Decimal(6), None, ("x",), ())
    b = Estimate(Decimal(1), Decimal(1), Decimal(1), Decimal(1), Decimal(1), Decimal(1), Decimal(2), ("x", "y"), ("z",))
    total = a + b
    assert (total.hourly_max, total.monthly_max, total.dbu_per_hour_max) == (4, 7, 2)
    assert total.assumptions == ("x", "y") and total.unpriced == ("z",)

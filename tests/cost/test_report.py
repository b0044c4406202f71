"""Plan-level cost: before/after/delta per address, totals, cloud inference, pools through references."""

from decimal import Decimal

import pytest

from iac.cost.catalog import load_catalog
from iac.cost.report import estimate_plan, infer_cloud, price_context
from iac.cost.usage import UsageAssumptions
from iac.plan.view import PlanIndex
from tests.planfixtures import change, plan

POOL = {"instance_pool_name": "p", "node_type_id": "i3.xlarge", "min_idle_instances": 2, "idle_instance_autotermination_minutes": 10,
        "aws_attributes": [{"availability": "ON_DEMAND"}]}
CLUSTER = {"cluster_name": "c", "node_type_id": "i3.xlarge", "num_workers": 1, "autotermination_minutes": 0}
HOURLY = 2 * (Decimal("0.55") + Decimal("0.312"))


def report_of(document: dict, usage: UsageAssumptions | None = None):
    index = PlanIndex(document)
    ctx, why = price_context(index, None, "premium")
    return estimate_plan(index, usage or UsageAssumptions(), ctx, why)


def test_create_update_delete_and_replace_give_before_after_and_delta() -> None:
    report = report_of(plan(
        change("databricks_cluster.new", CLUSTER),
        change("databricks_cluster.grown", {**CLUSTER, "num_workers": 3}, before=CLUSTER),
        change("databricks_cluster.gone", None, before=CLUSTER),
        change("databricks_cluster.swapped", CLUSTER, before=CLUSTER, actions=["delete", "create"]),
    ))
    lines = {line.address: line for line in report.lines}
    assert [line.address for line in report.lines] == sorted(lines)
    assert lines["databricks_cluster.new"].before is None and lines["databricks_cluster.new"].after_monthly == HOURLY * 730
    assert lines["databricks_cluster.grown"].delta_monthly == 2 * (Decimal("0.55") + Decimal("0.312")) * 730
    assert lines["databricks_cluster.gone"].after is None and lines["databricks_cluster.gone"].delta_monthly == -HOURLY * 730
    assert lines["databricks_cluster.swapped"].delta_monthly == 0  # a replacement counts once
    assert report.delta == report.total_after - report.total_before
    assert report.to_json()["delta"] == str((report.delta).quantize(Decimal("0.01")))


def test_cluster_on_a_pool_created_in_the_same_plan_uses_the_pool_node_type() -> None:
    document = plan(
        change("databricks_instance_pool.p", POOL, after_unknown={"instance_pool_id": True}),
        change("databricks_cluster.c", {"cluster_name": "c", "num_workers": 1, "autotermination_minutes": 0},
               after_unknown={"instance_pool_id": True, "node_type_id": True}),
        expressions={"databricks_cluster.c": {"instance_pool_id": {"references": ["databricks_instance_pool.p.instance_pool_id", "databricks_instance_pool.p"]}}},
    )
    line = next(line for line in report_of(document).lines if line.address == "databricks_cluster.c")
    assert not line.unpriced and line.after_monthly == HOURLY * 730


def test_money_leaves_as_decimal_strings() -> None:
    cost = report_of(plan(change("databricks_instance_pool.p", POOL))).to_json()
    assert cost["resources"][0]["after_monthly"] == "455.52"
    assert cost["total_after"] == "455.52" and cost["currency"] == "USD" and cost["as_of"] == "2026-04-10"


@pytest.mark.parametrize(
    ("changes", "cloud"),
    [
        pytest.param([change("azurerm_databricks_workspace.w", {"name": "w", "sku": "premium"})], "azure", id="azurerm workspace"),
        pytest.param([change("databricks_mws_workspaces.w", {"workspace_name": "w", "aws_region": "us-east-1"})], "aws", id="mws aws"),
        pytest.param([change("databricks_cluster.c", {**CLUSTER, "node_type_id": "n2-highmem-8"})], "gcp", id="gcp node type"),
        pytest.param([], "aws", id="nothing says: aws assumed"),
    ],
)
def test_cloud_is_inferred_from_the_plan(changes: list, cloud: str) -> None:
    assert infer_cloud(PlanIndex(plan(*changes)), load_catalog())[0] == cloud


@pytest.mark.parametrize(("cloud", "region", "price_region", "where"), [
    (None, None, None, "us-east-1 (the catalog's region; node type i3.xlarge is aws)"),
    ("aws", "us-east-1", None, "us-east-1 (the environment's cloud and region)"),
    ("azure", "eastus", None, "eastus (the environment's cloud and region)"),
    ("aws", "us-west-2", "us-east-1", "us-east-1 for an environment in us-west-2 (price_region set in the environment)"),
])
def test_prices_are_the_environments_own_region_or_a_stated_stand_in(cloud: str | None, region: str | None,
                                                                    price_region: str | None, where: str) -> None:
    index = PlanIndex(plan(change("databricks_cluster.c", CLUSTER)))
    ctx, why = price_context(index, cloud, "premium", region=region, price_region=price_region)
    assert why == where
    assert estimate_plan(index, UsageAssumptions(), ctx, why).assumptions[0].startswith(
        f"{cloud or 'aws'} premium list prices of {where}, DBU prices as of ")


@pytest.mark.parametrize(("cloud", "region", "price_region", "message"), [
    ("aws", "us-west-2", None, "the price catalog has no aws list prices for us-west-2 (it has us-east-1 only): set "
                               'policy=PolicySettings(cost={"price_region": "us-east-1"}) in the environment to estimate'
                               " with us-east-1 prices"),
    ("gcp", "europe-west1", "europe-west1", "the price catalog has no gcp list prices for europe-west1 (it has"
                                           " us-central1 only)"),
    ("aws", "us-west-2", "eu-west-1", "the price catalog has no aws list prices for eu-west-1"),
])
def test_a_region_without_prices_is_a_clear_error(cloud: str, region: str, price_region: str | None, message: str) -> None:
    from iac.diagnostics import ConfigError

    with pytest.raises(ConfigError) as raised:
        price_context(PlanIndex(plan()), cloud, "premium", region=region, price_region=price_region)
    assert message in str(raised.value)

"""The plan's cost: before and after estimates per priced resource, totals and the assumptions.

Per address, `before` prices the prior state (absent for a create) and `after` the planned values
(absent for a delete); a replacement is one line, so it counts once (cost-model.md section 9).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iac.cost.catalog import Catalog, load_catalog
from iac.cost.compute import PriceContext, Spec
from iac.cost.estimate import Estimator, estimate_cluster, estimate_job, estimate_pool, estimate_warehouse
from iac.cost.estimate_services import estimate_pipeline, estimate_serving
from iac.cost.model import CostLine, CostReport, Estimate, money
from iac.cost.usage import UsageAssumptions
from iac.diagnostics import ConfigError, Diagnostic
from iac.plan.view import PlanIndex, ResourceView

__all__ = ["ESTIMATORS", "estimate_plan", "infer_cloud", "price_context"]

ESTIMATORS: Mapping[str, Estimator] = {
    "databricks_cluster": estimate_cluster,
    "databricks_instance_pool": estimate_pool,
    "databricks_job": estimate_job,
    "databricks_model_serving": estimate_serving,
    "databricks_pipeline": estimate_pipeline,
    "databricks_sql_endpoint": estimate_warehouse,
}

_LIMITS = (
    "list prices only: no commit discounts, reserved or savings-plan VMs, taxes",
    "disks, storage, network and public IPs are not included",
    "spot prices are a snapshot; Photon and serving rates are single-source",
)


def infer_cloud(index: PlanIndex, catalog: Catalog) -> tuple[str, str]:
    """The cloud of the estate and why: workspace resources first, then node types, else AWS."""
    if index.of_type("azurerm_databricks_workspace"):
        return "azure", "an azurerm_databricks_workspace is in the plan"
    for workspace in index.of_type("databricks_mws_workspaces"):
        side: Mapping[str, Any] = workspace.effective or workspace.before or {}
        if side.get("aws_region"):
            return "aws", f"{workspace.address} has aws_region"
        if side.get("location") or side.get("cloud_resource_container"):
            return "gcp", f"{workspace.address} is a GCP workspace"
    for view in index:
        for values in (view.after, view.before):
            name = (values or {}).get("node_type_id")
            node = catalog.node(name) if isinstance(name, str) else None
            if node is not None:
                return node.cloud, f"node type {name} is {node.cloud}"
    return "aws", "nothing in the plan names a cloud: AWS assumed"


def _tier(index: PlanIndex, default: str) -> str:
    """An Azure workspace's `sku` states its tier; otherwise the settings decide."""
    skus = {str((w.effective or {}).get("sku", "")).lower() for w in index.existing("azurerm_databricks_workspace")}
    skus.discard("")
    return skus.pop() if len(skus) == 1 and skus <= {"standard", "premium"} else default


def price_context(index: PlanIndex, cloud: str | None, tier: str, catalog: Catalog | None = None, *,
                  region: str | None = None, price_region: str | None = None) -> tuple[PriceContext, str]:
    """The prices a plan is estimated with, and where they come from (said in the first assumption).

    `cloud` and `region` are the environment's (None without one: the cloud is inferred from the plan, the
    region is the catalog's). The catalog holds one region per cloud: an environment elsewhere is an error
    unless it names, in `price_region`, the catalog region whose list prices stand in for its own."""
    catalog = catalog or load_catalog()
    if cloud is None:
        cloud, why = infer_cloud(index, catalog)
        where = f"{catalog.regions.get(cloud, '?')} (the catalog's region; {why})"
    else:
        where = _priced_region(catalog, cloud, region, price_region)
    return PriceContext(catalog, cloud, _tier(index, tier), index), where


def _priced_region(catalog: Catalog, cloud: str, region: str | None, price_region: str | None) -> str:
    """`us-east-1 (...)`: the region whose prices are used, and why; an error when the catalog has none."""
    have = catalog.regions.get(cloud)
    if region is None or region == have and price_region in (None, have):
        return f"{have} (the environment's cloud and region)" if region else f"{have} (the environment's cloud)"
    if price_region is not None and price_region == have:
        return f"{have} for an environment in {region} (price_region set in the environment)"
    asked = price_region or region
    raise ConfigError(Diagnostic(
        f"the price catalog has no {cloud} list prices for {asked} (it has {have} only): set "
        f'policy=PolicySettings(cost={{"price_region": "{have}"}}) in the environment to estimate with {have} prices'))


def _after(view: ResourceView) -> Spec | None:
    return None if view.deleted else Spec(view.effective, view)


def _before(view: ResourceView) -> Spec | None:
    return None if view.before is None or view.actions == ("create",) else Spec(view.before, view, before=True)


def _estimate(estimator: Estimator, spec: Spec, ctx: PriceContext, usage: UsageAssumptions, address: str) -> Estimate:
    """One side's estimate; a value no price can be computed from (a string where a number belongs, a number
    of hundreds of digits) leaves the resource unpriced, said in its line, instead of stopping the plan."""
    try:
        estimate = estimator(spec, ctx, usage, address)
        money(estimate.monthly_max)  # the largest figure must be writable too
        return estimate
    except (ArithmeticError, TypeError, ValueError, AttributeError):
        return Estimate(unpriced=("a value of this resource is outside what iac can price (see its configuration)",))


def estimate_plan(index: PlanIndex, usage: UsageAssumptions, ctx: PriceContext, why_cloud: str = "") -> CostReport:
    """`why_cloud` is the second value of `price_context`: the priced region and why."""
    """Before/after monthly cost of every priced resource in the plan, sorted by address."""
    lines: list[CostLine] = []
    for view in index:
        estimator = ESTIMATORS.get(view.type)
        if estimator is None:
            continue
        before, after = _before(view), _after(view)
        lines.append(CostLine(
            address=view.address,
            type=view.type,
            before=_estimate(estimator, before, ctx, usage, view.address) if before is not None else None,
            after=_estimate(estimator, after, ctx, usage, view.address) if after is not None else None,
        ))
    where = why_cloud or f"{ctx.catalog.regions.get(ctx.cloud, '?')}"
    assumptions = (
        f"{ctx.cloud} {ctx.tier} list prices of {where}, DBU prices as of {ctx.catalog.as_of}",
        f"month = {ctx.catalog.always_on_hours} h; monthly figures at expected usage, min..max at the plan's bounds",
        *_LIMITS,
    )
    return CostReport(ctx.catalog.currency, ctx.catalog.as_of, ctx.cloud, ctx.tier, tuple(lines), assumptions)


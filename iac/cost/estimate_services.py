"""Monthly cost of pipelines (DLT) and model serving endpoints (cost-model.md sections 7 and 8)."""

from __future__ import annotations

from decimal import Decimal

from iac.cost.compute import PriceContext, Spec, cluster_shape
from iac.cost.estimate import _serverless, num, price_shape
from iac.cost.model import ZERO, Estimate
from iac.cost.usage import UsageAssumptions
from iac.plan.view import Unknown

__all__ = ["estimate_pipeline", "estimate_serving"]

_EDITIONS = {"CORE": "dlt_core", "PRO": "dlt_pro", "ADVANCED": "dlt_advanced"}

# Serving API workload_type -> the catalog's per-instance GPU rate, per cloud (LM-SRV naming).
_GPU_TYPES = {
    "aws": {"GPU_SMALL": "gpu_small_t4", "GPU_MEDIUM": "gpu_medium_a10g_1x", "MULTIGPU_MEDIUM": "gpu_medium_a10g_4x",
            "GPU_MEDIUM_8": "gpu_medium_a10g_8x", "GPU_LARGE_8": "gpu_xlarge_a100_80gb_8x"},
    "azure": {"GPU_SMALL": "gpu_small_t4", "GPU_LARGE": "gpu_xlarge_a100_80gb_1x",
              "GPU_LARGE_2": "gpu_2xlarge_a100_80gb_2x", "GPU_LARGE_4": "gpu_4xlarge_a100_80gb_4x"},
    "gcp": {"GPU_MEDIUM": "gpu_medium_g2_standard_8"},
}
# A GPU instance serves about 4 concurrent requests, so provisioned concurrency / 4 = instances.
_CONCURRENCY_PER_GPU = 4


def _pipeline_hours(spec: Spec, usage: UsageAssumptions, address: str, always_on: Decimal) -> tuple[Decimal, list[str]]:
    if spec.get(("continuous",)) is True:
        return always_on, [f"continuous: {num(always_on)} h/month"]
    updates, _ = usage.get(address, "updates_per_month")
    minutes, _ = usage.get(address, "update_minutes")
    hours = (updates or ZERO) * (minutes or ZERO) / 60
    notes = [f"triggered: {num(updates or ZERO)} updates/month x {num(minutes or ZERO)} min assumed"]
    if spec.get(("development",)) is True:
        notes.append("development mode keeps clusters up between updates: that idle time is not included")
    return hours, notes


def estimate_pipeline(spec: Spec, ctx: PriceContext, usage: UsageAssumptions, address: str) -> Estimate:
    """Pipeline: the default cluster (DLT SKU of its edition) x continuous or triggered hours."""
    hours, notes = _pipeline_hours(spec, usage, address, ctx.catalog.always_on_hours)
    if spec.get(("serverless",)) is True:
        rate = _serverless(usage, address, ctx, "dlt_serverless", "pipeline")
    else:
        edition = str(spec.get(("edition",), "ADVANCED")).upper()
        sku = _EDITIONS.get(edition, "dlt_advanced")
        clusters = spec.get(("cluster",), []) or []
        default = next((i for i, c in enumerate(clusters) if Spec(c).get(("label",), "default") == "default"), None)
        if default is None:
            return Estimate(assumptions=tuple(notes), unpriced=("cluster: no default cluster in the plan, its shape is chosen by the server",))
        shape = cluster_shape(spec.sub(("cluster", default)), ctx)
        if spec.get(("photon",)) is True and not shape.photon:
            shape = type(shape)(shape.driver, shape.worker, shape.workers_min, shape.workers_max, True,
                                shape.spot_workers, shape.on_demand_workers, shape.problems)
        rate = price_shape(shape, sku, "dlt", ctx, usage.get(address, "expected_scale")[0] or Decimal("0.5"))
        notes.append(f"{sku} ({edition} edition)")
        if len(clusters) > 1:
            notes.append("maintenance cluster not included (it runs briefly once a day)")
    return Estimate(rate.hourly_min, rate.hourly_expected, rate.hourly_max, rate.hourly_min * hours,
                    rate.hourly_expected * hours, rate.hourly_max * hours, rate.dbu_per_hour_max,
                    rate.assumptions + tuple(notes), rate.unpriced)


def _entity(entity: Spec, ctx: PriceContext, scale: Decimal) -> tuple[Decimal, Decimal, Decimal, bool, str | None]:
    """`(dbu/h min, expected, max, scale_to_zero, problem)` of one served entity."""
    size = entity.get(("workload_size",))
    if size is None:
        return ZERO, ZERO, ZERO, True, "served entity without workload_size (pay-per-token or external model): usage-based"
    units = ctx.catalog.serving_units(str(size)) if isinstance(size, str) else None
    if units is None:
        return ZERO, ZERO, ZERO, True, f"workload_size {size!r} is unknown"
    workload_type = str(entity.get(("workload_type",), "CPU"))
    low, high = Decimal(units[0]), Decimal(units[1])
    if workload_type == "CPU":
        per_unit = ctx.catalog.serving_cpu_dbu()
    else:
        key = _GPU_TYPES.get(ctx.cloud, {}).get(workload_type)
        rate = ctx.catalog.serving_gpu_dbu(ctx.cloud, key) if key else None
        if rate is None:
            return ZERO, ZERO, ZERO, True, f"workload_type {workload_type!r} has no DBU rate for {ctx.cloud}"
        per_unit = rate / _CONCURRENCY_PER_GPU
    scale_to_zero = entity.get(("scale_to_zero_enabled",)) is True
    floor = ZERO if scale_to_zero else low
    return floor * per_unit, (low + scale * (high - low)) * per_unit, high * per_unit, scale_to_zero, None


def estimate_serving(spec: Spec, ctx: PriceContext, usage: UsageAssumptions, address: str) -> Estimate:
    """Serving endpoint: provisioned concurrency x DBU/h, always on unless it scales to zero."""
    entities = spec.get(("config", "served_entities"), []) or spec.get(("config", "served_models"), []) or []
    if isinstance(entities, Unknown):
        return Estimate(unpriced=("config.served_entities: known only after apply",))
    price = ctx.dbu_price("model_serving") or ZERO
    scale = usage.get(address, "expected_scale")[0] or Decimal("0.5")
    active, _ = usage.get(address, "active_hours")
    always_on = ctx.catalog.always_on_hours
    total, notes, problems = Estimate(), [], []
    for raw in entities:
        low, expected, high, scale_to_zero, problem = _entity(Spec(raw), ctx, scale)
        if problem:
            problems.append(problem)
            continue
        hours = (active or ZERO) if scale_to_zero else always_on
        notes.append(f"{Spec(raw).get(('name',), 'entity')}: " + (f"scales to zero, {num(hours)} active h/month" if scale_to_zero else f"always on at >= {num(low)} DBU/h"))
        total += Estimate(low * price, expected * price, high * price, low * price * always_on,
                          expected * price * hours, high * price * always_on)
    return Estimate(total.hourly_min, total.hourly_expected, total.hourly_max, total.monthly_min,
                    total.monthly_expected, total.monthly_max, None, tuple(notes), tuple(problems))

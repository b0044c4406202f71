"""Monthly cost per resource type (cost-model.md sections 3-8): clusters, pools, jobs, warehouses.

Each estimator reads one side of one resource through a `Spec` and returns an `Estimate`. Figures
the plan cannot give (hours, runs, durations) come from `UsageAssumptions` and are named in the
estimate's assumptions. Pipelines and serving endpoints live in `estimate_services.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from iac._jsonio import format_decimal
from iac.cost.compute import ClusterShape, PriceContext, Spec, cluster_shape, pool_availability
from iac.cost.cron import CronError, runs_per_month
from iac.cost.model import ZERO, Estimate, money
from iac.cost.usage import UsageAssumptions
from iac.plan.view import Unknown

__all__ = ["Estimator", "estimate_cluster", "estimate_job", "estimate_pool", "estimate_warehouse", "num", "price_shape"]

Estimator = Callable[[Spec, PriceContext, UsageAssumptions, str], Estimate]
_SPOT_POOL = {"SPOT", "SPOT_AZURE", "PREEMPTIBLE_GCP"}


def num(value: Decimal | int) -> str:
    """A count or rate for an assumption line: plain notation, at most two decimals."""
    return format_decimal(Decimal(value).quantize(Decimal("0.01")))


def _decimal(value: Any, default: Decimal) -> Decimal:
    if value is None or isinstance(value, (Unknown, bool)):
        return default
    return Decimal(value)


def price_shape(shape: ClusterShape, sku: str, family: str, ctx: PriceContext, scale: Decimal) -> Estimate:
    """$/h of a cluster shape at min, expected (`scale` between min and max) and max workers."""
    problems = list(shape.problems)
    price = ctx.dbu_price(sku)
    if price is None:
        problems.append(f"no $/DBU for {sku} on {ctx.cloud} {ctx.tier} in the price catalog")
        price = ZERO
    factor = ctx.catalog.photon_factor(ctx.cloud, family)
    low, high = Decimal(shape.workers_min), Decimal(shape.workers_max)
    expected = low + scale * (high - low)

    def hourly(workers: Decimal) -> Decimal:
        return shape.dbu_per_hour(workers, factor) * price + shape.vm_per_hour(workers, ctx.catalog)

    notes = []
    if shape.workers_min != shape.workers_max:
        notes.append(f"autoscale {shape.workers_min}..{shape.workers_max} workers, expected {num(expected)}")
    if shape.photon:
        notes.append(f"Photon: DBU/h x {num(factor)}")
    if shape.spot_workers:
        notes.append(f"spot workers ({shape.on_demand_workers} on-demand), driver on-demand")
    dbu_max = shape.dbu_per_hour(high, factor) if shape.driver or shape.worker else None
    return Estimate(
        hourly_min=hourly(low), hourly_expected=hourly(expected), hourly_max=hourly(high),
        dbu_per_hour_max=dbu_max, assumptions=tuple(notes), unpriced=tuple(problems),
    )


def _monthly(rate: Estimate, hours_min: Decimal, hours: Decimal, hours_max: Decimal, notes: list[str]) -> Estimate:
    return Estimate(
        rate.hourly_min, rate.hourly_expected, rate.hourly_max,
        rate.hourly_min * hours_min, rate.hourly_expected * hours, rate.hourly_max * hours_max,
        rate.dbu_per_hour_max, rate.assumptions + tuple(notes), rate.unpriced,
    )


def _scale(usage: UsageAssumptions, address: str) -> Decimal:
    return usage.get(address, "expected_scale")[0] or Decimal("0.5")


def _idle_tail(usage: UsageAssumptions, address: str, minutes: Decimal) -> tuple[Decimal, str]:
    sessions = usage.get(address, "sessions_per_day")[0] or ZERO
    days = usage.working_days_per_month
    tail = sessions * minutes / 60 * days
    return tail, f"idle tail {num(sessions)} session(s)/day x {num(minutes)} min x {num(days)} days = {num(tail)} h"


def estimate_cluster(spec: Spec, ctx: PriceContext, usage: UsageAssumptions, address: str) -> Estimate:
    """All-purpose cluster: busy hours from usage plus the idle tail autotermination allows."""
    rate = price_shape(cluster_shape(spec, ctx), "all_purpose_compute", "all_purpose_compute", ctx, _scale(usage, address))
    autotermination = spec.get(("autotermination_minutes",), 60)
    notes: list[str] = []
    if isinstance(autotermination, Unknown):
        autotermination = 60
        notes.append("autotermination_minutes known only after apply: 60 assumed")
    if Decimal(autotermination) == 0:
        hours = ctx.catalog.always_on_hours
        notes.append(f"autotermination disabled: always on, {num(hours)} h/month")
    else:
        busy, overridden = usage.get(address, "monthly_hours")
        tail, tail_note = _idle_tail(usage, address, Decimal(autotermination))
        hours = (busy or ZERO) + tail
        notes.append(f"{num(busy or ZERO)} h/month busy{' (usage override)' if overridden else ''} + {tail_note}")
        always_on = rate.hourly_expected * ctx.catalog.always_on_hours
        notes.append(f"if left running ({num(ctx.catalog.always_on_hours)} h): {money(always_on)} USD/month")
    return _monthly(rate, hours, hours, hours, notes)


def estimate_pool(spec: Spec, ctx: PriceContext, usage: UsageAssumptions, address: str) -> Estimate:
    """Instance pool: idle instances' VMs around the clock; in-use instances are on their clusters."""
    name = spec.get(("node_type_id",))
    idle = _decimal(spec.get(("min_idle_instances",), 0), ZERO)
    node = ctx.catalog.node(str(name)) if isinstance(name, str) else None
    problems: list[str] = []
    if node is None or node.vm_usd_per_hour is None:
        if idle > 0 or node is None:
            problems.append("node_type_id: known only after apply" if isinstance(name, Unknown)
                            else f"node_type_id: node type {name!r} has no VM price in the catalog")
        vm = ZERO
    else:
        vm = node.vm_usd_per_hour
        if pool_availability(spec, ctx.cloud) in _SPOT_POOL:
            vm = node.vm_spot_usd_per_hour or vm * (1 - ctx.catalog.spot_discount(node.cloud))
    hourly = idle * vm
    monthly = hourly * ctx.catalog.always_on_hours
    notes = (f"{num(idle)} idle {pool_availability(spec, ctx.cloud).lower()} instance(s) x {format_decimal(vm)} USD/h VM x {num(ctx.catalog.always_on_hours)} h; "
             "instances in use are charged to their clusters",)
    return Estimate(hourly, hourly, hourly, monthly, monthly, monthly, None, notes, tuple(problems))


def _run_hours(spec: Spec, usage: UsageAssumptions, address: str, catalog_hours: Decimal) -> tuple[Decimal, list[str], list[str]]:
    """Run hours per month of a job: schedule, continuous or trigger, times the assumed duration."""
    notes: list[str] = []
    problems: list[str] = []
    runs_override, overridden = usage.get(address, "runs_per_month")
    minutes, minutes_overridden = usage.get(address, "avg_run_minutes")
    minutes = minutes or ZERO
    continuous = spec.get(("continuous",))
    if continuous is not None and spec.get(("continuous", "pause_status")) != "PAUSED":
        notes.append(f"continuous: runs {num(catalog_hours)} h/month")
        return catalog_hours, notes, problems
    if overridden:
        runs = runs_override or ZERO
        notes.append(f"{num(runs)} runs/month (usage override)")
    elif spec.get(("schedule",)) is not None:
        expression = spec.get(("schedule", "quartz_cron_expression"))
        if spec.get(("schedule", "pause_status")) == "PAUSED":
            runs = ZERO
            notes.append("schedule paused: 0 runs/month")
        elif isinstance(expression, str):
            try:
                runs = runs_per_month(expression)
                notes.append(f"schedule {expression!r}: {num(runs)} runs/month")
            except CronError as error:
                runs = usage.triggered_runs_per_month
                problems.append(f"schedule.quartz_cron_expression {expression!r}: {error}")
        else:
            runs = usage.triggered_runs_per_month
            problems.append("schedule.quartz_cron_expression: known only after apply")
    elif spec.get(("trigger",)) is not None and spec.get(("trigger", "pause_status")) == "PAUSED":
        runs = ZERO
        notes.append("trigger paused: 0 runs/month")
    else:
        runs = usage.triggered_runs_per_month
        kind = "triggered" if spec.get(("trigger",)) is not None else "no schedule"
        notes.append(f"{kind}: {num(runs)} runs/month assumed")
    notes.append(f"{num(minutes)} min per run{' (usage override)' if minutes_overridden else ' assumed'}")
    return runs * minutes / 60, notes, problems


def _job_clusters(spec: Spec, ctx: PriceContext, usage: UsageAssumptions, address: str) -> Estimate:
    """$/h of every cluster a run starts: shared job clusters once, task clusters, serverless tasks."""
    scale = _scale(usage, address)
    total = Estimate()
    keyed = {Spec(c).get(("job_cluster_key",)): i for i, c in enumerate(spec.get(("job_cluster",), []) or [])}
    tasks = spec.get(("task",), []) or []
    used: set[Any] = set() if tasks else set(keyed)
    notes: list[str] = []
    for task in tasks:
        task_spec = Spec(task, spec.view, spec.before)
        if task_spec.get(("job_cluster_key",)) is not None:
            used.add(task_spec.get(("job_cluster_key",)))
        elif task_spec.get(("new_cluster",)) is not None:
            total += price_shape(cluster_shape(task_spec.sub(("new_cluster",)), ctx), "jobs_compute", "jobs_compute", ctx, scale)
        elif task_spec.get(("existing_cluster_id",)) is not None:
            notes.append(f"task {task_spec.get(('task_key',))}: runs on an existing cluster (cost on that cluster)")
        else:
            total += _serverless(usage, address, ctx, "jobs_serverless", f"task {task_spec.get(('task_key',))}")
    for key in sorted(used, key=str):
        if key in keyed:
            total += price_shape(cluster_shape(spec.sub(("job_cluster", keyed[key], "new_cluster")), ctx),
                                 "jobs_compute", "jobs_compute", ctx, scale)
    if spec.get(("new_cluster",)) is not None:
        total += price_shape(cluster_shape(spec.sub(("new_cluster",)), ctx), "jobs_compute", "jobs_compute", ctx, scale)
    return Estimate(total.hourly_min, total.hourly_expected, total.hourly_max, dbu_per_hour_max=total.dbu_per_hour_max,
                    assumptions=total.assumptions + tuple(notes), unpriced=total.unpriced)


def _serverless(usage: UsageAssumptions, address: str, ctx: PriceContext, sku: str, what: str) -> Estimate:
    dbu, _ = usage.get(address, "dbu_per_hour")
    price = ctx.dbu_price(sku)
    if dbu is None or price is None:
        return Estimate(unpriced=(f"{what}: serverless, DBU/h not in the plan (set usage dbu_per_hour)",))
    hourly = dbu * price
    return Estimate(hourly, hourly, hourly, assumptions=(f"{what}: serverless {num(dbu)} DBU/h assumed",))


def estimate_job(spec: Spec, ctx: PriceContext, usage: UsageAssumptions, address: str) -> Estimate:
    """Job: the clusters of one run x run hours per month (schedule x assumed duration)."""
    rate = _job_clusters(spec, ctx, usage, address)
    hours, notes, problems = _run_hours(spec, usage, address, ctx.catalog.always_on_hours)
    notes.append("all of a run's clusters are billed for the whole run")
    concurrent = spec.get(("max_concurrent_runs",), 1)
    factor = Decimal(concurrent) if not isinstance(concurrent, Unknown) and Decimal(concurrent) > 1 else Decimal(1)
    if factor > 1:
        notes.append(f"max_concurrent_runs {num(factor)}: worst case x {num(factor)}")
    result = _monthly(rate, hours, hours, hours * factor, notes)
    return Estimate(result.hourly_min, result.hourly_expected, result.hourly_max * factor, result.monthly_min,
                    result.monthly_expected, result.monthly_max, rate.dbu_per_hour_max, result.assumptions,
                    result.unpriced + tuple(problems))


def _warehouse_vm(spec: Spec, ctx: PriceContext, size: str) -> tuple[Decimal, str | None]:
    shape = ctx.catalog.warehouse_shape(ctx.cloud, size)
    if shape is None:
        return ZERO, f"cluster_size {size!r}: no VM shape for {ctx.cloud} in the catalog"
    workers, worker_name, driver_name = shape
    worker, driver = ctx.catalog.node(worker_name), ctx.catalog.node(driver_name)
    if worker is None or driver is None or worker.vm_usd_per_hour is None or driver.vm_usd_per_hour is None:
        return ZERO, f"cluster_size {size!r}: VM price of its nodes unknown"
    worker_vm = worker.vm_usd_per_hour
    if spec.get(("spot_instance_policy",), "COST_OPTIMIZED") == "COST_OPTIMIZED":
        worker_vm = worker.vm_spot_usd_per_hour or worker_vm * (1 - ctx.catalog.spot_discount(worker.cloud))
    return driver.vm_usd_per_hour + workers * worker_vm, None


def estimate_warehouse(spec: Spec, ctx: PriceContext, usage: UsageAssumptions, address: str) -> Estimate:
    """SQL warehouse: size DBU/h x clusters x (active hours + auto-stop idle tail)."""
    size = spec.get(("cluster_size",))
    notes: list[str] = []
    problems: list[str] = []
    dbu = ctx.catalog.warehouse_dbu(size) if isinstance(size, str) else None
    if dbu is None:
        problems.append("cluster_size: known only after apply" if isinstance(size, Unknown) else f"cluster_size {size!r} is unknown")
        dbu = ZERO
    serverless = spec.get(("enable_serverless_compute",)) is True
    kind = "serverless" if serverless else str(spec.get(("warehouse_type",), "PRO")).lower()
    if not serverless and spec.get(("warehouse_type",)) is None:
        notes.append("warehouse_type not set: PRO assumed")
    sku = {"serverless": "sql_serverless", "classic": "sql_classic"}.get(kind, "sql_pro")
    price = ctx.dbu_price(sku)
    if price is None:
        problems.append(f"no $/DBU for {sku} on {ctx.cloud} {ctx.tier}")
        price = ZERO
    vm, vm_problem = (ZERO, None) if serverless or not isinstance(size, str) else _warehouse_vm(spec, ctx, size)
    problems += [vm_problem] if vm_problem else []
    per_cluster = dbu * price + vm
    low = _decimal(spec.get(("min_num_clusters",), 1), Decimal(1))
    high = max(_decimal(spec.get(("max_num_clusters",), 1), Decimal(1)), low)
    expected = low + _scale(usage, address) * (high - low)
    auto_stop = _decimal(spec.get(("auto_stop_mins",), 120), Decimal(120))
    if auto_stop == 0:
        hours = ctx.catalog.always_on_hours
        notes.append(f"auto_stop_mins 0: never stops, {num(hours)} h/month")
    else:
        active, overridden = usage.get(address, "active_hours")
        tail, tail_note = _idle_tail(usage, address, auto_stop)
        hours = (active or ZERO) + tail
        notes.append(f"{num(active or ZERO)} active h/month{' (usage override)' if overridden else ''} + {tail_note}")
    notes.append(f"{sku}: {num(dbu)} DBU/h per cluster, clusters {num(low)}..{num(high)} expected {num(expected)}")
    return Estimate(low * per_cluster, expected * per_cluster, high * per_cluster, low * per_cluster * hours,
                    expected * per_cluster * hours, high * per_cluster * hours, None, tuple(notes), tuple(problems))

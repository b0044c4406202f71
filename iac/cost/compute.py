"""Classic compute: the shape of a cluster spec, and its DBU/h and $/h (cost-model.md section 3).

Used for all-purpose clusters, job clusters and pipeline clusters alike; only the SKU and the
Photon family differ. A cluster on an instance pool takes its node type and spot setting from the
pool (the pool resource is found through the plan).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import msgspec

from iac.cost.catalog import Catalog, NodeType
from iac.cost.model import ZERO
from iac.plan.view import Path, Unknown, get_path, is_empty

if TYPE_CHECKING:
    from iac.plan.view import PlanIndex, ResourceView

__all__ = ["ClusterShape", "PriceContext", "Spec", "cluster_shape", "pool_availability"]

_SPOT = {"SPOT", "SPOT_WITH_FALLBACK", "SPOT_AZURE", "SPOT_WITH_FALLBACK_AZURE", "PREEMPTIBLE_GCP",
         "PREEMPTIBLE_WITH_FALLBACK_GCP"}


class Spec(msgspec.Struct, frozen=True):
    """One side of a resource (or a nested cluster spec inside it), read by path.

    `view` is the resource it belongs to (for resolving references to pools), `before` says which
    side is read: prior state values are always known, after-values may hold `Unknown`.
    """

    values: Any
    view: ResourceView | None = None
    before: bool = False

    def get(self, path: Path | tuple[str, ...], default: Any = None) -> Any:
        value = get_path(self.values, tuple(path), default)
        return default if is_empty(value) else value

    def sub(self, path: Path | tuple[str | int, ...]) -> Spec:
        return Spec(get_path(self.values, tuple(path), {}), self.view, self.before)


class PriceContext(msgspec.Struct, frozen=True):
    """Everything pricing needs besides the resource: catalog, cloud, tier, the plan for lookups."""

    catalog: Catalog
    cloud: str
    tier: str
    index: PlanIndex | None = None

    def dbu_price(self, sku: str) -> Decimal | None:
        return self.catalog.dbu_price(self.cloud, self.tier, sku)


class ClusterShape(msgspec.Struct, frozen=True):
    """A priced-or-not cluster: node types, worker bounds, Photon, spot.

    `problems` says what kept part of it from being known (unknown node type, values known only
    after apply); a shape with problems prices only what is known.
    """

    driver: NodeType | None
    worker: NodeType | None
    workers_min: int
    workers_max: int
    photon: bool
    spot_workers: bool
    on_demand_workers: int
    problems: tuple[str, ...] = ()

    def dbu_per_hour(self, workers: Decimal, photon_factor: Decimal) -> Decimal:
        """DBU/h of driver plus `workers` workers (cost-model.md section 3)."""
        driver = self.driver.dbu_per_hour if self.driver else ZERO
        worker = self.worker.dbu_per_hour if self.worker else ZERO
        return (driver + workers * worker) * (photon_factor if self.photon else Decimal(1))

    def vm_per_hour(self, workers: Decimal, catalog: Catalog) -> Decimal:
        """Cloud VM $/h: driver on-demand, the first on-demand workers on-demand, the rest spot if set."""
        driver = (self.driver.vm_usd_per_hour or ZERO) if self.driver else ZERO
        if self.worker is None:
            return driver
        on_demand = self.worker.vm_usd_per_hour or ZERO
        if not self.spot_workers:
            return driver + workers * on_demand
        spot = self.worker.vm_spot_usd_per_hour
        if spot is None:
            spot = on_demand * (Decimal(1) - catalog.spot_discount(self.worker.cloud))
        fixed = min(Decimal(self.on_demand_workers), workers)
        return driver + fixed * on_demand + (workers - fixed) * spot


MAX_WORKERS = 100_000
"""More workers than any cluster can have: a count above it (a typo, `1e400`) is not priced (and not
multiplied into a figure of hundreds of digits)."""


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None or isinstance(value, Unknown):
        return None
    try:
        if abs(value) > MAX_WORKERS:  # before int(): 1e999999 would take a minute to become one
            return None
        return int(value)
    except (TypeError, ValueError, ArithmeticError):  # a string, a Decimal infinity or NaN
        return None


def _unreadable(attribute: str, value: Any) -> str:
    if isinstance(value, Unknown):
        return f"{attribute}: known only after apply"
    return f"{attribute}: not a worker count iac prices (a whole number up to {MAX_WORKERS:,})"


def _pool(spec: Spec, attribute: str, ctx: PriceContext) -> Spec | None:
    """The instance pool a cluster spec points to (after side or before side), if it is in the plan."""
    value = spec.get((attribute,))
    if value is None or ctx.index is None or spec.view is None:
        return None
    pool = ctx.index.resolve(spec.view, value, "databricks_instance_pool", ("instance_pool_id", "id"))
    if pool is None:
        return None
    side = pool.before if spec.before or pool.deleted else pool.effective
    return Spec(side or {}, pool, spec.before)


def _node(spec: Spec, attribute: str, pool_attribute: str, ctx: PriceContext, problems: list[str]) -> tuple[NodeType | None, Spec | None]:
    pool = _pool(spec, pool_attribute, ctx) if spec.get((pool_attribute,)) is not None else None
    source = pool if pool is not None else spec
    name = source.get(("node_type_id",)) if pool is not None else spec.get((attribute,))
    where = f"{pool_attribute} -> node_type_id" if pool is not None else attribute
    if name is None and spec.get((pool_attribute,)) is not None and pool is None:
        problems.append(f"{pool_attribute}: the pool is not in this plan, its node type is unknown")
        return None, None
    if isinstance(name, Unknown) or name is None:
        problems.append(f"{where}: known only after apply" if isinstance(name, Unknown) else f"{where}: not set")
        return None, pool
    node = ctx.catalog.node(str(name))
    if node is None:
        problems.append(f"{where}: node type {name!r} is not in the price catalog")
    elif node.vm_usd_per_hour is None:
        problems.append(f"{where}: the price catalog has no VM price for {name!r}")
    return node, pool


def pool_availability(pool: Spec, cloud: str) -> str:
    """A pool's capacity type; an AWS pool without `aws_attributes` is SPOT (provider default),
    Azure and GCP pools default to on-demand."""
    for block, key in (("aws_attributes", "availability"), ("azure_attributes", "availability"),
                       ("gcp_attributes", "gcp_availability")):
        value = pool.get((block, key))
        if isinstance(value, str):
            return value
    return {"aws": "SPOT", "azure": "ON_DEMAND_AZURE", "gcp": "ON_DEMAND_GCP"}.get(cloud, "ON_DEMAND")


def _spot(spec: Spec, pool: Spec | None, cloud: str) -> tuple[bool, int]:
    """Whether workers are spot, and how many nodes (driver first) stay on-demand."""
    if pool is not None:
        return pool_availability(pool, cloud) in _SPOT, 0
    for block in ("aws_attributes", "azure_attributes", "gcp_attributes"):
        availability = spec.get((block, "availability"))
        if isinstance(availability, str) and availability in _SPOT:
            first = _int(spec.get((block, "first_on_demand")))
            return True, max((first if first is not None else 1) - 1, 0)
    if spec.get(("gcp_attributes", "use_preemptible_executors")) is True:
        return True, 0
    return False, 0


def _single_node(spec: Spec) -> bool:
    if spec.get(("is_single_node",)) is True:
        return True
    return bool(spec.get(("spark_conf", "spark.databricks.cluster.profile")) == "singleNode")


def _photon(spec: Spec) -> bool:
    engine = spec.get(("runtime_engine",))
    version = spec.get(("spark_version",))
    return engine == "PHOTON" or (isinstance(version, str) and "photon" in version.lower())


def cluster_shape(spec: Spec, ctx: PriceContext) -> ClusterShape:
    """Read a cluster spec (cluster resource, job `new_cluster`, pipeline `cluster`) into a shape."""
    problems: list[str] = []
    worker, pool = _node(spec, "node_type_id", "instance_pool_id", ctx, problems)
    driver: NodeType | None
    if spec.get(("driver_node_type_id",)) is not None or spec.get(("driver_instance_pool_id",)) is not None:
        driver, _ = _node(spec, "driver_node_type_id", "driver_instance_pool_id", ctx, problems)
    else:
        driver = worker
    autoscale_max = spec.get(("autoscale", "max_workers"))
    if _single_node(spec):
        low = high = 0
    elif autoscale_max is not None:
        low_raw = spec.get(("autoscale", "min_workers"), 0)
        low_value, high_value = _int(low_raw), _int(autoscale_max)
        if low_value is None and not isinstance(low_raw, Unknown):
            problems.append(_unreadable("autoscale.min_workers", low_raw))
        if high_value is None:
            problems.append(_unreadable("autoscale.max_workers", autoscale_max))
        low, high = low_value or 0, high_value if high_value is not None else (low_value or 0)
    else:
        count = _int(spec.get(("num_workers",), 0))
        if count is None:
            problems.append(_unreadable("num_workers", spec.get(("num_workers",), 0)))
        low = high = count or 0
    spot, on_demand = _spot(spec, pool, ctx.cloud)
    return ClusterShape(driver, worker, low, high, _photon(spec), spot, on_demand, tuple(problems))

"""The price catalog (`iac/data/pricing-catalog.json`, source and date in `iac/data/SOURCES.md`).

Read-only, loaded once per process, numbers exact (`Decimal`). Every lookup returns `None` for
something the catalog does not know; callers turn that into an "unpriced" finding, never a zero.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from iac._jsonio import loads

__all__ = ["CLOUDS", "Catalog", "NodeType", "load_catalog"]

CLOUDS = ("aws", "azure", "gcp")


@dataclass(frozen=True, slots=True)
class NodeType:
    """One VM type: its Databricks DBU rate and its cloud price per hour (spot may be unknown)."""

    name: str
    cloud: str
    dbu_per_hour: Decimal
    vm_usd_per_hour: Decimal | None
    vm_spot_usd_per_hour: Decimal | None


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


class Catalog:
    """Typed lookups over the raw catalog document."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._raw = raw
        self.as_of: str = raw["_notes"]["as_of"]["dbu_list_prices"]
        self.currency: str = raw["_notes"]["currency"]
        self.regions: Mapping[str, str] = raw["_notes"]["regions"]
        self.always_on_hours = Decimal(raw["hours_per_month"]["always_on"])
        self._nodes: dict[str, NodeType] = {}
        for cloud in CLOUDS:
            for name, entry in raw["node_types"].get(cloud, {}).items():
                self._nodes[name] = NodeType(
                    name=name,
                    cloud=cloud,
                    dbu_per_hour=Decimal(entry["dbu_per_hour"]),
                    vm_usd_per_hour=_dec(entry.get("vm_usd_per_hour")),
                    vm_spot_usd_per_hour=_dec(entry.get("vm_spot_usd_per_hour")),
                )

    def node(self, name: str) -> NodeType | None:
        """A node type by name (names are unique across clouds), or None."""
        return self._nodes.get(name)

    def nodes(self, cloud: str) -> list[NodeType]:
        return [n for n in self._nodes.values() if n.cloud == cloud]

    def nodes_matching(self, cloud: str | None, pattern: str) -> list[NodeType]:
        """Node types whose whole name matches a regular expression (policy `regex` rules)."""
        compiled = re.compile(pattern)
        return [n for n in self._nodes.values() if (cloud is None or n.cloud == cloud) and compiled.fullmatch(n.name)]

    def dbu_price(self, cloud: str, tier: str, sku: str) -> Decimal | None:
        """$/DBU for a SKU, or None when the catalog has no such cloud, tier or SKU."""
        value = self._raw["dbu_price"].get(cloud, {}).get(tier, {}).get(sku)
        return Decimal(value) if isinstance(value, (int, Decimal)) else None

    def photon_factor(self, cloud: str, family: str) -> Decimal:
        """DBU multiplier for Photon; `family` is `jobs_compute`, `dlt` or `all_purpose_compute`."""
        return Decimal(self._raw["photon_dbu_multiplier"][cloud][family])

    def max_photon_factor(self, cloud: str | None) -> Decimal:
        clouds = [cloud] if cloud else list(CLOUDS)
        table = self._raw["photon_dbu_multiplier"]
        return max(Decimal(v) for c in clouds for k, v in table[c].items() if not k.startswith("_"))

    def spot_discount(self, cloud: str) -> Decimal:
        """Planning default fraction saved on spot VMs when a node has no spot price."""
        return Decimal(self._raw["spot_discount"][cloud]["planning_default"])

    def warehouse_dbu(self, size: str) -> Decimal | None:
        value = self._raw["sql_warehouse_dbu_per_hour"].get(size)
        return Decimal(value) if isinstance(value, (int, Decimal)) else None

    def warehouse_sizes(self) -> list[str]:
        return [k for k in self._raw["sql_warehouse_dbu_per_hour"] if not k.startswith("_")]

    def warehouse_shape(self, cloud: str, size: str) -> tuple[int, str, str] | None:
        """`(workers, worker_node, driver_node)` of a classic/pro warehouse cluster."""
        shape = self._raw["sql_warehouse_cluster_shape"].get(cloud, {}).get(size)
        if shape is None:
            return None
        return int(shape["workers"]), shape["worker_node"], shape["driver_node"]

    def serving_units(self, workload_size: str) -> tuple[int, int] | None:
        """Provisioned concurrency `(min, max)` of a CPU serving workload size."""
        value = self._raw["model_serving_dbu_per_hour"]["workload_size_provisioned_concurrency"].get(workload_size)
        return (int(value[0]), int(value[1])) if isinstance(value, list) else None

    def serving_cpu_dbu(self) -> Decimal:
        return Decimal(self._raw["model_serving_dbu_per_hour"]["cpu_per_concurrency_unit"])

    def serving_gpu_dbu(self, cloud: str, workload_type: str) -> Decimal | None:
        value = self._raw["model_serving_dbu_per_hour"].get(cloud, {}).get(workload_type.lower())
        return Decimal(value) if isinstance(value, (int, Decimal)) else None


def catalog_path() -> Any:
    return resources.files("iac") / "data" / "pricing-catalog.json"


@functools.cache
def load_catalog() -> Catalog:
    """The packaged catalog, parsed once per process."""
    return Catalog(loads(catalog_path().read_bytes()))

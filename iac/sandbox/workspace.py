"""What every simulated Databricks workspace offers before anything is created in it: runtime versions, node
types, zones, the calling user. Data sources read these (iac.sandbox.datasources) the way the real provider
reads the workspace's APIs.

Runtimes: the `/clusters/spark-versions` list of a workspace at the end of 2025 (LTS and current releases, ML
and GPU variants). Node types: the packaged price catalog's (iac/data/pricing-catalog.json), so any node type a
data source picks is one the cost checks can price; their disks, categories and capabilities follow the
instance family, as `/clusters/list-node-types` reports them.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["NodeType", "RUNTIMES", "cloud_of", "node_types"]

RUNTIMES: tuple[tuple[str, str], ...] = tuple(
    (key, name) for version, spark, lts in (
        ("13.3", "3.4.1", True), ("14.3", "3.5.0", True), ("15.4", "3.5.0", True), ("16.4", "3.5.2", True),
        ("17.2", "4.0.0", False), ("17.3", "4.0.0", True),
    )
    for scala in (("2.12",) if version < "16.4" else ("2.12", "2.13") if version == "16.4" else ("2.13",))
    for key, name in (
        (f"{version}.x-scala{scala}", f"{version}{' LTS' if lts else ''} (includes Apache Spark {spark}, Scala {scala})"),
        (f"{version}.x-photon-scala{scala}", f"{version}{' LTS' if lts else ''} Photon (includes Apache Spark {spark}, Scala {scala})"),
        (f"{version}.x-cpu-ml-scala{scala}", f"{version}{' LTS' if lts else ''} ML (includes Apache Spark {spark}, Scala {scala})"),
        (f"{version}.x-gpu-ml-scala{scala}", f"{version}{' LTS' if lts else ''} ML (includes Apache Spark {spark}, GPU, Scala {scala})"),
        (f"{version}.x-aarch64-scala{scala}", f"{version}{' LTS' if lts else ''} aarch64 (includes Apache Spark {spark}, Scala {scala})"),
    )
) + (("18.0.x-scala2.13", "18.0 Beta (includes Apache Spark 4.1.0, Scala 2.13)"),
     ("apache-spark-3.5.x-scala2.12", "Light 3.5 (includes Apache Spark 3.5, Scala 2.12)"))


@dataclass(frozen=True)
class NodeType:
    """One entry of `/clusters/list-node-types`, with what the provider's node type filter looks at."""

    node_type_id: str
    cloud: str
    num_cores: int
    memory_mb: int
    num_gpus: int
    local_disks: int
    local_disk_size_gb: int
    category: str
    is_graviton: bool
    is_io_cache_enabled: bool


_GPU = re.compile(r"^(g4dn|g5|p3|p4d)\.|^Standard_N|^a2-")
_AWS_LOCAL_DISK = re.compile(r"^[a-z]+\d+[a-z]*d[a-z]*\.|^(i3|g5)\.")


def _category(name: str) -> str:
    if _GPU.search(name):
        return "GPU Accelerated"
    family = name.split(".", 1)[0] if "." in name else name
    if re.match(r"^(i3|Standard_L)", name):
        return "Storage Optimized"
    if re.match(r"^(r5|Standard_E|Standard_DS1[1-5]|n\d-highmem)", family):
        return "Memory Optimized"
    if re.match(r"^(c5|Standard_F)", family):
        return "Compute Optimized"
    return "General Purpose"


def _local_disks(name: str, cloud: str, cores: int) -> tuple[int, int]:
    if cloud == "aws":
        has_disk = bool(_AWS_LOCAL_DISK.search(name))
    elif cloud == "azure":
        has_disk = True  # every Azure VM size Databricks offers has a temporary disk
    else:
        has_disk = False  # GCP local SSDs are attached per cluster (gcp_attributes.local_ssd_count)
    return (1, 75 * max(cores // 2, 1)) if has_disk else (0, 0)


@functools.cache
def node_types() -> tuple[NodeType, ...]:
    raw = json.loads((resources.files("iac") / "data" / "pricing-catalog.json").read_text(encoding="utf-8"))
    found = []
    for cloud, entries in raw["node_types"].items():
        for name, entry in entries.items():
            cores, memory = int(entry["vcpus"]), int(float(entry["memory_gb"]) * 1024)
            disks, size = _local_disks(name, cloud, cores)
            category = _category(name)
            found.append(NodeType(name, cloud, cores, memory, 1 if category == "GPU Accelerated" else 0, disks, size,
                                  category, name.startswith(("m6g", "r6g", "c6g")),
                                  category == "Storage Optimized" or (disks > 0 and cloud == "aws")))
    return tuple(found)


def cloud_of(host: str) -> str:
    """The cloud of a workspace, from its URL (the provider's rule: azuredatabricks.net, gcp.databricks.com)."""
    if "azuredatabricks.net" in host:
        return "azure"
    if "gcp.databricks.com" in host:
        return "gcp"
    return "aws"

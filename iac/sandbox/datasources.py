"""ReadDataSource for the sandbox: data sources answered by the simulated workspace and cloud account.

In order:
1. a data source the real provider computes locally (the policy documents: aws_iam_policy_document and the
   databricks_aws_* policies) is computed exactly by iac.diff.datasources, the readers iac's planner uses,
   errors included;
2. a data source about the workspace or the caller (runtime versions, node types, the current user and
   configuration, zones, the AWS caller, region and zones, the Azure client) is answered from
   iac.sandbox.workspace and the provider configuration, with the provider's own selection rules;
3. a data source that looks up an object by its arguments (`databricks_group { display_name = ... }`) gets the
   matching object of the store when there is one;
4. whatever is still unknown gets generated values, seeded by the configuration: the same configuration reads
   the same values every time (a data source that changed on every read would re-plan its dependents forever).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from iac.diff.datasources import LOCAL_READERS, READ_ERRORS
from iac.sandbox.api import SANDBOX_USER, Context
from iac.sandbox.computed import fill_unknowns
from iac.sandbox.settings import Settings
from iac.sandbox.values import UNKNOWN, conform_block
from iac.sandbox.workspace import RUNTIMES, cloud_of, node_types
from iac.schema import ResourceSchema

__all__ = ["DataSourceRefused", "Where", "read_data_source"]


class DataSourceRefused(ValueError):
    """The provider refuses the configuration (its message), e.g. a spark version query without a result."""


@dataclass(frozen=True)
class Where:
    """Where a data source is read: the provider configuration and the objects of its workspace/account."""

    settings: Settings
    objects: Callable[[str], Iterable[dict[str, Any]]]
    """The store's objects of one resource type in this configuration's scope."""


def read_data_source(schema: ResourceSchema, config: dict[str, Any], where: Where) -> dict[str, Any]:
    """The state a data source read returns for `config` (an object of the data source's schema)."""
    local = LOCAL_READERS.get(schema.type)
    if local is not None:
        try:
            return conform_block(local(config, schema), schema.block)
        except READ_ERRORS as error:
            raise DataSourceRefused(str(error)) from error
    context = _context(schema.type, config, where.settings)
    answer = _ANSWERS.get(schema.type)
    values = answer(config, context, where.settings) if answer is not None else _lookup(schema, config, where)
    state = {**config, **{k: v for k, v in values.items() if config.get(k) is None}}
    for name, attribute in schema.block.attributes.items():
        if attribute.computed and state.get(name) is None:
            state[name] = UNKNOWN
    return conform_block(fill_unknowns(schema.block, state, context), schema.block)


def _context(data_type: str, config: dict[str, Any], settings: Settings) -> Context:
    seed = zlib.crc32(json.dumps(config, sort_keys=True, default=str).encode()) % 100_000  # timestamps stay in 2026
    return Context(f"data.{data_type}", seed, host=settings.host, account_id=settings.account_id,
                   subscription_id=settings.subscription_id, region=settings.region, project=settings.project)


def _lookup(schema: ResourceSchema, config: dict[str, Any], where: Where) -> dict[str, Any]:
    """The store's object of the same-named resource type whose attributes match every configured argument."""
    wanted = {k: v for k, v in config.items() if v is not None and not isinstance(v, (dict, list))}
    for candidate in where.objects(schema.type):
        if all(candidate.get(k) == v for k, v in wanted.items() if k in candidate):
            return {k: v for k, v in candidate.items() if k in schema.block.attributes}
    return {}


# --- the workspace and the caller -------------------------------------------------------------------------------

def _flag(config: Mapping[str, Any], name: str, default: bool = False) -> bool:
    value = config.get(name)
    return default if value is None else bool(value)


def _spark_version(config: dict[str, Any], c: Context, s: Settings) -> dict[str, Any]:
    """clusters/data_spark_version.go LatestSparkVersion over the workspace's runtimes."""
    scala = config.get("scala") or "2.12"
    latest = _flag(config, "latest", True)
    found = []
    for key, name in RUNTIMES:
        if f"-scala{scala}" not in key or "apache-spark-" in key:
            continue
        matches = (("-ml-" in key) == _flag(config, "ml") and ("-hls-" in key) == _flag(config, "genomics")
                   and ("-gpu-" in key) == _flag(config, "gpu") and ("-photon-" in key) == _flag(config, "photon")
                   and ("-aarch64-" in key) == _flag(config, "graviton") and ("Beta" in name) == _flag(config, "beta"))
        if matches and _flag(config, "long_term_support"):
            matches = "LTS" in name or "-esr-" in key
        if matches and config.get("spark_version"):
            matches = f"Apache Spark {config['spark_version']}" in name
        if matches:
            found.append(key)
    if not found:
        raise DataSourceRefused("spark versions query returned no results. Please change your search criteria and try again")
    if len(found) > 1 and not latest:
        raise DataSourceRefused("spark versions query returned multiple results. Please change your search criteria and try again")
    best = max(found, key=lambda key: tuple(int(part) for part in key.split(".x-", 1)[0].split(".")))
    return {"id": best, "latest": latest, "scala": scala}


def _node_type(config: dict[str, Any], c: Context, s: Settings) -> dict[str, Any]:
    """clusters/data_node_type.go: the SDK's `Smallest` over the workspace's node types, else the cloud default."""
    cloud = cloud_of(s.host)
    graviton = _flag(config, "arm") or _flag(config, "graviton")
    fleet = _flag(config, "fleet")
    number = lambda name: int(config.get(name) or 0)  # noqa: E731
    ordered = sorted((n for n in node_types() if n.cloud == cloud),
                     key=lambda n: (n.num_cores, n.memory_mb, n.local_disks, n.local_disk_size_gb, n.num_gpus, n.node_type_id))
    for node in ordered:
        gbs = node.memory_mb // 1024
        if fleet != ("-fleet." in node.node_type_id):
            continue
        if (number("min_memory_gb") and gbs < number("min_memory_gb")) or (
                number("gb_per_core") and gbs // node.num_cores < number("gb_per_core")) or (
                number("min_cores") and node.num_cores < number("min_cores")):
            continue
        if (number("min_gpus") and node.num_gpus < number("min_gpus")) or (not number("min_gpus") and node.num_gpus):
            continue
        if (_flag(config, "local_disk") or number("local_disk_min_size")) and node.local_disks < 1:
            continue
        if number("local_disk_min_size") and node.local_disk_size_gb < number("local_disk_min_size"):
            continue
        if config.get("category") and str(config["category"]).lower() != node.category.lower():
            continue
        if _flag(config, "is_io_cache_enabled") and not node.is_io_cache_enabled:
            continue
        if node.is_graviton != graviton:
            continue
        return {"id": node.node_type_id}
    return {"id": _default_node_type(cloud, graviton, fleet)}


def _default_node_type(cloud: str, graviton: bool, fleet: bool) -> str:
    """defaultSmallestNodeType: what the provider answers when no node type matches."""
    if graviton and cloud == "aws":
        return "rgd-fleet.xlarge" if fleet else "m6g.xlarge"
    if graviton and cloud == "azure":
        return "Standard_D4pds_v6"
    if cloud == "azure":
        return "Standard_D4ds_v5"
    if cloud == "gcp":
        return "n1-standard-4"
    return "md-fleet.xlarge" if fleet else "i3.xlarge"


def _current_user(config: dict[str, Any], c: Context, s: Settings) -> dict[str, Any]:
    user = SANDBOX_USER
    return {"id": c.stable_uuid(f"user:{user}").replace("-", "")[:16], "user_name": user, "home": f"/Users/{user}",
            "repos": f"/Repos/{user}", "alphanumeric": user.split("@", 1)[0].replace("-", "_").replace(".", "_"),
            "external_id": "", "workspace_url": s.host, "acl_principal_id": f"users/{user}"}


def _current_config(config: dict[str, Any], c: Context, s: Settings) -> dict[str, Any]:
    return {"id": "_", "host": s.host, "account_id": s.account_id or "", "auth_type": "pat",
            "cloud_type": cloud_of(s.host), "is_account": "accounts." in s.scope}


def _zones(region: str) -> list[str]:
    return [f"{region}{suffix}" for suffix in ("abcdef" if region == "us-east-1" else "abc")]


def _databricks_zones(config: dict[str, Any], c: Context, s: Settings) -> dict[str, Any]:
    zones = _zones(c.aws_region)
    return {"id": c.aws_region, "zones": zones, "default_zone": zones[0]}


def _aws_caller(config: dict[str, Any], c: Context, s: Settings) -> dict[str, Any]:
    account = c.aws_account
    return {"id": account, "account_id": account, "arn": f"arn:aws:iam::{account}:user/sandbox",
            "user_id": "AIDA" + c.stable_uuid("aws-user").replace("-", "").upper()[:17]}


_REGION_NAMES = {"us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)", "us-west-1": "US West (N. California)",
                 "us-west-2": "US West (Oregon)", "eu-west-1": "Europe (Ireland)", "eu-central-1": "Europe (Frankfurt)"}


def _aws_region(config: dict[str, Any], c: Context, s: Settings) -> dict[str, Any]:
    region = config.get("name") or c.aws_region
    return {"id": region, "name": region, "description": _REGION_NAMES.get(region, region),
            "endpoint": f"ec2.{region}.amazonaws.com"}


def _aws_zones(config: dict[str, Any], c: Context, s: Settings) -> dict[str, Any]:
    region = c.aws_region
    excluded = set(config.get("exclude_names") or [])
    names = [z for z in _zones(region) if z not in excluded]
    prefix = {"us-east-1": "use1", "us-west-2": "usw2", "eu-west-1": "euw1", "eu-central-1": "euc1"}.get(region, "use1")
    return {"id": region, "names": names, "zone_ids": [f"{prefix}-az{i + 1}" for i in range(len(names))],
            "group_names": [region]}


def _azure_client(config: dict[str, Any], c: Context, s: Settings) -> dict[str, Any]:
    return {"id": f"clientConfigs/clientId={c.stable_uuid('client')};objectId={c.stable_uuid('object')};"
                  f"subscriptionId={s.subscription_id or c.stable_uuid('subscription')};tenantId={c.stable_uuid('tenant')}",
            "client_id": c.stable_uuid("client"), "object_id": c.stable_uuid("object"),
            "subscription_id": s.subscription_id or c.stable_uuid("subscription"), "tenant_id": c.stable_uuid("tenant")}


_ANSWERS: dict[str, Callable[[dict[str, Any], Context, Settings], dict[str, Any]]] = {
    "aws_availability_zones": _aws_zones,
    "aws_caller_identity": _aws_caller,
    "aws_region": _aws_region,
    "azurerm_client_config": _azure_client,
    "databricks_current_config": _current_config,
    "databricks_current_user": _current_user,
    "databricks_node_type": _node_type,
    "databricks_spark_version": _spark_version,
    "databricks_zones": _databricks_zones,
}

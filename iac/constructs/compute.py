"""Compute: clusters, cluster policies (typed rules), instance pools, SQL warehouses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from iac._jsonio import canonical_json
from iac.constructs._base import Block, Construct, to_json
from iac.constructs._types import Bool, Num, Str, StrMap

__all__ = [
    "Allowlist",
    "Autoscale",
    "AwsAttributes",
    "AzureAttributes",
    "Blocklist",
    "Cluster",
    "ClusterPolicy",
    "DataSecurityMode",
    "Fixed",
    "Forbidden",
    "InstancePool",
    "Library",
    "PolicyRule",
    "Range",
    "Regex",
    "SqlWarehouse",
    "Unlimited",
]

DataSecurityMode = Literal[
    "SINGLE_USER", "USER_ISOLATION", "NONE", "DATA_SECURITY_MODE_AUTO", "DATA_SECURITY_MODE_STANDARD",
    "DATA_SECURITY_MODE_DEDICATED", "LEGACY_TABLE_ACL", "LEGACY_PASSTHROUGH", "LEGACY_SINGLE_USER",
]


class Autoscale(Block):
    min_workers: Num
    max_workers: Num

    @model_validator(mode="after")
    def _ordered(self) -> Autoscale:
        if isinstance(self.min_workers, (int, Decimal)) and isinstance(self.max_workers, (int, Decimal)) \
                and self.min_workers > self.max_workers:
            raise ValueError(f"min_workers ({self.min_workers}) is above max_workers ({self.max_workers})")
        return self


class AwsAttributes(Block):
    availability: Literal["SPOT", "ON_DEMAND", "SPOT_WITH_FALLBACK"] | None = None
    first_on_demand: Num | None = None
    zone_id: Str | None = None
    spot_bid_price_percent: Num | None = None
    instance_profile_arn: Str | None = None


class AzureAttributes(Block):
    availability: Literal["SPOT_AZURE", "ON_DEMAND_AZURE", "SPOT_WITH_FALLBACK_AZURE"] | None = None
    first_on_demand: Num | None = None
    spot_bid_max_price: Num | None = None


class Library(Block):
    """A cluster or task library: pass one of `pypi={"package": "x==1.2"}`, `maven={...}`, `jar=`, `whl=`."""


class _ClusterShape(Block):
    """Attributes shared by all-purpose clusters and job clusters."""

    spark_version: Str
    node_type_id: Str | None = None
    driver_node_type_id: Str | None = None
    instance_pool_id: Str | None = None
    num_workers: Num | None = None
    autoscale: Autoscale | None = None
    custom_tags: StrMap | None = None
    spark_conf: StrMap | None = None
    policy_id: Str | None = None
    data_security_mode: DataSecurityMode | None = None
    single_user_name: Str | None = None
    runtime_engine: Literal["STANDARD", "PHOTON"] | None = None
    aws_attributes: AwsAttributes | None = None
    azure_attributes: AzureAttributes | None = None

    @model_validator(mode="after")
    def _one_size(self) -> Any:
        if self.num_workers is not None and self.autoscale is not None:
            raise ValueError("set either num_workers (fixed size) or autoscale, not both")
        if self.node_type_id is None and self.instance_pool_id is None and self.policy_id is None:
            raise ValueError("set node_type_id or instance_pool_id (or a policy that fixes one)")
        return self


class Cluster(Construct, _ClusterShape):
    """An all-purpose cluster. Every edit restarts a running cluster (only idempotency_token replaces it)."""

    TF_TYPE: ClassVar[str] = "databricks_cluster"
    TAGS_FIELD: ClassVar[str | None] = "custom_tags"
    DISPLAY_NAME_FIELDS: ClassVar[tuple[str, ...]] = ("cluster_name",)
    cluster_name: Str
    autotermination_minutes: Num | None = None
    is_pinned: Bool | None = None
    library: list[Library] | None = None


# -- cluster policies ------------------------------------------------------------------------------
class _Rule(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", populate_by_name=True)
    RULE_TYPE: ClassVar[str] = ""
    default_value: Any = None
    is_optional: bool | None = None

    def to_body(self) -> dict[str, Any]:
        camel = {"default_value": "defaultValue", "is_optional": "isOptional", "min_value": "minValue", "max_value": "maxValue"}
        body = {camel.get(k, k): to_json(v) for k, v in self.__dict__.items() if v is not None}
        return {"type": self.RULE_TYPE, **body}


class Fixed(_Rule):
    """The attribute is pinned to `value` (`hidden` hides it in the UI)."""

    RULE_TYPE: ClassVar[str] = "fixed"
    value: Any
    hidden: bool | None = None


class Forbidden(_Rule):
    RULE_TYPE: ClassVar[str] = "forbidden"


class Range(_Rule):
    RULE_TYPE: ClassVar[str] = "range"
    min_value: int | Decimal | None = None
    max_value: int | Decimal | None = None


class Allowlist(_Rule):
    RULE_TYPE: ClassVar[str] = "allowlist"
    values: list[Any]


class Blocklist(_Rule):
    RULE_TYPE: ClassVar[str] = "blocklist"
    values: list[Any]


class Regex(_Rule):
    RULE_TYPE: ClassVar[str] = "regex"
    pattern: str


class Unlimited(_Rule):
    RULE_TYPE: ClassVar[str] = "unlimited"


PolicyRule = Fixed | Forbidden | Range | Allowlist | Blocklist | Regex | Unlimited


class ClusterPolicy(Construct):
    """A cluster policy; `definition` maps dotted cluster paths to typed rules.

    The definition is emitted as canonical JSON (sorted keys, no spaces): the provider compares it as
    a string, so any other formatting would plan a change on every run (provider issue #2278)."""

    TF_TYPE: ClassVar[str] = "databricks_cluster_policy"
    DISPLAY_NAME_FIELDS: ClassVar[tuple[str, ...]] = ("name",)
    name: Str
    definition: dict[str, PolicyRule] | None = None
    max_clusters_per_user: Num | None = None
    policy_family_id: Str | None = None
    policy_family_definition_overrides: Str | None = None

    def body(self) -> dict[str, Any]:
        body = super().body()
        if self.definition is not None:
            body["definition"] = canonical_json({path: rule.to_body() for path, rule in self.definition.items()})
        return body


class InstancePool(Construct):
    """A warm pool of VMs; hardware fields replace the pool, sizes and tags update in place."""

    TF_TYPE: ClassVar[str] = "databricks_instance_pool"
    TAGS_FIELD: ClassVar[str | None] = "custom_tags"
    DISPLAY_NAME_FIELDS: ClassVar[tuple[str, ...]] = ("instance_pool_name",)
    instance_pool_name: Str
    node_type_id: Str
    idle_instance_autotermination_minutes: Num
    min_idle_instances: Num | None = None
    max_capacity: Num | None = None
    preloaded_spark_versions: list[Str] | None = None
    custom_tags: StrMap | None = None
    aws_attributes: Block | None = None
    azure_attributes: Block | None = None


WarehouseSize = Literal["2X-Small", "X-Small", "Small", "Medium", "Large", "X-Large", "2X-Large", "3X-Large", "4X-Large"]


class SqlWarehouse(Construct):
    """A SQL warehouse (`databricks_sql_endpoint`). `tags` is a plain mapping here; the provider's
    nested `tags { custom_tags { key value } }` shape is produced on output, sorted by key."""

    TF_TYPE: ClassVar[str] = "databricks_sql_endpoint"
    TAGS_FIELD: ClassVar[str | None] = "tags"
    DISPLAY_NAME_FIELDS: ClassVar[tuple[str, ...]] = ("name",)
    name: Str
    cluster_size: WarehouseSize
    min_num_clusters: Num | None = None
    max_num_clusters: Num | None = None
    auto_stop_mins: Num | None = None
    enable_photon: Bool | None = None
    enable_serverless_compute: Bool | None = None
    warehouse_type: Literal["PRO", "CLASSIC"] | None = None
    spot_instance_policy: Literal["COST_OPTIMIZED", "RELIABILITY_OPTIMIZED"] | None = None
    tags: StrMap | None = None

    def body(self) -> dict[str, Any]:
        body = super().body()
        if body.get("tags"):
            body["tags"] = {"custom_tags": [{"key": k, "value": v} for k, v in sorted(body["tags"].items())]}
        else:
            body.pop("tags", None)
        return body

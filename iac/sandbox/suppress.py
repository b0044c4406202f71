"""The providers' diff suppression, as the sandbox plans it: which differences between state and configuration a
provider hides (its SDKv2 `DiffSuppressFunc`s), so Terraform plans no change for them.

When a rule hides a difference the planner keeps the value in state, exactly what SDKv2 does (a suppressed
attribute diff is dropped, so the planned value is the prior one). Two sources:

* the schema data's `diff_suppress` hints (hand-carried for the 33 databricks types of the former subset and the
  Azure workspace; the aws policy arguments' `aws_policy_equivalent`, hashicorp/awspolicyequivalence as
  iac.diff.statefuncs reproduces it), each mapped to the provider function it describes (`_HINTS`);
* what the hints do not say, read from databricks/terraform-provider-databricks (common/customizable_schema.go,
  common/reflect_resource.go, clusters/resource_cluster.go, pools/resource_instance_pool.go):
  - `CustomizableSchema.SetSuppressDiff()` on a block of at most one element (the cluster spec's
    `aws_attributes`, `azure_attributes`, `gcp_attributes`, wherever a cluster spec appears: the provider registers
    its customisation for every `compute.ClusterSpec`, job clusters included) also gives each nested field
    `diffSuppressor`: a configuration value equal to the type's zero value ("" / 0 / false / unset) keeps a
    non-zero value the server filled in. That is why `zone_id` and `spot_bid_price_percent` the API fills do not
    re-plan when the configuration sets only `availability` and `first_on_demand`. `zone_id` has its own
    `ZoneDiffSuppress`: also "auto" keeps the concrete zone.
  - the instance pool's fleet attributes carry `tf:"suppress_diff"` on `fleet_spot_option`,
    `fleet_on_demand_option`, `allocation_strategy`, `instance_pools_to_use_count`, `launch_template_override`
    and its `availability_zone` / `instance_type` (the struct tag suppresses on that field only: a zero config
    value keeps the remote, an unset block or empty set keeps the remote elements).
  - `SparkConfDiffSuppressFunc`: the key `spark.databricks.delta.preview.enabled` never differs, and the count
    `spark_conf.%` going from 1 to 0 is hidden, so a configuration without `spark_conf` keeps a single key the
    server injected. Any other key the server adds is a change (single-node clusters, #4360).

Paths are schema paths: attribute and block names joined by ".", without list indexes (`task.new_cluster.spark_conf`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from iac.diff.statefuncs import policies_equivalent
from iac.schema import Attribute, Block, BlockType, ResourceSchema

__all__ = ["Rules", "Suppress", "rules_for"]

Suppress = Callable[[Any, Any], bool]
"""(value in state, value planned from the configuration) -> True when the provider hides the difference."""

MapPlanner = Callable[[Any, Any], Any]
"""(value in state, configured map) -> the planned map (for maps whose keys the provider treats one by one)."""


@dataclass(frozen=True)
class Rules:
    """The suppression rules of one resource type, by schema path."""

    attributes: Mapping[str, Suppress]
    keep_blocks: frozenset[str]
    """Blocks whose absence from the configuration keeps the elements in state (count going to 0 hidden)."""
    maps: Mapping[str, MapPlanner]


# --- the provider functions ----------------------------------------------------------------------------------


def _is_zero(value: Any) -> bool:
    """SDKv2's zero value of a primitive or collection, as `diffSuppressor` compares flatmap strings."""
    return value is None or value in ("", False) or value == [] or value == {} or (
        not isinstance(value, bool) and isinstance(value, (int, Decimal)) and value == 0)


def zero_keeps_remote(before: Any, after: Any) -> bool:
    """`diffSuppressor`: the configuration holds the zero value, the server something else."""
    return _is_zero(after) and not _is_zero(before)


def _zone(before: Any, after: Any) -> bool:
    """clusters.ZoneDiffSuppress: a concrete zone in state matches "auto" or nothing in the configuration."""
    return before not in (None, "") and after in (None, "", "auto")


def _pool_zone(before: Any, after: Any) -> bool:
    """The instance pool's zone_id suppress: a concrete zone in state matches "auto" (any case)."""
    return before not in (None, "") and isinstance(after, str) and after.lower() == "auto"


def _case_insensitive(before: Any, after: Any) -> bool:
    return isinstance(after, str) and str(before).lower() == after.lower()


def _trailing_slash(before: Any, after: Any) -> bool:
    return isinstance(after, str) and str(before).rstrip("/") == after.rstrip("/")


def _azure_location(before: Any, after: Any) -> bool:
    return isinstance(after, str) and str(before).replace(" ", "").lower() == after.replace(" ", "").lower()


def _whitespace(before: Any, after: Any) -> bool:
    return isinstance(after, str) and str(before).strip() == after.strip()


_DSM_ALIASES = ({"SINGLE_USER", "DATA_SECURITY_MODE_DEDICATED"}, {"USER_ISOLATION", "DATA_SECURITY_MODE_STANDARD"})


def _security_mode(before: Any, after: Any) -> bool:
    """data_security_mode: SetSuppressDiff (zero config keeps remote) and the legacy/new alias pairs."""
    if zero_keeps_remote(before, after):
        return True
    return any(before in group and after in group for group in _DSM_ALIASES)


LEGACY_SPARK_KEY = "spark.databricks.delta.preview.enabled"


def spark_conf(before: Any, after: Any) -> Any:
    """SparkConfDiffSuppressFunc applied to SDKv2's per-key map diff (see the module docstring)."""
    prior = before if isinstance(before, dict) else {}
    if after is None and set(prior) == {LEGACY_SPARK_KEY}:
        return before  # "spark_conf.%" 1 -> 0 and the key itself are both hidden
    if after is None and not prior:
        return None
    planned = dict(after or {})
    if LEGACY_SPARK_KEY in prior and LEGACY_SPARK_KEY not in planned:
        planned[LEGACY_SPARK_KEY] = prior[LEGACY_SPARK_KEY]
    return dict(sorted(planned.items()))


# diff_suppress hint of the schema data -> the provider's function. A hint with several parts ("a; b") hides a
# difference when any part does. Hints not listed are informational (no planner effect).
_HINTS: Mapping[str, Suppress] = {
    "case_insensitive": _case_insensitive,
    "trailing_slash_insensitive": _trailing_slash,
    "empty_config_keeps_remote": zero_keeps_remote,
    "config 0 keeps remote": lambda before, after: after in (None, 0) and before not in (None, 0),
    "unset_equals_false": lambda before, after: after is None and before is False,
    "unset equals ALL_SUCCESS": lambda before, after: after is None and before == "ALL_SUCCESS",
    "config 'auto' matches any concrete zone": _pool_zone,
    "surrounding_whitespace_only (JSON is NOT normalised)": _whitespace,
    "only_on_create (never read back; all later diffs hidden)": lambda before, after: True,
    "state false vs config true hidden (write-only flag)": lambda before, after: before is False and after is True,
    "remote may append a metastore-specific suffix (diff hidden when remote starts with config)":
        lambda before, after: isinstance(after, str) and str(before).startswith(after),
    "remote_may_add_prefix (diff hidden when new value ends with old)":
        lambda before, after: isinstance(after, str) and str(before).endswith(after),
    "unset config matches provider-generated dbfs:/pipelines/<uuid>":
        lambda before, after: after is None and str(before).startswith("dbfs:/pipelines/"),
    "aws_policy_equivalent": policies_equivalent,
}


def _hint(text: str | None) -> Suppress | None:
    if not text:
        return None
    if text.startswith("azure location normalisation"):
        return _azure_location
    if text.startswith("empty config ignored; legacy/new aliases"):
        return _security_mode
    checks = [check for part in text.split(";") if (check := _HINTS.get(part.strip())) is not None]
    if not checks:
        return None
    return checks[0] if len(checks) == 1 else lambda before, after: any(c(before, after) for c in checks)


# --- rules read from the provider source (see the module docstring) --------------------------------------------

_CLOUD_ATTRIBUTES = ("aws_attributes", "azure_attributes", "gcp_attributes")
_CLUSTER_SPEC_TYPES = ("databricks_cluster", "databricks_job")
_FLEET = "instance_pool_fleet_attributes"
_FLEET_FIELDS = ("fleet_spot_option.allocation_strategy", "fleet_spot_option.instance_pools_to_use_count",
                 "fleet_on_demand_option.allocation_strategy", "fleet_on_demand_option.instance_pools_to_use_count",
                 "launch_template_override.availability_zone", "launch_template_override.instance_type")
_FLEET_BLOCKS = ("fleet_spot_option", "fleet_on_demand_option", "launch_template_override")


def _walk(block: Block, prefix: str = "") -> Iterator[tuple[str, Attribute | BlockType]]:
    for name, attribute in block.attributes.items():
        yield prefix + name, attribute
        if attribute.nested is not None:
            yield from _walk(attribute.nested, f"{prefix}{name}.")
    for name, block_type in block.block_types.items():
        yield prefix + name, block_type
        yield from _walk(block_type.block, f"{prefix}{name}.")


def _cluster_spec_rules(schema: ResourceSchema) -> Iterator[tuple[str, Suppress]]:
    """SetSuppressDiff on the cloud attribute blocks of every cluster spec reaches their fields."""
    if schema.type not in _CLUSTER_SPEC_TYPES:
        return
    for path, node in _walk(schema.block):
        if isinstance(node, BlockType) and path.rsplit(".", 1)[-1] in _CLOUD_ATTRIBUTES and node.max_items == 1:
            for name in node.block.attributes:
                yield f"{path}.{name}", _zone if name == "zone_id" and path.endswith("aws_attributes") else zero_keeps_remote


def _build(schema: ResourceSchema) -> Rules:
    attributes: dict[str, Suppress] = {}
    keep_blocks: set[str] = set()
    maps: dict[str, MapPlanner] = {}
    for path, node in _walk(schema.block):
        check = _hint(node.diff_suppress)
        if isinstance(node, BlockType):
            if check is zero_keeps_remote:
                keep_blocks.add(path)
            continue
        if node.diff_suppress and node.diff_suppress.startswith("ignores legacy key"):
            maps[path] = spark_conf
        elif check is not None:
            attributes[path] = check
    attributes.update(_cluster_spec_rules(schema))
    if schema.type == "databricks_instance_pool" and _FLEET in schema.block.block_types:
        attributes.update({f"{_FLEET}.{field}": zero_keeps_remote for field in _FLEET_FIELDS})
        keep_blocks.update(f"{_FLEET}.{name}" for name in _FLEET_BLOCKS)
    return Rules(attributes=attributes, keep_blocks=frozenset(keep_blocks), maps=maps)


_BUILT: dict[int, tuple[ResourceSchema, Rules]] = {}


def rules_for(schema: ResourceSchema) -> Rules:
    """The suppression rules of a resource type (built once per schema object)."""
    found = _BUILT.get(id(schema))
    if found is None or found[0] is not schema:
        found = _BUILT[id(schema)] = (schema, _build(schema))
    return found[1]

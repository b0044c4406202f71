"""Providers' diff suppressions, as data: each rule says where it applies, what it does, and why.

A rule makes two values *equivalent*; when the config is equivalent to the prior value the planned
value keeps the prior one (what the provider's DiffSuppressFunc does), and the change is reported as
"normalised away". A rule reproduces what the provider does, never more: a difference the provider
shows is a difference iac shows (a perpetual one included). Two sources:

* `RULES` below: suppressions of the databricks provider's source the schema data does not carry, each
  with where it is in that source;
* the schema data's `diff_suppress` hints, mapped to kinds by `_SUPPRESS_KINDS`.

`rules_for(resource_type, schema)` compiles them once per type into `{schema path: [Rule]}`; schema
paths are attribute/block names without list indexes (`task.depends_on`).

Kinds:
  upper_underscore   strings (or lists of strings) compared upper-cased with spaces as underscores
  case_insensitive   strings compared lower-cased
  trailing_slash     strings compared without trailing "/"
  strip              strings compared without surrounding whitespace
  keep_remote_if_empty   a null/empty/zero/false config keeps whatever the server has (the provider's zero-value
                     diffSuppressor)
  keep_remote_if_in  a config in the given values (or null; compared without case) keeps what the server has
  unset_equals       a null config equals the given value
  ignore_keys        these map keys (server-injected) never count as differences
  aliases            values in one group are equal
  only_on_create     never compared after creation (write-only)
  remote_suffix      remote value may be the config value plus a server suffix
  remote_prefix      remote value may be a server prefix plus the config value
  azure_location     case- and space-insensitive Azure region names
  aws_policy         IAM policy documents that mean the same (iac.diff.statefuncs.policies_equivalent)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from iac.diff.statefuncs import policies_equivalent
from iac.schema import ResourceSchema
from iac.values import Unknown, strict_equal

__all__ = ["RULES", "Rule", "equivalent", "keeps_remote", "normalise", "rules_for"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One normalisation rule. `resource_type` "*" applies to every type; `arg` is kind-specific
    (the sort key, the unset value, the ignored keys, the alias groups)."""

    resource_type: str
    path: str
    kind: str
    reason: str
    arg: Any = None


_DSM_ALIASES = (("SINGLE_USER", "DATA_SECURITY_MODE_DEDICATED"), ("USER_ISOLATION", "DATA_SECURITY_MODE_STANDARD"))
_CLUSTER_PATHS = ("", "new_cluster.", "job_cluster.new_cluster.", "task.new_cluster.", "task.for_each_task.task.new_cluster.")
_CLOUD_ATTRIBUTES = {
    "aws_attributes": ("availability", "ebs_volume_count", "ebs_volume_iops", "ebs_volume_size", "ebs_volume_throughput",
                       "ebs_volume_type", "first_on_demand", "instance_profile_arn", "spot_bid_price_percent"),
    "azure_attributes": ("availability", "first_on_demand", "spot_bid_max_price"),
    "gcp_attributes": ("availability", "boot_disk_size", "first_on_demand", "google_service_account", "local_ssd_count",
                       "use_preemptible_executors", "zone_id"),
}
_FLEET = "instance_pool_fleet_attributes."
_SUPPRESS_DIFF = "tf:\"suppress_diff\" (common.diffSuppressor: a zero config keeps what the server has)"

# Every rule is the provider's own behaviour (databricks/terraform-provider-databricks, the version of the schema
# data), with where it is in the source. Rules iac once had that hid more than the provider does were removed:
# job tasks, depends_on and job clusters in key order (the provider sorts them on read; a config in another order is
# a change in Terraform's plan too), policy definitions compared as parsed JSON (the provider trims whitespace only),
# single-node spark_conf keys and the ResourceClass tag (only the legacy delta key is ignored), and user names in
# permissions compared without case (fixed after 1.110, upstream #5757).
RULES: tuple[Rule, ...] = (
    Rule("databricks_grants", "grant.privileges", "upper_underscore",
         "privileges are spelled USE_CATALOG / `USE CATALOG` / use_catalog interchangeably (#1658; normalised by the provider)"),
    Rule("databricks_grants", "grant.principal", "case_insensitive",
         "principal names are case-insensitive since provider 1.48.1 (PR #3708)"),
    Rule("databricks_cluster", "default_tags", "only_on_create",
         "Vendor/Creator/ClusterName/ClusterId tags are server-owned (computed); never planned"),
    *(Rule(t, f"{p}spark_conf", "ignore_keys",
           "SparkConfDiffSuppressFunc (clusters/resource_cluster.go) ignores the legacy spark.databricks.delta.preview.enabled "
           "key; server-injected single-node keys are not suppressed (SDKv2 plans each removed map key)",
           ("spark.databricks.delta.preview.enabled",))
      for t in ("databricks_cluster", "databricks_job") for p in _CLUSTER_PATHS),
    *(Rule(t, f"{p}data_security_mode", "aliases",
           "legacy and new access-mode names are the same mode (#4909; suppressed by provider 1.110)", _DSM_ALIASES)
      for t in ("databricks_cluster", "databricks_job") for p in _CLUSTER_PATHS),
    # ClusterSpec.CustomizeSchema: SetSuppressDiff() on the cloud attribute blocks also sets the zero-value
    # suppressor on each of their fields (common/customizable_schema.go), so a field the config leaves out (or sets
    # to its zero value) keeps what the server filled in; aws zone_id has its own ZoneDiffSuppress
    *(Rule(t, f"{p}{block}.{name}", "keep_remote_if_empty", f"{block}.{name}: " + _SUPPRESS_DIFF)
      for t in ("databricks_cluster", "databricks_job") for p in _CLUSTER_PATHS
      for block, names in _CLOUD_ATTRIBUTES.items() for name in names),
    *(Rule(t, f"{p}aws_attributes.zone_id", "keep_remote_if_in",
           "ZoneDiffSuppress (clusters/resource_cluster.go): a configured \"\" or \"auto\" keeps the zone the server chose",
           ("", "auto"))
      for t in ("databricks_cluster", "databricks_job") for p in _CLUSTER_PATHS),
    # pools/resource_instance_pool.go: the fleet attributes are tagged suppress_diff, down to each field
    *(Rule("databricks_instance_pool", f"{_FLEET}{path}", "keep_remote_if_empty", f"{path}: " + _SUPPRESS_DIFF)
      for path in ("fleet_spot_option", "fleet_on_demand_option", "launch_template_override",
                   "fleet_spot_option.allocation_strategy", "fleet_spot_option.instance_pools_to_use_count",
                   "fleet_on_demand_option.allocation_strategy", "fleet_on_demand_option.instance_pools_to_use_count",
                   "launch_template_override.availability_zone", "launch_template_override.instance_type")),
)

# diff_suppress hint of the schema data -> (kind, arg). Hints not listed here are kept as documentation only.
_SUPPRESS_KINDS: Mapping[str, tuple[str, Any]] = {
    "case_insensitive": ("case_insensitive", None),
    "empty_config_keeps_remote": ("keep_remote_if_empty", None),
    "trailing_slash_insensitive": ("trailing_slash", None),
    "unset_equals_false": ("unset_equals", False),
    "unset equals ALL_SUCCESS": ("unset_equals", "ALL_SUCCESS"),
    "config 0 keeps remote": ("keep_remote_if_empty", None),
    "surrounding_whitespace_only (JSON is NOT normalised)": ("strip", None),
    "only_on_create (never read back; all later diffs hidden)": ("only_on_create", None),
    "remote_may_add_prefix (diff hidden when new value ends with old)": ("remote_prefix", None),
    "remote may append a metastore-specific suffix (diff hidden when remote starts with config)": ("remote_suffix", None),
    "state false vs config true hidden (write-only flag)": ("only_on_create", None),
    "empty config ignored; legacy/new aliases treated equal": ("keep_remote_if_empty", None),
    "unset config matches provider-generated dbfs:/pipelines/<uuid>": ("keep_remote_if_empty", None),
    "azure location normalisation (case/space-insensitive, e.g. 'West Europe' == 'westeurope')": ("azure_location", None),
    "aws_policy_equivalent": ("aws_policy", None),
    "config 'auto' matches any concrete zone": ("keep_remote_if_in", ("auto",)),
}


def rules_for(schema: ResourceSchema) -> dict[str, list[Rule]]:
    """Every rule of one resource type by schema path (compiled once per type by the planner)."""
    table: dict[str, list[Rule]] = {}
    for rule in RULES:
        if rule.resource_type in ("*", schema.type):
            table.setdefault(rule.path, []).append(rule)
    for path, node in schema.block.walk():
        hint = getattr(node, "diff_suppress", None)
        for part in (hint or "").split(";"):
            part = part.strip()
            if part.startswith("empty config ignored"):
                part = "empty config ignored; legacy/new aliases treated equal"
            kind = _SUPPRESS_KINDS.get(part)
            if kind is not None:
                key = ".".join(path)
                table.setdefault(key, []).append(Rule(schema.type, key, kind[0], f"provider diff_suppress: {part}", kind[1]))
    return table


def _is_empty(value: Any) -> bool:
    """The Go zero value of the attribute's type (what the provider's diffSuppressor compares with)."""
    return value is None or value is False or value == "" or value == [] or value == {} or (
        not isinstance(value, bool) and isinstance(value, (int, Decimal)) and value == 0)


def keeps_remote(rules: list[Rule], config: Any, prior: Any) -> bool:
    """True when a rule says this config value means "keep what the server has"."""
    for rule in rules:
        if rule.kind == "keep_remote_if_empty" and _is_empty(config) and prior is not None:
            return True
        if rule.kind == "only_on_create" and prior is not None:
            return True
        if rule.kind == "keep_remote_if_in" and prior not in (None, "") and (
                config is None or (isinstance(config, str) and config.lower() in rule.arg)):
            return True
    return False


def normalise(rule: Rule, value: Any) -> Any:
    """The canonical form of `value` under one rule (used on both sides before comparing)."""
    if isinstance(value, Unknown) or value is None:
        return value
    kind = rule.kind
    if kind == "ignore_keys" and isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in rule.arg}
    if kind == "upper_underscore":
        if isinstance(value, list):
            return sorted({_upper(v) for v in value if isinstance(v, str)})
        return _upper(value) if isinstance(value, str) else value
    if not isinstance(value, str):
        return value
    return _STRING_FORMS.get(kind, lambda v, a: v)(value, rule.arg)


def _upper(text: str) -> str:
    return "_".join(text.strip().upper().split())


def _alias(value: str, groups: Any) -> str:
    for group in groups or ():
        if value in group:
            return group[0]
    return value


_STRING_FORMS = {
    "case_insensitive": lambda v, a: v.lower(),
    "trailing_slash": lambda v, a: v.rstrip("/"),
    "strip": lambda v, a: v.strip(),
    "aliases": _alias,
    "azure_location": lambda v, a: v.replace(" ", "").lower(),
}


def equivalent(rules: list[Rule], config: Any, prior: Any) -> bool:
    """True when the rules make `config` and `prior` the same value (never for unknowns)."""
    if isinstance(config, Unknown) or prior is None:
        return False
    for rule in rules:
        if rule.kind == "unset_equals" and config is None and strict_equal(prior, rule.arg):
            return True
        if rule.kind == "remote_suffix" and isinstance(prior, str) and isinstance(config, str) and prior.startswith(config):
            return True
        if rule.kind == "remote_prefix" and isinstance(prior, str) and isinstance(config, str) and prior.endswith(config):
            return True
        if rule.kind == "aws_policy" and policies_equivalent(config, prior):
            return True
    a, b = config, prior
    for rule in rules:
        a, b = normalise(rule, a), normalise(rule, b)
    return strict_equal(a, b)

"""Databricks normalisation rules, as data: each says where it applies, what it does, and why.

A rule makes two values *equivalent*; when the config is equivalent to the prior value the planned
value keeps the prior one (what the provider's DiffSuppressFunc does), and the change is reported as
"normalised away". Two sources:

* `RULES` below: the canonical forms the diff engine must apply (databricks-resources.md, "What the
  diff engine must treat specially"), with the provider issue that motivates each;
* the schema data's `diff_suppress` hints, mapped to kinds by `_SUPPRESS_KINDS`.

`rules_for(resource_type, schema)` compiles them once per type into `{schema path: [Rule]}`; schema
paths are attribute/block names without list indexes (`task.depends_on`).

Kinds:
  sort_by_key        list of objects compared in order of one key (positional lists the API reorders)
  canonical_json     strings compared as parsed JSON (key order, whitespace)
  upper_underscore   strings (or lists of strings) compared upper-cased with spaces as underscores
  case_insensitive   strings compared lower-cased
  trailing_slash     strings compared without trailing "/"
  strip              strings compared without surrounding whitespace
  keep_remote_if_empty   a null/empty/zero config keeps whatever the server has
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

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from iac._jsonio import canonical_json, loads
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

RULES: tuple[Rule, ...] = (
    Rule("databricks_job", "task", "sort_by_key",
         "tasks are a positional list the API returns sorted by task_key; unsorted blocks swap forever (#1542, #2823, #3126)",
         "task_key"),
    Rule("databricks_job", "task.depends_on", "sort_by_key",
         "depends_on entries come back in another order (#2942, fixed upstream by PR #3000)", "task_key"),
    Rule("databricks_job", "task.for_each_task.task.depends_on", "sort_by_key",
         "depends_on entries come back in another order (#2942)", "task_key"),
    Rule("databricks_job", "job_cluster", "sort_by_key",
         "job clusters are matched by job_cluster_key, not position", "job_cluster_key"),
    Rule("databricks_cluster_policy", "definition", "canonical_json",
         "definition is an opaque JSON string: key order and formatting are not changes (#2278)"),
    Rule("databricks_cluster_policy", "policy_family_definition_overrides", "canonical_json",
         "overrides are an opaque JSON string: key order and formatting are not changes (#2278)"),
    Rule("databricks_grants", "grant.privileges", "upper_underscore",
         "privileges are spelled USE_CATALOG / `USE CATALOG` / use_catalog interchangeably (#1658)"),
    Rule("databricks_grants", "grant.principal", "case_insensitive",
         "principal names are case-insensitive since provider 1.48.1 (PR #3708)"),
    Rule("databricks_permissions", "access_control.user_name", "case_insensitive",
         "user names differ only in case between config and API (upstream #5757)"),
    Rule("databricks_cluster", "default_tags", "only_on_create",
         "Vendor/Creator/ClusterName/ClusterId tags are server-owned (computed); never planned"),
    Rule("databricks_cluster", "custom_tags", "ignore_keys",
         "single-node clusters get ResourceClass=SingleNode injected by the server (#4360)", ("ResourceClass",)),
    *(Rule(t, f"{p}spark_conf", "ignore_keys",
           "single-node clusters get spark.master / the singleNode profile injected; the legacy delta preview key is ignored (#4360)",
           ("spark.master", "spark.databricks.cluster.profile", "spark.databricks.delta.preview.enabled"))
      for t in ("databricks_cluster", "databricks_job") for p in _CLUSTER_PATHS),
    *(Rule(t, f"{p}data_security_mode", "aliases",
           "legacy and new access-mode names are the same mode (#4909; suppressed by provider 1.110)", _DSM_ALIASES)
      for t in ("databricks_cluster", "databricks_job") for p in _CLUSTER_PATHS),
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
    return value is None or value == "" or value == [] or value == {} or (
        not isinstance(value, bool) and isinstance(value, (int, Decimal)) and value == 0)


def keeps_remote(rules: list[Rule], config: Any, prior: Any) -> bool:
    """True when a rule says this config value means "keep what the server has"."""
    for rule in rules:
        if rule.kind == "keep_remote_if_empty" and _is_empty(config) and prior is not None:
            return True
        if rule.kind == "only_on_create" and prior is not None:
            return True
    return False


def normalise(rule: Rule, value: Any) -> Any:
    """The canonical form of `value` under one rule (used on both sides before comparing)."""
    if isinstance(value, Unknown) or value is None:
        return value
    kind = rule.kind
    if kind == "sort_by_key" and isinstance(value, list):
        return sorted(value, key=lambda item: str(item.get(rule.arg, "")) if isinstance(item, dict) else "")
    if kind == "ignore_keys" and isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in rule.arg}
    if kind == "upper_underscore":
        if isinstance(value, list):
            return sorted({_upper(v) for v in value if isinstance(v, str)})
        return _upper(value) if isinstance(value, str) else value
    if not isinstance(value, str):
        return value
    if kind == "canonical_json":
        try:
            return canonical_json(loads(value))
        except (json.JSONDecodeError, ValueError):
            return value.strip()
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

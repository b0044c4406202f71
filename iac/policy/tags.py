"""Tag policy: required keys on every taggable resource, allowed values, "did you mean" hints.

Where Databricks carries tags (and so where billing finds them):
    databricks_cluster, databricks_instance_pool   custom_tags (map)
    databricks_job, databricks_pipeline            tags (map); copied onto the clusters they start, so the
                                                   job/pipeline is where keys are required and its
                                                   clusters' custom_tags are checked for values only
    databricks_sql_endpoint                        tags { custom_tags { key, value } }
    databricks_model_serving                       tags { key, value } (set)
    databricks_mws_workspaces                      custom_tags;  azurerm_databricks_workspace: tags
A key also counts as present when it comes from the environment's default tags, from the instance
pool a cluster runs on, or from a `fixed` `custom_tags.<key>` rule of the cluster's policy.

    TAG001  a required tag key is missing                    error
    TAG002  a tag value is not allowed                       error
    TAG003  the tags are known only after apply              warning (error in production)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from iac.cost.compute import Spec
from iac.plan.view import Path, ResourceView, Unknown, format_path
from iac.policy.clusterpolicy import fixed_tags
from iac.policy.context import Check, CheckContext, cluster_specs
from iac.policy.model import Finding, Severity

__all__ = ["CHECKS", "allowed_value_problem", "required_tags", "tag_values"]

# type -> (path of its own tags, "map" | "kv-list")
_OWN_TAGS: Mapping[str, tuple[Path, str]] = {
    "azurerm_databricks_workspace": (("tags",), "map"),
    "databricks_cluster": (("custom_tags",), "map"),
    "databricks_instance_pool": (("custom_tags",), "map"),
    "databricks_job": (("tags",), "map"),
    "databricks_model_serving": (("tags",), "kv-list"),
    "databricks_mws_workspaces": (("custom_tags",), "map"),
    "databricks_pipeline": (("tags",), "map"),
    "databricks_sql_endpoint": (("tags", "custom_tags"), "kv-list"),
}


def _as_map(value: Any, shape: str) -> dict[str, Any] | Unknown:
    """Tags as `{key: value}`; a value may be `Unknown`. The whole map may be `Unknown`."""
    if isinstance(value, Unknown):
        return value
    if value is None:
        return {}
    if shape == "map":
        return dict(value) if isinstance(value, Mapping) else Unknown()
    if not isinstance(value, list):
        return Unknown()
    tags: dict[str, Any] = {}
    for item in value:
        if isinstance(item, Unknown) or not isinstance(item, Mapping) or isinstance(item.get("key"), Unknown):
            return Unknown()
        tags[str(item.get("key"))] = item.get("value")
    return tags


def tag_values(view: ResourceView) -> dict[str, Any] | Unknown:
    """The resource's own tags after apply (config literals where the plan has unknowns)."""
    path, shape = _OWN_TAGS[view.type]
    return _as_map(view.get(path), shape)


def _inherited(ctx: CheckContext, view: ResourceView) -> tuple[dict[str, str], list[str]]:
    """Tags a cluster gets from its pool and its policy, and what could not be resolved."""
    if view.type != "databricks_cluster":
        return {}, []
    spec, inherited, unresolved = Spec(view.effective, view), {}, []
    pool_id = spec.get(("instance_pool_id",))
    if pool_id is not None:
        pool = ctx.index.resolve(view, pool_id, "databricks_instance_pool", ("instance_pool_id", "id"))
        pool_tags = tag_values(pool) if pool is not None and not pool.deleted else Unknown()
        if isinstance(pool_tags, Unknown):
            unresolved.append("instance pool")
        else:
            inherited.update({k: v for k, v in pool_tags.items() if not isinstance(v, Unknown)})
    if spec.get(("policy_id",)) is not None:
        _, rules = ctx.policy_of(view, spec)
        if rules is None:
            unresolved.append("cluster policy")
        else:
            inherited.update(fixed_tags(rules))
    return inherited, unresolved


def _suggest(word: str, candidates: Iterable[str]) -> str:
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    match = lowered.get(word.lower()) or next(iter(difflib.get_close_matches(word, pool, n=1, cutoff=0.6)), None)
    return f' (did you mean "{match}"?)' if match and match != word else ""


def allowed_value_problem(key: str, value: str, rule: list[str] | str) -> str | None:
    """Why `value` is not allowed for `key` (with a "did you mean" hint), or None when it is."""
    if isinstance(rule, str):
        if re.fullmatch(rule, value):
            return None
        hint = f' (did you mean "{value.lower()}"?)' if re.fullmatch(rule, value.lower()) else ""
        return f'tag "{key}" = "{value}" does not match /{rule}/{hint}'
    if value in rule:
        return None
    return f'tag "{key}" = "{value}" is not allowed; allowed: {", ".join(rule)}{_suggest(value, rule)}'


def required_tags(ctx: CheckContext) -> Iterator[Finding]:
    """TAG001/TAG003: every required key present on every taggable resource that exists after apply."""
    policy = ctx.settings.tags
    for view in ctx.index.existing(*[t for t in policy.resource_types if t in _OWN_TAGS]):
        path, _ = _OWN_TAGS[view.type]
        own = tag_values(view)
        inherited, unresolved = _inherited(ctx, view)
        present = {**ctx.settings.default_tags, **inherited}
        missing = [k for k in policy.required if k not in present]
        if isinstance(own, Unknown):
            if missing:
                yield ctx.finding("TAG003", ctx.undecided, view, path,
                                  f"tags are known only after apply; cannot confirm required tags {', '.join(missing)}",
                                  "use literal tag values (or environment default tags) so the plan can be checked")
            continue
        for key in missing:
            if key in own:
                continue
            where = f" ({' and '.join(unresolved)} not resolvable in this plan)" if unresolved else ""
            yield ctx.finding("TAG001", Severity.error, view, (*path, key),
                              f'required tag "{key}" is missing{_suggest(key, own)}{where}',
                              f'add "{key}" to {format_path(path)} or to the environment default tags')


def _value_targets(view: ResourceView) -> Iterator[tuple[Path, dict[str, Any] | Unknown]]:
    path, shape = _OWN_TAGS[view.type]
    yield path, tag_values(view)
    for cluster in cluster_specs(view):
        if cluster.kind != "all-purpose":
            yield (*cluster.path, "custom_tags"), _as_map(cluster.spec.get(("custom_tags",)), "map")


def allowed_values(ctx: CheckContext) -> Iterator[Finding]:
    """TAG002/TAG003: tag values within the allowed lists or patterns (own tags, job/pipeline clusters)."""
    allowed = ctx.settings.tags.allowed
    if not allowed:
        return
    for view in ctx.index.existing(*[t for t in ctx.settings.tags.resource_types if t in _OWN_TAGS]):
        for path, tags in _value_targets(view):
            if isinstance(tags, Unknown):
                continue  # reported by required_tags when it matters
            for key in sorted(set(tags) & set(allowed)):
                value = tags[key]
                if isinstance(value, Unknown):
                    yield ctx.finding("TAG003", ctx.undecided, view, (*path, key),
                                      f'tag "{key}" is known only after apply; cannot check its allowed values',
                                      "use a literal value")
                    continue
                problem = allowed_value_problem(key, str(value), allowed[key])
                if problem:
                    yield ctx.finding("TAG002", Severity.error, view, (*path, key), problem,
                                      f'set "{key}" to an allowed value')


def default_tag_values(ctx: CheckContext) -> Iterator[Finding]:
    """TAG002 on the environment's default tags themselves (reported once, not per resource)."""
    for key, value in sorted(ctx.settings.default_tags.items()):
        rule = ctx.settings.tags.allowed.get(key)
        problem = allowed_value_problem(key, value, rule) if rule is not None else None
        if problem:
            yield ctx.finding("TAG002", Severity.error, None, f"default_tags.{key}", problem,
                              "fix the environment's default tags")


CHECKS: tuple[Check, ...] = (required_tags, allowed_values, default_tag_values)

"""Cost guardrails (cost-model.md section 11), configured per environment in `GuardrailSettings`.

    COST001  a resource cannot be priced (unknown node type, value known after apply)   warning (error in prod)
    COST002  a cluster can burn more DBU/h than the limit (max workers, Photon)       error
    COST003  all-purpose cluster without autotermination, or above the limit          error
    COST004  more workers than the limit                                              error
    COST005  workers not on spot capacity where spot is required                      error
    COST006  a cluster without a cluster policy where one is required                 error
    COST007  a cluster policy with no DBU/h bound, or one above the limit             error
    COST008  monthly total above the environment budget                               error
    COST009  monthly increase above the allowed delta                                 warning (error: delta_blocks)
    COST010  SQL warehouse that never stops, or stops too late                        error
    COST011  instance pool keeping too many idle instances                            error
    COST012  a cluster breaks a rule of its own cluster policy                        error
    COST013  a guardrail cannot be decided before apply                               warning (error in prod)
    COST014  a continuous pipeline where continuous pipelines are not allowed         error
    COST015  a serving endpoint that does not scale to zero where it must             error
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from iac.cost.compute import cluster_shape
from iac.cost.model import money
from iac.plan.view import ResourceView, Unknown
from iac.policy.clusterpolicy import parse_definition, rule_violations, worst_case_dbu
from iac.policy.context import Check, CheckContext, ClusterSpec, cluster_specs
from iac.policy.model import Finding, Severity

__all__ = ["CHECKS"]

_CLUSTER_TYPES = ("databricks_cluster", "databricks_job", "databricks_pipeline")
_FAMILY = {"all-purpose": "all_purpose_compute", "job": "jobs_compute", "dlt": "dlt"}


def unpriced(ctx: CheckContext) -> Iterator[Finding]:
    """COST001: never a silent zero; the estimate lists what it could not price."""
    for line in ctx.cost.lines:
        if line.after is not None and line.after.unpriced:
            view = ctx.index.by_address.get(line.address)
            yield ctx.finding("COST001", ctx.undecided, view, "", "cost cannot be estimated: " + "; ".join(line.after.unpriced),
                              "use a node type from the price catalog, literal sizes, or a usage override")


def _specs(ctx: CheckContext) -> Iterator[tuple[ResourceView, ClusterSpec]]:
    for view in ctx.index.existing(*_CLUSTER_TYPES):
        for cluster in cluster_specs(view):
            yield view, cluster


def max_dbu(ctx: CheckContext) -> Iterator[Finding]:
    """COST002: driver plus max workers, Photon included, within `max_dbu_per_hour`."""
    limit = ctx.settings.guardrails.max_dbu_per_hour
    if limit is None:
        return
    for view, cluster in _specs(ctx):
        shape = cluster_shape(cluster.spec, ctx.price)
        dbu = shape.dbu_per_hour(Decimal(shape.workers_max), ctx.price.catalog.photon_factor(ctx.price.cloud, _FAMILY[cluster.kind]))
        if shape.worker is None and shape.driver is None:
            continue  # unpriced: COST001 says so
        if dbu > limit:
            yield ctx.finding("COST002", Severity.error, view, cluster.path,
                              f"up to {dbu.normalize():f} DBU/h at {shape.workers_max} workers"
                              f"{' with Photon' if shape.photon else ''}, above the limit of {limit}",
                              "lower max workers, pick a smaller node type, or drop Photon")


def _number(value: Any) -> Decimal | None:
    return None if value is None or isinstance(value, (Unknown, bool)) else Decimal(value)


def autotermination(ctx: CheckContext) -> Iterator[Finding]:
    """COST003: all-purpose clusters terminate when idle, within the limit (weekend clusters)."""
    rules = ctx.settings.guardrails
    if not rules.require_autotermination and rules.max_autotermination_minutes is None:
        return
    for view in ctx.index.existing("databricks_cluster"):
        raw = view.get("autotermination_minutes", 60)
        minutes = _number(raw)
        if minutes is None:
            yield ctx.finding("COST013", ctx.undecided, view, "autotermination_minutes",
                              "autotermination_minutes is known only after apply", "use a literal value")
        elif minutes == 0 and rules.require_autotermination:
            yield ctx.finding("COST003", Severity.error, view, "autotermination_minutes",
                              "autotermination is disabled: the cluster runs (and bills) until someone stops it",
                              f"set autotermination_minutes to at most {rules.max_autotermination_minutes or 60}")
        elif rules.max_autotermination_minutes is not None and minutes > rules.max_autotermination_minutes:
            yield ctx.finding("COST003", Severity.error, view, "autotermination_minutes",
                              f"autotermination after {minutes} min is above the limit of {rules.max_autotermination_minutes}",
                              f"set autotermination_minutes to at most {rules.max_autotermination_minutes}")


def max_workers(ctx: CheckContext) -> Iterator[Finding]:
    """COST004: `num_workers` / `autoscale.max_workers` within the limit."""
    limit = ctx.settings.guardrails.max_workers
    if limit is None:
        return
    for view, cluster in _specs(ctx):
        for path in (("autoscale", "max_workers"), ("num_workers",)):
            value = _number(cluster.spec.get(path))
            if value is not None and value > limit:
                yield ctx.finding("COST004", Severity.error, view, (*cluster.path, *path),
                                  f"{value} workers is above the limit of {limit}", f"set {path[-1]} to at most {limit}")
            elif isinstance(cluster.spec.get(path), Unknown):
                yield ctx.finding("COST013", ctx.undecided, view, (*cluster.path, *path),
                                  f"{path[-1]} is known only after apply", "use a literal value")


def spot_workers(ctx: CheckContext) -> Iterator[Finding]:
    """COST005: workers on spot/preemptible capacity (with fallback) where required (dev)."""
    if not ctx.settings.guardrails.require_spot_workers:
        return
    for view, cluster in _specs(ctx):
        shape = cluster_shape(cluster.spec, ctx.price)
        if shape.workers_max > 0 and not shape.spot_workers:
            yield ctx.finding("COST005", Severity.error, view, cluster.path,
                              f"{shape.workers_max} worker(s) on on-demand capacity; this environment requires spot",
                              "set aws_attributes.availability = SPOT_WITH_FALLBACK (Azure: SPOT_WITH_FALLBACK_AZURE,"
                              " GCP: PREEMPTIBLE_WITH_FALLBACK_GCP)")


def cluster_policy_required(ctx: CheckContext) -> Iterator[Finding]:
    """COST006: clusters reference a cluster policy; COST012: and satisfy its rules."""
    for view, cluster in _specs(ctx):
        if cluster.kind == "dlt":
            continue
        policy_id = cluster.spec.get(("policy_id",))
        if policy_id is None:
            if ctx.settings.guardrails.require_cluster_policy:
                yield ctx.finding("COST006", Severity.error, view, (*cluster.path, "policy_id"),
                                  "cluster has no cluster policy", "set policy_id to an approved cluster policy")
            continue
        target, rules = ctx.policy_of(view, cluster.spec)
        if target is None and isinstance(policy_id, Unknown) and ctx.settings.guardrails.require_cluster_policy:
            yield ctx.finding("COST013", ctx.undecided, view, (*cluster.path, "policy_id"),
                              "policy_id is known only after apply and references no policy in this plan",
                              "reference a databricks_cluster_policy of this environment")
        for path, problem in rule_violations(rules or {}, cluster.spec.get):
            yield ctx.finding("COST012", Severity.error, view, (*cluster.path, *path.split(".", 1)),
                              f"{path} {problem}", "change the cluster or the policy so they agree")


def policy_bounds(ctx: CheckContext) -> Iterator[Finding]:
    """COST007: every cluster policy bounds the worst-case DBU/h, within `max_dbu_per_hour`."""
    rules = ctx.settings.guardrails
    if not rules.require_bounded_policies:
        return
    for view in ctx.index.existing("databricks_cluster_policy"):
        definition = view.get("definition")
        if isinstance(definition, Unknown) or (definition is None and view.get("policy_family_id") is not None):
            yield ctx.finding("COST013", ctx.undecided, view, "definition",
                              "the policy definition is known only after apply; its cost bound cannot be checked",
                              "write the definition in code")
            continue
        bound = worst_case_dbu(parse_definition(definition) or {}, ctx.price.catalog, ctx.price.cloud)
        if bound.dbu_per_hour is None:
            yield ctx.finding("COST007", Severity.error, view, "definition",
                              "the policy does not bound cost: " + "; ".join(bound.unbounded_because),
                              "add a dbus_per_hour range, or restrict node_type_id and the worker counts")
        elif rules.max_dbu_per_hour is not None and bound.dbu_per_hour > rules.max_dbu_per_hour:
            yield ctx.finding("COST007", Severity.error, view, "definition",
                              f"the policy allows up to {bound.dbu_per_hour.normalize():f} DBU/h, above the limit of"
                              f" {rules.max_dbu_per_hour}: {bound.explanation}",
                              f"cap dbus_per_hour at {rules.max_dbu_per_hour} or tighten the node/worker rules")


def budget(ctx: CheckContext) -> Iterator[Finding]:
    """COST008/COST009: the environment's monthly total and the plan's monthly increase."""
    limits = ctx.settings.guardrails.budget
    if limits.for_fleet_total:
        return
    total, delta, before = ctx.cost.total_after, ctx.cost.delta, ctx.cost.total_before
    if limits.monthly_total is not None and total > limits.monthly_total:
        yield ctx.finding("COST008", Severity.error, None, "",
                          f"estimated {money(total)} USD/month is above the budget of {money(limits.monthly_total)}",
                          "reduce the estate or raise the environment budget in review")
    over = Severity.error if limits.delta_blocks else Severity.warning  # the baseline's budget blocks
    if limits.monthly_delta is not None and delta > limits.monthly_delta:
        yield ctx.finding("COST009", over, None, "",
                          f"this plan adds {money(delta)} USD/month, above the allowed {money(limits.monthly_delta)}",
                          "confirm the increase in review (or waive COST009 with a reason)")
    if limits.monthly_delta_percent is not None and before > 0 and delta * 100 / before > limits.monthly_delta_percent:
        yield ctx.finding("COST009", over, None, "",
                          f"this plan adds {(delta * 100 / before).quantize(Decimal('0.1'))}% to the monthly cost,"
                          f" above the allowed {limits.monthly_delta_percent}%", "confirm the increase in review")


def warehouses_and_pools(ctx: CheckContext) -> Iterator[Finding]:
    """COST010: SQL warehouses stop when idle; COST011: pools keep few idle instances."""
    stop_limit = ctx.settings.guardrails.max_warehouse_auto_stop_minutes
    if stop_limit is not None:
        for view in ctx.index.existing("databricks_sql_endpoint"):
            minutes = _number(view.get("auto_stop_mins", 120))
            if minutes is not None and (minutes == 0 or minutes > stop_limit):
                what = "never stops" if minutes == 0 else f"stops after {minutes} idle minutes"
                yield ctx.finding("COST010", Severity.error, view, "auto_stop_mins", f"the warehouse {what}, limit {stop_limit}",
                                  f"set auto_stop_mins between 10 and {stop_limit}")
    idle_limit = ctx.settings.guardrails.max_pool_idle_instances
    if idle_limit is not None:
        for view in ctx.index.existing("databricks_instance_pool"):
            idle = _number(view.get("min_idle_instances", 0))
            if idle is not None and idle > idle_limit:
                yield ctx.finding("COST011", Severity.error, view, "min_idle_instances",
                                  f"{idle} idle instances are billed around the clock, limit {idle_limit}",
                                  f"set min_idle_instances to at most {idle_limit}")


def always_on_services(ctx: CheckContext) -> Iterator[Finding]:
    """COST014: no continuous pipelines where not allowed; COST015: serving endpoints scale to zero."""
    rules = ctx.settings.guardrails
    if not rules.allow_continuous_pipelines:
        for view in ctx.index.existing("databricks_pipeline"):
            if view.get("continuous") is True:
                yield ctx.finding("COST014", Severity.error, view, "continuous",
                                  "a continuous pipeline runs around the clock (730 h/month)",
                                  "use a triggered pipeline (continuous = false) scheduled by a job")
    if rules.require_scale_to_zero:
        for view in ctx.index.existing("databricks_model_serving"):
            for i, entity in enumerate(view.get("config.served_entities", []) or []):
                if isinstance(entity, dict) and entity.get("workload_size") and entity.get("scale_to_zero_enabled") is not True:
                    yield ctx.finding("COST015", Severity.error, view, f"config.served_entities[{i}].scale_to_zero_enabled",
                                      "the endpoint keeps its provisioned concurrency up when idle",
                                      "set scale_to_zero_enabled = true")


CHECKS: tuple[Check, ...] = (unpriced, max_dbu, autotermination, max_workers, spot_workers, cluster_policy_required,
                             policy_bounds, budget, warehouses_and_pools, always_on_services)

"""The safety baseline: guardrails every environment has unless its file relaxes an item, with the reason.

    item              requires                                                   when the environment says nothing
    max_workers       a worker limit (clusters, job clusters, pipeline clusters)  32 workers
    max_dbu_per_hour  a DBU/h limit per cluster (driver + max workers, Photon)    100 DBU/h
    autotermination   all-purpose clusters terminate when idle                    on, within 120 idle minutes
    cluster_policy    a cluster policy on every cluster and job cluster          on
    budget            a monthly budget; an increase above the allowed delta      no default: a finding until one
                      (`monthly_delta`, `monthly_delta_percent`) blocks           is set

Production enforces the baseline (its error findings deny the plan); development mode gets the same findings,
advisory (they warn). An environment may set its own limits (that complies: only turning an item off needs a
reason) or relax an item in `PolicySettings.relax`, which shows with every plan. A plan without an environment
(`iac plan --config`) has no baseline: nothing says which limits would fit it.

    BASE001  a baseline item is off (turned off, or no budget) without a reason     error
    BASE002  a baseline item the environment relaxed, with its reason              info
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from iac.policy.context import Check, CheckContext
from iac.policy.model import Finding, Severity
from iac.policy.settings import BASELINE_ITEMS, GuardrailSettings, PolicySettings

__all__ = ["BASELINE", "CHECKS", "BaselineItem", "apply_baseline", "settings_findings"]

_MODES = ("production", "development")


@dataclass(frozen=True)
class BaselineItem:
    """One guardrail of the baseline: the `GuardrailSettings` field that holds it and its default."""

    name: str
    """The key an environment relaxes it by (`PolicySettings.relax`)."""
    field: str
    """The `GuardrailSettings` field (`budget`: `budget.monthly_total`)."""
    default: Any
    """Applied when the environment does not state the field; None: the environment must state it."""
    requires: str
    """What the item asks for, in the words of a finding."""


BASELINE: tuple[BaselineItem, ...] = (
    BaselineItem("max_workers", "max_workers", 32, "a worker limit on every cluster"),
    BaselineItem("max_dbu_per_hour", "max_dbu_per_hour", Decimal(100), "a DBU/h limit on every cluster"),
    BaselineItem("autotermination", "require_autotermination", True, "all-purpose clusters that terminate when idle"),
    BaselineItem("cluster_policy", "require_cluster_policy", True, "a cluster policy on every cluster and job cluster"),
    BaselineItem("budget", "budget", None, "a monthly budget (guardrails.budget.monthly_total) that blocks when exceeded"),
)
assert tuple(sorted(i.name for i in BASELINE)) == BASELINE_ITEMS  # one list of names, validated in settings


def apply_baseline(settings: PolicySettings, mode: str | None) -> tuple[PolicySettings, list[Finding]]:
    """The settings the checks run with (baseline defaults filled in where the environment says nothing) and
    the baseline's own findings. Without a mode (no environment) the settings are returned unchanged."""
    if mode not in _MODES:
        return settings, []
    guardrails = settings.guardrails
    stated = guardrails.model_fields_set
    updates: dict[str, Any] = {}
    findings: list[Finding] = []
    for item in BASELINE:
        reason = settings.relax.get(item.name)
        if reason is not None:
            findings.append(_finding("BASE002", Severity.info, f"baseline item {item.name} ({item.requires}) relaxed "
                                     f"by this environment: {reason}", "review the reason when it changes"))
        elif item.name == "budget":
            updates["budget"], missing = _budget(guardrails)
            findings += missing
        elif item.field not in stated:
            updates[item.field] = item.default
        elif getattr(guardrails, item.field) in (None, False):
            findings.append(_off(item, f"guardrails.{item.field} is turned off"))
    effective = guardrails.model_copy(update=updates) if updates else guardrails
    return settings.model_copy(update={"guardrails": effective}), findings


def _budget(guardrails: GuardrailSettings) -> tuple[Any, list[Finding]]:
    budget = guardrails.budget
    item = next(i for i in BASELINE if i.name == "budget")
    findings = [] if budget.monthly_total is not None else [_off(item, "no monthly budget is set")]
    if "delta_blocks" not in budget.model_fields_set:
        return budget.model_copy(update={"delta_blocks": True}), findings
    if not budget.delta_blocks:
        findings.append(_off(item, "guardrails.budget.delta_blocks is turned off"))
    return budget, findings


def _off(item: BaselineItem, what: str) -> Finding:
    return _finding("BASE001", Severity.error, f"{what}: the baseline requires {item.requires}",
                    f"set it in the environment's policy, or relax {item.name!r} there with the reason")


def _finding(check_id: str, severity: Severity, message: str, fix: str) -> Finding:
    return Finding(check_id=check_id, severity=severity, address="", path="", message=message, fix=fix)


def settings_findings(ctx: CheckContext) -> Iterator[Finding]:
    """BASE001/BASE002: what `apply_baseline` found about the environment's own settings."""
    yield from ctx.baseline


CHECKS: tuple[Check, ...] = (settings_findings,)

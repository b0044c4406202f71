"""Run every check on a plan and return one report: findings, verdict and cost.

    evaluate(plan, settings, mode=..., config=..., today=...) -> PolicyReport
    apply_to_plan(plan_json, report)                        adds findings/verdict/enforcement/cost to plan["iac"]

The baseline (iac/policy/baseline.py) fills in the limits an environment left unstated before the checks
run; its own findings are reported by `baseline.settings_findings`, a check like the others. Every check runs, even after another one crashed (all findings are reported together). A crash is
an `ENG001` error finding and makes the verdict `error`: a broken check proves nothing, so it is
never a pass. Waivers are applied last: a finding covered by a waiver that has not expired is kept
but marked waived; a waiver past its expiry date waives nothing and is itself a `WVR001` finding.

    ENG001  a check crashed                                     error
    WVR001  a waiver has expired                                warning (error in production)
"""

from __future__ import annotations

import gc
import traceback
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from iac.cost.model import CostReport
from iac.cost.report import estimate_plan, price_context
from iac.plan.jsonplan import mask_secrets
from iac.plan.view import PlanIndex
from iac.policy import baseline, cost_checks, security, tags
from iac.policy.baseline import apply_baseline
from iac.policy.context import Check, CheckContext
from iac.policy.model import Enforcement, Finding, Severity, Verdict, Waived, decide_verdict, finding_sort_key
from iac.policy.settings import PolicySettings, Waiver, enforcement_for

__all__ = ["ALL_CHECKS", "PolicyReport", "apply_to_plan", "evaluate"]

ALL_CHECKS: tuple[Check, ...] = (*baseline.CHECKS, *tags.CHECKS, *cost_checks.CHECKS, *security.CHECKS)


@dataclass(frozen=True)
class PolicyReport:
    """The outcome of the checks on one plan. `findings` are in the stable order of
    `finding_sort_key`; `crashed` names the checks that raised."""

    findings: tuple[Finding, ...]
    verdict: Verdict
    cost: CostReport
    enforcement: Enforcement
    mode: str | None = None
    crashed: tuple[str, ...] = ()

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values the checks recognised as secrets (SEC006): to mask in every output, never to show."""
        return tuple(sorted({f.secret for f in self.findings if f.secret}))

    @property
    def denied(self) -> bool:
        return self.verdict is Verdict.deny

    def to_json(self) -> dict[str, Any]:
        """The fields the checks own in the plan JSON's `iac` extension key."""
        return {
            "findings": [f.to_json() for f in self.findings],
            "verdict": self.verdict.value,
            "enforcement": self.enforcement.value,
            "cost": self.cost.to_json(),
        }


def _run(checks: Iterable[Check], ctx: CheckContext) -> tuple[list[Finding], list[str]]:
    findings: list[Finding] = []
    crashed: list[str] = []
    for check in checks:
        name = f"{check.__module__.rsplit('.', 1)[-1]}.{check.__name__}"
        try:
            findings.extend(check(ctx))
        except Exception as error:  # any crash is reported, never swallowed into a pass
            crashed.append(name)
            where = traceback.extract_tb(error.__traceback__)[-1]
            findings.append(Finding(
                check_id="ENG001", severity=Severity.error, address="", path="",
                message=f"check {name} crashed: {type(error).__name__}: {error} ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})",
                fix="this is a bug in iac's checks; the plan was not judged by this check",
            ))
    return findings, crashed


def _apply_waivers(findings: list[Finding], waivers: Iterable[Waiver], today: date, mode: str | None) -> list[Finding]:
    waivers = list(waivers)
    out: list[Finding] = []
    for finding in findings:
        match = next((w for w in waivers if finding.check_id not in ("ENG001", "WVR001")
                      and w.matches(finding.check_id, finding.address)), None)
        if match is not None and match.expires >= today:
            finding = finding.with_waiver(Waived(match.reason, match.expires))
        out.append(finding)
    for waiver in waivers:
        if waiver.expires < today:
            out.append(Finding(
                check_id="WVR001", severity=Severity.error if mode == "production" else Severity.warning,
                address="", path="",
                message=f"waiver for {waiver.check_id} on {waiver.address!r} expired on {waiver.expires.isoformat()}"
                        f" ({waiver.reason})",
                fix="fix the findings it covered, or renew the waiver after review",
            ))
    return out


def evaluate(plan: Mapping[str, Any], settings: PolicySettings, *, mode: str | None,
             config: Mapping[str, Any] | None = None, today: date | None = None,
             checks: Iterable[Check] | None = None, baseline: bool = True) -> PolicyReport:
    """Run every check on a plan JSON (parsed with `iac._jsonio.loads`).

    `mode` is the environment mode (`development` | `production`; None without an environment).
    `config` is the synthesized main.tf.json when available: its literal values stand in for
    after-values the plan only knows after apply. `today` decides which waivers have expired.
    `checks` replaces the built-in checks (tests). `baseline` False: the settings are not an
    environment's (`iac apply --config-dir` judges in development mode), so no safety baseline.
    """
    collecting = gc.isenabled()
    gc.disable()  # no cycles are made here; full collections over a large plan's objects cost more than the checks
    try:
        return _evaluate(plan, settings, mode if baseline else None, mode, config, today, checks)
    finally:
        if collecting:
            gc.enable()


def _evaluate(plan: Mapping[str, Any], settings: PolicySettings, baseline_mode: str | None, mode: str | None,
              config: Mapping[str, Any] | None, today: date | None, checks: Iterable[Check] | None) -> PolicyReport:
    index = PlanIndex(plan, config)
    price, why = price_context(index, settings.cost.cloud, settings.cost.tier, region=settings.cost.region,
                               price_region=settings.cost.price_region)
    cost = estimate_plan(index, settings.usage, price, why)
    settings, baseline_findings = apply_baseline(settings, baseline_mode)  # the checks see the baseline's limits
    ctx = CheckContext(index=index, settings=settings, mode=mode, cost=cost, price=price, baseline=baseline_findings)
    findings, crashed = _run(ALL_CHECKS if checks is None else checks, ctx)
    findings = _apply_waivers(findings, settings.waivers, today or date.today(), mode)
    findings.sort(key=finding_sort_key)
    enforcement = enforcement_for(settings, mode)
    verdict = decide_verdict(findings, enforcement, crashed=bool(crashed))
    return PolicyReport(tuple(findings), verdict, cost, enforcement, mode, tuple(crashed))


def apply_to_plan(plan_json: MutableMapping[str, Any], report: PolicyReport) -> MutableMapping[str, Any]:
    """Add `findings`, `verdict`, `enforcement` and `cost` to the plan JSON's `iac` key (created if missing),
    and mask every value the checks recognised as a secret wherever the plan holds it."""
    extension = plan_json.get("iac")
    if not isinstance(extension, MutableMapping):
        extension = {}
        plan_json["iac"] = extension
    extension.update(report.to_json())
    if report.secrets:
        mask_secrets(plan_json, report.secrets)  # type: ignore[arg-type]
    return plan_json

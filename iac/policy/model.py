"""What the checks produce: findings, the verdict, the enforcement level.

A check never raises a decision; it returns findings. The engine turns the findings (and whether any
check crashed) into one verdict, and the enforcement level of the environment decides whether an
error finding denies the plan or only warns:

    any check crashed                       -> error   (never a pass: a broken check proves nothing)
    unwaived error finding, mandatory       -> deny
    unwaived error finding, advisory        -> warn
    unwaived warning finding                -> warn
    otherwise                               -> pass
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

__all__ = ["Enforcement", "Finding", "Severity", "Verdict", "Waived", "decide_verdict", "finding_sort_key"]


class Severity(StrEnum):
    """How bad a finding is. Only `error` findings can deny a plan."""

    error = "error"
    warning = "warning"
    info = "info"


class Verdict(StrEnum):
    """The outcome of all checks on one plan; the string is what the plan JSON carries."""

    pass_ = "pass"
    warn = "warn"
    deny = "deny"
    error = "error"


class Enforcement(StrEnum):
    """`advisory`: error findings are reported but do not block. `mandatory`: they deny the plan."""

    advisory = "advisory"
    mandatory = "mandatory"


@dataclass(frozen=True, slots=True)
class Waived:
    """The waiver that silenced a finding: why, and until when (inclusive)."""

    reason: str
    expires: date

    def to_json(self) -> dict[str, str]:
        return {"reason": self.reason, "expires": self.expires.isoformat()}


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule broken (or one thing the checks could not decide) on one resource.

    `check_id` is the stable rule id (`TAG001`); it is what waivers and SARIF rules refer to.
    `address` is the Terraform resource address, or `""` for findings about the whole environment
    (budgets, waivers). `path` is the dotted attribute path inside the resource (`custom_tags.team`,
    `job_cluster[0].new_cluster.num_workers`), or `""`. `message` is one line and never contains a
    secret value. `fix` is a one-line hint. `source` is the `file:line` of the Python that made the
    resource, when the plan knows it. `waived` is set only when an unexpired waiver covers the
    finding; a waived finding is still reported but never influences the verdict. `secret` is the value
    a check recognised as a secret (SEC006): never written anywhere (not in `to_json`, SARIF or `repr`);
    the workflow masks it in every output of the plan.
    """

    check_id: str
    severity: Severity
    address: str
    path: str
    message: str
    fix: str = ""
    source: str | None = None
    waived: Waived | None = None
    secret: str | None = field(default=None, repr=False, compare=False)

    def with_waiver(self, waived: Waived) -> Finding:
        return replace(self, waived=waived)

    def to_json(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "severity": self.severity.value,
            "address": self.address,
            "path": self.path,
            "message": self.message,
            "fix": self.fix,
            "source": self.source,
            "waived": self.waived.to_json() if self.waived else None,
        }


_SEVERITY_RANK = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}


def finding_sort_key(finding: Finding) -> tuple[str, str, str, int, str]:
    """Stable order everywhere (text, JSON, SARIF): by address, path, rule, severity, message."""
    return (finding.address, finding.path, finding.check_id, _SEVERITY_RANK[finding.severity], finding.message)


def decide_verdict(findings: list[Finding] | tuple[Finding, ...], enforcement: Enforcement, *, crashed: bool) -> Verdict:
    """The one place that turns findings into a verdict (table in the module docstring)."""
    if crashed:
        return Verdict.error
    active = [f for f in findings if f.waived is None]
    if any(f.severity is Severity.error for f in active):
        return Verdict.deny if enforcement is Enforcement.mandatory else Verdict.warn
    if any(f.severity is Severity.warning for f in active):
        return Verdict.warn
    return Verdict.pass_

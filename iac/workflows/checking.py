"""Checking workflows: run the checks (tags, cost, security) on a plan JSON and settle the outcome.

`check_environment` is `iac check ENV` (a saved plan, a first deployment, or the environment planned against
its state); `check_plan` and `check_target` run the checks `iac plan` runs after its plan; `report_outcome`
writes SARIF and maps the verdict to an error (deny -> exit 3, a crashed check -> exit 1). Printing is the
commands' job: these functions return the report, or say things through `warn`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from iac._jsonio import atomic_write, dumps, read_json
from iac.diagnostics import ConfigError, Diagnostic, IacError, PolicyDenied, Severity
from iac.plan.jsonplan import to_json
from iac.policy.configplan import fresh_plan
from iac.policy.engine import PolicyReport, apply_to_plan, evaluate
from iac.policy.model import Verdict
from iac.policy.sarif import to_sarif
from iac.workflows.planning import PlanTarget, Warn, plan_environment

if TYPE_CHECKING:  # pydantic models: loaded by the workflows that use them, not by every command's start
    from iac.environment import Environment
    from iac.policy.settings import PolicySettings

__all__ = ["check_environment", "check_plan", "check_target", "environment_settings", "report_outcome"]


def environment_settings(environment: Environment) -> PolicySettings:
    """The policy settings of an environment, completed with its default tags, cloud, tier and usage."""
    from iac.policy.settings import for_environment

    return for_environment(environment.policy, default_tags=environment.default_tags, cloud=environment.cloud,
                           tier=environment.pricing_tier, usage=environment.usage, region=environment.region)


def check_plan(plan_json: dict[str, Any], environment: Environment, config: dict[str, Any] | None = None) -> PolicyReport:
    """Evaluate a plan JSON for `environment` and add findings, verdict and cost to its `iac` key."""
    try:
        report = evaluate(plan_json, environment_settings(environment), mode=environment.mode.value, config=config)
    except ConfigError as error:  # settings the checks cannot use (a region without prices): name the environment
        raise ConfigError(*[d.at(environment=environment.name) for d in error.diagnostics]) from None
    apply_to_plan(plan_json, report)
    return report


def check_target(target: PlanTarget, document: dict[str, Any]) -> PolicyReport:
    """Run the checks on one planned target's JSON and add findings, verdict and cost to it."""
    from iac.policy.settings import PolicySettings

    if target.environment is not None:
        return check_plan(document, target.environment, target.config)
    report = evaluate(document, PolicySettings(), mode=None)  # --config: default settings, advisory
    apply_to_plan(document, report)
    return report


def check_environment(name: str, project: Path | None, *, plan_file: Path | None = None, fresh: bool = False,
                      warn: Warn) -> tuple[dict[str, Any], PolicyReport]:
    """Check environment `name`: a saved plan JSON (`plan_file`), a first deployment (`fresh`: every resource
    created, no state read), or else its plan against its state (diagnostics through `warn`). Returns the
    plan JSON, with the checks' results added, and the report."""
    from iac.project import find_project
    from iac.synth import synthesize

    if plan_file is not None and fresh:
        raise ConfigError(Diagnostic("--plan checks a saved plan, --fresh a first deployment: give one of them",
                                     environment=name))
    synthesized = synthesize(name, project or find_project())
    environment = synthesized.environment
    if plan_file is not None:
        plan_json = _saved_plan(plan_file, name, warn)
    elif fresh:
        plan_json = fresh_plan(synthesized.document, environment=name, mode=environment.mode.value)
    else:
        plan = plan_environment(synthesized, warn=warn)
        for diagnostic in plan.diagnostics:
            warn(diagnostic.format())
        plan_json = to_json(plan)
    return plan_json, check_plan(plan_json, environment, synthesized.document)


def _saved_plan(plan_file: Path, name: str, warn: Warn) -> dict[str, Any]:
    """A saved plan JSON for environment `name`: one planned for another environment is refused (its checks
    would run under the wrong policy); one that does not say (Terraform's own `show -json`) is warned about."""
    try:
        plan_json = read_json(plan_file)
    except (OSError, ValueError) as error:
        raise ConfigError(Diagnostic(f"{plan_file}: cannot read plan JSON: {error}", environment=name)) from None
    if not isinstance(plan_json, dict):
        raise ConfigError(Diagnostic(f"{plan_file}: not a plan JSON (an object expected)", environment=name))
    meta = plan_json.get("iac")
    planned_for = meta.get("environment") if isinstance(meta, dict) else None
    if planned_for is None:
        warn(Diagnostic(f"{plan_file} does not say which environment it was planned for (not an `iac plan --out` "
                        f"file): checked as {name}'s plan", severity=Severity.warning, environment=name).format())
    elif planned_for != name:
        raise ConfigError(Diagnostic(f"{plan_file} was planned for environment {planned_for!r}, not {name!r}: check it "
                                     f"with `iac check {planned_for} --plan {plan_file}`", environment=name))
    return plan_json


def report_outcome(report: PolicyReport, environment: str | None, sarif: Path | None) -> None:
    """Write SARIF if asked, then stop with the verdict's error: denied (exit 3), a check crashed (exit 1)."""
    if sarif is not None:
        atomic_write(sarif, dumps(to_sarif(report, environment=environment)))
    errors = sum(1 for f in report.findings if f.waived is None and f.severity.value == "error")
    if report.verdict is Verdict.error:
        raise IacError(Diagnostic(f"checks crashed: {', '.join(report.crashed)}; the plan was not fully judged",
                                  environment=environment))
    if report.verdict is Verdict.deny:
        raise PolicyDenied(Diagnostic(f"denied by policy: {errors} error finding(s) in a mandatory environment",
                                      environment=environment))

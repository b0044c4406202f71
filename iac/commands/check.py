"""`iac check ENV`: run the checks (tags, cost, security) and print findings and cost, nothing else.

Also the helpers `iac plan` uses to run the same checks after its plan: `check_plan` evaluates a plan
JSON for an environment and adds the results to it; `report_outcome` prints them, writes SARIF and
maps the verdict to the exit code (deny -> 3, a crashed check -> 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from iac._jsonio import atomic_write, dumps, read_json
from iac.cli import app
from iac.diagnostics import ConfigError, Diagnostic, IacError, PolicyDenied
from iac.policy.configplan import fresh_plan
from iac.policy.engine import PolicyReport, apply_to_plan, evaluate
from iac.policy.model import Verdict
from iac.policy.render import render_findings_text
from iac.policy.sarif import to_sarif

if TYPE_CHECKING:  # pydantic models: loaded by the commands that use them, not by every command's start
    from iac.environment import Environment
    from iac.policy.settings import PolicySettings

__all__ = ["SarifOption", "check_plan", "environment_settings", "report_outcome"]

SarifOption = Annotated[Path | None, typer.Option("--sarif", help="Also write the findings as SARIF 2.1.0 to this file.")]


def environment_settings(environment: Environment) -> PolicySettings:
    """The policy settings of an environment, completed with its default tags, cloud, tier and usage."""
    from iac.policy.settings import for_environment

    return for_environment(environment.policy, default_tags=environment.default_tags, cloud=environment.cloud,
                           tier=environment.pricing_tier, usage=environment.usage)


def check_plan(plan_json: dict[str, Any], environment: Environment, config: dict[str, Any] | None = None) -> PolicyReport:
    """Evaluate a plan JSON for `environment` and add findings, verdict and cost to its `iac` key."""
    report = evaluate(plan_json, environment_settings(environment), mode=environment.mode.value, config=config)
    apply_to_plan(plan_json, report)
    return report


def report_outcome(report: PolicyReport, environment: str | None, sarif: Path | None, *, text: bool = True) -> None:
    """Print the findings text, write SARIF if asked, and stop with the verdict's exit code."""
    if text:
        typer.echo(render_findings_text(report), nl=False)
    if sarif is not None:
        atomic_write(sarif, dumps(to_sarif(report, environment=environment)))
    errors = sum(1 for f in report.findings if f.waived is None and f.severity.value == "error")
    if report.verdict is Verdict.error:
        raise IacError(Diagnostic(f"checks crashed: {', '.join(report.crashed)}; the plan was not fully judged",
                                  environment=environment))
    if report.verdict is Verdict.deny:
        raise PolicyDenied(Diagnostic(f"denied by policy: {errors} error finding(s) in a mandatory environment",
                                      environment=environment))


def _plan_environment(synthesized: Any) -> dict[str, Any]:
    """The environment's plan JSON against its state, made the way `iac plan ENV` makes it."""
    from iac.config import load_document
    from iac.plan.jsonplan import to_json
    from iac.plan.service import make_plan
    from iac.state import read_state

    workdir = synthesized.workdir
    module = load_document(synthesized.document, file=str(workdir / "main.tf.json"), base_dir=workdir)
    if module.backend is not None and module.backend[0] != "local":
        from iac.commands.plan import _backend_state  # remote backends: the same `state pull` as iac plan

        state = _backend_state(module.backend, workdir)
    else:
        state = read_state(workdir / ((module.backend[1].get("path") if module.backend else None) or "terraform.tfstate"))
    environment = synthesized.environment
    plan = make_plan(module, state, config_text=synthesized.text, base_dir=workdir, environment=synthesized.environment.name,
                     mode=environment.mode.value)
    for diagnostic in plan.diagnostics:
        typer.echo(diagnostic.format(), err=True)
    return to_json(plan)


@app.command()
def check(
    env: Annotated[str, typer.Argument(help="Environment name (see `iac envs`).")],
    plan_file: Annotated[Path | None, typer.Option("--plan", help="Check a saved plan JSON (`iac plan --out`).")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Check a first deployment: every resource created, no state read.")] = False,
    sarif: SarifOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print findings, verdict and cost as JSON.")] = False,
    project: Annotated[Path | None, typer.Option("--project", help="Project directory (default: nearest with environments/).")] = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="Also write the findings as JUnit XML to this file.")] = None,
) -> None:
    """Run the checks on a plan and print cost and findings, without the plan itself.

    Without --plan, plans the environment against its state first, as `iac plan ENV` does.
    With --fresh, checks a first deployment of the configuration (every resource created, no state read).

    Exit codes: 0 pass or warn; 1 error (a check crashed, bad input); 3 denied by policy.
    """
    from iac.project import find_project
    from iac.synth import synthesize

    synthesized = synthesize(env, project or find_project())
    environment = synthesized.environment
    if plan_file is not None:
        try:
            plan_json = read_json(plan_file)
        except (OSError, ValueError) as error:
            raise ConfigError(Diagnostic(f"{plan_file}: cannot read plan JSON: {error}", environment=env)) from None
    elif fresh:
        plan_json = fresh_plan(synthesized.document, environment=env, mode=environment.mode.value)
    else:
        plan_json = _plan_environment(synthesized)
    report = check_plan(plan_json, environment, synthesized.document)
    if junit is not None:
        from iac.render.junit import write_junit

        write_junit(junit, [plan_json])
    if json_output:
        typer.echo(dumps(report.to_json()), nl=False)
    report_outcome(report, env, sarif, text=not json_output)

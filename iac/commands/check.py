"""`iac check ENV`: run the checks (tags, cost, security) and print findings and cost, nothing else.

The checking workflow (iac/workflows/checking.py) plans and judges; this module parses the options, prints
the findings (or their JSON) and writes the files asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iac._files import check_writable, writing
from iac._jsonio import dumps
from iac.cli import app
from iac.policy.render import render_findings_text
from iac.workflows.checking import check_environment, report_outcome

__all__ = ["SarifOption", "check"]

SarifOption = Annotated[Path | None, typer.Option("--sarif", help="Also write the findings as SARIF 2.1.0 to this file.")]


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
    check_writable(sarif, "--sarif")
    check_writable(junit, "--junit")
    plan_json, report = check_environment(env, project, plan_file=plan_file, fresh=fresh, warn=_warn)
    if junit is not None:
        from iac.render.junit import write_junit

        with writing(junit, "--junit"):
            write_junit(junit, [plan_json])
    if json_output:
        typer.echo(dumps(report.to_json()), nl=False)
    else:
        typer.echo(render_findings_text(report), nl=False)
    with writing(sarif or Path("-"), "--sarif"):
        report_outcome(report, env, sarif)


def _warn(line: str) -> None:
    typer.echo(line, err=True)

"""`iac init NAME`: scaffold a new environment file from a short questionnaire or flags.

Every question has a flag; what no flag answers is asked on a terminal (or with `--ask`, reading answers from
stdin), else its default is taken, and a question without a default (account id, workspace URL) is an error
naming the flag. The scaffolding itself is iac/workflows/scaffolding.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from iac.cli import app
from iac.diagnostics import ConfigError, Diagnostic
from iac.workflows.scaffolding import QUESTIONS, Answers, Question, scaffold_environment


def _flag(question: Question) -> str:
    return "--" + question.field.replace("_", "-")


@app.command("init")
def init_command(
    name: Annotated[str, typer.Argument(help="Name of the new environment (environments/NAME.py).")],
    mode: Annotated[str | None, typer.Option("--mode", help="development or production.")] = None,
    cloud: Annotated[str | None, typer.Option("--cloud", help="aws, azure or gcp.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Cloud region.")] = None,
    account_id: Annotated[str | None, typer.Option("--account-id", help="Databricks account id.")] = None,
    host: Annotated[str | None, typer.Option("--host", help="URL of the (existing) workspace.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="Team name (tags and names).")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="The owner tag: a team, not a person.")] = None,
    cost_center: Annotated[str | None, typer.Option("--cost-center", help="The cost_center tag.")] = None,
    project_tag: Annotated[str | None, typer.Option("--project-tag", help="The project tag.")] = None,
    budget: Annotated[str | None, typer.Option("--budget", help="Monthly budget in USD.")] = None,
    ask: Annotated[bool, typer.Option("--ask", help="Ask the questions no flag answered, even without a terminal.")] = False,
    project: Annotated[Path | None, typer.Option("--project", help="Project directory (default: nearest with environments/, else here).")] = None,
) -> None:
    """Write environments/NAME.py (and the starter blueprint modules/starter.py when missing); it plans as is."""
    given = {"mode": mode, "cloud": cloud, "region": region, "account_id": account_id, "host": host, "team": team,
             "owner": owner, "cost_center": cost_center, "project": project_tag, "budget": budget}
    interactive = ask or sys.stdin.isatty()
    answers: dict[str, str] = {}
    missing = []
    for question in QUESTIONS:
        value = given[question.field]
        if value is None and interactive:
            value = typer.prompt(_prompt(question), default=question.default)
        if value is None:
            value = question.default
        if value is None:
            missing.append(_flag(question) if question.field != "project" else "--project-tag")
            continue
        answers[question.field] = str(value).strip()
    if missing:
        raise ConfigError(Diagnostic(f"iac init {name}: no terminal to ask on: give {' and '.join(missing)} "
                                     "(or --ask to answer on stdin)", environment=name))
    root = project or _project_or_here()
    for path in scaffold_environment(root, Answers(name=name, **answers)):
        typer.echo(f"Wrote {path}")
    typer.echo(f"Next: iac plan {name}" + (f" --project {root}" if project else ""))


def _prompt(question: Question) -> str:
    return question.prompt + (f" ({'/'.join(question.choices)})" if question.choices else "")


def _project_or_here() -> Path:
    from iac.project import find_project

    try:
        return find_project()
    except ConfigError:
        return Path.cwd()

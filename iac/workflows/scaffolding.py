"""Scaffolding workflow: `iac init NAME` writes a new environment file (and, when the project has none, the starter
blueprint it builds with), from answers the command collected. The files come from templates beside this module;
every value is written as a Python literal, so any answer gives a file that parses. Nothing is overwritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from iac._jsonio import atomic_write
from iac.diagnostics import ConfigError, Diagnostic

__all__ = ["Answers", "QUESTIONS", "Question", "scaffold_environment"]

_TEMPLATES = Path(__file__).parent / "templates"
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class Question:
    """One thing `iac init` asks (or takes as `--<flag>`)."""

    field: str
    prompt: str
    default: str | None
    """None: no sensible default, the answer (or the flag) is required."""
    choices: tuple[str, ...] = ()


QUESTIONS: tuple[Question, ...] = (
    Question("mode", "Mode", "development", ("development", "production")),
    Question("cloud", "Cloud", "aws", ("aws", "azure", "gcp")),
    Question("region", "Region", "us-east-1"),
    Question("account_id", "Databricks account id", None),
    Question("host", "Workspace URL (an existing workspace)", None),
    Question("team", "Team (tags, names)", "platform"),
    Question("owner", "Owner (the owner tag: a team, not a person)", "platform-team"),
    Question("cost_center", "Cost center (the cost_center tag)", "cc-0000"),
    Question("project", "Project (the project tag)", "data-platform"),
    Question("budget", "Monthly budget in USD (a plan above it is denied in production)", "1000"),
)


@dataclass(frozen=True)
class Answers:
    name: str
    mode: str
    cloud: str
    region: str
    account_id: str
    host: str
    team: str
    owner: str
    cost_center: str
    project: str
    budget: str


def scaffold_environment(project: Path, answers: Answers) -> list[Path]:
    """Write `environments/<name>.py` (and `modules/starter.py` when missing); return the files written."""
    _check(answers)
    target = project / "environments" / f"{answers.name}.py"
    if target.exists():
        raise ConfigError(Diagnostic(f"{target.relative_to(project)} already exists; choose another name or edit it",
                                     environment=answers.name))
    written = []
    starter = project / "modules" / "starter.py"
    if not starter.exists():
        if not (project / "modules" / "__init__.py").exists():
            written.append(atomic_write(project / "modules" / "__init__.py", ""))
        written.append(atomic_write(starter, (_TEMPLATES / "starter.py.txt").read_text(encoding="utf-8")))
    quoted = {key: json.dumps(value) for key, value in asdict(answers).items()}  # a Python literal, whatever the answer
    text = (_TEMPLATES / "environment.py.txt").read_text(encoding="utf-8").format(
        name=answers.name, mode=answers.mode, q=quoted, budget=Decimal(answers.budget), pricing=_pricing(answers))
    written.append(atomic_write(target, text))
    return written


def _pricing(answers: Answers) -> str:
    """The price catalog holds one region per cloud: an environment elsewhere names the region whose list
    prices stand in for its own (else its plans are refused), with the reason in the file."""
    from iac.cost.catalog import load_catalog

    have = load_catalog().regions.get(answers.cloud)
    if have is None or have == answers.region:
        return ""
    return (f',\n                          # the price catalog has {answers.cloud} list prices for {have} only'
            f'\n                          cost={{"price_region": {json.dumps(have)}}}')


def _check(answers: Answers) -> None:
    """Each answer the environment would refuse, named now, before any file is written."""
    problems = []
    if not _NAME.match(answers.name):
        problems.append(f"name {answers.name!r}: lower case letters, digits, '-' or '_', starting with a letter")
    for question in QUESTIONS:
        value = getattr(answers, question.field)
        if question.choices and value not in question.choices:
            problems.append(f"{question.field} {value!r}: choose {', '.join(question.choices)}")
        if not value.strip():
            problems.append(f"{question.field}: an answer is required")
    if answers.host and not answers.host.startswith("https://"):
        problems.append(f"host {answers.host!r}: a workspace URL starts with https://")
    try:
        if Decimal(answers.budget) <= 0:
            problems.append(f"budget {answers.budget!r}: a positive amount")
    except InvalidOperation:
        problems.append(f"budget {answers.budget!r}: a number (USD per month)")
    if problems:
        raise ConfigError(*[Diagnostic(f"iac init: {p}", environment=answers.name) for p in problems])

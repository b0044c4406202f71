"""`iac plan ENV...` and `iac plan --config main.tf.json --state terraform.tfstate`.

Diagnostics go to stderr, the plan to stdout. A plan never writes state; `--out` writes the plan JSON
atomically. Exit codes: 0 no changes (or changes without --detailed-exitcode), 1 error, 2 changes
with --detailed-exitcode, 3 denied by policy.

The checks (iac/policy: tags, cost, security) run on every plan: their findings, verdict and cost go
into the plan JSON's `iac` key, and the text output prints them after the plan. Planning and checking
are the workflows in iac/workflows; this module parses the options and prints.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from iac._files import check_writable, writing
from iac.cli import app, skip_teardown
from iac.config.variables import parse_var_option
from iac.diagnostics import ConfigError, Diagnostic
from iac.plan.jsonplan import to_json, write_json
from iac.render import RENDERERS
from iac.workflows.checking import check_target, report_outcome
from iac.workflows.planning import PlanTarget, config_target, environment_target, gc_paused

__all__ = ["plan_command"]


@app.command("plan")
def plan_command(
    environments: Annotated[list[str] | None, typer.Argument(help="Environment name(s) (see `iac envs`).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Plan this Terraform JSON file or directory instead of an environment.")] = None,
    state: Annotated[Path | None, typer.Option("--state", help="State file to plan against (default: the backend's).")] = None,
    destroy: Annotated[bool, typer.Option("--destroy", help="Preview destroying everything in state.")] = False,
    replace: Annotated[list[str] | None, typer.Option("--replace", help="Force replacement of this instance (repeatable).")] = None,
    var: Annotated[list[str] | None, typer.Option("--var", help="Set a root variable, NAME=VALUE (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan JSON (Terraform format 1.2 + iac key).")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the plan JSON to this file (atomically).")] = None,
    detailed_exitcode: Annotated[bool, typer.Option("--detailed-exitcode", help="Exit 2 when there are changes.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text, json or markdown.")] = "text",
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour the text output.")] = False,
    project: Annotated[Path | None, typer.Option("--project", help="Project directory (default: nearest with environments/).")] = None,
    sarif: Annotated[Path | None, typer.Option("--sarif", help="Also write the checks' findings as SARIF 2.1.0 to this file.")] = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="Also write the findings as JUnit XML to this file.")] = None,
    sandbox: Annotated[bool, typer.Option("--sandbox", help="Plan against the offline sandbox's state (what `iac apply ENV --sandbox` applied), never the real one.")] = False,
) -> None:
    """Preview what applying would change, computed by iac's own diff engine (no provider, offline).

    The checks (tags, cost, security) run on the plan; cost and findings are printed after it.

    Exit codes: 0 success; 1 error (or a check crashed); 2 changes present (with --detailed-exitcode);
    3 denied by policy.
    """
    if fmt not in RENDERERS:
        raise ConfigError(Diagnostic(f"unknown --format {fmt!r}; choose one of {', '.join(sorted(RENDERERS))}"))
    if bool(config) == bool(environments):
        raise ConfigError(Diagnostic("give either environment name(s) or --config FILE"))
    if sandbox and (config is not None or state is not None):
        raise ConfigError(Diagnostic("--sandbox plans an environment against its sandbox state: it takes no --config or --state"))
    for path, option in ((out, "--out"), (sarif, "--sarif"), (junit, "--junit")):
        check_writable(path, option)  # before planning: a plan of minutes must not end in "cannot write"
    cli_vars = dict(parse_var_option(v) for v in var or [])
    options: dict[str, Any] = {"destroy": destroy, "replace": tuple(replace or ()), "variables": cli_vars}
    # The collector stays paused for the whole command: re-enabled after planning, its first full
    # collection rescanned the whole plan (0.8 s at 100,000 resources) while checks and rendering ran.
    with gc_paused():
        targets = ([config_target(config, state, options)] if config is not None
                   else [environment_target(name, state, project, options, sandbox=sandbox, warn=_warn)
                         for name in environments or []])
        documents = {t.label: to_json(t.plan) for t in targets}
        skip_teardown(targets, documents)  # while the collector is paused (see skip_teardown)
        reports = {t.label: check_target(t, documents[t.label]) for t in targets}
        _report(targets, documents, reports, fmt, as_json=as_json, out=out, junit=junit, sarif=sarif,
                no_color=no_color, from_config=config is not None)
    if detailed_exitcode and any(t.plan.has_changes for t in targets):
        raise typer.Exit(2)


def _report(targets: list[PlanTarget], documents: dict[str, dict[str, Any]], reports: dict[str, Any], fmt: str, *,
            as_json: bool, out: Path | None, junit: Path | None, sarif: Path | None, no_color: bool,
            from_config: bool) -> None:
    """Diagnostics, files and the rendered plan; raises for a denied plan or a crashed check."""
    for target in targets:
        for diagnostic in target.plan.diagnostics:
            typer.echo(diagnostic.format(), err=True)
    if out is not None:
        for label, document in documents.items():
            path = _out_path(out, label, len(documents))
            with writing(path, "--out"):
                _write_atomic(path, document)
    if junit is not None:  # after the checks have added their findings and verdict to the documents
        from iac.render.junit import write_junit

        with writing(junit, "--junit"):
            write_junit(junit, list(documents.values()))
    _print(documents, "json" if as_json else fmt, color=_color(no_color), reports=reports)
    for label, report in reports.items():
        environment = None if from_config else label
        sarif_path = _out_path(sarif, label, len(reports)) if sarif is not None else None
        with writing(sarif_path or Path("-"), "--sarif"):
            report_outcome(report, environment, sarif_path)  # raises: denied (3), a check crashed (1)


def _warn(line: str) -> None:
    typer.echo(line, err=True)


def _print(documents: dict[str, dict[str, Any]], fmt: str, *, color: bool, reports: dict[str, Any] | None = None) -> None:
    if fmt == "json":
        write_json(next(iter(documents.values())) if len(documents) == 1 else documents, sys.stdout)
        sys.stdout.flush()
        return
    if fmt == "markdown":  # one document, a marked section per environment: what `iac comment` splits on
        from iac.render.markdown import render_markdown

        typer.echo(render_markdown(list(documents.values())), nl=False)
        return
    for index, (label, document) in enumerate(documents.items()):
        if len(documents) > 1:
            typer.echo(("\n" if index else "") + f"── {label} " + "─" * max(3, 74 - len(label)))
        typer.echo(RENDERERS[fmt](document, color=color), nl=False)
        if fmt == "text" and reports and label in reports:
            from iac.policy.render import render_findings_text

            typer.echo("\n" + render_findings_text(reports[label]), nl=False)


def _write_atomic(path: Path, document: dict[str, Any]) -> None:
    """The plan JSON streamed to a temp file next to `path`, fsynced, then renamed over it: the whole
    file or nothing, without building the whole text in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            write_json(document, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _color(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def _out_path(out: Path, label: str, count: int) -> Path:
    """One environment: `out` itself; several: `plan.dev.json`, `plan.prod.json`…"""
    return out if count == 1 else out.with_name(f"{out.stem}.{label}{out.suffix or '.json'}")

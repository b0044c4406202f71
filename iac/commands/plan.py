"""`iac plan ENV...` and `iac plan --config main.tf.json --state terraform.tfstate`.

Diagnostics go to stderr, the plan to stdout. A plan never writes state; `--out` writes the plan JSON
atomically. Exit codes: 0 no changes (or changes without --detailed-exitcode), 1 error, 2 changes
with --detailed-exitcode, 3 denied by policy.

The checks (iac/policy: tags, cost, security) run on every plan: their findings, verdict and cost go
into the plan JSON's `iac` key, and the text output prints them after the plan.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from iac.cli import app, skip_teardown
from iac.config import load_config
from iac.config.variables import parse_var_option
from iac.diagnostics import ConfigError, Diagnostic, Severity
from iac.plan.jsonplan import to_json, write_json
from iac.plan.model import Plan
from iac.plan.service import gc_paused, make_plan
from iac.render import RENDERERS
from iac.state import State, pull_state, read_state

__all__ = ["plan_command"]


@dataclass
class _Target:
    """One thing to plan: a label (environment name or config path) and how to get config and state."""

    label: str
    plan: Plan
    environment: Any = None
    """The Environment planned (None for --config): its policy settings and mode drive the checks."""
    config: dict[str, Any] | None = None
    """The synthesized main.tf.json: the checks read literals from it where the plan has unknowns."""


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
    cli_vars = dict(parse_var_option(v) for v in var or [])
    options: dict[str, Any] = {"destroy": destroy, "replace": tuple(replace or ()), "variables": cli_vars}
    # The collector stays paused for the whole command: re-enabled after planning, its first full
    # collection rescanned the whole plan (0.8 s at 100,000 resources) while checks and rendering ran.
    with gc_paused():
        targets = ([_config_target(config, state, options)] if config is not None
                   else [_environment_target(name, state, project, options, sandbox=sandbox) for name in environments or []])
        documents = {t.label: to_json(t.plan) for t in targets}
        skip_teardown(targets, documents)  # while the collector is paused (see skip_teardown)
        _report(targets, documents, fmt, as_json=as_json, out=out, junit=junit, sarif=sarif, no_color=no_color,
                from_config=config is not None)
    if detailed_exitcode and any(t.plan.has_changes for t in targets):
        raise typer.Exit(2)


def _report(targets: list[_Target], documents: dict[str, dict[str, Any]], fmt: str, *, as_json: bool,
            out: Path | None, junit: Path | None, sarif: Path | None, no_color: bool, from_config: bool) -> None:
    """Checks, diagnostics, files and the rendered plan; raises for a denied plan or a crashed check."""
    reports = {t.label: _check(t, documents[t.label]) for t in targets}
    for target in targets:
        for diagnostic in target.plan.diagnostics:
            typer.echo(diagnostic.format(), err=True)
    if out is not None:
        for label, document in documents.items():
            _write_atomic(_out_path(out, label, len(documents)), document)
    if junit is not None:  # after the checks have added their findings and verdict to the documents
        from iac.render.junit import write_junit

        write_junit(junit, list(documents.values()))
    _print(documents, "json" if as_json else fmt, color=_color(no_color), reports=reports)
    from iac.commands.check import report_outcome  # here, not at the top: check.py registers on the same app

    for label, report in reports.items():
        environment = None if from_config else label
        sarif_path = _out_path(sarif, label, len(reports)) if sarif is not None else None
        report_outcome(report, environment, sarif_path, text=False)  # raises: denied (3), a check crashed (1)


def _check(target: _Target, document: dict[str, Any]) -> Any:
    """Run the checks on one plan JSON and add findings, verdict and cost to it."""
    from iac.commands.check import check_plan
    from iac.policy.engine import apply_to_plan, evaluate
    from iac.policy.settings import PolicySettings

    if target.environment is not None:
        return check_plan(document, target.environment, target.config)
    report = evaluate(document, PolicySettings(), mode=None)  # --config: default settings, advisory
    apply_to_plan(document, report)
    return report


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


def _config_target(config: Path, state_file: Path | None, options: dict[str, Any]) -> _Target:
    module = load_config(config)
    files = [Path(f) for f in module.files]
    text = b"".join(f.read_bytes() for f in files)
    base = config if config.is_dir() else config.parent
    state = read_state(state_file) if state_file is not None else _backend_state(module.backend, base)
    plan = make_plan(module, state, config_text=text, base_dir=base, **options)
    return _Target(str(config), plan)


def _environment_target(name: str, state_file: Path | None, project: Path | None, options: dict[str, Any],
                        *, sandbox: bool = False) -> _Target:
    from iac.config import load_document
    from iac.synth import synthesize

    synthesized = synthesize(name, project)
    for warning in synthesized.warnings:
        typer.echo(warning.format(), err=True)
    workdir = synthesized.workdir
    module = load_document(synthesized.document, file=str(workdir / "main.tf.json"), base_dir=workdir)
    if sandbox:
        state_file = _sandbox_state(workdir)
        options = {**options, "env": _sandbox_env(synthesized.document)}
    state = read_state(state_file) if state_file is not None else _backend_state(module.backend, workdir)
    environment = synthesized.environment
    plan = make_plan(module, state, config_text=synthesized.text, base_dir=workdir, environment=name,
                     mode=getattr(environment.mode, "value", str(environment.mode)), **options)
    return _Target(name, plan, environment, synthesized.document)


def _sandbox_env(document: dict[str, Any]) -> dict[str, str]:
    """The environment with the placeholders `iac apply ENV --sandbox` gives variables without a value."""
    from iac.sandbox.session import placeholder_notice, placeholders_for

    placeholders = placeholders_for(document.get("variable") or {})
    if placeholders:
        typer.echo(placeholder_notice(placeholders), err=True)
    return {**os.environ, **placeholders}


def _sandbox_state(workdir: Path) -> Path:
    """Where `iac apply ENV --sandbox` keeps the sandbox's state (the same place apply's Workdir uses)."""
    from iac.terraform.workdir import Workdir

    return Workdir(workdir.resolve()).sandbox.root / "terraform.tfstate"


def _backend_state(backend: tuple[str, dict[str, Any]] | None, base: Path) -> State:
    """Local backend (or none): read its file relative to `base`; a remote backend: `state pull`
    through the Terraform engine in `base` (it must have been initialised)."""
    if backend is None or backend[0] == "local":
        path = (backend[1].get("path") if backend else None) or "terraform.tfstate"
        return read_state(base / path)
    if not (base / ".terraform").is_dir():
        raise ConfigError(Diagnostic(
            f"the {backend[0]} backend needs `terraform init` in {base} before iac can read its state "
            "(or pass --state FILE)", severity=Severity.error))
    return pull_state(base, source=f"{backend[0]} backend ({base})")

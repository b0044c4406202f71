"""`iac plan ENV...` and `iac plan --config main.tf.json --state terraform.tfstate`.

Diagnostics go to stderr, the plan to stdout. A plan never writes state; `--out` writes the plan JSON
atomically. Exit codes: 0 no changes (or changes without --detailed-exitcode), 1 error, 2 changes
with --detailed-exitcode.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from iac._jsonio import atomic_write, dumps
from iac.cli import app
from iac.config import load_config
from iac.config.variables import parse_var_option
from iac.diagnostics import ConfigError, Diagnostic, Severity
from iac.plan.jsonplan import to_json
from iac.plan.model import Plan
from iac.plan.service import make_plan
from iac.render import RENDERERS
from iac.state import State, pull_state, read_state

__all__ = ["plan_command"]


@dataclass
class _Target:
    """One thing to plan: a label (environment name or config path) and how to get config and state."""

    label: str
    plan: Plan


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
) -> None:
    """Preview what applying would change, computed by iac's own diff engine (no provider, offline)."""
    if fmt not in RENDERERS:
        raise ConfigError(Diagnostic(f"unknown --format {fmt!r}; choose one of {', '.join(sorted(RENDERERS))}"))
    if bool(config) == bool(environments):
        raise ConfigError(Diagnostic("give either environment name(s) or --config FILE"))
    cli_vars = dict(parse_var_option(v) for v in var or [])
    options: dict[str, Any] = {"destroy": destroy, "replace": tuple(replace or ()), "variables": cli_vars}
    targets = ([_config_target(config, state, options)] if config is not None
               else [_environment_target(name, state, project, options) for name in environments or []])
    documents = {t.label: to_json(t.plan) for t in targets}
    for target in targets:
        for diagnostic in target.plan.diagnostics:
            typer.echo(diagnostic.format(), err=True)
    if out is not None:
        for label, document in documents.items():
            atomic_write(_out_path(out, label, len(documents)), dumps(document))
    _print(documents, "json" if as_json else fmt, color=_color(no_color))
    if detailed_exitcode and any(t.plan.has_changes for t in targets):
        raise typer.Exit(2)


def _print(documents: dict[str, dict[str, Any]], fmt: str, *, color: bool) -> None:
    if fmt == "json":
        single = len(documents) == 1
        typer.echo(dumps(next(iter(documents.values())) if single else documents), nl=False)
        return
    for index, (label, document) in enumerate(documents.items()):
        if len(documents) > 1:
            typer.echo(("\n" if index else "") + f"── {label} " + "─" * max(3, 74 - len(label)))
        typer.echo(RENDERERS[fmt](document, color=color), nl=False)


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


def _environment_target(name: str, state_file: Path | None, project: Path | None, options: dict[str, Any]) -> _Target:
    from iac.config import load_document
    from iac.synth import synthesize

    synthesized = synthesize(name, project)
    for warning in synthesized.warnings:
        typer.echo(warning.format(), err=True)
    workdir = synthesized.workdir
    module = load_document(synthesized.document, file=str(workdir / "main.tf.json"), base_dir=workdir)
    state = read_state(state_file) if state_file is not None else _backend_state(module.backend, workdir)
    environment = synthesized.environment
    plan = make_plan(module, state, config_text=synthesized.text, base_dir=workdir, environment=name,
                     mode=getattr(environment.mode, "value", str(environment.mode)), **options)
    return _Target(name, plan)


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

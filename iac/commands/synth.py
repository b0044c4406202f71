"""`iac envs`, `iac synth ENV`, `iac validate ENV`."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from iac._files import check_directory, writing
from iac.cli import app

# iac.project and iac.synth load the constructs (pydantic, a third of a second): imported by the commands
# that need them, so every other command starts without them.

ProjectOption = Annotated[Path | None, typer.Option("--project", help="Project directory (default: nearest with environments/).")]


def _print_warnings(warnings: list) -> None:  # type: ignore[type-arg]
    for warning in warnings:
        typer.echo(warning.format(), err=True)


@app.command()
def envs(project: ProjectOption = None) -> None:
    """List the environments of the project."""
    from iac.project import find_project, list_environments

    for name in list_environments(project or find_project()):
        typer.echo(name)


@app.command()
def synth(
    env: Annotated[str, typer.Argument(help="Environment name (see `iac envs`).")],
    out: Annotated[Path | None, typer.Option("--out", help="Directory for main.tf.json (default: the environment's working directory).")] = None,
    project: ProjectOption = None,
) -> None:
    """Write the environment's deterministic Terraform JSON (main.tf.json), atomically."""
    from iac.synth import synthesize, write_synthesized

    check_directory(out, "--out")  # before building: a file or an unwritable place is one line, not a traceback
    synthesized = synthesize(env, project)
    _print_warnings(synthesized.warnings)
    with writing(out, "--out") if out is not None else nullcontext():
        path = write_synthesized(synthesized, out)
    count = sum(len(v) for v in synthesized.document.get("resource", {}).values())
    typer.echo(f"Wrote {path} ({count} resources, {len(synthesized.stack.workspaces())} workspaces).")


@app.command()
def validate(
    env: Annotated[str, typer.Argument(help="Environment name (see `iac envs`).")],
    project: ProjectOption = None,
) -> None:
    """Build and check the environment without writing anything."""
    from iac.synth import synthesize

    synthesized = synthesize(env, project)
    _print_warnings(synthesized.warnings)
    count = sum(len(v) for v in synthesized.document.get("resource", {}).values())
    typer.echo(f"Environment {env} is valid ({count} resources).")

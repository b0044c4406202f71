"""`iac state list|show|mv|rm ENV`: the state, through the Terraform engine, as `terraform state` shows and edits it.

mv and rm hold the environment's lock (the one apply holds) and back the state up first (owner-only, in
`<workdir>/.iac/backups/`); `--dry-run` shows what they would do. The work is iac/workflows/stateops.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iac.apply.target import from_environment
from iac.cli import app
from iac.terraform.runner import parse_engine
from iac.workflows.stateops import StateEdit, edit_state, list_state, show_state

state_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                        help="Inspect and edit ENV's state through the Terraform engine (list, show, mv, rm).")
app.add_typer(state_app, name="state")

Environment = Annotated[str, typer.Argument(help="Environment (see `iac envs`).")]
Sandbox = Annotated[bool, typer.Option("--sandbox", help="The offline sandbox's state (`iac apply ENV --sandbox`), never the real one.")]
Engine = Annotated[str, typer.Option("--engine", help="auto, binary or embedded.")]
Project = Annotated[Path | None, typer.Option("--project", help="Project directory (default: nearest with environments/).")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Say what would change; change nothing.")]
BreakLock = Annotated[bool, typer.Option("--break-lock", help="Remove a stale lock left by a run that died, then run.")]


@state_app.command("list")
def list_command(environment: Environment,
                 addresses: Annotated[list[str] | None, typer.Argument(help="Only instances under these addresses.")] = None,
                 sandbox: Sandbox = False, engine: Engine = "auto", project: Project = None) -> None:
    """List the resource instances recorded in ENV's state."""
    target = from_environment(environment, project)
    for address in list_state(target, addresses or (), sandbox=sandbox, engine=parse_engine(engine), warn=_warn):
        typer.echo(address)


@state_app.command("show")
def show_command(environment: Environment,
                 address: Annotated[str, typer.Argument(help="The resource instance to show.")],
                 sandbox: Sandbox = False, engine: Engine = "auto", project: Project = None) -> None:
    """Show one recorded object's attributes (sensitive values masked)."""
    target = from_environment(environment, project)
    typer.echo(show_state(target, address, sandbox=sandbox, engine=parse_engine(engine), warn=_warn), nl=False)


@state_app.command("mv")
def mv_command(environment: Environment,
               source: Annotated[str, typer.Argument(help="Address the object is recorded at now.")],
               destination: Annotated[str, typer.Argument(help="Address to record it at.")],
               dry_run: DryRun = False, break_lock: BreakLock = False, sandbox: Sandbox = False,
               engine: Engine = "auto", project: Project = None) -> None:
    """Record an object at another address (the object itself is not touched).

    For a rename in the blueprint, `stack.moved(OLD, construct)` is the reviewed way: the plan shows the move.
    """
    target = from_environment(environment, project)
    _report(edit_state(target, "mv", [source, destination], dry_run=dry_run, sandbox=sandbox,
                       engine=parse_engine(engine), break_lock=break_lock, warn=_warn))


@state_app.command("rm")
def rm_command(environment: Environment,
               addresses: Annotated[list[str], typer.Argument(help="Addresses to forget.")],
               dry_run: DryRun = False, break_lock: BreakLock = False, sandbox: Sandbox = False,
               engine: Engine = "auto", project: Project = None) -> None:
    """Forget objects: they stay in the workspace, unmanaged (a `removed` block with destroy = false is the
    reviewed way)."""
    target = from_environment(environment, project)
    _report(edit_state(target, "rm", addresses, dry_run=dry_run, sandbox=sandbox, engine=parse_engine(engine),
                       break_lock=break_lock, warn=_warn))


def _report(edit: StateEdit) -> None:
    typer.echo(edit.terraform_output, nl=False)
    if edit.backup is not None:
        typer.echo(f"The state before this change is kept in {edit.backup} (readable by you only).")


def _warn(line: str) -> None:
    typer.echo(line, err=True)

"""`iac state list|show|mv|rm ENV`: the state, through the Terraform engine, as `terraform state` shows and edits it.

mv and rm hold the environment's lock (the one apply holds) and back the state up first (owner-only, in
`<workdir>/.iac/backups/`); `--dry-run` shows what they would do. The work is iac/workflows/stateops.py.

A fleet has a state per member and one for its shared part: `--member KEY` or `--shared-only` names the state
(its own lock and backups, as its apply uses); `list` without them lists every part, each address after the part's
label (iac/workflows/fleet_parts.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iac.cli import app
from iac.terraform.runner import parse_engine
from iac.workflows.fleet_parts import choose_parts, fleet_scope, list_parts, one_state
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
Member = Annotated[str | None, typer.Option("--member", help="Fleets: this member's state.")]
SharedOnly = Annotated[bool, typer.Option("--shared-only", help="Fleets: the shared part's state.")]


@state_app.command("list")
def list_command(environment: Environment,
                 addresses: Annotated[list[str] | None, typer.Argument(help="Only instances under these addresses.")] = None,
                 sandbox: Sandbox = False, engine: Engine = "auto", project: Project = None, member: Member = None,
                 shared_only: SharedOnly = False,
                 jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Fleets: read N parts' states at once (default: the cores).")] = None,
                 ) -> None:
    """List the resource instances recorded in ENV's state (a fleet: every part's, each after its label,
    `(shared)` or the member's key; one part's with --member KEY or --shared-only)."""
    choice = parse_engine(engine)
    scope = fleet_scope(environment, project, sandbox=sandbox)
    if scope is not None and member is None and not shared_only:
        for label, address in list_parts(scope, choose_parts(scope, member=None, shared_only=False, every=True,
                                                             command="iac state list"),
                                         addresses or (), engine=choice, warn=_warn, jobs=jobs):
            typer.echo(f"{label} {address}")
        return
    with one_state(environment, project, member=member, shared_only=shared_only, sandbox=sandbox,
                   command="iac state list", warn=_warn) as state:
        for address in list_state(state.target, addresses or (), sandbox=sandbox, engine=choice, warn=_warn,
                                  setup=state.setup):
            typer.echo(address)


@state_app.command("show")
def show_command(environment: Environment,
                 address: Annotated[str, typer.Argument(help="The resource instance to show.")],
                 sandbox: Sandbox = False, engine: Engine = "auto", project: Project = None, member: Member = None,
                 shared_only: SharedOnly = False) -> None:
    """Show one recorded object's attributes (sensitive values masked)."""
    with one_state(environment, project, member=member, shared_only=shared_only, sandbox=sandbox,
                   command="iac state show", warn=_warn) as state:
        typer.echo(show_state(state.target, address, sandbox=sandbox, engine=parse_engine(engine), warn=_warn,
                              setup=state.setup), nl=False)


@state_app.command("mv")
def mv_command(environment: Environment,
               source: Annotated[str, typer.Argument(help="Address the object is recorded at now.")],
               destination: Annotated[str, typer.Argument(help="Address to record it at.")],
               dry_run: DryRun = False, break_lock: BreakLock = False, sandbox: Sandbox = False,
               engine: Engine = "auto", project: Project = None, member: Member = None,
               shared_only: SharedOnly = False) -> None:
    """Record an object at another address (the object itself is not touched).

    For a rename in the blueprint, `stack.moved(OLD, construct)` is the reviewed way: the plan shows the move.
    """
    with one_state(environment, project, member=member, shared_only=shared_only, sandbox=sandbox,
                   command="iac state mv", warn=_warn) as state:
        _report(edit_state(state.target, "mv", [source, destination], dry_run=dry_run, sandbox=sandbox,
                           engine=parse_engine(engine), break_lock=break_lock, warn=_warn, setup=state.setup,
                           command=f"iac state mv {environment}{state.flag}"))


@state_app.command("rm")
def rm_command(environment: Environment,
               addresses: Annotated[list[str], typer.Argument(help="Addresses to forget.")],
               dry_run: DryRun = False, break_lock: BreakLock = False, sandbox: Sandbox = False,
               engine: Engine = "auto", project: Project = None, member: Member = None,
               shared_only: SharedOnly = False) -> None:
    """Forget objects: they stay in the workspace, unmanaged (a `removed` block with destroy = false is the
    reviewed way)."""
    with one_state(environment, project, member=member, shared_only=shared_only, sandbox=sandbox,
                   command="iac state rm", warn=_warn) as state:
        _report(edit_state(state.target, "rm", addresses, dry_run=dry_run, sandbox=sandbox, engine=parse_engine(engine),
                           break_lock=break_lock, warn=_warn, setup=state.setup,
                           command=f"iac state rm {environment}{state.flag}"))


def _report(edit: StateEdit) -> None:
    typer.echo(edit.terraform_output, nl=False)
    if edit.backup is not None:
        typer.echo(f"The state before this change is kept in {edit.backup} (readable by you only).")


def _warn(line: str) -> None:
    typer.echo(line, err=True)

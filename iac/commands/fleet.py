"""`iac fleet ...`: the commands that exist only for fleets (a blueprint, members, a state per member).

    iac fleet synth ENV [--out DIR]      every part's main.tf.json (shared/, members/<key>/)
    iac fleet split ENV [--sandbox]      the one state -> a state per part (same objects, new lineages)
    iac fleet join ENV [--sandbox]       the reverse
    iac fleet diff ENV [MEMBER]          why a member differs from the blueprint's typical member
    iac fleet matrix ENV [--changed]     the GitHub Actions `strategy.matrix` of its members (JSON)

`iac plan ENV` plans a fleet (every member in parallel, one roll-up); parsing and printing only here, the
work is in iac/workflows/fleet_*.py.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from iac._files import check_directory, writing
from iac.cli import app

fleet_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                        help="Fleets: one blueprint, many members, a state per member.")
app.add_typer(fleet_app, name="fleet")

ProjectOption = Annotated[Path | None, typer.Option("--project", help="Project directory (default: nearest with environments/).")]
SandboxOption = Annotated[bool, typer.Option("--sandbox", help="Move the sandbox's states (what `iac apply ENV --sandbox` applied), never the real ones.")]
EnvArgument = Annotated[str, typer.Argument(help="A fleet environment (see `iac envs`).")]


@fleet_app.command("synth")
def synth(env: EnvArgument, out: Annotated[Path | None, typer.Option("--out", help="Write the parts under DIR instead of the working directory.")] = None,
          project: ProjectOption = None) -> None:
    """Write every part's main.tf.json: shared/ and members/<key>/, each a directory Terraform can plan alone."""
    from iac.project import find_project
    from iac.synth import write_synthesized
    from iac.workflows.fleet_planning import synthesize_fleet

    check_directory(out, "--out")  # before building: a file or an unwritable place is one line, not a traceback
    root = project or find_project()
    parts = synthesize_fleet(env, root)
    for _, synthesized in parts:
        for warning in synthesized.warnings:
            typer.echo(warning.format(), err=True)
        target = None
        if out is not None:
            target = out / synthesized.workdir.relative_to(parts[0][1].workdir.parent)
        with writing(target, "--out") if target is not None else nullcontext():
            write_synthesized(synthesized, target)
    typer.echo(f"Wrote {len(parts)} configurations (the shared part and {len(parts) - 1} members).")


@fleet_app.command("split")
def split(env: EnvArgument, sandbox: SandboxOption = False, project: ProjectOption = None) -> None:
    """Move the environment's one state into the shared part's and one per member: the same objects, new
    lineages, a backup of the original; proved by planning every part (the changes must be the ones before)."""
    from iac.project import find_project
    from iac.workflows.fleet_states import split_states

    report = split_states(env, project or find_project(), sandbox=sandbox)
    _print(report)


@fleet_app.command("join")
def join(env: EnvArgument, sandbox: SandboxOption = False, project: ProjectOption = None) -> None:
    """Move every part's objects back into one state (the reverse of split), proved the same way."""
    from iac.project import find_project
    from iac.workflows.fleet_states import join_states_of

    report = join_states_of(env, project or find_project(), sandbox=sandbox)
    _print(report)


def _print(report: object) -> None:
    from iac.workflows.fleet_states import MoveReport

    assert isinstance(report, MoveReport)
    states = [p for p in report.written if p.name.endswith(".tfstate")]
    typer.echo(f"{report.direction.capitalize()}: {report.objects} object(s) into {len(states)} state(s); "
               f"backup(s): {', '.join(str(b) for b in report.backups[:3])}{' ...' if len(report.backups) > 3 else ''}")
    if report.changes:
        typer.echo(f"Planned every part afterwards: the same {len(report.changes)} change(s) as before.")
    else:
        typer.echo("Planned every part afterwards: no changes.")


@fleet_app.command("diff")
def diff(env: EnvArgument, member: Annotated[str | None, typer.Argument(help="One member's key (default: every member).")] = None,
         sandbox: Annotated[bool, typer.Option("--sandbox", help="Compare the sandbox's states.")] = False,
         project: ProjectOption = None) -> None:
    """Why a member differs: its configuration and recorded state against the fleet's typical member (the
    majority, each member's own identity factored out), with where each difference comes from."""
    from iac.project import find_project
    from iac.render.fleet_diff import render_fleet_diff
    from iac.workflows.fleet_diff import diff_fleet

    typer.echo(render_fleet_diff(diff_fleet(env, project or find_project(), member, sandbox=sandbox)), nl=False)


@fleet_app.command("matrix")
def matrix(env: EnvArgument,
           changed: Annotated[bool, typer.Option("--changed", help="Only the members a change touches: those whose plan changes something or fails (the whole fleet is planned, offline).")] = False,
           wave: Annotated[str, typer.Option("--wave", help="all, canary (the fleet's canary members) or rest (the others): apply the canaries' jobs first.")] = "all",
           jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Plan members in N processes (default: the cores).")] = None,
           sandbox: Annotated[bool, typer.Option("--sandbox", help="Plan against the sandbox's states.")] = False,
           project: ProjectOption = None) -> None:
    """Print `{"member": [...]}` for a GitHub Actions `strategy.matrix` (`fromJSON` it): one job per member.

    With --changed the whole fleet is planned here; exit code 3 when its checks deny it (the fleet's budget
    is judged here, on every member's cost), the matrix printed all the same."""
    import sys

    from iac._jsonio import compact
    from iac.diagnostics import Diagnostic, PolicyDenied
    from iac.project import find_project
    from iac.workflows.fleet_ci import MatrixRequest, fleet_matrix

    request = MatrixRequest(changed=changed, wave=wave, jobs=jobs, sandbox=sandbox)
    members, plan = fleet_matrix(env, project or find_project(), request, warn=lambda line: typer.echo(line, err=True))
    typer.echo(compact(members))
    if plan is not None and plan.rollup["verdict"] == "deny":
        from iac.render.fleet_text import render_rollup_text

        sys.stderr.write(render_rollup_text(plan.rollup))
        raise PolicyDenied(Diagnostic("denied by policy: error finding(s) in a mandatory environment", environment=env))

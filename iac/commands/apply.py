"""`iac apply ENV` and `iac destroy ENV`: preview, check, approve, then let Terraform apply exactly that.

Parsing and wiring only; the run is the apply workflow (iac/workflows/applying.py around iac/apply/flow.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from iac.apply import flow
from iac.apply.target import target_of
from iac.cli import app, report
from iac.config.variables import parse_var_option
from iac.diagnostics import ConfigError, Diagnostic, IacError
from iac.terraform.approval import ApprovalFlags, StdinPrompt
from iac.terraform.runner import EngineChoice, select_runner
from iac.workflows import applying
from iac.workflows.applying import default_previewer, renderer
from iac.workflows.fleet_planning import split_fleet

_ENV = typer.Argument(None, help="Environment to apply (environments/<ENV>.py). Omit with --config-dir.")
_CONFIG_DIR = typer.Option(None, "--config-dir", help="Apply DIR/main.tf.json in DIR instead of an environment.")
_PROJECT = typer.Option(None, "--project", help="Project directory (default: nearest with environments/).")
_PLAN = typer.Option(None, "--plan", help="Apply only if this saved, reviewed plan JSON still matches.")
_TARGET = typer.Option([], "--target", help="Limit to this address and what it depends on (destroy: what depends on "
                                            "it); repeatable. Preview, approval and apply cover exactly that.")
_REPLACE = typer.Option([], "--replace", help="Replace this resource instance even if unchanged (repeatable).")
_AUTO = typer.Option(False, "--auto-approve", help="Approve without asking (needed without a terminal).")
_BREAK = typer.Option(False, "--break-lock", help="Take over a lock held by a run on another host (a lock left by a "
                                                  "run that died on this host is taken over without it).")
_SANDBOX = typer.Option(False, "--sandbox", help="Run against the offline sandbox provider, with a separate state.")
_ENGINE = typer.Option("auto", "--engine", help="auto (a terraform/tofu binary on PATH, else embedded), binary, embedded.")
_COLOR = typer.Option(False, "--color/--no-color", help="Colour the plan preview.")
_ALLOW = typer.Option(False, "--allow-destroy", help="Required to destroy a production environment.")
_VAR = typer.Option([], "--var", help="Set a root variable, NAME=VALUE (repeatable); reaches Terraform as TF_VAR_NAME, "
                                       "never on its command line.")
_MEMBER = typer.Option([], "--member", help="Fleets: apply only this member (repeatable; a CI matrix job applies one).")
_SHARED_ONLY = typer.Option(False, "--shared-only", help="Fleets: apply only the shared part (before the members' jobs).")
_BATCH = typer.Option(None, "--batch", min=1, help="Fleets: members applied at once after the canaries (default: the fleet's batch).")
_REFRESH = typer.Option(False, "--refresh-only", help="Only record in the state what changed outside Terraform "
                                                       "(Terraform's refresh); changes nothing in the workspace.")


@app.command()
def apply(environment: str = _ENV, config_dir: Path = _CONFIG_DIR, project: Path = _PROJECT,
          plan: Path = _PLAN, target: list[str] = _TARGET, replace: list[str] = _REPLACE, auto_approve: bool = _AUTO,
          break_lock: bool = _BREAK, sandbox: bool = _SANDBOX, engine: str = _ENGINE, color: bool = _COLOR,
          refresh_only: bool = _REFRESH, var: list[str] = _VAR, member: list[str] = _MEMBER,
          shared_only: bool = _SHARED_ONLY, batch: int = _BATCH) -> None:
    """Preview, check and approve ENV's changes, then apply exactly that plan with Terraform.

    With --refresh-only: record in the state what changed outside Terraform (objects deleted or edited in the
    workspace), after approval; the workspace is not changed.

    Exit codes: 0 applied (or nothing to do); 1 error, refusal or disagreement; 3 denied by the checks.
    """
    if refresh_only and plan is not None:
        raise typer.BadParameter("a reviewed --plan is iac's plan; --refresh-only applies Terraform's refresh",
                                 param_hint="--refresh-only")
    if refresh_only and replace:
        raise typer.BadParameter("a refresh replaces nothing", param_hint="--replace")
    _run(environment, config_dir, project, sandbox, color, var, flow.ApplyOptions(
        targets=tuple(target), replace=tuple(replace), reviewed_plan=plan, flags=ApprovalFlags(auto_approve=auto_approve),
        break_lock=break_lock, engine=_engine(engine), refresh_only=refresh_only),
        fleet=_FleetScope(tuple(member), shared_only, batch))


@app.command()
def destroy(environment: str = _ENV, config_dir: Path = _CONFIG_DIR, project: Path = _PROJECT,
            plan: Path = _PLAN, target: list[str] = _TARGET, auto_approve: bool = _AUTO, allow_destroy: bool = _ALLOW,
            break_lock: bool = _BREAK, sandbox: bool = _SANDBOX, engine: str = _ENGINE, color: bool = _COLOR,
            var: list[str] = _VAR) -> None:
    """Preview and approve destroying everything ENV manages, then let Terraform destroy exactly that.

    Exit codes: 0 destroyed (or nothing to do); 1 error, refusal or disagreement; 3 denied by the checks.
    """
    _run(environment, config_dir, project, sandbox, color, var, flow.ApplyOptions(
        destroy=True, targets=tuple(target), reviewed_plan=plan,
        flags=ApprovalFlags(auto_approve=auto_approve, allow_destroy=allow_destroy),
        break_lock=break_lock, engine=_engine(engine)))


def _engine(value: str) -> EngineChoice:
    if value not in ("auto", "binary", "embedded"):
        raise typer.BadParameter(f"{value!r}: choose auto, binary or embedded", param_hint="--engine")
    return value  # type: ignore[return-value]


@dataclass(frozen=True)
class _FleetScope:
    """The fleet-only options: which parts, how many members at once."""

    members: tuple[str, ...] = ()
    shared_only: bool = False
    batch: int | None = None


def _run(environment: str | None, config_dir: Path | None, project_dir: Path | None, sandbox: bool, color: bool,
         variables: list[str], options: flow.ApplyOptions, fleet: _FleetScope = _FleetScope()) -> None:
    try:
        services = flow.Services(previewer=default_previewer(), prompt=StdinPrompt(typer.echo),
                                 echo=typer.echo, render=renderer(color), runner_factory=select_runner)
        if environment is not None and config_dir is None and split_fleet(environment, project_dir, sandbox=sandbox):
            _run_fleet(environment, project_dir, sandbox, options, services, fleet)  # a state per member, in waves
            return
        if fleet != _FleetScope():
            raise ConfigError(Diagnostic("--member, --shared-only and --batch are for a fleet with a state per member"))
        target = target_of(environment, config_dir, project_dir)
        applying.run(target, options, services, sandbox=sandbox, warn=lambda line: typer.echo(line, err=True),
                     variables=_variables_env(variables, target))
    except IacError as error:
        raise typer.Exit(report(error)) from None


def _variables_env(options: list[str], target: Any) -> dict[str, str]:
    """`--var NAME=VALUE` as `TF_VAR_NAME`: the way values reach both iac's preview and Terraform (a value on
    Terraform's command line would show in the process list). A name the configuration does not declare is
    an error, as Terraform's `-var` makes it."""
    from iac import _jsonio

    declared = _jsonio.loads(target.config_text).get("variable") or {}
    env: dict[str, str] = {}
    for text in options:
        name, value = parse_var_option(text)
        if name not in declared:
            raise ConfigError(Diagnostic(f"--var {name}: no variable named {name!r} is declared", address=f"var.{name}"))
        env[f"TF_VAR_{name}"] = value
    return env


def _run_fleet(environment: str, project_dir: Path | None, sandbox: bool, options: flow.ApplyOptions,
               services: flow.Services, scope: _FleetScope) -> None:
    from iac.project import find_project
    from iac.render.fleet_rollout import render_rollout_report
    from iac.workflows.fleet_applying import Rollout, apply_fleet

    if options.refresh_only:  # one part's state: --member KEY or --shared-only
        from iac.workflows.fleet_applying import refresh_part

        if scope.batch is not None:
            raise ConfigError(Diagnostic("--batch is for a rollout; --refresh-only refreshes one part"))
        refresh_part(environment, project_dir or find_project(), options, services, members=scope.members,
                     shared_only=scope.shared_only, sandbox=sandbox, warn=lambda line: typer.echo(line, err=True))
        return
    rollout = Rollout(options, sandbox=sandbox, members=scope.members, shared_only=scope.shared_only, batch=scope.batch)
    result = apply_fleet(environment, project_dir or find_project(), rollout, services,
                         warn=lambda line: typer.echo(line, err=True))
    if result.outcomes or result.not_started:
        typer.echo(render_rollout_report(environment, result), nl=False)
    if result.error is not None:
        raise result.error

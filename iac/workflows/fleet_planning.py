"""Plan a fleet environment: the shared part, then every member in parallel processes, then the roll-up.

    result = plan_fleet("prod", project, options, jobs=2, warn=print)
    result.rollup            # the roll-up document (iac/fleet/rollup.py)
    result.documents         # with keep_documents: each part's plan JSON text, by member key

Each member is synthesized as its own environment (iac/fleet/parts.py), planned against its own state,
checked with the environment's checks (the budget excepted: it holds for the fleet's total and is judged
once, iac/fleet/checks.py) and reduced to a summary (iac/fleet/summary.py). Members are planned in worker
processes forked from this one after the shared part is planned, so the schemas, the environment and the
imported planner are shared with every worker rather than loaded again. A member that fails to plan is
reported as failing, with its one-line error; the others are still planned.

With `refresh` (`iac plan ENV --refresh`), each part's real objects are read through the engine first
(iac/workflows/refreshing.py; in the sandbox, through the fleet's one sandbox provider): the shared part, then
the members in parallel threads (`jobs` of them), each under its own lock; each part is then planned against its
refreshed state, and its plan JSON carries what changed outside iac (`resource_drift`), which the roll-up gathers
(`refresh`). No state is written. A part whose refresh fails is reported as failing. `only` members: only they are
refreshed (the shared part is planned against its state as written); a member no longer in the fleet is not.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iac._jsonio import compact, loads
from iac.diagnostics import ConfigError, Diagnostic, IacError
from iac.fleet.model import EXPORT_VARIABLE_PREFIX, Fleet, fleet_of, member_and_shared_only, unknown_member
from iac.fleet.parts import (
    SPLIT,
    Part,
    detect_layout,
    export_names,
    member_dirs,
    member_part,
    part_environment,
    recorded_shared_values,
    shared_part,
    state_file,
    without_budget,
)
from iac.fleet.summary import UNCHANGED, MemberSummary, Templates, summarize_failure, summarize_member
from iac.fleet.template import Identity, identities
from iac.plan.jsonplan import to_json
from iac.values import contains_unknown
from iac.workflows.checking import check_plan, environment_settings
from iac.workflows.planning import Warn, gc_paused, make_plan, plan_environment

if TYPE_CHECKING:
    from iac.environment import Environment
    from iac.workflows.fleet_workers import Chunk, WorkerPool

__all__ = ["FleetPlan", "FleetRequest", "plan_fleet", "shared_values", "split_fleet", "synthesize_fleet"]


@dataclass(frozen=True)
class FleetRequest:
    """What to plan and how."""

    options: Mapping[str, Any] = field(default_factory=dict)
    """`destroy`, `replace`, `variables`: as for one environment (iac/workflows/planning.py)."""
    jobs: int | None = None
    """Worker processes; None: the machine's cores. 1 plans in this process."""
    sandbox: bool = False
    """Plan every part against its sandbox state."""
    keep_documents: bool = False
    """Keep every part's plan JSON text (for `--json` / `--out`): costs memory at 1,000 members."""
    only: tuple[str, ...] = ()
    """Plan only these members (and the shared part); empty: all."""
    shared_only: bool = False
    """Plan the shared part alone (no member): what a CI job that applies only the shared part reviews."""
    rollback: bool = False
    """Plan each member going back to the configuration of its last successful apply (iac/fleet/history.py)
    instead of what the code makes; members with nothing to go back to are left out, and said so."""
    refresh: bool = False
    """Read each part's real objects through the engine first and plan against that (see the module docstring)."""
    engine: str = "auto"
    """The engine that refreshes (`auto`, `binary`, `embedded`)."""


@dataclass
class FleetPlan:
    """A planned fleet."""

    environment: Any
    rollup: dict[str, Any]
    documents: dict[str, str] = field(default_factory=dict)
    """Compact plan JSON text per part (`(shared)` and member keys), with `keep_documents`."""
    shared_values: dict[str, Any] = field(default_factory=dict)
    """The shared outputs the members were planned with (what their variables default to)."""

    @property
    def has_changes(self) -> bool:
        totals = self.rollup["totals"]
        shared = self.rollup.get("shared") or {}
        return bool(self.rollup["members"]["changed"] or self.rollup["members"]["removed"]
                    or shared.get("changes") or any(totals.values()))


def plan_fleet(name: str, project: Path, request: FleetRequest, *, warn: Warn,
               environment: Environment | None = None) -> FleetPlan:
    """Plan fleet environment `name` in `project` (see the module docstring). `environment`: the one the
    command already loaded (loading a 1,000-member environment file again costs what planning one member does)."""
    from iac.fleet.checks import fleet_budget
    from iac.fleet.rollup import roll_up
    from iac.project import load_environment

    environment = environment or load_environment(project, name)
    fleet = fleet_of(environment)
    if fleet is None:
        raise ConfigError(Diagnostic("not a fleet (its build is not a Fleet)", environment=name))
    if detect_layout(environment, project, sandbox=request.sandbox) != SPLIT:
        raise ConfigError(Diagnostic("the fleet still has one state for everything: it plans as one environment until "
                                     "`iac fleet split`", environment=name))
    if request.shared_only and request.only:
        raise member_and_shared_only(name)
    if request.refresh and request.rollback:
        raise ConfigError(Diagnostic("--rollback plans a kept configuration against the state as written: it takes no "
                                     "--refresh (refresh with `iac plan ENV --refresh` first)", environment=name))
    keys = [] if request.shared_only else _selected(fleet, request.only, name)
    context = _Context(environment, fleet, project, request, export_names(environment, fleet), {}, {})
    context.identity = dict(zip(fleet.member_keys(), identities(fleet.members, fleet.member_keys()), strict=True))
    whole = not (request.only or request.rollback or request.shared_only)  # else no member is planned as removed
    removed = [k for k in (member_dirs(environment, project) if whole else []) if k not in context.identity
               and _has_objects(state_file(environment, project, member_part(k), sandbox=request.sandbox))]
    work = [(k, False) for k in keys] + [(k, True) for k in removed]
    # the workers are forked first: a refresh may load Terraform's library, whose threads do not survive a fork
    with gc_paused(), _workers(context, len(work)) as pool, _refresh_engine(context, keys, warn) as setup:
        if request.refresh and not request.only:
            context.refresh([shared_part()], setup, warn)
        shared, templates, documents = context.plan_shared()
        context.shared_values = shared_values(context.shared_plan)
        if request.refresh:
            context.refresh([member_part(k) for k in keys], setup, warn)
        summaries = _plan_members(context, pool, work, templates, documents)
    before = sum((Decimal(s.cost.get("before", "0")) for s in [shared, *summaries] if s.cost), Decimal(0))
    after = sum((Decimal(s.cost.get("after", "0")) for s in [shared, *summaries] if s.cost), Decimal(0))
    findings, verdict = fleet_budget(environment_settings(environment), environment.mode.value, before, after)
    if request.rollback:  # a rollback moves members back; the shared part stays as it is (its values are still read)
        documents.pop("(shared)", None)
    rollup = roll_up(name, summaries, templates, shared=None if request.rollback else shared, fleet_findings=findings,
                     fleet_verdict=verdict,
                     mode=environment.mode.value)
    if request.rollback:
        rollup["rollback"] = True
    return FleetPlan(environment, rollup, documents, dict(context.shared_values))


def _init_remote_backend(synthesized: Any) -> None:
    """A part whose state is in a remote backend (pg, s3...) is read through the engine (`state pull`), which
    needs the part's directory initialised: the first time, iac writes its configuration there and runs
    `terraform init`, as `iac apply` would (a local state is read directly)."""
    from iac.synth.document import write_synthesized
    from iac.terraform.runner import select_runner

    backend = ((synthesized.document.get("terraform") or {}).get("backend") or {"local": {}})
    workdir = Path(synthesized.workdir)
    if "local" in backend or (workdir / ".terraform").is_dir():
        return
    write_synthesized(synthesized)
    runner, _ = select_runner("auto")
    try:
        runner.init(workdir)
    finally:
        runner.close()


def shared_values(plan: Any) -> dict[str, Any]:
    """The shared part's outputs as its plan leaves them, where known (members' variable defaults)."""
    if plan is None:
        return {}
    return {name: change.after for name, change in plan.output_changes.items()
            if change.after is not None and not contains_unknown(change.after) and not change.after_sensitive}


def _selected(fleet: Fleet, only: Sequence[str], environment: str) -> list[str]:
    keys = fleet.member_keys()
    unknown = [k for k in only if k not in keys]
    if unknown:
        raise unknown_member(unknown[0], keys, environment=environment)
    return [k for k in keys if k in only] if only else keys


def _has_objects(path: Path | None) -> bool:
    """Whether a member directory left on disk still has a state with objects (a removed member to destroy)."""
    if path is None:
        return False
    from iac.state import read_state

    return bool(read_state(path).resources)


@dataclass
class _Context:
    """Everything a worker needs, set before the workers are forked (they inherit it)."""

    environment: Any
    fleet: Fleet
    project: Path
    request: FleetRequest
    exports: list[str]
    shared_values: dict[str, Any]
    identity: dict[str, Identity]
    shared_plan: Any = None
    refreshed: dict[str, Any] = field(default_factory=dict)
    """Part label -> its state as the engine read it (`Refreshed`), or the one-line error of its refresh."""

    def refresh(self, parts: Sequence[Part], setup: Any, warn: Warn) -> None:
        """Read `parts`' real objects through the engine, `jobs` at once (synthesized here, with the shared values
        planned, else the shared state's outputs: a refresh needs every variable to have a value)."""
        from iac.workflows.refreshing import refresh_parts

        recorded = recorded_shared_values(self.environment, self.project, self.exports, sandbox=self.request.sandbox)
        synthesized = {p.label: self._synthesize(p, {**recorded, **self.shared_values}) for p in parts}
        jobs = max(1, self.request.jobs or os.cpu_count() or 1)
        found = refresh_parts(synthesized, sandbox=self.request.sandbox, engine=self.request.engine,  # type: ignore[arg-type]
                              warn=warn, workers=jobs, setup=setup)
        self.refreshed.update({label: _first_line(r) if isinstance(r, IacError) else r for label, r in found.items()})

    def _refresh_failure(self, label: str) -> str | None:
        found = self.refreshed.get(label)
        return f"the refresh failed: {found}" if isinstance(found, str) else None

    def plan_shared(self) -> tuple[MemberSummary, Templates, dict[str, str]]:
        templates, documents = Templates(), dict[str, str]()
        identity = Identity("shared", ())
        failed = self._refresh_failure("(shared)")
        if failed is not None:
            return summarize_failure("(shared)", identity, failed), templates, documents
        try:
            document, diagnostics = self._plan_part(shared_part(), keep_plan=True)
        except IacError as error:
            return summarize_failure("(shared)", identity, _first_line(error)), templates, documents
        if diagnostics:
            document["iac"]["fleet"]["diagnostics"] = list(diagnostics)
        if self.request.keep_documents:
            documents["(shared)"] = compact(document)
        return summarize_member("(shared)", identity, document, templates, diagnostics=diagnostics), templates, documents

    def plan_member(self, key: str, templates: Templates, documents: dict[str, str], *, removed: bool) -> MemberSummary:
        identity = self.identity.get(key) or Identity(key, (("key", key),))
        failed = None if removed else self._refresh_failure(key)
        if failed is not None:
            return summarize_failure(key, identity, failed)
        try:
            if removed:
                document, diagnostics = self._plan_removed(key)
            elif self.request.rollback:
                planned = self._plan_rollback(key)
                if isinstance(planned, str):  # nothing to go back to: left out of the plan, said once
                    return MemberSummary(key=key, identity=identity.as_dict(), status=UNCHANGED, diagnostics=[planned])
                document, diagnostics = planned
            else:
                document, diagnostics = self._plan_part(member_part(key))
        except IacError as error:
            return summarize_failure(key, identity, _first_line(error))
        document["iac"]["fleet"]["identity"] = [list(pair) for pair in identity.pairs]  # for merging CI artifacts
        if diagnostics:
            document["iac"]["fleet"]["diagnostics"] = list(diagnostics)  # iac/fleet/merge.py rolls them up too
        if self.request.keep_documents:
            documents[key] = compact(document)
        return summarize_member(key, identity, document, templates, diagnostics=diagnostics, removed=removed)

    def _synthesize(self, part: Part, values: Mapping[str, Any] | None = None) -> Any:
        from iac.synth import synthesize_environment

        environment = part_environment(self.environment, self.fleet, part, export_names=self.exports,
                                       shared_values=self.shared_values if values is None else values)
        return synthesize_environment(environment, self.project)

    def _plan_part(self, part: Part, *, keep_plan: bool = False, synthesized: Any = None) -> tuple[dict[str, Any], list[str]]:
        synthesized = synthesized or self._synthesize(part)
        lines = [w.format() for w in synthesized.warnings]
        unknown = [] if part.kind == "shared" else [EXPORT_VARIABLE_PREFIX + n for n in self.exports
                                                    if n not in self.shared_values]  # known after the shared apply
        if not self.request.sandbox:
            _init_remote_backend(synthesized)
        refreshed = self.refreshed.get(part.label)
        plan = plan_environment(synthesized, sandbox=self.request.sandbox, warn=lines.append,
                                unknown_variables=unknown, refreshed=refreshed if not isinstance(refreshed, str) else None,
                                **self.request.options)
        if keep_plan:
            self.shared_plan = plan
        lines += [d.format() for d in plan.diagnostics]
        document = to_json(plan)
        document["iac"]["fleet"] = {"part": part.label}
        check_plan(document, without_budget(synthesized.environment), synthesized.document)
        return document, lines

    def _plan_rollback(self, key: str) -> tuple[dict[str, Any], list[str]] | str:
        """The member planned from the configuration of its last successful apply that is not what its code makes
        now, against its current state; a note instead when there is none."""
        import dataclasses

        from iac.apply.target import without_backend
        from iac.fleet.history import rollback_target
        from iac.fleet.rollback import lost_on_rollback
        from iac.terraform.workdir import Workdir, config_hash

        synthesized = self._synthesize(member_part(key))
        workdir = Workdir(synthesized.workdir.resolve())
        applied_text = without_backend(synthesized.text) if self.request.sandbox else synthesized.text
        kept = rollback_target((workdir.sandbox if self.request.sandbox else workdir).meta,
                               config_hash(applied_text.encode("utf-8")))
        if kept is None:
            return f"{key}: no earlier applied configuration to go back to (nothing to roll back)"
        text = kept.text()
        document, lines = self._plan_part(member_part(key), synthesized=dataclasses.replace(
            synthesized, document=loads(text), text=text, warnings=[]))
        lost = lost_on_rollback(document, synthesized.environment.policy.security.protect_from_destroy)
        document["iac"]["rollback"] = {"to": kept.config_hash, "applied": kept.time, "lost": lost}
        lines += [f"rollback of {key}: {line}" for line in lost]
        return document, lines

    def _plan_removed(self, key: str) -> tuple[dict[str, Any], list[str]]:
        """A member no longer in the fleet: destroy what its state holds, with its last configuration."""
        from iac.config import load_config, load_document
        from iac.state import read_state

        part = member_part(key)
        workdir = self.environment.working_directory(self.project) / part.relative_dir
        target = workdir / ".sandbox" if self.request.sandbox else workdir
        module = load_config(workdir) if (workdir / "main.tf.json").is_file() else \
            load_document({}, file=str(workdir / "main.tf.json"), base_dir=workdir)
        state = read_state(target / "terraform.tfstate")
        plan = make_plan(module, state, base_dir=workdir, environment=self.environment.name,
                         mode=self.environment.mode.value, destroy=True)
        document = to_json(plan)
        document["iac"]["fleet"] = {"part": key, "removed": True}
        check_plan(document, without_budget(self.environment))
        return document, [d.format() for d in plan.diagnostics]


@contextlib.contextmanager
def _refresh_engine(context: _Context, keys: Sequence[str], warn: Warn) -> Iterator[Any]:
    """For a refresh in the sandbox: the fleet's one sandbox provider (the account the parts were applied into);
    otherwise nothing (each part's own engine setup)."""
    if not (context.request.refresh and context.request.sandbox):
        yield None
        return
    from iac.workflows.fleet_sandbox import fleet_sandbox

    with fleet_sandbox(context.environment, context.fleet, context.project, context.exports, keys,
                       warn=warn) as setup:
        yield setup


_WORKER: _Context | None = None
"""The context of a forked worker (inherited from the parent, never pickled)."""


@contextlib.contextmanager
def _workers(context: _Context, count: int) -> Iterator[WorkerPool | None]:
    """The worker processes, forked before this process plans anything: the sandbox loads Terraform's Go
    library, whose threads do not survive a fork (a worker forked after it hangs). What every member needs
    and is plain Python (schemas, the planner, the checks) is loaded first, so the workers share it."""
    jobs = max(1, min(context.request.jobs or os.cpu_count() or 1, count))
    if jobs == 1:  # `--member KEY` and a one-member fleet plan in this process
        yield None
        return
    from iac.workflows.fleet_workers import WorkerPool

    _prewarm()
    global _WORKER
    _WORKER = context
    pool = WorkerPool(jobs, _plan_chunk)
    try:
        yield pool
        pool.close()  # workers leave on their own: terminating one that loaded Terraform's library can hang
    except BaseException:
        pool.kill()
        raise
    finally:
        _WORKER = None


def _prewarm() -> None:
    import iac.diff.sdkv2
    import iac.policy.engine
    import iac.synth  # noqa: F401  (imported for the workers to inherit)
    from iac.cost.catalog import load_catalog
    from iac.schema import load_schemas

    load_schemas()
    load_catalog()


def _plan_members(context: _Context, pool: WorkerPool | None, work: list[tuple[str, bool]], templates: Templates,
                  documents: dict[str, str]) -> list[MemberSummary]:
    if pool is None:
        return [context.plan_member(k, templates, documents, removed=r) for k, r in work]

    def task(chunk: Chunk) -> tuple[Chunk, dict[str, Any], dict[str, Any]]:
        return chunk, context.shared_values, {k: context.refreshed[k] for k, _ in chunk if k in context.refreshed}

    results, lost = pool.run(_chunks(work, pool.jobs), task)
    summaries: list[MemberSummary] = []
    for chunk_templates, chunk_summaries, chunk_documents in results:
        templates.merge(chunk_templates)
        summaries.extend(chunk_summaries)
        documents.update(chunk_documents)
    for key, why in lost:  # a member that ended its worker process (see iac/workflows/fleet_workers.py)
        summaries.append(summarize_failure(key, context.identity.get(key) or Identity(key, (("key", key),)), why))
    order = {key: index for index, (key, _) in enumerate(work)}
    return sorted(summaries, key=lambda s: order[s.key])


def _chunks(work: list[tuple[str, bool]], jobs: int) -> list[Chunk]:
    """About four chunks per worker, so a slow member does not leave a worker idle at the end."""
    size = max(1, -(-len(work) // (jobs * 4)))
    return [work[i : i + size] for i in range(0, len(work), size)]


def _plan_chunk(task: tuple[Chunk, dict[str, Any], dict[str, Any]], started: Callable[[str], None],
                ) -> tuple[Templates, list[MemberSummary], dict[str, str]]:
    assert _WORKER is not None, "a fleet worker runs only in a process forked by _workers"
    chunk, values, refreshed = task
    _WORKER.shared_values = values  # planned by the parent after the fork
    _WORKER.refreshed = refreshed  # likewise: the chunk's members as the engine read them
    templates, documents = Templates(), dict[str, str]()
    summaries = []
    with gc_paused():
        for key, removed in chunk:
            started(key)  # the parent knows which member a worker that dies was planning
            summaries.append(_WORKER.plan_member(key, templates, documents, removed=removed))
    return templates, summaries, documents


def _first_line(error: IacError) -> str:
    return error.diagnostics[0].format() if error.diagnostics else str(error)


def split_fleet(name: str, project: Path | None, *, sandbox: bool = False) -> Environment | None:
    """Environment `name` when it is a fleet whose states are split per member (what `iac plan` plans as a
    fleet), else None: a fleet still in its joined form (one state, before `iac fleet split`) plans as one
    environment."""
    from iac.project import find_project, load_environment

    root = project or find_project()
    environment = load_environment(root, name)
    split = fleet_of(environment) is not None and detect_layout(environment, root, sandbox=sandbox) == SPLIT
    return environment if split else None


def synthesize_fleet(name: str, project: Path) -> list[tuple[str, Any]]:
    """Every part of fleet `name` synthesized (members with the shared state's outputs as their variables'
    defaults): `[(label, Synthesized)]`, the shared part first, then the members in fleet order."""
    from iac.fleet.parts import shared_part
    from iac.project import load_environment
    from iac.synth import synthesize_environment

    environment = load_environment(project, name)
    fleet = fleet_of(environment)
    if fleet is None:
        raise ConfigError(Diagnostic("not a fleet (its build is not a Fleet)", environment=name))
    exports = export_names(environment, fleet)
    values = recorded_shared_values(environment, project, exports)
    parts = [shared_part(), *(member_part(k) for k in fleet.member_keys())]
    return [(part.label, synthesize_environment(part_environment(environment, fleet, part, export_names=exports,
                                                                 shared_values=values), project)) for part in parts]

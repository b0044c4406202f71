"""A fleet's parts for the commands that work on one state (`iac state list|show|mv|rm`, `iac output`): a fleet has a
state per member and one for the shared part, so these commands name the part (`--member KEY`, `--shared-only`).

    scope = fleet_scope("prod", project, sandbox=False)          # None: not a fleet with a state per member
    labels = choose_parts(scope, member="fraud", shared_only=False, command="iac state show")
    with part_targets(scope, labels, warn=print) as (targets, setup):
        show_state(targets["fraud"], address, setup=setup, ...)
    list_parts(scope, scope.labels(), (), warn=print)            # [("(shared)", "databricks_metastore.main"), ...]
    with one_state("prod", project, member="fraud", shared_only=False, sandbox=False, command="iac output",
                   warn=print) as state:                           # any environment: one state, or a fleet's part
        read_outputs(state.target, setup=state.setup, ...)

A part's target is what the rollout applies it as (iac/workflows/fleet_applying.py): the part synthesized on its
own, in its own working directory (its own lock, backups and audit), with the shared values its state was applied
with (the shared state's outputs); in the sandbox, every part goes through the fleet's one sandbox provider.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iac.apply.target import ApplyTarget
from iac.diagnostics import ConfigError, Diagnostic, IacError
from iac.fleet.document import SHARED_LABEL
from iac.fleet.model import Fleet, fleet_of, listed_members, member_and_shared_only, unknown_member
from iac.fleet.parts import (
    SPLIT,
    Part,
    detect_layout,
    export_names,
    member_part,
    part_environment,
    recorded_shared_values,
    shared_part,
)
from iac.terraform.runner import EngineChoice
from iac.workflows.session import SetupFactory

__all__ = ["OneState", "PartScope", "choose_parts", "fleet_scope", "list_parts", "naming_part", "part_targets", "one_state", "refuse_part_flags", "synthesized_part"]

Warn = Callable[[str], None]


@dataclass(frozen=True)
class PartScope:
    """A fleet environment with a state per member, as one command sees it."""

    environment: Any
    fleet: Fleet
    project: Path
    sandbox: bool

    @property
    def name(self) -> str:
        return str(self.environment.name)

    def labels(self) -> list[str]:
        """Every part: the shared part first, then the members in fleet order (the order listings use)."""
        return [SHARED_LABEL, *self.fleet.member_keys()]


def fleet_scope(name: str, project: Path | None, *, sandbox: bool = False) -> PartScope | None:
    """The fleet `name` is, when it is one with a state per member; None otherwise (one state: the command runs
    on it as on any environment)."""
    from iac.project import find_project, load_environment

    root = project or find_project()
    environment = load_environment(root, name)
    fleet = fleet_of(environment)
    if fleet is None or detect_layout(environment, root, sandbox=sandbox) != SPLIT:
        return None
    return PartScope(environment, fleet, root, sandbox)


def refuse_part_flags(member: str | None, shared_only: bool) -> None:
    """`--member` and `--shared-only` on an environment of one state: an error, not a silent whole-state run."""
    if member is not None or shared_only:
        raise ConfigError(Diagnostic("--member and --shared-only are for a fleet with a state per member"))


def choose_parts(scope: PartScope, *, member: str | None, shared_only: bool, command: str,
                 every: bool = False) -> list[str]:
    """The part labels a command runs on: the member named, the shared part, or (`every`, when neither is named)
    every part; without `every`, naming none is a one-line error naming the flags and the member keys."""
    keys = scope.fleet.member_keys()
    if member is not None and shared_only:
        raise member_and_shared_only(scope.name)
    if member is not None:
        if member not in keys:
            raise unknown_member(member, keys, environment=scope.name)
        return [member]
    if shared_only:
        return [SHARED_LABEL]
    if every:
        return scope.labels()
    raise ConfigError(Diagnostic(f"{command} works on one state and this fleet has one per member: name it with "
                                 f"--member KEY (members: {listed_members(keys)}) or --shared-only", environment=scope.name))


@contextlib.contextmanager
def part_targets(scope: PartScope, labels: Sequence[str], *, warn: Warn) -> Iterator[tuple[dict[str, ApplyTarget],
                                                                                           SetupFactory | None]]:
    """Each part's target (see the module docstring), and the engine setup to run them with: the fleet's one
    sandbox provider with `sandbox` (held while the block runs), None otherwise (each part's own setup)."""
    exports = export_names(scope.environment, scope.fleet)
    values = recorded_shared_values(scope.environment, scope.project, exports, sandbox=scope.sandbox)
    targets = {label: _target(scope, _part(label), exports, values) for label in labels}
    if not scope.sandbox:
        yield targets, None
        return
    from iac.workflows.fleet_sandbox import fleet_sandbox

    members = [label for label in labels if label != SHARED_LABEL]
    with fleet_sandbox(scope.environment, scope.fleet, scope.project, exports, members, warn=warn) as setup:
        yield targets, setup


@contextlib.contextmanager
def naming_part(label: str) -> Iterator[None]:
    """Errors of one part name it (`member fraud: ...`): every part has the environment's name."""
    try:
        yield
    except IacError as error:
        who = "shared part" if label == SHARED_LABEL else f"member {label}"
        error.diagnostics = tuple(dataclasses.replace(d, summary=f"{who}: {d.summary}") for d in error.diagnostics)
        raise


def list_parts(scope: PartScope, labels: Sequence[str], addresses: Sequence[str] = (), *,
               engine: EngineChoice = "auto", warn: Warn, jobs: int | None = None) -> list[tuple[str, str]]:
    """`(part label, address)` of every resource instance in the parts' states (those under `addresses`, when
    given), parts in `labels` order, each part's addresses in Terraform's order; the parts are read `jobs` at once
    (threads: the time is Terraform's). The first part that cannot be read is raised, naming it, once the others
    are done. An address found in no part is an error (Terraform's `state list` says so for one state)."""
    from concurrent.futures import ThreadPoolExecutor

    from iac.workflows.stateops import list_state

    with part_targets(scope, labels, warn=warn) as (targets, setup):
        def one(label: str) -> list[str]:
            with naming_part(label):  # unfiltered: an address is in one part's state, not in the others'
                return list_state(targets[label], (), sandbox=scope.sandbox, engine=engine, warn=warn, setup=setup)

        workers = max(1, min(jobs or os.cpu_count() or 1, len(labels)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [(label, pool.submit(one, label)) for label in labels]
        failed = next((f.exception() for _, f in futures if f.exception() is not None), None)
        if failed is not None:
            raise failed
    found = [(label, address) for label, future in futures for address in future.result()]
    missing = [a for a in addresses if not any(_under(address, a) for _, address in found)]
    if missing:
        raise ConfigError(Diagnostic(f"{missing[0]!r} is recorded in no part's state (see `iac state list "
                                     f"{scope.name}`)", environment=scope.name))
    return [(label, address) for label, address in found if not addresses or any(_under(address, a) for a in addresses)]


def _under(address: str, filter_address: str) -> bool:
    """Whether a resource instance address is under a filter address as `terraform state list` reads it: the
    instance itself, the resource's instances (`x.y` holds `x.y[0]`), or a module's resources (`module.m`)."""
    return address == filter_address or address.startswith((filter_address + "[", filter_address + "."))


@dataclass(frozen=True)
class OneState:
    """The one state a command runs on: an environment's, or one part's of a fleet."""

    target: ApplyTarget
    setup: SetupFactory | None
    """The engine setup for a fleet part in the sandbox (the fleet's one provider); None: the target's own."""
    flag: str
    """How the command named the part (` --member fraud`, ` --shared-only`), "" for an environment of one state."""


@contextlib.contextmanager
def one_state(name: str, project: Path | None, *, member: str | None, shared_only: bool, sandbox: bool, command: str,
              warn: Warn) -> Iterator[OneState]:
    """The state `command` runs on (see `choose_parts`); a fleet part's errors name the part."""
    scope = fleet_scope(name, project, sandbox=sandbox)
    if scope is None:
        refuse_part_flags(member, shared_only)
        from iac.apply.target import from_environment

        yield OneState(from_environment(name, project), None, "")
        return
    [label] = choose_parts(scope, member=member, shared_only=shared_only, command=command)
    flag = " --shared-only" if label == SHARED_LABEL else f" --member {label}"
    with part_targets(scope, [label], warn=warn) as (targets, setup), naming_part(label):
        yield OneState(targets[label], setup, flag)


def _part(label: str) -> Part:
    return shared_part() if label == SHARED_LABEL else member_part(label)


def synthesized_part(name: str, project: Path | None, *, member: str | None, shared_only: bool,
                     command: str | None = None) -> Any:
    """Environment `name` synthesized (`iac.synth.Synthesized`): with `--member KEY` or `--shared-only`, one part
    of the fleet it is, with the shared values its state records (its `environment.fleet_part` says which);
    otherwise the whole environment (a fleet's whole blueprint, as one configuration), unless `command` works on
    one part only: then naming none is `choose_parts`' one-line error."""
    from iac.synth import synthesize

    scope = fleet_scope(name, project)
    if scope is None:
        refuse_part_flags(member, shared_only)
    if scope is None or (member is None and not shared_only and command is None):
        return synthesize(name, project)
    [label] = choose_parts(scope, member=member, shared_only=shared_only, command=command or "")
    exports = export_names(scope.environment, scope.fleet)
    return _synthesized(scope, _part(label), exports, recorded_shared_values(scope.environment, scope.project, exports))


def _synthesized(scope: PartScope, part: Part, exports: list[str], values: dict[str, Any]) -> Any:
    from iac.synth import synthesize_environment

    environment = part_environment(scope.environment, scope.fleet, part, export_names=exports, shared_values=values)
    return synthesize_environment(environment, scope.project)


def _target(scope: PartScope, part: Part, exports: list[str], values: dict[str, Any]) -> ApplyTarget:
    from iac.apply.target import from_synthesized
    from iac.fleet.parts import without_budget

    synthesized = _synthesized(scope, part, exports, values)
    return dataclasses.replace(from_synthesized(synthesized), settings=without_budget(synthesized.environment))

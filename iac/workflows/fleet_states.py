"""`iac fleet split` and `iac fleet join`: move a fleet's objects between one state and a state per part, safely.

    report = split_states("prod", project, sandbox=False)

Split, step by step (join is the mirror image):
  lock      iac's lock on the environment's and every part's working directory (refused, naming the holder,
            while any is held), and no Terraform lock file next to any state involved
  read      the one state, exactly; synthesize every part to learn which addresses and outputs it declares
  before    iac plans the environment as one state: the reference the parts must reproduce
  split     one state per part (iac/fleet/states.py), new lineages; the shared part's outputs filled from
            its plan (what members read), each member's configuration then synthesized with them
  write     a backup of the original (owner-only), every part's state and main.tf.json, then the original
            moved away: until that last step the original is intact and is what iac plans
  prove     iac plans every part: the changes must be exactly the ones planned before (none, for an
            environment that was converged); otherwise everything written is removed and the original restored
Local states only (a remote backend's states move with Terraform's `state push`, to come with issue 18 item 7).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iac._jsonio import atomic_write, dumps, loads
from iac.diagnostics import ApplyRefused, ConfigError, Diagnostic, IacError, listed
from iac.environment import Environment, LocalBackend
from iac.fleet.model import Fleet, fleet_of
from iac.fleet.parts import (
    JOINED,
    SPLIT,
    Part,
    detect_layout,
    export_names,
    member_dirs,
    member_part,
    part_environment,
    shared_part,
)
from iac.fleet.states import PartConfig, join_states, split_state
from iac.plan.jsonplan import to_json
from iac.workflows.fleet_planning import shared_values
from iac.workflows.planning import gc_paused, plan_environment

__all__ = ["MoveReport", "join_states_of", "split_states"]

_STATE_MODE = 0o600  # a state holds secrets


@dataclass
class MoveReport:
    """What a split or join did."""

    direction: str
    objects: int
    """Resource instances moved."""
    written: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)
    """Address -> actions iac plans, before and after alike (empty: nothing to do, as before)."""


def split_states(name: str, project: Path, *, sandbox: bool = False) -> MoveReport:
    """Split environment `name`'s one state into the shared part's and one per member (see the module docstring)."""
    mover = _Mover(name, project, sandbox)
    if detect_layout(mover.environment, project, sandbox=sandbox, strict=False) != JOINED:
        raise ConfigError(Diagnostic(f"nothing to split: there is no single state at {mover.joined_file}",
                                     environment=name))
    with mover.locked(), gc_paused():
        return mover.split()


def join_states_of(name: str, project: Path, *, sandbox: bool = False) -> MoveReport:
    """Join every part's state of environment `name` into one state (see the module docstring)."""
    mover = _Mover(name, project, sandbox)
    if detect_layout(mover.environment, project, sandbox=sandbox, strict=False) != SPLIT or not mover.part_files():
        raise ConfigError(Diagnostic("nothing to join: the fleet has no state per part", environment=name))
    with mover.locked(), gc_paused():
        return mover.join()


class _Mover:
    def __init__(self, name: str, project: Path, sandbox: bool) -> None:
        from iac.project import load_environment

        self.environment: Environment = load_environment(project, name)
        fleet = fleet_of(self.environment)
        if fleet is None:
            raise ConfigError(Diagnostic("not a fleet: only a fleet's state is split or joined", environment=name))
        if not isinstance(self.environment.backend, LocalBackend):
            raise ConfigError(Diagnostic(f"split and join move local states; the {self.environment.backend.type} "
                                         "backend's states move with Terraform (not yet supported)", environment=name))
        self.fleet: Fleet = fleet
        self.project, self.sandbox, self.name = project, sandbox, name
        self.root = self.environment.working_directory(project)
        self.exports = export_names(self.environment, fleet)

    # -- where things are -----------------------------------------------------------------------------

    def workdir(self, part: Part | None) -> Path:
        base = self.root if part is None else self.root / part.relative_dir
        return base / ".sandbox" if self.sandbox else base

    def state_path(self, part: Part | None) -> Path:
        backend = self.environment.backend
        assert isinstance(backend, LocalBackend)
        return self.workdir(part) / ("terraform.tfstate" if self.sandbox else backend.path)

    @property
    def joined_file(self) -> Path:
        return self.state_path(None)

    def parts(self) -> list[Part]:
        keys = list(dict.fromkeys([*self.fleet.member_keys(), *member_dirs(self.environment, self.project)]))
        return [shared_part(), *(member_part(k) for k in keys)]

    def part_files(self) -> dict[str, Path]:
        return {p.label: self.state_path(p) for p in self.parts() if _exists(self.state_path(p))}

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """iac's lock on every working directory involved; refused while any, or a Terraform lock, is held."""
        from iac.terraform.lock import environment_lock
        from iac.terraform.workdir import Workdir

        targets = [None, *self.parts()]
        for part in targets:
            state = self.state_path(part)
            terraform_lock = state.with_name(f".{state.name}.lock.info")
            if terraform_lock.exists():
                raise ApplyRefused(Diagnostic(f"Terraform holds the state lock {terraform_lock}: a Terraform run is using "
                                              "it; nothing was changed", environment=self.name))
        with contextlib.ExitStack() as locks:
            for part in targets:
                lockfile = Workdir(self.workdir(part)).lockfile
                locks.enter_context(environment_lock(lockfile, command=f"iac fleet split/join {self.name}",
                                                     environment=self.name))
            yield

    # -- planning ---------------------------------------------------------------------------------------

    def synthesize(self, part: Part, values: Mapping[str, Any] | None = None) -> Any:
        from iac.synth import synthesize_environment

        environment = part_environment(self.environment, self.fleet, part, export_names=self.exports,
                                       shared_values=values or {})
        return synthesize_environment(environment, self.project)

    def plan_part(self, part: Part | None, synthesized: Any) -> Any:
        """The plan of the joined form (`part` None) or of one part, against its state file (in the sandbox:
        with the placeholder values `iac apply --sandbox` gives variables without one)."""
        if self.sandbox:
            return plan_environment(synthesized, sandbox=True, warn=lambda _: None)
        return plan_environment(synthesized, self.state_path(part), warn=lambda _: None)

    def joined_synthesized(self) -> Any:
        from iac.synth import synthesize_environment

        return synthesize_environment(self.environment, self.project)

    # -- split -------------------------------------------------------------------------------------------

    def split(self) -> MoveReport:
        original_text = self.joined_file.read_text(encoding="utf-8")
        original = loads(original_text)
        before = _changes(self.plan_part(None, self.joined_synthesized()))
        shared = shared_part()
        configs = {part.label: self.synthesize(part) for part in self.parts() if part.kind == "shared"
                   or part.key in self.fleet.member_keys()}
        states = split_state(original, [PartConfig.of(label, s.document) for label, s in configs.items()])
        backup = self._backup(None, original_text, "split", original.get("serial"))
        written: list[Path] = []
        try:
            written += self._write(shared, states[shared.label], configs[shared.label])
            values = shared_values(self.plan_part(shared, configs[shared.label]))
            states[shared.label]["outputs"].update(
                {name: {"value": value, "type": _type(value)} for name, value in sorted(values.items())})
            written += self._write(shared, states[shared.label], configs[shared.label])
            members = {p.label: p for p in self.parts() if p.kind == "member" and p.label in states}
            plans = {shared.label: self.plan_part(shared, configs[shared.label])}
            for label, part in members.items():
                configs[label] = self.synthesize(part, values)
                written += self._write(part, states[label], configs[label])
                plans[label] = self.plan_part(part, configs[label])
            self.joined_file.unlink()
            after = _merged(plans, exports=[*self.exports])
            if after != before:
                raise IacError(Diagnostic(_difference("split", before, after), environment=self.name))
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            atomic_write(self.joined_file, original_text, mode=_STATE_MODE)
            raise
        return MoveReport("split", _instances(original), sorted(set(written)), [backup], before)

    # -- join --------------------------------------------------------------------------------------------

    def join(self) -> MoveReport:
        files = self.part_files()
        texts = {label: path.read_text(encoding="utf-8") for label, path in files.items()}
        states = {label: loads(text) for label, text in texts.items()}
        shared = shared_part()
        values = {k: v["value"] for k, v in (states.get(shared.label, {}).get("outputs") or {}).items()}
        plans = {}
        for part in self.parts():
            if part.label in files and (part.kind == "shared" or part.key in self.fleet.member_keys()):
                plans[part.label] = self.plan_part(part, self.synthesize(part, values))
        before = _merged(plans, exports=self.exports)
        joined = join_states(states, drop_outputs=self.exports)
        backups = [self._backup(p, texts[p.label], "join", states[p.label].get("serial"))
                   for p in self.parts() if p.label in files]
        written = [atomic_write(self.joined_file, dumps(joined, sort_keys=False), mode=_STATE_MODE)]
        try:
            for path in files.values():
                path.unlink()
            after = _changes(self.plan_part(None, self.joined_synthesized()))
            if after != before:
                raise IacError(Diagnostic(_difference("join", before, after), environment=self.name))
        except BaseException:
            for label, path in files.items():
                atomic_write(path, texts[label], mode=_STATE_MODE)
            self.joined_file.unlink(missing_ok=True)
            raise
        return MoveReport("join", sum(_instances(s) for s in states.values()), written, backups, before)

    # -- files -------------------------------------------------------------------------------------------

    def _write(self, part: Part, state: Mapping[str, Any], synthesized: Any) -> list[Path]:
        paths = [atomic_write(self.state_path(part), dumps(state, sort_keys=False), mode=_STATE_MODE)]
        if not self.sandbox:  # the part's directory is complete: Terraform can plan it by itself
            paths.append(atomic_write(self.workdir(part) / "main.tf.json", synthesized.text))
        return paths

    def _backup(self, part: Part | None, text: str, what: str, serial: Any) -> Path:
        from iac.terraform.workdir import Workdir

        backups = Workdir(self.workdir(part)).backups
        backups.mkdir(parents=True, exist_ok=True)
        backups.chmod(0o700)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        return atomic_write(backups / f"{stamp}-before-{what}-serial{serial or 0}.tfstate", text, mode=_STATE_MODE)


def _changes(plan: Any) -> dict[str, list[str]]:
    """Address -> actions of everything the plan changes (resources and outputs)."""
    document = to_json(plan)
    out = {rc["address"]: rc["change"]["actions"] for rc in document.get("resource_changes") or ()
           if rc["change"]["actions"] != ["no-op"] or rc.get("previous_address")}
    out.update({f"output.{name}": change["actions"] for name, change in (document.get("output_changes") or {}).items()
                if change["actions"] != ["no-op"]})
    return out


def _merged(plans: Mapping[str, Any], *, exports: list[str]) -> dict[str, list[str]]:
    """Every part's changes as one environment's; the shared part's export outputs exist only between parts."""
    merged: dict[str, list[str]] = {}
    for plan in plans.values():
        merged.update(_changes(plan))
    for name in exports:
        merged.pop(f"output.{name}", None)
    return merged


def _difference(what: str, before: Mapping[str, list[str]], after: Mapping[str, list[str]]) -> str:
    differing = sorted(a for a in set(before) | set(after) if before.get(a) != after.get(a))
    return (f"after the {what}, iac plans differently at {len(differing)} address(es) ({listed(differing)}): "
            "nothing was changed (the original state is back in place)")


def _instances(state: Mapping[str, Any]) -> int:
    return sum(len(r.get("instances") or ()) for r in state.get("resources") or ())


def _type(value: Any) -> Any:
    from iac._jsonio import infer_type

    return infer_type(value)


def _exists(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False

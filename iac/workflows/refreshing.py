"""Refreshing workflow: what the real objects look like now, read through the Terraform engine (`iac plan --refresh`).

Terraform's refresh-only plan (`plan -refresh-only`) runs in the environment's working directory (the
sandbox's, with `sandbox`): its `resource_drift` is what changed outside Terraform, and its plan file holds
the refreshed state, which iac then plans against. Nothing is applied and no state is written; the plan
file (it holds secrets) is deleted when the refresh ends. The refresh holds the environment's lock, as an
apply does, so it never reads a state an apply is writing.

    refreshed = refresh_environment(synthesized, sandbox=True, warn=print)       # one environment
    by_name = refresh_environments([dev, prod], warn=print)                      # several, in parallel
    by_part = refresh_parts({"fraud": fraud, "search": search}, warn=print)      # a fleet's parts, by part

Each environment (and each part of a fleet: they share the environment's name) has its own working directory,
lock and engine process, so they refresh in parallel (threads: the time is spent waiting for Terraform and the
provider).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iac.apply.flow import RunnerFactory
from iac.apply.target import from_synthesized
from iac.diagnostics import Diagnostic, IacError, TerraformError
from iac.terraform.runner import EngineChoice, select_runner
from iac.workflows.session import SetupFactory, engine_session

if TYPE_CHECKING:  # the constructs (pydantic): loaded by the workflows that synthesize
    from iac.synth import Synthesized

__all__ = ["Refreshed", "refresh_environment", "refresh_environments", "refresh_parts"]


@dataclass(frozen=True)
class Refreshed:
    """One environment's state as the engine read it from the real objects."""

    state_text: str | None
    """The refreshed state (state v4 JSON text), None when the environment has no state yet. Holds secrets."""
    drift: tuple[dict[str, Any], ...]
    """Terraform's `resource_drift` entries: values in clear with their masks (mask them before showing)."""
    engine: str
    """Which engine read them, as `EngineVersion.describe()` says."""


def refresh_environment(synthesized: Synthesized, *, sandbox: bool = False, engine: EngineChoice = "auto",
                        warn: Callable[[str], None], runner_factory: RunnerFactory = select_runner,
                        setup: SetupFactory | None = None, lock: str | None = None) -> Refreshed:
    """Refresh one synthesized environment through the engine (see the module docstring). `setup`: the engine's
    setup when not the environment's own (a fleet's one sandbox provider); `lock`: the command its lock names."""
    target = from_synthesized(synthesized)
    with engine_session(target, sandbox=sandbox, engine=engine, warn=warn, runner_factory=runner_factory,
                        lock=lock or f"iac plan --refresh {target.name}", setup=setup) as session:
        engine_name = session.version.describe()
        if session.runner.state_pull(session.root) is None:
            return Refreshed(None, (), engine_name)
        with session.target.workdir.planfile(session.run_dir) as planfile:
            session.runner.plan(session.root, planfile, refresh_only=True)
            shown = session.runner.show_plan_json(session.root, planfile)
            state_text = _refreshed_state(planfile, target.name)
    drift = tuple(d for d in shown.get("resource_drift") or () if d.get("mode", "managed") == "managed"
                  and tuple((d.get("change") or {}).get("actions") or ()) != ("no-op",))
    return Refreshed(state_text, drift, engine_name)


def refresh_environments(environments: Sequence[Synthesized], *, sandbox: bool = False, engine: EngineChoice = "auto",
                         warn: Callable[[str], None], workers: int = 4) -> dict[str, Refreshed]:
    """Refresh several environments at once, by environment name; the first failure is raised once the others
    have finished (each holds its own lock and engine, released either way)."""
    found = refresh_parts({s.environment.name: s for s in environments}, sandbox=sandbox, engine=engine, warn=warn,
                          workers=workers)
    for result in found.values():
        if isinstance(result, IacError):
            raise result
    return found  # type: ignore[return-value]  # no error left


def refresh_parts(parts: Mapping[str, Synthesized], *, sandbox: bool = False, engine: EngineChoice = "auto",
                  warn: Callable[[str], None], workers: int = 4, setup: SetupFactory | None = None,
                  ) -> dict[str, Refreshed | IacError]:
    """Refresh several parts at once, keyed as given (a fleet's parts share their environment's name: its members
    by key); a part that could not be refreshed maps to its error, the others are still refreshed."""
    def one(label: str, synthesized: Synthesized) -> Refreshed | IacError:
        name = synthesized.environment.name
        lock = None if label == name else f"iac plan --refresh {name} ({label})"
        try:
            return refresh_environment(synthesized, sandbox=sandbox, engine=engine, warn=warn, setup=setup, lock=lock)
        except IacError as error:
            return error

    if len(parts) <= 1:
        return {label: one(label, s) for label, s in parts.items()}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(parts)))) as pool:
        futures = {label: pool.submit(one, label, s) for label, s in parts.items()}
    return {label: future.result() for label, future in futures.items()}


def _refreshed_state(planfile: Path, environment: str) -> str:
    """The refreshed state a plan file carries (its `tfstate` member, state v4 as Terraform writes it)."""
    try:
        with zipfile.ZipFile(planfile) as archive:
            return archive.read("tfstate").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as error:
        raise TerraformError(Diagnostic(f"the refresh-only plan file has no readable state: {error}",
                                        environment=environment)) from None

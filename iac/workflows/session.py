"""An engine session: Terraform initialised in an environment's working directory (the sandbox's with `sandbox`),
ready for the commands that read or edit state through it (`iac plan --refresh`, `iac state`, `iac output`).

    with engine_session(target, sandbox=True, warn=print, lock="iac state mv dev") as session:
        session.runner.inspect(session.root, "state", "list")

The configuration is written into the working directory (atomically, only when it changed, as apply does) and
`terraform init` runs there. With `lock`, the session holds the environment's lock, the same one apply holds
(and hands it to Terraform's worker, as apply does), for as long as it is open; the sandbox provider starts once
the lock is held. The session has its own run directory (`.iac/runs/<token>/`, owner-only, removed at the end)
for Terraform's files and a plan file. The engine (and a sandbox provider) is closed when the session ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from iac.apply.flow import EngineSetup, RunnerFactory, no_setup
from iac.apply.target import ApplyTarget, sandboxed
from iac.terraform.lock import environment_lock
from iac.terraform.runner import EngineChoice, EngineVersion, TerraformRunner, select_runner

__all__ = ["Session", "SetupFactory", "engine_session"]

SetupFactory = Callable[[ApplyTarget], AbstractContextManager[EngineSetup]]
"""How a run's engine is set up for a target (the sandbox provider, or nothing): `flow.Services.engine_setup`."""


@dataclass(frozen=True)
class Session:
    target: ApplyTarget
    """What the session runs against (the sandboxed target with `sandbox`)."""
    runner: TerraformRunner
    version: EngineVersion
    env: Mapping[str, str]
    """What Terraform's environment adds (the sandbox's provider settings and placeholder variables)."""
    run_dir: Path
    """The session's own owner-only directory (a plan file goes there: `Workdir.planfile(session.run_dir)`)."""

    @property
    def root(self) -> Path:
        return self.target.workdir.root


@contextmanager
def engine_session(target: ApplyTarget, *, sandbox: bool = False, engine: EngineChoice = "auto",
                   warn: Callable[[str], None], lock: str | None = None, break_lock: bool = False,
                   runner_factory: RunnerFactory = select_runner,
                   setup: SetupFactory | None = None) -> Iterator[Session]:
    """Open a session for `target` (see the module docstring); `lock` is the command the lock names
    (`break_lock`: remove a stale lock first, as `iac apply --break-lock` does). `setup`: the engine's setup
    instead of the environment's own (a fleet's parts share one sandbox provider, iac/workflows/fleet_sandbox.py)."""
    if sandbox:
        target = sandboxed(target)
    workdir = target.workdir
    with ExitStack() as resources:
        held = None
        if lock is not None:
            held = resources.enter_context(environment_lock(workdir.lockfile, command=lock, environment=target.name,
                                                            break_lock=break_lock))
        run_dir = resources.enter_context(workdir.run_files(held.holder.token if held else uuid.uuid4().hex))
        if setup is None and sandbox:
            from iac.apply.sandbox import sandbox_engine

            setup = sandbox_engine(warn)
        engine_setup = resources.enter_context((setup or no_setup)(target))
        hold = ((held.fd,) if held is not None else ()) + tuple(engine_setup.hold)
        runner, version = runner_factory(engine, engine_setup.env, run_dir=run_dir, hold=hold)
        resources.callback(runner.close)
        workdir.write_config(target.config_text)
        runner.init(workdir.root)
        yield Session(target, runner, version, engine_setup.env, run_dir)

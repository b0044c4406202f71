"""An engine session: Terraform initialised in an environment's working directory (the sandbox's with `sandbox`),
ready for the commands that read or edit state through it (`iac plan --refresh`, `iac state`, `iac output`).

    with engine_session(target, sandbox=True, warn=print, lock="iac state mv dev") as session:
        session.runner.inspect(session.root, "state", "list")

The configuration is written into the working directory (atomically, only when it changed, as apply does) and
`terraform init` runs there. With `lock`, the session holds the environment's lock, the same one apply holds,
for as long as it is open. The engine (and a sandbox provider) is closed when the session ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from iac.apply.target import ApplyTarget, sandboxed
from iac.terraform.lock import environment_lock
from iac.terraform.runner import EngineChoice, EngineVersion, TerraformRunner, select_runner

__all__ = ["RunnerFactory", "Session", "engine_session"]

RunnerFactory = Callable[[EngineChoice, Mapping[str, str]], tuple[TerraformRunner, EngineVersion]]


@dataclass(frozen=True)
class Session:
    target: ApplyTarget
    """What the session runs against (the sandboxed target with `sandbox`)."""
    runner: TerraformRunner
    version: EngineVersion
    env: Mapping[str, str]
    """What Terraform's environment adds (the sandbox's provider settings and placeholder variables)."""

    @property
    def root(self) -> Path:
        return self.target.workdir.root


@contextmanager
def engine_session(target: ApplyTarget, *, sandbox: bool = False, engine: EngineChoice = "auto",
                   warn: Callable[[str], None], lock: str | None = None, break_lock: bool = False,
                   runner_factory: RunnerFactory = select_runner) -> Iterator[Session]:
    """Open a session for `target` (see the module docstring); `lock` is the command the lock names
    (`break_lock`: remove a stale lock first, as `iac apply --break-lock` does)."""
    if sandbox:
        target = sandboxed(target)
    with ExitStack() as resources:
        env: dict[str, str] = {}
        if sandbox:
            from iac.apply.sandbox import sandbox_engine_env

            env = resources.enter_context(sandbox_engine_env(target.workdir.root, target.config_text, warn))
        if lock is not None:
            resources.enter_context(environment_lock(target.workdir.lockfile, command=lock, environment=target.name,
                                                     break_lock=break_lock))
        runner, version = runner_factory(engine, env)
        resources.callback(runner.close)
        target.workdir.write_config(target.config_text)
        runner.init(target.workdir.root)
        yield Session(target, runner, version, env)

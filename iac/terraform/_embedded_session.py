"""The parent side of the embedded worker (iac/terraform/_embedded_worker.py): one worker per runner.

The worker is started on the first command with the runner's environment and serves every later
command of the run; `close()` (or the end of the iac process, which closes its stdin) ends it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from iac.diagnostics import TerraformError
from iac.terraform._process import LineSink, ProcessResult, forward_interrupts

__all__ = ["EmbeddedSession"]

_WORKER = Path(__file__).with_name("_embedded_worker.py")


class EmbeddedSession:
    """Runs Terraform commands in one embedded worker process."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = dict(env)
        self._process: subprocess.Popen[str] | None = None
        self._stderr: list[str] = []

    def run(self, args: Sequence[str], workdir: Path, on_line: LineSink | None = None) -> ProcessResult:
        """Run one command in `workdir`; stream its stdout lines to `on_line`."""
        process = self._worker()
        interrupted = threading.Event()
        with forward_interrupts(process, interrupted):
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(json.dumps({"argv": list(args), "cwd": str(workdir.resolve())}) + "\n")
            process.stdin.flush()
            lines: list[str] = []
            try:
                for raw in process.stdout:
                    message: dict[str, Any] = json.loads(raw)
                    if "exit" in message:
                        return ProcessResult(int(message["exit"]), "".join(lines), str(message["stderr"]),
                                             interrupted.is_set())
                    lines.append(message["line"] + "\n")
                    if on_line is not None:
                        on_line(message["line"])
            except BaseException:
                self._abandon()  # leaving mid-command: stop Terraform gracefully, start afresh next time
                raise
        self._abandon()
        raise TerraformError(f"the embedded Terraform worker exited unexpectedly: {''.join(self._stderr).strip()[-500:]}")

    def _worker(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self._stderr = []
            self._process = subprocess.Popen(
                [sys.executable, "-P", str(_WORKER)], env=self.env, text=True, encoding="utf-8", errors="replace",
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=1,
                start_new_session=True)  # Ctrl-C reaches iac, which forwards it (iac/terraform/_process.py)
            stderr = self._process.stderr
            threading.Thread(target=lambda: self._stderr.extend(stderr), daemon=True).start()  # type: ignore[arg-type]
        return self._process

    def _abandon(self) -> None:
        if self._process is not None and self._process.poll() is None:
            import signal

            self._process.send_signal(signal.SIGINT)
        self.close()

    def close(self) -> None:
        """End the worker: it exits when its stdin closes, after the command in progress."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()

"""iac's side of the Terraform worker (iac/terraform/_worker.py): start it, send commands, follow their output.

One worker serves every command of a run. It runs in a session of its own and writes Terraform's output to
files in the run directory, which this side follows as they grow: if iac is killed, nothing the worker
writes hits a closed pipe, so the command in flight finishes and Terraform writes its state. `close()`
(or iac's death, which closes the worker's stdin) ends the worker after the command in progress.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from iac.diagnostics import TerraformError
from iac.terraform._process import LineSink, ProcessResult, forward_interrupts

__all__ = ["WorkerSession", "follow_output"]

_WORKER = Path(__file__).with_name("_worker.py")
_POLL_S = (0.005, 0.05)
"""How often a growing output file is looked at: starting fast, backing off to 50 ms while Terraform is quiet."""


class WorkerSession:
    """Runs Terraform commands in one worker process for a run.

    `run_dir` (owner-only) receives the worker's output files; `binary` selects a Terraform executable
    instead of the embedded engine; `hold` are file descriptors the worker keeps open for as long as it
    lives (the environment lock, the sandbox provider's lifeline).
    """

    def __init__(self, env: Mapping[str, str], run_dir: Path, *, binary: str | None = None,
                 hold: Sequence[int] = ()) -> None:
        self.env = dict(env)
        self.run_dir = run_dir
        self.binary = binary
        self.hold = tuple(hold)
        self._process: subprocess.Popen[str] | None = None
        self._ids = itertools.count(1)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def run(self, args: Sequence[str], workdir: Path, on_line: LineSink | None = None,
            owns: Sequence[Path] = ()) -> ProcessResult:
        """Run one command in `workdir`; stream its stdout lines to `on_line`. `owns`: files the worker removes
        when it ends, should iac not be there to do it (plan files)."""
        process = self._worker()
        number = next(self._ids)
        request = {"id": number, "argv": list(args), "cwd": str(workdir.resolve()), "owns": [str(p) for p in owns]}
        out, done = self.run_dir / f"{number}.out", self.run_dir / f"{number}.exit"
        with forward_interrupts(process.pid) as interrupts:
            def seen(line: str) -> None:
                interrupts.running()  # an interrupt waits for this (iac/terraform/_process.py)
                if on_line is not None:
                    on_line(line)

            try:
                assert process.stdin is not None
                process.stdin.write(json.dumps(request) + "\n")
                process.stdin.flush()
                lines = follow_output(out, done, process, seen)
            except BaseException:
                self._abandon()  # leaving mid-command: Terraform stops gracefully; a fresh worker next time
                raise
        if not done.exists():
            self._abandon()
            raise TerraformError(f"the Terraform worker exited unexpectedly: {self._log_tail()}")
        result = json.loads(done.read_text(encoding="utf-8"))
        out.unlink(missing_ok=True)
        done.unlink(missing_ok=True)
        return ProcessResult(int(result["exit"]), "".join(lines), str(result["stderr"]), interrupts.count > 0)

    def _worker(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self.run_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            argv = [sys.executable, "-P", str(_WORKER), str(self.run_dir)]
            argv += ["--binary", self.binary] if self.binary else []
            for fd in self.hold:
                argv += ["--hold", str(fd)]
            with open(os.open(self.run_dir / "worker.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab") as log:
                self._process = subprocess.Popen(
                    argv, env=self.env, text=True, encoding="utf-8", stdin=subprocess.PIPE,
                    stdout=subprocess.DEVNULL, stderr=log, pass_fds=self.hold,
                    start_new_session=True)  # Ctrl-C reaches iac, which forwards it (iac/terraform/_process.py)
        return self._process

    def _log_tail(self) -> str:
        log = self.run_dir / "worker.log"
        return log.read_text(encoding="utf-8", errors="replace").strip()[-500:] if log.is_file() else ""

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
            with contextlib.suppress(BrokenPipeError):  # a worker that died already
                process.stdin.close()
        process.wait()


def follow_output(out: Path, done: Path, process: subprocess.Popen[Any] | None, on_line: LineSink | None) -> list[str]:
    """The lines of `out` as the worker writes them, until `done` appears (or the worker is gone)."""
    lines: list[str] = []
    handle: IO[str] | None = None
    pending = ""
    pause = _POLL_S[0]
    try:
        while True:
            finished = done.exists() or (process is not None and process.poll() is not None)
            if handle is None and out.exists():
                handle = open(out, encoding="utf-8", errors="replace")  # noqa: SIM115 - closed below
            chunk = handle.read() if handle is not None else ""
            if chunk:
                pending += chunk
                *complete, pending = pending.split("\n")
                for line in complete:
                    lines.append(line + "\n")
                    if on_line is not None:
                        on_line(line)
                pause = _POLL_S[0]
                continue
            if finished:
                break
            time.sleep(pause)
            pause = min(pause * 2, _POLL_S[1])
    finally:
        if handle is not None:
            handle.close()
    if pending:
        lines.append(pending)
        if on_line is not None:
            on_line(pending)
    return lines

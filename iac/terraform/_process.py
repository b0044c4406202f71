"""Run one Terraform command in a child process: stream its output, forward Ctrl-C, never lose it.

Both engines run Terraform in a child process (the binary itself, or the embedded worker), so this is the
one place that deals with processes and signals:

* the child gets an explicit environment (secrets travel only as `TF_VAR_*` variables in it);
* the child starts in its own session, so a terminal's Ctrl-C reaches iac only; iac then forwards exactly
  one interrupt per signal to the child, and Terraform stops gracefully, persisting state. Forwarding
  ourselves (instead of letting the terminal signal the whole group) means the same path works when iac
  is interrupted by CI (`SIGTERM`) or by a test sending a signal to iac's pid;
* output is read line by line and handed to a callback while the command runs.
"""

from __future__ import annotations

import signal
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ProcessResult", "forward_interrupts", "run_process"]

LineSink = Callable[[str], None]
"""Receives each line of Terraform's output as it is printed."""


@dataclass(frozen=True)
class ProcessResult:
    """What a finished command left behind."""

    returncode: int
    stdout: str
    stderr: str
    interrupted: bool
    """True when iac received Ctrl-C / SIGTERM while the command ran and forwarded it."""


def run_process(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    on_line: LineSink | None = None,
) -> ProcessResult:
    """Run `argv` in `cwd` with exactly `env`; call `on_line` for each stdout line as it arrives."""
    process = subprocess.Popen(
        list(argv), cwd=cwd, env=dict(env), text=True, encoding="utf-8", errors="replace",
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    stderr_chunks: list[str] = []
    reader = threading.Thread(target=lambda: stderr_chunks.append(process.stderr.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    interrupted = threading.Event()
    with forward_interrupts(process, interrupted):
        stdout_lines: list[str] = []
        try:
            stdout_lines.extend(_read_lines(process, on_line))
        except BaseException:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # leaving early (a failing callback): stop Terraform gracefully
            process.wait()
            raise
        returncode = process.wait()
        reader.join()
    return ProcessResult(returncode, "".join(stdout_lines), "".join(stderr_chunks), interrupted.is_set())


def _read_lines(process: subprocess.Popen[str], on_line: LineSink | None) -> Iterator[str]:
    assert process.stdout is not None
    for line in process.stdout:
        if on_line is not None:
            on_line(line.rstrip("\n"))
        yield line


@contextmanager
def forward_interrupts(process: subprocess.Popen[str], interrupted: threading.Event) -> Iterator[None]:
    """While the child runs, SIGINT/SIGTERM to iac become one SIGINT to the child (Terraform's graceful stop)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be installed from the main thread; the child is still stopped on exit
        return

    def forward(signum: int, frame: object) -> None:
        interrupted.set()
        if process.poll() is None:
            process.send_signal(signal.SIGINT)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

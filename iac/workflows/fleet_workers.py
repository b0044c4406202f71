"""The processes a fleet plan spreads its members over, made to outlive a member that ends its process.

`multiprocessing.Pool` loses the task of a worker that dies (a blueprint calling `os._exit`, the kernel's
out-of-memory killer, a crash in a C extension) and then waits for it forever. Here each worker has its own
pipe and counts, in memory the parent shares, the members of its chunk it has started (a count, not a message:
the parent is not woken a thousand times); when a worker dies, the member it was planning fails with how its
process ended, and the rest of its chunk goes back to the surviving workers (planned again from the start: a
chunk's results travel together). When no worker is left, what remains fails with that reason: never a hang.

Workers are forked once, when the pool is made (the caller makes it before it loads anything that does not
survive a fork), ignore Ctrl-C (the parent stops them), stop when the parent is killed (before their next
member), and end with `os._exit` (nothing to tear down).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

__all__ = ["Chunk", "WorkerPool"]

Chunk = list[tuple[str, bool]]
"""Members planned by one task, in order: `(member key, removed from the fleet)`."""

RunChunk = Callable[[Any, Callable[[str], None]], Any]
"""`run(task, started)` in a worker: plans a task's chunk, calling `started(key)` before each member."""


class _Worker:
    __slots__ = ("chunk", "conn", "process", "slot")

    def __init__(self, process: Any, conn: Connection, slot: int) -> None:
        self.process, self.conn, self.slot = process, conn, slot
        self.chunk: Chunk | None = None


class WorkerPool:
    """`jobs` forked workers that run `run` on tasks (see the module docstring)."""

    def __init__(self, jobs: int, run: RunChunk) -> None:
        context = multiprocessing.get_context("fork")
        self.jobs = jobs
        self._started = context.RawArray("i", jobs)
        """Per worker: how many members of its current chunk it has started (the last one may be running)."""
        self._workers: list[_Worker] = []
        for slot in range(jobs):
            ours, theirs = context.Pipe()
            inherited = [w.conn for w in self._workers] + [ours]  # closed in the child: EOF once the parent is gone
            process = context.Process(target=_serve, args=(theirs, inherited, run, self._started, slot), daemon=True)
            process.start()
            theirs.close()
            self._workers.append(_Worker(process, ours, slot))

    def run(self, chunks: Sequence[Chunk], task_of: Callable[[Chunk], Any]) -> tuple[list[Any], list[tuple[str, str]]]:
        """Each chunk's result (in the order they finish), and `(member key, why)` for every member whose
        worker died while planning it, or that no worker was left to plan."""
        pending = deque(chunks)
        idle = [w for w in self._workers if w.process.is_alive()]
        busy: list[_Worker] = []
        results: list[Any] = []
        lost: list[tuple[str, str]] = []
        while pending or busy:
            while idle and pending:
                worker = idle.pop()
                worker.chunk = pending.popleft()
                self._started[worker.slot] = 0  # the worker is idle: no race with its counting
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # died while idle: found below,
                    worker.conn.send(task_of(worker.chunk))  # its whole chunk goes back to the others
                busy.append(worker)
            if not busy:  # every worker died: nothing can plan what is left
                lost += [(key, "not planned: every planning process had ended") for chunk in pending for key, _ in chunk]
                break
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for worker in list(busy):
                outcome = _read(worker)
                if outcome is _RUNNING:
                    continue
                busy.remove(worker)
                if outcome is _DIED:
                    self._workers.remove(worker)
                    lost += self._reclaim(worker, pending)
                else:
                    results.append(outcome)
                    idle.append(worker)
        return results, lost

    def _reclaim(self, worker: _Worker, pending: deque[Chunk]) -> list[tuple[str, str]]:
        """The dead worker's member fails; the rest of its chunk is planned again by the others."""
        worker.process.join()
        chunk, started = worker.chunk or [], self._started[worker.slot]
        if not 0 < started <= len(chunk):  # died before it started a member: the chunk is whole again
            pending.appendleft(chunk)
            return []
        culprit = chunk[started - 1][0]
        pending.appendleft([item for item in chunk if item[0] != culprit])
        return [(culprit, f"its planning process ended abruptly ({_how(worker.process.exitcode)}) while "
                          "planning it (the other members were planned)")]

    def close(self) -> None:
        """Let the workers finish (they end when told to, or when their pipe closes)."""
        for worker in self._workers:
            with contextlib.suppress(OSError):  # a worker that died since: its pipe is closed
                worker.conn.send(None)
        for worker in self._workers:
            worker.process.join()
            worker.conn.close()

    def kill(self) -> None:
        """Stop every worker now (SIGKILL: a worker that loaded Terraform's library may ignore SIGTERM)."""
        for worker in self._workers:
            worker.process.kill()
        for worker in self._workers:
            worker.process.join()
            worker.conn.close()


_RUNNING, _DIED = object(), object()


def _read(worker: _Worker) -> Any:
    """What `worker` has said: its chunk's result, `_DIED`, or `_RUNNING`."""
    conn = worker.conn
    while True:
        try:
            if not conn.poll():
                return _RUNNING if worker.process.is_alive() else _DIED
            message = conn.recv()
        except (EOFError, OSError):
            return _DIED
        if message[0] == "done":
            return message[1]
        raise message[1]  # "error": a bug in iac, raised where the parent can report it


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
        hint = ": out of memory?" if -exitcode == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exit code {exitcode}"


def _serve(conn: Connection, inherited: list[Connection], run: RunChunk, started: Any, slot: int) -> None:
    """A worker: tasks in, `("done", result)` (or `("error", exception)`) out; members started counted."""

    parent = os.getppid()

    def start(_key: str) -> None:
        if os.getppid() != parent:  # the parent was killed (this process was adopted): stop at once
            os._exit(0)
        started[slot] += 1

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for other in inherited:
        other.close()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            break
        if task is None:
            break
        try:
            reply: tuple[str, Any] = ("done", run(task, start))
        except (BrokenPipeError, ConnectionResetError):  # the parent is gone (killed): nobody to plan for
            break
        except BaseException as error:  # noqa: BLE001 - the parent raises it (it has the terminal and the exit code)
            reply = ("error", error)
        try:
            conn.send(reply)
        except (BrokenPipeError, ConnectionResetError):
            break
        except Exception:  # noqa: BLE001 - an error that does not pickle: its text instead
            conn.send(("error", RuntimeError("".join(traceback.format_exception(reply[1])))))
    os._exit(0)

"""One lock per environment working directory, so two applies never run on the same state at once.

The lock is a small JSON file (`.iac/lock.json`) naming its holder, created complete or not at all
(written to a temporary file, then hard-linked to its name, which fails if the name exists), and held
with `flock` for as long as the run lives. The run hands that descriptor to its Terraform worker
(iac/terraform/_worker.py), so the kernel holds the lock until both iac and the Terraform it started are
gone: if iac is killed mid-apply, the lock stays held while its Terraform finishes and writes the state.

A second run fails at once (no waiting) and says who holds the lock and since when. A run that finds the
lock of a holder that died on this host:
  * waits while that holder's Terraform is still running (the flock is still held), then
  * takes the lock over, and reports the holder as its predecessor (what happened is then said, and
    written to the audit log, by iac/apply/recovery.py).
A lock whose holder ran on another host is never judged from here: `--break-lock` removes it explicitly.

Terraform's own state lock still protects the state itself during each Terraform command; this lock
covers the whole iac run (preview, approval, plan, verify, apply), which Terraform cannot see.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import os
import socket
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from iac import _jsonio
from iac.diagnostics import ApplyRefused, Diagnostic

__all__ = ["HeldLock", "LockHolder", "environment_lock"]

_WAIT_POLL_S = 0.2

@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock: enough to find the run and judge whether it is still alive."""

    user: str
    pid: int
    host: str
    since: str
    """UTC time the lock was taken, ISO 8601."""
    command: str
    token: str = ""
    """Random per run, so a run never releases a lock someone else took after breaking ours; it also names
    the run's own directory (`.iac/runs/<token>`)."""
    started: str = ""
    """When the holder's process started (Linux clock ticks since boot): a reused pid is not the holder."""

    @classmethod
    def me(cls, command: str) -> LockHolder:
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        return cls(current_user(), os.getpid(), socket.gethostname(), since, command, uuid.uuid4().hex,
                   _process_start(os.getpid()))

    def describe(self) -> str:
        return f"{self.user} (pid {self.pid} on {self.host}, `{self.command}`) since {self.since}"

    def probably_dead(self) -> bool:
        """True when the holder ran on this host and its process is gone."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return bool(self.started) and _process_start(self.pid) not in ("", self.started)


def _process_start(pid: int) -> str:
    """The start time of process `pid` (field 22 of /proc/PID/stat), "" where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rpartition(")")[2].split()[19]


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


@dataclass(frozen=True)
class HeldLock:
    """The lock this run holds."""

    holder: LockHolder
    fd: int
    """The open lock file, flock held: pass it to the Terraform worker so the lock outlives iac while it runs."""
    predecessor: LockHolder | None = None
    """The holder of a lock this run took over: a run that died without releasing it (None: a free lock)."""


Waiting = Callable[[LockHolder], None]
"""Called while a run waits for the Terraform of a holder that died (first at once, then every 0.2 s)."""


@contextlib.contextmanager
def environment_lock(lockfile: Path, *, command: str, environment: str, break_lock: bool = False,
                     waiting: Waiting | None = None) -> Iterator[HeldLock]:
    """Hold the lock for the duration of the block; release it however the block ends."""
    holder = LockHolder.me(command)
    lockfile.parent.mkdir(parents=True, exist_ok=True)
    fd, predecessor = _acquire(lockfile, holder, environment, break_lock, waiting)
    try:
        yield HeldLock(holder, fd, predecessor)
    finally:
        _release(lockfile, holder, fd)


def _acquire(lockfile: Path, holder: LockHolder, environment: str, break_lock: bool,
             waiting: Waiting | None) -> tuple[int, LockHolder | None]:
    while True:
        if _create(lockfile, holder):
            fd = _open(lockfile)
            if fd is not None and _try_flock(fd) and _same_file(fd, lockfile):
                return fd, None
            _close(fd)
            continue  # taken over or released between our link and our flock: look again
        fd = _open(lockfile)
        if fd is None:
            continue  # released meanwhile
        try:
            other = _holder_in(fd)
            if not _try_flock(fd):  # the holder, or the Terraform it started, is still running
                if other is None or not other.probably_dead():
                    raise ApplyRefused(_held_by(lockfile, other, environment, break_lock))
                _wait_for(fd, other, waiting)
            if not _same_file(fd, lockfile):
                os.close(fd)
                continue
            _judge_free_lock(lockfile, other, environment, break_lock)
            _write_holder(fd, holder)
            return fd, other if other is not None else LockHolder("unknown", 0, "", "", "(unreadable lock)")
        except BaseException:
            os.close(fd)
            raise


def _judge_free_lock(lockfile: Path, other: LockHolder | None, environment: str, break_lock: bool) -> None:
    """Nobody holds the flock of this lock any more: take it over, unless that cannot be judged from here."""
    if other is None or break_lock:
        return
    if other.host != socket.gethostname():
        raise ApplyRefused(Diagnostic(summary=f"environment is locked by {other.describe()}, on another host: "
                                              "if no apply is running there, re-run with --break-lock",
                                      environment=environment))
    if not other.probably_dead():  # alive, yet not holding the flock: an iac from before the flock was kept
        raise ApplyRefused(_held_by(lockfile, other, environment, break_lock))


def _wait_for(fd: int, other: LockHolder, waiting: Waiting | None) -> None:
    """The holder died but the flock is still held: its Terraform is finishing. Wait for it."""
    while True:
        if waiting is not None:
            waiting(other)
        if _try_flock(fd):
            return
        time.sleep(_WAIT_POLL_S)


def _create(lockfile: Path, holder: LockHolder) -> bool:
    fd, tmp = tempfile.mkstemp(prefix=".lock.", dir=lockfile.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(_jsonio.dumps(asdict(holder)))
        try:
            os.link(tmp, lockfile)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)


def _open(lockfile: Path) -> int | None:
    try:
        return os.open(lockfile, os.O_RDWR)
    except FileNotFoundError:
        return None


def _close(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(fd: int, lockfile: Path) -> bool:
    """The descriptor still refers to the lock file's name (a released lock is unlinked first)."""
    try:
        path = lockfile.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (path.st_dev, path.st_ino)


def _holder_in(fd: int) -> LockHolder | None:
    try:
        data = os.pread(fd, 1 << 16, 0)
        return LockHolder(**_jsonio.loads(data.decode("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _write_holder(fd: int, holder: LockHolder) -> None:
    data = _jsonio.dumps(asdict(holder)).encode("utf-8")
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)
    os.fsync(fd)


def _held_by(lockfile: Path, other: LockHolder | None, environment: str, break_lock: bool) -> Diagnostic:
    if other is None:
        return Diagnostic(summary=f"{lockfile} is held by a running process but is unreadable; wait for it to "
                                  "finish", environment=environment)
    if break_lock:
        return Diagnostic(summary=f"--break-lock: the lock holder {other.describe()} is still running on this host; "
                                  "not breaking its lock", environment=environment)
    return Diagnostic(summary=f"environment is locked by {other.describe()}; wait for it to finish, or if it is gone, "
                              "re-run with --break-lock", environment=environment)


def _release(lockfile: Path, holder: LockHolder, fd: int) -> None:
    """Remove the lock only if it is still ours (someone may have broken it and taken it), then let go of the
    flock (closing the last descriptor releases it)."""
    try:
        if _holder_in(fd) == holder and _same_file(fd, lockfile):
            lockfile.unlink(missing_ok=True)
    finally:
        os.close(fd)

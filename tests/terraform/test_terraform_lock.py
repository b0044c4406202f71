"""The environment lock: a file naming its holder, held with flock by the run and by the Terraform it started."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iac import _jsonio
from iac.diagnostics import ApplyRefused
from iac.terraform.lock import LockHolder, environment_lock


def _dead_pid() -> int:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(dead.stdout)


def _holder(pid: int, host: str | None = None, token: str = "t") -> dict[str, object]:
    return {"user": "alice", "pid": pid, "host": host or socket.gethostname(), "since": "2026-01-01T00:00:00Z",
            "command": "iac apply dev", "token": token}


def test_second_holder_fails_at_once_naming_the_first(tmp_path: Path) -> None:
    lockfile = tmp_path / ".iac" / "lock.json"
    with environment_lock(lockfile, command="iac apply dev", environment="dev") as lock:
        holder = lock.holder
        with pytest.raises(ApplyRefused) as caught, environment_lock(lockfile, command="iac apply dev", environment="dev"):
            pass
        message = caught.value.diagnostics[0].format()
        assert f"locked by {holder.user} (pid {os.getpid()} on {socket.gethostname()}, `iac apply dev`)" in message
        assert f"since {holder.since}" in message and "--break-lock" in message
        assert _jsonio.read_json(lockfile)["token"] == holder.token  # the refused run did not disturb it
        assert lock.predecessor is None
    assert not lockfile.exists()


def test_lock_is_released_when_the_block_fails(tmp_path: Path) -> None:
    lockfile = tmp_path / "lock.json"
    with pytest.raises(RuntimeError), environment_lock(lockfile, command="c", environment="dev"):
        raise RuntimeError("boom")
    assert not lockfile.exists()


def test_lock_of_a_dead_holder_is_taken_over_and_reported_as_predecessor(tmp_path: Path) -> None:
    """Nothing holds its flock and its process is gone: a run that was killed. No --break-lock needed."""
    lockfile = tmp_path / "lock.json"
    lockfile.write_text(_jsonio.dumps(_holder(_dead_pid())))
    with environment_lock(lockfile, command="c", environment="dev") as lock:
        assert _jsonio.read_json(lockfile)["token"] == lock.holder.token
        assert lock.predecessor is not None
        assert (lock.predecessor.user, lock.predecessor.command, lock.predecessor.token) == ("alice", "iac apply dev", "t")
    assert not lockfile.exists()


def test_a_reused_pid_is_not_the_holder(tmp_path: Path) -> None:
    """The holder's pid runs again, but as another process (another start time): the holder is dead."""
    lockfile = tmp_path / "lock.json"
    lockfile.write_text(_jsonio.dumps({**_holder(os.getpid()), "started": "1"}))
    with environment_lock(lockfile, command="c", environment="dev") as lock:
        assert lock.predecessor is not None and lock.predecessor.pid == os.getpid()


def test_a_live_holder_without_flock_is_not_taken_over(tmp_path: Path) -> None:
    """An iac from before the flock (a lock file only) whose process is alive: refused, as before."""
    lockfile = tmp_path / "lock.json"
    lockfile.write_text(_jsonio.dumps(_holder(os.getpid())))
    with pytest.raises(ApplyRefused, match="locked by alice .* wait for it to finish"), \
            environment_lock(lockfile, command="c", environment="dev"):
        pass


_HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_a_dead_holders_terraform_is_waited_for_then_the_lock_is_taken_over(tmp_path: Path) -> None:
    """The holder died but the Terraform it started still holds the flock: wait for it, then take over."""
    lockfile = tmp_path / "lock.json"
    lockfile.write_text(_jsonio.dumps(_holder(_dead_pid())))
    terraform = subprocess.Popen([sys.executable, "-c", _HOLD, str(lockfile), "1.0"], stdout=subprocess.PIPE, text=True)
    assert terraform.stdout is not None and terraform.stdout.readline() == "held\n"
    waited: list[LockHolder] = []
    started = time.monotonic()
    with environment_lock(lockfile, command="c", environment="dev", waiting=waited.append) as lock:
        assert terraform.poll() is not None, "the lock was taken while the dead run's Terraform still held it"
        assert lock.predecessor is not None and lock.predecessor.user == "alice"
    assert waited and waited[0].user == "alice" and time.monotonic() - started >= 0.5
    terraform.wait()


def test_a_live_holders_flock_refuses_even_with_break_lock(tmp_path: Path) -> None:
    lockfile = tmp_path / "lock.json"
    with environment_lock(lockfile, command="first", environment="dev") as first:
        with pytest.raises(ApplyRefused, match=r"--break-lock: the lock holder .* is still running on this host"), \
                environment_lock(lockfile, command="second", environment="dev", break_lock=True):
            pass
        assert _jsonio.read_json(lockfile)["token"] == first.holder.token


_KILLED_RUN = """
import subprocess, sys, time
from pathlib import Path
from iac.terraform.lock import environment_lock
with environment_lock(Path(sys.argv[1]), command="iac apply dev", environment="dev") as lock:
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1.5)"], pass_fds=(lock.fd,),
                     start_new_session=True)  # what the Terraform worker gets
    print("ready", flush=True)
    time.sleep(60)
"""


def test_a_killed_runs_lock_is_held_by_its_terraform_until_it_ends(tmp_path: Path) -> None:
    """iac is killed (SIGKILL: no cleanup); the worker it started holds the flock, so the next run waits for
    it, then takes the lock over and names the killed run."""
    lockfile = tmp_path / "lock.json"
    run = subprocess.Popen([sys.executable, "-c", _KILLED_RUN, str(lockfile)], stdout=subprocess.PIPE, text=True,
                           env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert run.stdout is not None and run.stdout.readline() == "ready\n"
    killed = LockHolder(**_jsonio.read_json(lockfile))
    run.kill()
    run.wait()
    waited: list[LockHolder] = []
    started = time.monotonic()
    with environment_lock(lockfile, command="c", environment="dev", waiting=waited.append) as lock:
        assert lock.predecessor == killed
    assert waited and waited[0] == killed
    assert time.monotonic() - started > 0.3  # it waited for the worker (1.5 s after it started)


def test_a_run_never_removes_a_lock_someone_else_took(tmp_path: Path) -> None:
    lockfile = tmp_path / "lock.json"
    other = _holder(1, host="ci-runner-7", token="bobs")
    with environment_lock(lockfile, command="first", environment="dev"):
        lockfile.write_text(_jsonio.dumps(other))  # bob broke our lock from another host and holds it now
    assert _jsonio.read_json(lockfile)["token"] == "bobs"


def test_a_lock_from_another_host_needs_break_lock(tmp_path: Path) -> None:
    lockfile = tmp_path / "lock.json"
    lockfile.write_text(_jsonio.dumps(_holder(1, host="ci-runner-7", token="bobs")))
    with pytest.raises(ApplyRefused, match="on another host: if no apply is running there, re-run with --break-lock"), \
            environment_lock(lockfile, command="second", environment="dev"):
        pass
    with environment_lock(lockfile, command="second", environment="dev", break_lock=True) as lock:
        assert _jsonio.read_json(lockfile)["token"] == lock.holder.token

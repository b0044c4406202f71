"""Fleet workers outlive a member that ends its process: that member fails, naming how; the rest is planned.

multiprocessing.Pool waited forever for the task of a worker that died (found by a blueprint calling
os._exit for one member: `iac plan ENV -j 2` hung with no output)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from iac.workflows.fleet_workers import WorkerPool
from tests.conftest import PROJECT


def _plan(task: Any, started: Any) -> list[str]:
    """A stand-in for planning a chunk: `exit:N` ends the process, `kill` is SIGKILLed, `bug` raises."""
    done = []
    for key, _ in task:
        started(key)
        if key.startswith("exit"):
            os._exit(int(key.split(":")[1]))
        if key == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if key == "bug":
            raise ValueError("a bug in the planner")
        done.append(key)
    return done


def _run(chunks: list[list[str]], jobs: int = 2) -> tuple[list[str], dict[str, str]]:
    pool = WorkerPool(jobs, _plan)
    try:
        results, lost = pool.run([[(k, False) for k in chunk] for chunk in chunks], lambda chunk: chunk)
    finally:
        pool.close()
    return sorted(k for result in results for k in result), dict(lost)


def test_every_chunk_is_planned_once() -> None:
    planned, lost = _run([["a", "b"], ["c"], ["d", "e"], ["f"]])
    assert planned == ["a", "b", "c", "d", "e", "f"] and lost == {}


def test_a_member_that_exits_fails_and_its_chunk_mates_are_planned_by_the_others() -> None:
    planned, lost = _run([["a", "exit:7", "b"], ["c"], ["d"]])
    assert planned == ["a", "b", "c", "d"]
    assert lost == {"exit:7": "its planning process ended abruptly (exit code 7) while planning it "
                              "(the other members were planned)"}


def test_a_killed_worker_names_the_signal() -> None:
    planned, lost = _run([["a"], ["kill"], ["b"]])
    assert planned == ["a", "b"] and "killed by SIGKILL: out of memory?" in lost["kill"]


def test_when_every_worker_is_gone_the_rest_fails_instead_of_waiting() -> None:
    planned, lost = _run([["exit:1"], ["exit:2"], ["a", "b"]], jobs=2)
    assert planned == []
    assert set(lost) == {"exit:1", "exit:2", "a", "b"}
    assert lost["a"] == "not planned: every planning process had ended"


def test_an_error_in_a_worker_is_raised_in_the_parent() -> None:
    pool = WorkerPool(2, _plan)
    try:
        with pytest.raises(ValueError, match="a bug in the planner"):
            pool.run([[("a", False)], [("bug", False)]], lambda chunk: chunk)
    finally:
        pool.kill()


BLUEPRINT_THAT_EXITS = '''"""a fleet whose blueprint ends its process for one member"""
import os
from iac import Environment, Mode
from iac.fleet.model import Fleet
from modules.estate import team_fleet, team_member
from modules.team_workspace import Team

TEAMS = [Team(name=n, cost_center=f"cc-000{i}") for i, n in enumerate(["fraud", "search", "vision", "ads"])]


def blueprint(stack, team, shared):
    if team.name == "search":
        os._exit(7)
    team_member(stack, team, shared)


environment = Environment(
    name="fleet", mode=Mode.development, cloud="aws", region="us-east-1",
    account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001",
    default_tags={"project": "ml-platform", "environment": "dev", "owner": "platform-team"},
    build=Fleet(shared=team_fleet(TEAMS, metastore_bucket="acme-m").shared, blueprint=blueprint, members=TEAMS),
)
'''


def test_iac_plan_of_a_fleet_whose_blueprint_ends_a_worker_reports_that_member(tmp_path: Path) -> None:
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "fleet.py").write_text(BLUEPRINT_THAT_EXITS)
    (tmp_path / "modules").symlink_to(PROJECT / "modules")
    def plan(fmt: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "iac", "plan", "fleet", "-j", "2", "--format", fmt], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(PROJECT)})

    markdown = plan("markdown")
    assert markdown.returncode == 1, markdown.stderr[-2000:]
    assert ("- `search`: its planning process ended abruptly (exit code 7) while planning it (the other members "
            "were planned)") in markdown.stdout
    assert markdown.stderr.strip().splitlines()[-1] == "Error: [fleet] 1 part(s) of the fleet failed to plan: search"
    document = json.loads(plan("json").stdout)
    assert sorted(document["members"]) == ["ads", "fraud", "vision"]  # each with its plan
    assert all(plan_json.get("resource_changes", []) for plan_json in document["members"].values())


PARENT = '''
import sys, time
from iac.workflows.fleet_workers import WorkerPool

def slow(task, started):
    for key, _ in task:
        started(key)
        time.sleep(0.2)
    return []

pool = WorkerPool(2, slow)
print(" ".join(str(w.process.pid) for w in pool._workers), flush=True)
pool.run([[(f"m{i}", False) for i in range(50)] for _ in range(4)], lambda chunk: chunk)
'''


def _ended(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\\nState:\\tZ" in status  # a zombie: ended, waiting for whoever adopted it


def test_workers_end_when_the_parent_is_killed() -> None:
    """No orphan keeps planning (or waits forever) after `kill -9` of the command."""
    import time

    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(PROJECT)})
    assert parent.stdout is not None
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    time.sleep(0.5)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while not all(_ended(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_ended(pid) for pid in workers)


def test_a_worker_that_died_while_idle_gives_its_chunk_to_the_others() -> None:
    pool = WorkerPool(2, _plan)
    try:
        first = pool._workers[0]
        first.process.kill()
        first.process.join()
        first.process.is_alive = lambda: True  # type: ignore[method-assign]  # as if it died after this was asked
        results, lost = pool.run([[("a", False)], [("b", False)], [("c", False)]], lambda chunk: chunk)
    finally:
        pool.close()
    assert sorted(k for result in results for k in result) == ["a", "b", "c"] and lost == []

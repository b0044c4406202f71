"""`iac state list|show|mv|rm ENV` and `iac output ENV`, through the engine, on a scaffolded environment applied
into the sandbox: what Terraform records, edits under the environment's lock with an owner-only backup, and no
sensitive value ever printed."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

from iac.terraform.lock import environment_lock
from tests.commands.conftest import ENGINE, Iac

pytest.importorskip("iac.sandbox.session")
pytestmark = pytest.mark.slow

SANDBOX = ("--sandbox", *ENGINE)
ADDRESSES = ["databricks_cluster.starter", "databricks_cluster_policy.starter", "databricks_group.starter_users",
             "databricks_permissions.starter_cluster", "databricks_secret_scope.starter"]


def _sandbox(project: Path) -> Path:
    return project / ".iac" / "qa" / ".sandbox"


@pytest.fixture
def applied(iac: Iac, project: Path) -> Path:
    """The scaffold with one sensitive output more, applied into the sandbox."""
    starter = project / "modules" / "starter.py"
    starter.write_text(starter.read_text().replace(
        '    stack.output("cluster_id"',
        '    stack.output("scope", f"scope-{team}-name", sensitive=True)\n    stack.output("cluster_id"'))
    result = iac("apply", "qa", "--auto-approve", *SANDBOX)
    assert result.returncode == 0, result.stderr
    return _sandbox(project)


def test_list_and_show(iac: Iac, applied: Path) -> None:
    listed = iac("state", "list", "qa", *SANDBOX)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == ADDRESSES
    assert iac("state", "list", "qa", "databricks_cluster.starter", *SANDBOX).stdout.splitlines() == ADDRESSES[:1]
    shown = iac("state", "show", "qa", "databricks_secret_scope.starter", *SANDBOX)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[:3] == ['# databricks_secret_scope.starter:',
                                             'resource "databricks_secret_scope" "starter" {',
                                             '    backend_type = "DATABRICKS"']
    missing = iac("state", "show", "qa", "databricks_secret_scope.startr", *SANDBOX)
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr == ("Error: [qa] 'databricks_secret_scope.startr' is not recorded in the state (did you mean "
                              "'databricks_secret_scope.starter'?)\n")


def test_mv_and_rm_back_up_the_state_and_hold_the_lock(iac: Iac, applied: Path) -> None:
    state = applied / "terraform.tfstate"
    before = state.read_bytes()
    dry = iac("state", "mv", "qa", "databricks_group.starter_users", "databricks_group.users", "--dry-run", *SANDBOX)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip() == 'Would move "databricks_group.starter_users" to "databricks_group.users"'
    assert state.read_bytes() == before and not (applied / ".iac" / "backups").exists()

    with environment_lock(applied / ".iac" / "lock.json", command="iac apply qa", environment="qa"):
        locked = iac("state", "rm", "qa", "databricks_secret_scope.starter", *SANDBOX)
    assert locked.returncode == 1
    assert re.match(r"Error: \[qa\] environment is locked by .*`iac apply qa`", locked.stderr)
    assert state.read_bytes() == before

    moved = iac("state", "mv", "qa", "databricks_group.starter_users", "databricks_group.users", *SANDBOX)
    assert moved.returncode == 0, moved.stderr
    assert "Successfully moved 1 object(s)." in moved.stdout
    backup = Path(re.search(r"kept in (\S+) \(readable by you only\)", moved.stdout).group(1))
    assert json.loads(backup.read_bytes()) == json.loads(before) and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    assert not list(applied.glob("*.backup")), "no copy of the state left readable beside it"
    assert "databricks_group.users" in iac("state", "list", "qa", *SANDBOX).stdout

    removed = iac("state", "rm", "qa", "databricks_group.users", "databricks_secret_scope.starter", *SANDBOX)
    assert removed.returncode == 0, removed.stderr
    assert "Successfully removed 2 resource instance(s)." in removed.stdout
    assert iac("state", "list", "qa", *SANDBOX).stdout.splitlines() == ADDRESSES[:2] + ADDRESSES[3:4]
    plan = iac("plan", "qa", "--sandbox")  # forgotten objects are created again: the configuration still has them
    assert "# databricks_secret_scope.starter will be created" in plan.stdout
    backups = sorted((applied / ".iac" / "backups").glob("*.tfstate"))
    assert len(backups) == 2

    failed = iac("state", "rm", "qa", "databricks_group.nope", *SANDBOX)
    assert failed.returncode == 1 and "Invalid target address" in failed.stderr
    assert sorted((applied / ".iac" / "backups").glob("*.tfstate")) == backups, "nothing changed: no backup kept"


def test_output_masks_what_is_sensitive(iac: Iac, applied: Path) -> None:
    text = iac("output", "qa", *SANDBOX)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert [line.split(" = ")[0] for line in lines] == ["cluster_id", "cluster_policy_id", "scope"]
    assert lines[2] == "scope = <sensitive>"
    cluster_id = json.loads((applied / "terraform.tfstate").read_text())["outputs"]["cluster_id"]["value"]
    assert lines[0] == f'cluster_id = "{cluster_id}"'
    document = json.loads(iac("output", "qa", "--json", *SANDBOX).stdout)
    assert document["scope"] == {"sensitive": True, "value": "(sensitive value)"}
    assert iac("output", "qa", "cluster_id", *SANDBOX).stdout == f'"{cluster_id}"\n'
    refused = iac("output", "qa", "scope", *SANDBOX)
    assert refused.returncode == 1 and refused.stderr == "Error: [qa] output 'scope' is sensitive: iac never prints it\n"
    assert "scope-platform-name" not in text.stdout + refused.stdout + json.dumps(document)
    unknown = iac("output", "qa", "nope", *SANDBOX)
    assert unknown.stderr == ("Error: [qa] no output named 'nope' in the state (outputs: cluster_id, cluster_policy_id, "
                              "scope)\n")

"""The commands that work on one state, on a fleet (a state per member and one for the shared part): `iac state
list|show|mv|rm`, `iac output` and `iac graph` take `--member KEY` / `--shared-only`; `state list` without them lists
every part, each address after its part's label; the others say in one line which flag names the part; `iac import`
refuses a fleet; `iac explain` works on the fleet's blueprint. Through the sandbox with real Terraform."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iac.cli import app, register_commands
from iac.diagnostics import IacError
from iac.terraform.lock import environment_lock
from tests.conftest import PROJECT
from tests.fleet.helpers import team

register_commands()  # CliRunner calls `app` directly: every command registered up front

ENGINE = ("--engine", "embedded")
SINGLE = '''from functools import partial
from iac import Environment, Mode
from modules.estate import databricks_estate
from modules.team_workspace import Team

environment = Environment(
    name="single", mode=Mode.development, cloud="aws", region="us-east-1",
    account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001", default_tags={"project": "p", "environment": "dev", "owner": "o"},
    build=partial(databricks_estate, teams=[Team(name="fraud", cost_center="cc-1001")], metastore_bucket="b"),
)
'''
NAME_IT = "works on one state and this fleet has one per member: name it with --member KEY (members: fraud, search) or --shared-only"
NOT_A_FLEET = "Error: --member and --shared-only are for a fleet with a state per member"


def _error_lines(*args: str) -> list[str]:
    """The error lines `iac ARGS` prints (as iac.cli.report prints them), run in-process."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, IacError), result.exception
    return [f"Error: {d.format()}" for d in result.exception.diagnostics]


@pytest.mark.parametrize(("args", "line"), [
    (("state", "show", "fleet", "databricks_cluster.fraud_shared"), f"Error: [fleet] iac state show {NAME_IT}"),
    (("state", "mv", "fleet", "a.b", "a.c"), f"Error: [fleet] iac state mv {NAME_IT}"),
    (("state", "rm", "fleet", "a.b"), f"Error: [fleet] iac state rm {NAME_IT}"),
    (("output", "fleet"), f"Error: [fleet] iac output {NAME_IT}"),
    (("state", "list", "fleet", "--member", "frud"),
     "Error: [fleet] no fleet member 'frud' (did you mean 'fraud'?); members: fraud, search"),
    (("state", "show", "fleet", "x.y", "--member", "fraud", "--shared-only"),
     "Error: [fleet] give --member KEY or --shared-only, not both"),
    (("graph", "fleet", "--member", "serch"),
     "Error: [fleet] no fleet member 'serch' (did you mean 'search'?); members: fraud, search"),
    (("state", "list", "single", "--member", "fraud"), NOT_A_FLEET),
    (("state", "rm", "single", "a.b", "--shared-only"), NOT_A_FLEET),
    (("output", "single", "--member", "fraud"), NOT_A_FLEET),
    (("graph", "single", "--shared-only"), NOT_A_FLEET),
    (("import", "fleet", "databricks_cluster.fraud_shared", "0101-x"), f"Error: [fleet] iac import {NAME_IT}"),
    (("import", "fleet", "databricks_cluster.fraud_shared", "0101-x", "--member", "search"),
     "Error: [fleet] databricks_cluster.fraud_shared: no construct of fleet part search at this address to import "
     "into (did you mean 'databricks_cluster.search_shared'?)"),
    (("import", "single", "databricks_cluster.fraud_shared", "0101-x", "--member", "fraud"), NOT_A_FLEET),
])
def test_one_line_errors(fleet_project, args: tuple[str, ...], line: str) -> None:  # type: ignore[no-untyped-def]
    root = fleet_project([team("fraud", 1), team("search", 2)], mode="development")
    (root / "environments" / "single.py").write_text(SINGLE)
    assert _error_lines(*args) == [line]
    assert not (root / "environments" / "fleet.imports.json").exists()


def test_imports_are_recorded_and_planned_per_part(fleet_project) -> None:  # type: ignore[no-untyped-def]
    """`iac import ENV ADDRESS ID --member KEY`: the member's own section of the imports file, planned by that member
    only (the same address may be another object in another member's state)."""
    root = fleet_project([team("fraud", 1), team("search", 2)], mode="development")
    recorded = CliRunner().invoke(app, ["import", "fleet", "databricks_cluster.fraud_shared", "0101-x", "--member",
                                        "fraud"])
    assert recorded.exit_code == 0, recorded.output
    assert "databricks_cluster.fraud_shared (fleet part fraud) (made at " in recorded.output
    assert "`iac plan fleet --member fraud` shows the import" in recorded.output
    imports = root / "environments" / "fleet.imports.json"
    assert json.loads(imports.read_text()) == {"fraud": {"databricks_cluster.fraud_shared": "0101-x"}}
    shared = CliRunner().invoke(app, ["import", "fleet", "databricks_metastore.main", "m-1", "--shared-only"])
    assert shared.exit_code == 0, shared.output
    assert json.loads(imports.read_text()) == {"(shared)": {"databricks_metastore.main": "m-1"},
                                               "fraud": {"databricks_cluster.fraud_shared": "0101-x"}}

    from iac.workflows.fleet_parts import synthesized_part

    fraud = synthesized_part("fleet", root, member="fraud", shared_only=False).document
    search = synthesized_part("fleet", root, member="search", shared_only=False).document
    whole = synthesized_part("fleet", root, member=None, shared_only=True).document
    assert fraud["import"] == [{"to": "databricks_cluster.fraud_shared", "id": "0101-x"}]
    assert "import" not in search
    assert whole["import"] == [{"to": "databricks_metastore.main", "id": "m-1"}]

    imports.write_text('{"databricks_cluster.fraud_shared": "0101-x"}')  # one state's layout, in a fleet
    with pytest.raises(IacError) as flat:
        synthesized_part("fleet", root, member="fraud", shared_only=False)
    assert [d.format() for d in flat.value.diagnostics] == [
        'environments/fleet.imports.json: [fleet] a fleet with a state per member keeps one section per fleet part, '
        '{"MEMBER": {"ADDRESS": "ID"}} ("(shared)" for the shared part)']


def test_graph_and_explain_on_a_fleet(fleet_project) -> None:  # type: ignore[no-untyped-def]
    fleet_project([team("fraud", 1), team("search", 2)], mode="development")
    whole = CliRunner().invoke(app, ["graph", "fleet"])
    fraud = CliRunner().invoke(app, ["graph", "fleet", "--member", "fraud"])
    shared = CliRunner().invoke(app, ["graph", "fleet", "--shared-only", "--format", "mermaid"])
    assert whole.exit_code == fraud.exit_code == shared.exit_code == 0, (whole.output, fraud.output, shared.output)
    assert '"databricks_cluster.fraud_shared"' in whole.output and '"databricks_cluster.search_shared"' in whole.output
    assert '"databricks_cluster.fraud_shared"' in fraud.output and "search" not in fraud.output
    assert "databricks_metastore.main" in shared.output and "fraud" not in shared.output
    explained = CliRunner().invoke(app, ["explain", "fleet", "databricks_cluster.search_shared.autotermination_minutes"])
    assert explained.exit_code == 0, explained.output
    assert re.match(r"databricks_cluster.search_shared: Cluster made at \S*modules/team_workspace.py:\d+; provider "
                    r"databricks.search\n  autotermination_minutes = 30\n", explained.output), explained.output


def _iac(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    return subprocess.run([sys.executable, "-m", "iac", *args, "--sandbox", *ENGINE], cwd=root, capture_output=True,
                          text=True, timeout=900, env={**env, "PYTHONPATH": str(PROJECT), "IAC_USER": "alice"})


def _ok(root: Path, *args: str) -> str:
    result = _iac(root, *args)
    assert result.returncode == 0, f"iac {' '.join(args)}: {result.stderr[-3000:]}\n{result.stdout[-3000:]}"
    return result.stdout


def _lines(root: Path, *args: str) -> list[str]:
    return _ok(root, *args).splitlines()


@pytest.mark.oracle
@pytest.mark.slow
def test_state_commands_per_member_through_the_sandbox(sandbox_fleet: Path) -> None:
    root = sandbox_fleet
    parts = {"(shared)": _lines(root, "state", "list", "fleet", "--shared-only"),
             "fraud": _lines(root, "state", "list", "fleet", "--member", "fraud"),
             "search": _lines(root, "state", "list", "fleet", "--member", "search")}
    assert parts["(shared)"] == ["databricks_metastore.main"]
    assert "databricks_cluster.fraud_shared" in parts["fraud"] and not any("search" in a for a in parts["fraud"])
    every = _lines(root, "state", "list", "fleet")
    assert every == [f"{label} {address}" for label, addresses in parts.items() for address in addresses]
    assert _lines(root, "state", "list", "fleet", "-j", "1") == every, "a stable order, whatever the parallelism"
    assert _lines(root, "state", "list", "fleet", "databricks_cluster.search_shared") == [
        "search databricks_cluster.search_shared"]
    missing = _iac(root, "state", "list", "fleet", "databricks_cluster.nowhere")
    assert missing.returncode == 1 and missing.stderr.splitlines()[-1] == (
        "Error: [fleet] 'databricks_cluster.nowhere' is recorded in no part's state (see `iac state list fleet`)")

    shown = _ok(root, "state", "show", "fleet", "--member", "fraud", "databricks_cluster.fraud_shared")
    assert shown.startswith('# databricks_cluster.fraud_shared:\nresource "databricks_cluster" "fraud_shared" {')
    assert re.search(r"\n    autotermination_minutes += 30\n", shown)
    outputs = _ok(root, "output", "fleet", "--member", "fraud")
    assert re.fullmatch(r'fraud_workspace_url = "https://dbc-[0-9a-f-]+\.cloud\.databricks\.com"\n', outputs)
    assert list(json.loads(_ok(root, "output", "fleet", "--shared-only", "--json"))) == ["metastore_id"]

    fraud_state = root / ".iac" / "fleet" / "members" / "fraud" / ".sandbox" / "terraform.tfstate"
    before = (fraud_state.read_bytes(), fraud_state.stat().st_mtime_ns)
    lock = fraud_state.parent / ".iac" / "lock.json"  # the lock fraud's apply holds
    with environment_lock(lock, command="iac apply fleet", environment="fleet"):
        refused = _iac(root, "state", "mv", "fleet", "--member", "fraud", "databricks_cluster.fraud_shared",
                       "databricks_cluster.fraud_moved")
        moved = _ok(root, "state", "mv", "fleet", "--member", "search", "databricks_cluster.search_shared",
                    "databricks_cluster.search_moved")  # another member: its own lock
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert re.search(r"^Error: \[fleet\] member fraud: environment is locked by .*`iac apply fleet`", refused.stderr,
                     re.MULTILINE), refused.stderr
    assert (fraud_state.read_bytes(), fraud_state.stat().st_mtime_ns) == before
    assert 'Move "databricks_cluster.search_shared" to "databricks_cluster.search_moved"' in moved
    backup = re.search(r"The state before this change is kept in (\S+) \(readable by you only\)\.", moved)
    assert backup and "/members/search/.sandbox/.iac/backups/" in backup.group(1)
    assert json.loads(Path(backup.group(1)).read_text())["resources"], "the whole state before the move"
    assert "databricks_cluster.search_moved" in _lines(root, "state", "list", "fleet", "--member", "search")

    dry = _ok(root, "state", "rm", "fleet", "--member", "fraud", "--dry-run", "databricks_cluster.fraud_shared")
    assert "Would remove databricks_cluster.fraud_shared" in dry and "kept in" not in dry
    assert (fraud_state.read_bytes(), fraud_state.stat().st_mtime_ns) == before
    removed = _ok(root, "state", "rm", "fleet", "--member", "fraud", "databricks_cluster.fraud_shared")
    assert "Removed databricks_cluster.fraud_shared" in removed and "/members/fraud/.sandbox/.iac/backups/" in removed
    assert "databricks_cluster.fraud_shared" not in _lines(root, "state", "list", "fleet", "--member", "fraud")

    # the cluster still exists: imported back into fraud's state, applied there alone and proved a no-op
    cluster_id = re.search(r'\n    id += "([^"]+)"', shown)
    assert cluster_id, shown
    proved = _ok(root, "import", "fleet", "databricks_cluster.fraud_shared", cluster_id.group(1), "--member", "fraud")
    assert "Apply complete! Resources: 1 imported, 0 added, 0 changed, 0 destroyed." in proved
    assert proved.endswith("Proved in the sandbox: databricks_cluster.fraud_shared (fleet part fraud) imported, and "
                           "iac plans no change for it.\n")
    assert "databricks_cluster.fraud_shared" in _lines(root, "state", "list", "fleet", "--member", "fraud")
    assert not list((root / ".iac").rglob("lock.json"))

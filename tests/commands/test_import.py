"""`iac import ENV ADDRESS ID`: an import block for an existing object, shown by the plan, applied, and proved in the
sandbox to plan as a no-op afterwards (or refused, naming the difference, when the construct does not match it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.commands.conftest import ENGINE, Iac

pytest.importorskip("iac.sandbox.session")
pytestmark = pytest.mark.slow

SANDBOX = ("--sandbox", *ENGINE)
SCOPE = "dev_alice_platform"  # the scaffold's secret scope in development mode (IAC_USER=alice)


@pytest.fixture
def unmanaged(iac: Iac, project: Path) -> Path:
    """The scaffold applied into the sandbox, then its secret scope and cluster forgotten by the state: they still
    exist in the workspace, unmanaged (what importing is for)."""
    assert iac("apply", "qa", "--auto-approve", *SANDBOX).returncode == 0
    forgotten = iac("state", "rm", "qa", "databricks_secret_scope.starter", "databricks_cluster.starter", *SANDBOX)
    assert forgotten.returncode == 0, forgotten.stderr
    return project / ".iac" / "qa" / ".sandbox"


def test_import_block_is_planned_applied_and_proved_a_no_op(iac: Iac, project: Path, unmanaged: Path) -> None:
    assert "# databricks_secret_scope.starter will be created" in iac("plan", "qa", "--sandbox").stdout

    recorded = iac("import", "qa", "databricks_secret_scope.starter", SCOPE)
    assert recorded.returncode == 0, recorded.stderr
    path = project / "environments" / "qa.imports.json"
    assert recorded.stdout.splitlines()[0] == (f"Wrote {path}: databricks_secret_scope.starter (made at "
                                               f"modules/starter.py:34) imports '{SCOPE}'.")
    assert json.loads(path.read_text()) == {"databricks_secret_scope.starter": SCOPE}
    assert iac("synth", "qa").returncode == 0
    main = json.loads((project / ".iac" / "qa" / "main.tf.json").read_text())
    assert main["import"] == [{"to": "databricks_secret_scope.starter", "id": SCOPE}]
    planned = iac("plan", "qa", "--sandbox").stdout
    assert "# databricks_secret_scope.starter will be imported" in planned and "1 to import" in planned

    proved = iac("import", "qa", "databricks_secret_scope.starter", SCOPE, *SANDBOX)
    assert proved.returncode == 0, proved.stderr
    assert "Apply complete! Resources: 1 imported, 0 added, 0 changed, 0 destroyed." in proved.stdout
    assert proved.stdout.endswith("Proved in the sandbox: databricks_secret_scope.starter imported, and iac plans no "
                                  "change for it.\n")
    assert "databricks_secret_scope.starter" in iac("state", "list", "qa", *SANDBOX).stdout
    after = iac("plan", "qa", "--sandbox", "--target", "databricks_secret_scope.starter")
    assert "No changes." in after.stdout, "once imported, the block changes nothing"


def test_an_object_that_differs_from_its_construct_is_not_imported(iac: Iac, unmanaged: Path) -> None:
    store_path = unmanaged / "provider" / "store.json"
    store = json.loads(store_path.read_text())
    [(cluster_id, _)] = [(k, v) for ws in store["workspaces"].values() for k, v in ws["databricks_cluster"].items()]
    for workspace in store["workspaces"].values():
        workspace["databricks_cluster"][cluster_id]["autotermination_minutes"] = 240  # edited by hand
    store_path.write_text(json.dumps(store))

    result = iac("import", "qa", "databricks_cluster.starter", cluster_id, *SANDBOX)

    assert result.returncode == 1
    assert ("Error: [qa] databricks_cluster.starter: iac previewed action no-op, Terraform plans update"
            in result.stderr.splitlines())
    assert "Apply complete" not in result.stdout
    assert "databricks_cluster.starter" not in iac("state", "list", "qa", *SANDBOX).stdout


def test_an_address_without_construct_is_refused(iac: Iac, project: Path) -> None:
    result = iac("import", "qa", "databricks_secret_scope.startr", SCOPE)
    assert result.returncode == 1
    assert result.stderr == ("Error: [qa] databricks_secret_scope.startr: no construct at this address to import "
                             "into (did you mean 'databricks_secret_scope.starter'?)\n")
    assert not (project / "environments" / "qa.imports.json").exists()
    (project / "environments" / "qa.imports.json").write_text('{"databricks_cluster.nope": "x"}')
    broken = iac("plan", "qa")
    assert broken.returncode == 1
    assert broken.stderr == ("Error: environments/qa.imports.json: [qa] databricks_cluster.nope: no construct at this "
                             "address to import into (did you mean 'databricks_cluster.starter'?)\n")

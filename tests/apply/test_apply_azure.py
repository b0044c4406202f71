"""`iac apply azure --sandbox`: the Azure environment and its azurerm side, applied by real Terraform offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from apply_helpers import REPO
from typer.testing import CliRunner

from iac import _jsonio
from iac.cli import app

pytestmark = [pytest.mark.oracle, pytest.mark.slow]


def test_azure_environment_applies_through_terraform_and_replans_clean(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for part in ("environments", "modules"):
        shutil.copytree(REPO / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("IAC_USER", "alice")
    result = CliRunner().invoke(app, ["apply", "azure", "--project", str(tmp_path), "--sandbox", "--auto-approve",
                                      "--engine", "embedded"])
    assert result.exit_code == 0, result.stdout[-2000:] + result.stderr[-2000:]
    state = _jsonio.read_json(tmp_path / ".iac" / "azure" / ".sandbox" / "terraform.tfstate")
    managed = {f"{r['type']}.{r['name']}": r["instances"][0]["attributes"] for r in state["resources"]
               if r["mode"] == "managed"}
    out = result.stdout
    assert f"Terraform's plan matches iac's preview at {len(managed)} address(es)." in out
    assert "Confirmed: iac plans no further changes." in out
    assert sum(1 for address in managed if address.startswith("azurerm_")) == 2 * 12  # each team's azurerm side
    # a reference into a nested value (Ref indexing) reached Terraform as one: the role goes to the connector's identity
    connector = managed["azurerm_databricks_access_connector.fraud"]
    assert managed["azurerm_role_assignment.fraud"]["principal_id"] == connector["identity"][0]["principal_id"]
    account = managed["azurerm_storage_account.fraud"]["name"]
    assert managed["databricks_external_location.fraud_root"]["url"] == (
        f"abfss://unity-catalog@{account}.dfs.core.windows.net/")
    workspace = managed["azurerm_databricks_workspace.fraud"]["custom_parameters"][0]
    assert workspace["virtual_network_id"] == managed["azurerm_virtual_network.fraud"]["id"]

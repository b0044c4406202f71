"""Workspaces and what makes them: AWS (credentials, storage, network, workspace), Azure, metastore, settings."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from iac.constructs._base import Construct, Level
from iac.constructs._types import Bool, Num, Str, StrMap

__all__ = [
    "AzureWorkspace",
    "Metastore",
    "MetastoreAssignment",
    "MwsCredentials",
    "MwsNetwork",
    "MwsPermissionAssignment",
    "MwsStorageConfiguration",
    "MwsWorkspace",
    "WorkspaceConf",
]


class MwsCredentials(Construct):
    """Cross-account IAM role registration for an AWS workspace (account level)."""

    TF_TYPE: ClassVar[str] = "databricks_mws_credentials"
    LEVEL: ClassVar[Level] = "account"
    credentials_name: Str
    role_arn: Str


class MwsStorageConfiguration(Construct):
    """Root S3 bucket of an AWS workspace (account level; every change replaces it)."""

    TF_TYPE: ClassVar[str] = "databricks_mws_storage_configurations"
    LEVEL: ClassVar[Level] = "account"
    account_id: Str
    storage_configuration_name: Str
    bucket_name: Str


class MwsNetwork(Construct):
    """Customer-managed VPC of an AWS workspace (optional)."""

    TF_TYPE: ClassVar[str] = "databricks_mws_networks"
    LEVEL: ClassVar[Level] = "account"
    account_id: Str
    network_name: Str
    vpc_id: Str
    subnet_ids: list[Str]
    security_group_ids: list[Str]


class MwsWorkspace(Construct):
    """An AWS (E2) workspace created through the account API."""

    TF_TYPE: ClassVar[str] = "databricks_mws_workspaces"
    LEVEL: ClassVar[Level] = "account"
    TAGS_FIELD: ClassVar[str | None] = "custom_tags"
    account_id: Str
    workspace_name: Str
    aws_region: Str
    credentials_id: Str
    storage_configuration_id: Str
    network_id: Str | None = None
    custom_tags: StrMap | None = None


class AzureWorkspace(Construct):
    """`azurerm_databricks_workspace`: Azure creates the workspace (hashicorp/azurerm provider)."""

    TF_TYPE: ClassVar[str] = "azurerm_databricks_workspace"
    LEVEL: ClassVar[Level] = "cloud"
    TAGS_FIELD: ClassVar[str | None] = "tags"
    name: Str
    location: Str
    resource_group_name: Str
    sku: Literal["standard", "premium", "trial"] = "premium"
    managed_resource_group_name: Str | None = None
    tags: StrMap | None = None


class Metastore(Construct):
    """Unity Catalog metastore (account level), shared by the workspaces of an environment."""

    TF_TYPE: ClassVar[str] = "databricks_metastore"
    LEVEL: ClassVar[Level] = "account"
    IDENTIFIER_FIELDS: ClassVar[tuple[str, ...]] = ()
    name: Str
    region: Str | None = None
    storage_root: Str | None = None
    owner: Str | None = None
    force_destroy: Bool | None = None


class MetastoreAssignment(Construct):
    """Binds a workspace to a metastore (both replace on change)."""

    TF_TYPE: ClassVar[str] = "databricks_metastore_assignment"
    LEVEL: ClassVar[Level] = "account"
    workspace_id: Num
    metastore_id: Str


class MwsPermissionAssignment(Construct):
    """Assigns an account principal to a workspace (USER or ADMIN)."""

    TF_TYPE: ClassVar[str] = "databricks_mws_permission_assignment"
    LEVEL: ClassVar[Level] = "account"
    workspace_id: Num
    principal_id: Num
    permissions: list[Literal["USER", "ADMIN"]]


class WorkspaceConf(Construct):
    """Workspace settings (`enableIpAccessLists`, `maxTokenLifetimeDays`...).

    The API stores every value as a string, so booleans and numbers are written as strings
    ("true", "90"); writing them as JSON booleans would show a diff on every plan."""

    TF_TYPE: ClassVar[str] = "databricks_workspace_conf"
    custom_config: dict[str, Str | bool | int]

    def body(self) -> dict[str, Any]:
        body = super().body()
        body["custom_config"] = {
            k: ("true" if v is True else "false" if v is False else str(v)) for k, v in body["custom_config"].items()
        }
        return body

"""Which provider configuration serves a type: the account, a workspace, or a cloud provider's default one.

The Databricks provider talks to one host per configuration: the account console (`databricks.account`) or
one workspace (`databricks.<alias>`, see `Stack.workspace`). A type served by the account API only must be
wired to the account configuration; everything else of the provider lives in a workspace. Other providers
(aws, azurerm, google, random, time, null) use their default configuration.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["Level", "level_of"]

Level = Literal["account", "workspace", "cloud", "any"]

# Account-level families of the Databricks provider (its documentation: "can only be used with an
# account-level provider"): workspaces and their parts (mws), metastores, account settings and policies.
_ACCOUNT_PREFIXES = ("databricks_mws_", "databricks_metastore", "databricks_account_")
_ACCOUNT_TYPES = frozenset({
    "databricks_budget", "databricks_budget_policy", "databricks_budget_policies", "databricks_custom_app_integration",
    "databricks_service_principal_federation_policy", "databricks_service_principal_federation_policies",
    "databricks_workspace_network_option",
})
# The policy documents the provider computes locally (no API call). The security reference architecture
# reads them through the account configuration, next to the workspace they are made for.
_ACCOUNT_DATA_PREFIXES = ("databricks_aws_",)


def level_of(type_name: str, mode: str = "managed") -> Level:
    """The level of a resource type (`mode` "managed") or data source (`mode` "data")."""
    if type_name == "terraform_data":
        return "any"
    if not type_name.startswith("databricks_"):
        return "cloud"
    if type_name.startswith(_ACCOUNT_PREFIXES) or type_name in _ACCOUNT_TYPES:
        return "account"
    if mode == "data" and type_name.startswith(_ACCOUNT_DATA_PREFIXES):
        return "account"
    return "workspace"

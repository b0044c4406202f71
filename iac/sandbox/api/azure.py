"""The simulated Azure subscription (hashicorp/azurerm 4.x types): resource ids, endpoints, identities.

Resource ids are Azure Resource Manager ids in the subscription of the provider configuration (a stable made-up
one when it names none); storage endpoints follow the account name; identities get principal ids in one stable
tenant.
"""

from __future__ import annotations

import base64

from iac.sandbox.api._context import Context, Rule, Values

__all__ = ["RULES", "SECRET_LIKE"]

SECRET_LIKE = ("_access_key", "_connection_string")
"""Name endings of generated storage keys: the approximate azurerm schema does not mark them sensitive, but like
every secret they are kept out of the store (iac.sandbox.provider)."""


def _subscription(c: Context) -> str:
    return c.subscription_id or c.stable_uuid("subscription")


def _tenant(c: Context) -> str:
    return c.stable_uuid("tenant")


def _group_id(s: Values, c: Context, group: str | None = None) -> str:
    return f"/subscriptions/{_subscription(c)}/resourceGroups/{group or s.get('resource_group_name')}"


def _provider_id(namespace: str, kind: str) -> Rule:
    def rule(s: Values, c: Context) -> Values:
        return {"id": f"{_group_id(s, c)}/providers/{namespace}/{kind}/{s.get('name')}"}
    return rule


def _workspace(s: Values, c: Context) -> Values:
    group, name = s.get("resource_group_name"), s.get("name")
    managed_group = s.get("managed_resource_group_name") or f"databricks-rg-{name}-{c.alnum(13)}"
    workspace_id = c.digits(16)
    return {"id": f"{_group_id(s, c, group)}/providers/Microsoft.Databricks/workspaces/{name}",
            "workspace_id": workspace_id, "workspace_url": f"adb-{workspace_id}.{c.rng.randint(1, 19)}.azuredatabricks.net",
            "managed_resource_group_name": managed_group,
            "managed_resource_group_id": f"/subscriptions/{_subscription(c)}/resourceGroups/{managed_group}",
            "managed_disk_identity": [], "disk_encryption_set_id": None,
            "storage_account_identity": [{"principal_id": c.uuid(), "tenant_id": _tenant(c), "type": "SystemAssigned"}]}


_STORAGE_SERVICES = ("blob", "dfs", "file", "queue", "table", "web")


def _key(c: Context) -> str:
    return base64.b64encode(bytes(c.rng.getrandbits(8) for _ in range(64))).decode()


def _storage_account(s: Values, c: Context) -> Values:
    name = s.get("name")
    values: Values = {"id": f"{_group_id(s, c)}/providers/Microsoft.Storage/storageAccounts/{name}",
                      "primary_location": s.get("location"), "secondary_location": ""}
    for role, account in (("primary", name), ("secondary", f"{name}-secondary")):
        key = _key(c)
        values[f"{role}_access_key"] = key
        values[f"{role}_connection_string"] = (f"DefaultEndpointsProtocol=https;AccountName={name};AccountKey={key};"
                                               "EndpointSuffix=core.windows.net")
        values[f"{role}_blob_connection_string"] = (f"DefaultEndpointsProtocol=https;BlobEndpoint=https://{account}."
                                                    f"blob.core.windows.net/;AccountName={name};AccountKey={key}")
        for service in _STORAGE_SERVICES:
            host = f"{account}.{'z6.web' if service == 'web' else service}.core.windows.net"
            values[f"{role}_{service}_host"] = host
            values[f"{role}_{service}_endpoint"] = f"https://{host}/"
    return values


def _storage_container(s: Values, c: Context) -> Values:
    account_id = str(s.get("storage_account_id") or "")
    account = account_id.rsplit("/", 1)[-1] or str(s.get("storage_account_name") or "storage")
    return {"id": f"https://{account}.blob.core.windows.net/{s.get('name')}", "has_immutability_policy": False,
            "has_legal_hold": False,
            "resource_manager_id": f"{account_id}/blobServices/default/containers/{s.get('name')}"}


def _subnet(s: Values, c: Context) -> Values:
    return {"id": f"{_group_id(s, c)}/providers/Microsoft.Network/virtualNetworks/{s.get('virtual_network_name')}"
                  f"/subnets/{s.get('name')}"}


def _identity(s: Values, c: Context) -> Values:
    return _provider_id("Microsoft.ManagedIdentity", "userAssignedIdentities")(s, c) | {
        "client_id": c.uuid(), "principal_id": c.uuid(), "tenant_id": _tenant(c)}


def _private_endpoint(s: Values, c: Context) -> Values:
    endpoint = _provider_id("Microsoft.Network", "privateEndpoints")(s, c)
    nic = f"{s.get('name')}.nic.{c.uuid()}"
    return endpoint | {"custom_dns_configs": [], "private_dns_zone_configs": [],
                       "network_interface": [{"id": f"{_group_id(s, c)}/providers/Microsoft.Network/networkInterfaces/{nic}",
                                              "name": nic}]}


RULES: dict[str, Rule] = {
    "azurerm_databricks_access_connector": _provider_id("Microsoft.Databricks", "accessConnectors"),
    "azurerm_databricks_workspace": _workspace,
    "azurerm_key_vault": lambda s, c: _provider_id("Microsoft.KeyVault", "vaults")(s, c) | {
        "vault_uri": f"https://{s.get('name')}.vault.azure.net/"},
    "azurerm_network_security_group": _provider_id("Microsoft.Network", "networkSecurityGroups"),
    "azurerm_private_endpoint": _private_endpoint,
    "azurerm_resource_group": lambda s, c: {"id": _group_id(s, c, s.get("name"))},
    "azurerm_role_assignment": lambda s, c: {
        "id": f"{s.get('scope')}/providers/Microsoft.Authorization/roleAssignments/{c.uuid()}"},
    "azurerm_storage_account": _storage_account,
    "azurerm_storage_container": _storage_container,
    "azurerm_subnet": _subnet,
    "azurerm_subnet_network_security_group_association": lambda s, c: {"id": s.get("subnet_id")},
    "azurerm_user_assigned_identity": _identity,
    "azurerm_virtual_network": lambda s, c: _provider_id("Microsoft.Network", "virtualNetworks")(s, c) | {"guid": c.uuid()},
}

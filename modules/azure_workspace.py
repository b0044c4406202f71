"""A team's Azure Databricks workspace with its azurerm side: VNet injection, an access connector for Unity
Catalog, and the workspace's first Unity Catalog and compute objects. Built only from iac's public API.

On Azure the cloud creates the workspace (`azurerm_databricks_workspace`); its clusters run in the team's own
VNet: two subnets delegated to `Microsoft.Databricks/workspaces` (host and container), each with the network
security group Databricks manages the rules of, and no public IPs (secure cluster connectivity). Unity Catalog
reaches the team's ADLS Gen2 account through an access connector's managed identity, which the account's
`Storage Blob Data Contributor` role is given to.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from iac import (
    AccessControl,
    Autoscale,
    AzureAttributes,
    AzureManagedIdentity,
    AzureWorkspace,
    Catalog,
    Cluster,
    ClusterPolicy,
    ExternalLocation,
    Fixed,
    Grant,
    Grants,
    Group,
    Lifecycle,
    Metastore,
    MetastoreAssignment,
    Permissions,
    Range,
    Stack,
    StorageCredential,
    azurerm,
)

RUNTIME = "15.4.x-scala2.12"
NODE_TYPE = "Standard_D4ds_v5"
# What Databricks needs to manage the delegated subnets (its documentation's delegation actions).
_DELEGATION = {"name": "databricks", "service_delegation": {"name": "Microsoft.Databricks/workspaces", "actions": [
    "Microsoft.Network/virtualNetworks/subnets/join/action",
    "Microsoft.Network/virtualNetworks/subnets/prepareNetworkPolicies/action",
    "Microsoft.Network/virtualNetworks/subnets/unprepareNetworkPolicies/action"]}}
BLOB_DATA_CONTRIBUTOR = "Storage Blob Data Contributor"


@dataclass(frozen=True)
class AzureTeam:
    """A team with a workspace on Azure. Values only; see `azure_team_workspace` for the shape."""

    name: str
    """Short identifier: Terraform names, catalog name (lower case, underscores)."""
    cost_center: str
    vnet_cidr: str
    """The team's VNet; the host and container subnets are its first two quarters."""
    max_workers: int = 4


def azure_estate(stack: Stack, *, teams: Sequence[AzureTeam]) -> None:
    """The environment's metastore (protected from destroy) and one workspace per team."""
    env = stack.environment
    assert env is not None
    metastore = stack.add(Metastore("main", name=f"{env.name}-{env.region}", region=env.region,
                                    owner="platform-admins", lifecycle=Lifecycle(prevent_destroy=True)))
    for team in teams:
        workspace = azure_team_workspace(stack, team)
        stack.add(MetastoreAssignment(f"{team.name}_metastore", workspace_id=workspace.workspace_id,
                                      metastore_id=metastore.metastore_id))


def azure_team_workspace(stack: Stack, team: AzureTeam) -> AzureWorkspace:
    """The resource group, network, access connector, storage and workspace of `team`, and what runs in it."""
    env = stack.environment
    assert env is not None, "azure_team_workspace needs a stack built for an environment"
    t, prefix = team.name, f"{env.name}-{team.name}".replace("_", "-")
    tags = {"team": t, "cost_center": team.cost_center}
    group = stack.add(azurerm.ResourceGroup(t, name=f"rg-{prefix}", location=env.region, tags=tags))
    where = {"resource_group_name": group.ref("name"), "location": group.ref("location")}
    network = _network(stack, team, prefix, where, tags)
    connector = stack.add(azurerm.DatabricksAccessConnector(
        t, name=f"dbac-{prefix}", identity={"type": "SystemAssigned"}, tags=tags, **where))
    storage = _storage(stack, t, prefix, where, tags, connector)
    workspace = stack.add(AzureWorkspace(
        t, name=f"dbw-{prefix}", sku="premium", managed_resource_group_name=f"rg-{prefix}-managed", tags=tags,
        custom_parameters={
            "no_public_ip": True, "virtual_network_id": network.vnet.id,
            "public_subnet_name": network.host.ref("name"), "private_subnet_name": network.container.ref("name"),
            "public_subnet_network_security_group_association_id": network.host_association.id,
            "private_subnet_network_security_group_association_id": network.container_association.id,
        }, **where))
    stack.output(f"{t}_workspace_url", workspace.workspace_url, description=f"URL of {t}'s workspace")
    with stack.workspace(workspace):
        _unity_catalog(stack, team, connector, storage)
        _compute(stack, team)
    return workspace


@dataclass(frozen=True)
class _Network:
    vnet: azurerm.VirtualNetwork
    host: azurerm.Subnet
    container: azurerm.Subnet
    host_association: azurerm.SubnetNetworkSecurityGroupAssociation
    container_association: azurerm.SubnetNetworkSecurityGroupAssociation


def _network(stack: Stack, team: AzureTeam, prefix: str, where: dict[str, Any], tags: dict[str, str]) -> _Network:
    """The VNet, its host and container subnets (delegated to Databricks) and their security group."""
    t = team.name
    vnet = stack.add(azurerm.VirtualNetwork(t, name=f"vnet-{prefix}", address_space=[team.vnet_cidr], tags=tags,
                                            **where))
    group = stack.add(azurerm.NetworkSecurityGroup(t, name=f"nsg-{prefix}", tags=tags, **where))
    quarters = list(ipaddress.ip_network(team.vnet_cidr).subnets(prefixlen_diff=2))
    subnets, associations = [], []
    for role, block in (("host", quarters[0]), ("container", quarters[1])):
        subnet = stack.add(azurerm.Subnet(
            f"{t}_{role}", name=f"snet-{prefix}-{role}", resource_group_name=where["resource_group_name"],
            virtual_network_name=vnet.ref("name"), address_prefixes=[str(block)], delegation=[_DELEGATION]))
        subnets.append(subnet)
        associations.append(stack.add(azurerm.SubnetNetworkSecurityGroupAssociation(
            f"{t}_{role}", subnet_id=subnet.id, network_security_group_id=group.id)))
    return _Network(vnet, subnets[0], subnets[1], associations[0], associations[1])


def _storage(stack: Stack, t: str, prefix: str, where: dict[str, Any], tags: dict[str, str],
             connector: azurerm.DatabricksAccessConnector) -> azurerm.StorageContainer:
    """The team's ADLS Gen2 account and container, readable and writable by the access connector's identity."""
    account = stack.add(azurerm.StorageAccount(
        t, name=f"st{prefix.replace('-', '')}"[:24], account_tier="Standard", account_replication_type="ZRS",
        account_kind="StorageV2", is_hns_enabled=True, min_tls_version="TLS1_2", tags=tags, **where))
    container = stack.add(azurerm.StorageContainer(t, name="unity-catalog", storage_account_id=account.id))
    stack.add(azurerm.RoleAssignment(t, scope=account.id, role_definition_name=BLOB_DATA_CONTRIBUTOR,
                                     principal_id=connector.ref("identity")[0]["principal_id"]))
    return container


def _unity_catalog(stack: Stack, team: AzureTeam, connector: azurerm.DatabricksAccessConnector,
                   container: azurerm.StorageContainer) -> None:
    t = team.name
    engineers = stack.add(Group(f"{t}_data_engineers", display_name=f"{t}-data-engineers", workspace_access=True))
    owner = engineers.ref("display_name")
    credential = stack.add(StorageCredential(
        f"{t}_storage_credential", name=f"{t}_storage", owner=owner,
        azure_managed_identity=AzureManagedIdentity(access_connector_id=connector.id)))
    url = f"abfss://unity-catalog@{container.ref('storage_account_name')}.dfs.core.windows.net/"
    root = stack.add(ExternalLocation(f"{t}_root", name=f"{t}_root", url=url, credential_name=credential.ref("name"),
                                      owner=owner))
    catalog = stack.add(Catalog(t, name=t, comment=f"{t}'s data", owner=owner, storage_root=root.ref("url")))
    stack.add(Grants(f"{t}_catalog", catalog=catalog.ref("name"), grants=[
        Grant(principal=owner, privileges=["USE_CATALOG", "CREATE_SCHEMA"])]))


def _compute(stack: Stack, team: AzureTeam) -> None:
    t = team.name
    policy = stack.add(ClusterPolicy(f"{t}_interactive", name=f"{t} interactive", definition={
        "autotermination_minutes": Range(max_value=60, default_value=30),
        "autoscale.max_workers": Range(max_value=team.max_workers),
        "num_workers": Range(max_value=team.max_workers),
        "dbus_per_hour": Range(max_value=10),
        "node_type_id": Fixed(value=NODE_TYPE),
        "azure_attributes.availability": Fixed(value="SPOT_WITH_FALLBACK_AZURE"),
        "custom_tags.team": Fixed(value=t),
    }))
    cluster = stack.add(Cluster(
        f"{t}_shared", cluster_name=f"{t} shared", spark_version=RUNTIME, node_type_id=NODE_TYPE,
        policy_id=policy.id, data_security_mode="USER_ISOLATION", autotermination_minutes=30,
        autoscale=Autoscale(min_workers=1, max_workers=min(2, team.max_workers)),
        azure_attributes=AzureAttributes(availability="SPOT_WITH_FALLBACK_AZURE", first_on_demand=1),
        custom_tags={"team": t, "cost_center": team.cost_center}))
    engineers = f"{t}-data-engineers"
    stack.add(Permissions(f"{t}_shared_cluster", cluster_id=cluster.id, access_control=[
        AccessControl(group_name=engineers, permission_level="CAN_RESTART")]))
    stack.add(Permissions(f"{t}_interactive_policy", cluster_policy_id=policy.id, access_control=[
        AccessControl(group_name=engineers, permission_level="CAN_USE")]))

"""The schemas the sandbox providers serve: iac's schema data turned into tfplugin6 `Schema` messages.

Resource schemas come from `iac.schema.load_schemas()`, the same data the constructs validate against, so
Terraform checks the configuration exactly as the real databricks/databricks 1.110.0 would. Provider
configuration schemas: the databricks provider block is in the schema data; azurerm's is not, so a
permissive one is defined here (the usual provider arguments and a `features {}` block with the common
sub-blocks). Both gain one extra optional argument, `sandbox_store_path`, to point a provider
configuration at a store file (the environment variable `IAC_SANDBOX_STORE` does the same).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from tf.gen import tfplugin_pb2 as pb

from iac.schema import Attribute, Block, BlockType, ResourceSchema, load_schemas, schema_data_path

__all__ = ["PROVIDERS", "STORE_PATH_ARGUMENT", "provider_config_block", "resource_schemas", "to_pb_schema"]

# Provider name (the `terraform-provider-<name>` binary) -> registry source whose resource types it serves.
PROVIDERS: Mapping[str, str] = {
    "databricks": "registry.terraform.io/databricks/databricks",
    "azurerm": "registry.terraform.io/hashicorp/azurerm",
}

STORE_PATH_ARGUMENT = "sandbox_store_path"

_NESTING = {"single": pb.Schema.NestedBlock.SINGLE, "list": pb.Schema.NestedBlock.LIST, "set": pb.Schema.NestedBlock.SET}


# The types the sandbox simulates (computed values, ids, store): the 33 databricks types of the former schema
# subset and the Azure workspace. The schema data now has every databricks type and the cloud types around a
# workspace; serving them is its own piece of work (issue 20, item 6).
SIMULATED: frozenset[str] = frozenset((
    "azurerm_databricks_workspace", "databricks_catalog", "databricks_cluster", "databricks_cluster_policy",
    "databricks_external_location", "databricks_grants", "databricks_group", "databricks_group_member",
    "databricks_instance_pool", "databricks_job", "databricks_metastore", "databricks_metastore_assignment",
    "databricks_model_serving", "databricks_mws_credentials", "databricks_mws_networks",
    "databricks_mws_permission_assignment", "databricks_mws_storage_configurations", "databricks_mws_workspaces",
    "databricks_notebook", "databricks_permissions", "databricks_pipeline", "databricks_registered_model",
    "databricks_repo", "databricks_schema", "databricks_secret", "databricks_secret_acl", "databricks_secret_scope",
    "databricks_service_principal", "databricks_sql_endpoint", "databricks_storage_credential", "databricks_token",
    "databricks_user", "databricks_volume", "databricks_workspace_conf",
))


def resource_schemas(provider: str) -> dict[str, ResourceSchema]:
    """Every resource schema the named sandbox provider serves, by resource type."""
    source = PROVIDERS[provider]
    schemas = load_schemas()
    found = {t: s for t in schemas.types()
             if t in SIMULATED and (s := schemas.get(t)) is not None and s.provider_source == source}
    return dict(sorted(found.items()))


def _attribute_pb(attribute: Attribute) -> pb.Schema.Attribute:
    return pb.Schema.Attribute(
        name=attribute.name,
        type=json.dumps(attribute.type, separators=(",", ":")).encode(),
        required=attribute.required,
        optional=attribute.optional,
        computed=attribute.computed,
        sensitive=attribute.sensitive,
        deprecated=attribute.deprecated,
        description_kind=pb.PLAIN,
    )


def _block_pb(block: Block, version: int = 0) -> pb.Schema.Block:
    return pb.Schema.Block(
        version=version,
        attributes=[_attribute_pb(a) for _, a in sorted(block.attributes.items())],
        block_types=[_nested_pb(b) for _, b in sorted(block.block_types.items())],
        description_kind=pb.PLAIN,
    )


def _nested_pb(block_type: BlockType) -> pb.Schema.NestedBlock:
    return pb.Schema.NestedBlock(
        type_name=block_type.name,
        block=_block_pb(block_type.block),
        nesting=_NESTING[block_type.nesting],
        min_items=block_type.min_items,
        max_items=block_type.max_items or 0,
    )


def to_pb_schema(block: Block, version: int = 0) -> pb.Schema:
    """A tfplugin6 Schema for a block (resource or provider configuration)."""
    return pb.Schema(version=version, block=_block_pb(block, version))


def _optional(name: str, type_: Any = "string", sensitive: bool = False) -> Attribute:
    return Attribute(name=name, type=type_, optional=True, sensitive=sensitive)


def _databricks_config() -> Block:
    raw = json.loads(schema_data_path().read_text(encoding="utf-8"))
    provider = raw["provider_schemas"][PROVIDERS["databricks"]]["provider"]["block"]
    attributes = {
        name: Attribute(
            name=name,
            type=spec["type"],
            required=bool(spec.get("required")),
            optional=bool(spec.get("optional")),
            computed=bool(spec.get("computed")),
            sensitive=bool(spec.get("sensitive")),
        )
        for name, spec in provider["attributes"].items()
    }
    attributes[STORE_PATH_ARGUMENT] = _optional(STORE_PATH_ARGUMENT)
    return Block(attributes=dict(sorted(attributes.items())))


# azurerm 4.x provider arguments (strings unless noted) and `features` sub-blocks with their flags. Not the
# full provider schema: enough for the provider blocks an estate configuration writes.
_AZURERM_STRINGS = (
    "ado_pipeline_service_connection_id", "client_certificate", "client_certificate_path", "client_id",
    "client_id_file_path", "environment", "metadata_host", "msi_endpoint", "oidc_request_url", "oidc_token_file_path",
    "partner_id", "resource_provider_registrations", "subscription_id", "tenant_id", STORE_PATH_ARGUMENT,
)
_AZURERM_SECRETS = (
    "client_certificate_password", "client_secret", "client_secret_file_path", "oidc_request_token", "oidc_token",
)
_AZURERM_BOOLS = (
    "disable_correlation_request_id", "disable_terraform_partner_id", "skip_provider_registration",
    "storage_use_azuread", "use_aks_workload_identity", "use_cli", "use_msi", "use_oidc",
)
_AZURERM_LISTS = ("auxiliary_tenant_ids", "resource_providers_to_register")
_AZURERM_FEATURES = {
    "api_management": ("purge_soft_delete_on_destroy", "recover_soft_deleted"),
    "app_configuration": ("purge_soft_delete_on_destroy", "recover_soft_deleted"),
    "application_insights": ("disable_generated_rule",),
    "cognitive_account": ("purge_soft_delete_on_destroy",),
    "key_vault": (
        "purge_soft_delete_on_destroy", "purge_soft_deleted_certificates_on_destroy", "purge_soft_deleted_keys_on_destroy",
        "purge_soft_deleted_secrets_on_destroy", "recover_soft_deleted_certificates", "recover_soft_deleted_key_vaults",
        "recover_soft_deleted_keys", "recover_soft_deleted_secrets",
    ),
    "log_analytics_workspace": ("permanently_delete_on_destroy",),
    "managed_disk": ("expand_without_downtime",),
    "resource_group": ("prevent_deletion_if_contains_resources",),
    "storage": ("data_plane_available",),
    "template_deployment": ("delete_nested_items_during_deletion",),
    "virtual_machine": ("delete_os_disk_on_deletion", "graceful_shutdown", "skip_shutdown_and_force_delete"),
}


def _azurerm_config() -> Block:
    attributes = {n: _optional(n) for n in _AZURERM_STRINGS}
    attributes |= {n: _optional(n, sensitive=True) for n in _AZURERM_SECRETS}
    attributes |= {n: _optional(n, "bool") for n in _AZURERM_BOOLS}
    attributes |= {n: _optional(n, ["list", "string"]) for n in _AZURERM_LISTS}
    features = Block(
        block_types={
            name: BlockType(name, "list", Block(attributes={f: _optional(f, "bool") for f in flags}), max_items=1)
            for name, flags in _AZURERM_FEATURES.items()
        }
    )
    return Block(
        attributes=dict(sorted(attributes.items())),
        block_types={"features": BlockType("features", "list", features, max_items=1)},
    )


@functools.cache
def provider_config_block(provider: str) -> Block:
    """The provider configuration block schema for `databricks` or `azurerm`."""
    return _databricks_config() if provider == "databricks" else _azurerm_config()

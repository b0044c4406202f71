"""The schemas the sandbox providers serve: iac's schema data turned into tfplugin6 `Schema` messages.

Every resource type and data source of the schema data is served, by the provider that owns it
(databricks/databricks, hashicorp/aws, azurerm, google, random, time, null), from `iac.schema.load_schemas()`:
the same data the constructs validate against, so Terraform checks a configuration exactly as iac does.
Plugin-framework nested attributes (`nested_type`) are served as such.

Building the GetProviderSchema response for databricks takes ~0.4 s (268 schemas), parsing it back ~15 ms,
so the serialized response is cached on disk (`$IAC_CACHE_DIR`, else ~/.cache/iac, under sandbox-schemas/),
keyed by a digest of the schema data (overlays included) and of this module: any change builds it anew.

Provider configuration schemas: databricks' and aws' are in the schema data; azurerm's and google's are not,
so permissive ones are defined here (the usual provider arguments, azurerm's `features {}` block);
random, time and null take no configuration. The others gain one optional argument, `sandbox_store_path`, to
point a provider configuration at a store file (the environment variable `IAC_SANDBOX_STORE` does the same).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from google.protobuf.message import DecodeError
from tf.gen import tfplugin_pb2 as pb

from iac._jsonio import atomic_write
from iac.schema import (
    OVERLAY_FILES,
    SCHEMA_FILES,
    Attribute,
    Block,
    BlockType,
    ResourceSchema,
    load_schemas,
    schema_data_path,
)

__all__ = ["LOCAL_PROVIDERS", "PROVIDERS", "STORE_PATH_ARGUMENT", "data_source_schemas", "provider_config_block",
           "provider_of", "provider_schema_response", "resource_schemas", "served_names", "to_pb_schema"]

# Provider name (the `terraform-provider-<name>` binary) -> registry source whose types it serves.
PROVIDERS: Mapping[str, str] = {
    "databricks": "registry.terraform.io/databricks/databricks",
    "aws": "registry.terraform.io/hashicorp/aws",
    "azurerm": "registry.terraform.io/hashicorp/azurerm",
    "google": "registry.terraform.io/hashicorp/google",
    "random": "registry.terraform.io/hashicorp/random",
    "time": "registry.terraform.io/hashicorp/time",
    "null": "registry.terraform.io/hashicorp/null",
}

LOCAL_PROVIDERS = frozenset(("random", "time", "null"))
"""Providers whose resources live only in Terraform's state (no remote object, so nothing in the store)."""

STORE_PATH_ARGUMENT = "sandbox_store_path"

_NESTING = {"single": pb.Schema.NestedBlock.SINGLE, "list": pb.Schema.NestedBlock.LIST, "set": pb.Schema.NestedBlock.SET}
_OBJECT_NESTING = {"single": pb.Schema.Object.SINGLE, "list": pb.Schema.Object.LIST, "set": pb.Schema.Object.SET,
                   "map": pb.Schema.Object.MAP}


def provider_of(type_name: str) -> str:
    """The sandbox provider serving a resource type or data source (`aws_vpc` -> `aws`)."""
    return type_name.split("_", 1)[0]


@functools.cache
def served_names(provider: str, mode: str = "managed") -> frozenset[str]:
    """The resource types (`managed`) or data sources (`data`) a provider serves, without building their schemas."""
    schemas = load_schemas()
    names = schemas.types() if mode == "managed" else schemas.data_types()
    return frozenset(t for t in names if provider_of(t) == provider)


def _served(provider: str, mode: str) -> dict[str, ResourceSchema]:
    source = PROVIDERS[provider]
    schemas = load_schemas()
    found = {t: s for t in served_names(provider, mode) if (s := schemas.of(mode, t)) is not None
             and s.provider_source == source}
    return dict(sorted(found.items()))


@functools.cache
def resource_schemas(provider: str) -> dict[str, ResourceSchema]:
    """Every resource schema the named sandbox provider serves, by resource type."""
    return _served(provider, "managed")


@functools.cache
def data_source_schemas(provider: str) -> dict[str, ResourceSchema]:
    """Every data source schema the named sandbox provider serves, by data source name."""
    return _served(provider, "data")


def _type_json(type_: Any) -> bytes:
    return json.dumps(type_, separators=(",", ":")).encode()


def _attribute_pb(attribute: Attribute) -> pb.Schema.Attribute:
    message = pb.Schema.Attribute(
        name=attribute.name,
        required=attribute.required,
        optional=attribute.optional,
        computed=attribute.computed,
        sensitive=attribute.sensitive,
        deprecated=attribute.deprecated,
        description_kind=pb.PLAIN,
    )
    if attribute.nested is not None:  # a plugin-framework nested attribute: no `type`, its object instead
        message.nested_type.CopyFrom(pb.Schema.Object(
            attributes=[_attribute_pb(a) for _, a in sorted(attribute.nested.attributes.items())],
            nesting=_OBJECT_NESTING[attribute.nesting or "single"]))
    else:
        message.type = _type_json(attribute.type)
    return message


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
    """A tfplugin6 Schema for a block (resource, data source or provider configuration)."""
    return pb.Schema(version=version, block=_block_pb(block, version))


def _optional(name: str, type_: Any = "string", sensitive: bool = False) -> Attribute:
    return Attribute(name=name, type=type_, optional=True, sensitive=sensitive)


def _raw_block(raw: Mapping[str, Any]) -> Block:
    """A provider block of the schema data (attributes and nested blocks, as `terraform providers schema`)."""
    attributes = {
        name: Attribute(name=name, type=spec["type"], required=bool(spec.get("required")),
                        optional=bool(spec.get("optional")), computed=bool(spec.get("computed")),
                        sensitive=bool(spec.get("sensitive")))
        for name, spec in raw.get("attributes", {}).items()
    }
    block_types = {
        name: BlockType(name, spec["nesting_mode"], _raw_block(spec["block"]), min_items=int(spec.get("min_items", 0)),
                        max_items=spec.get("max_items"))
        for name, spec in raw.get("block_types", {}).items()
    }
    return Block(attributes=dict(sorted(attributes.items())), block_types=dict(sorted(block_types.items())))


def _from_data(file: str, provider: str) -> Block:
    raw = json.loads(schema_data_path(file).read_text(encoding="utf-8"))
    block = _raw_block(raw["provider_schemas"][PROVIDERS[provider]]["provider"]["block"])
    attributes = {**block.attributes, STORE_PATH_ARGUMENT: _optional(STORE_PATH_ARGUMENT)}
    return Block(attributes=dict(sorted(attributes.items())), block_types=block.block_types)


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


# google 6.x provider arguments an estate configuration writes (all optional strings but the lists/bools).
_GOOGLE_STRINGS = ("access_token", "billing_project", "credentials", "impersonate_service_account", "project",
                   "region", "universe_domain", "zone", STORE_PATH_ARGUMENT)
_GOOGLE_SECRETS = ("access_token", "credentials")


def _google_config() -> Block:
    attributes = {n: _optional(n, sensitive=n in _GOOGLE_SECRETS) for n in _GOOGLE_STRINGS}
    attributes |= {"add_terraform_attribution_label": _optional("add_terraform_attribution_label", "bool"),
                   "default_labels": _optional("default_labels", ["map", "string"]),
                   "scopes": _optional("scopes", ["list", "string"]),
                   "user_project_override": _optional("user_project_override", "bool")}
    return Block(attributes=dict(sorted(attributes.items())))


def _build_response(provider: str) -> pb.GetProviderSchema.Response:
    return pb.GetProviderSchema.Response(
        provider=to_pb_schema(provider_config_block(provider)),
        resource_schemas={t: to_pb_schema(s.block, s.version) for t, s in resource_schemas(provider).items()},
        data_source_schemas={t: to_pb_schema(s.block, s.version) for t, s in data_source_schemas(provider).items()},
        provider_meta=to_pb_schema(Block()),
        server_capabilities=pb.ServerCapabilities(plan_destroy=True, get_provider_schema_optional=True),
    )


def _cache_file(provider: str) -> Path:
    digest = hashlib.sha256(provider.encode())
    for name in (*SCHEMA_FILES, *OVERLAY_FILES):
        digest.update(schema_data_path(name).read_bytes())
    digest.update(Path(__file__).read_bytes())
    root = Path(os.environ.get("IAC_CACHE_DIR") or Path.home() / ".cache" / "iac")
    return root / "sandbox-schemas" / f"{provider}-{digest.hexdigest()[:24]}.pb"


def provider_schema_response(provider: str) -> pb.GetProviderSchema.Response:
    """Every schema a provider serves, as GetProviderSchema answers (from the disk cache when it is current)."""
    cache = _cache_file(provider)
    try:
        return pb.GetProviderSchema.Response.FromString(cache.read_bytes())
    except (OSError, DecodeError):
        pass
    response = _build_response(provider)
    with contextlib.suppress(OSError):  # a read-only home only costs the build next time
        atomic_write(cache, response.SerializeToString(deterministic=True))
    return response


@functools.cache
def provider_config_block(provider: str) -> Block:
    """The provider configuration block schema of a sandbox provider."""
    if provider == "databricks":
        return _from_data("databricks-provider-schema.json", provider)
    if provider == "aws":
        return _from_data("cloud-provider-schemas.json", provider)
    if provider == "azurerm":
        return _azurerm_config()
    if provider == "google":
        return _google_config()
    return Block()  # random, time and null take no configuration (and keep nothing in the store)

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tf.gen import tfplugin_pb2 as pb

from iac.sandbox.schema import (
    PROVIDERS,
    STORE_PATH_ARGUMENT,
    data_source_schemas,
    provider_config_block,
    provider_schema_response,
    resource_schemas,
    served_names,
    to_pb_schema,
)
from iac.schema import BUILTIN_TYPES, Block, load_schemas

NESTING = {"single": pb.Schema.NestedBlock.SINGLE, "list": pb.Schema.NestedBlock.LIST, "set": pb.Schema.NestedBlock.SET}
OBJECT_NESTING = {"single": pb.Schema.Object.SINGLE, "list": pb.Schema.Object.LIST, "set": pb.Schema.Object.SET,
                  "map": pb.Schema.Object.MAP}


def test_providers_serve_every_type_and_data_source_of_the_schema_data() -> None:
    schemas = load_schemas()
    served = {t for p in PROVIDERS for t in resource_schemas(p)}
    assert served == set(schemas.types()) - BUILTIN_TYPES  # Terraform's own types are built in, not served
    assert {t for p in PROVIDERS for t in data_source_schemas(p)} == set(schemas.data_types()) - BUILTIN_TYPES
    assert len(resource_schemas("databricks")) == 143 and len(data_source_schemas("databricks")) == 125
    assert "aws_iam_policy_document" in data_source_schemas("aws") and "random_string" in resource_schemas("random")
    assert all(s.provider_source == PROVIDERS["azurerm"] for s in resource_schemas("azurerm").values())


def _check_attributes(attributes: dict[str, Any], messages: Any, path: str) -> None:
    assert [a.name for a in messages] == sorted(attributes), path
    for attribute in messages:
        source = attributes[attribute.name]
        if source.nested is not None:  # plugin-framework nested attribute: the object, no type
            assert not attribute.type and attribute.nested_type.nesting == OBJECT_NESTING[source.nesting or "single"]
            _check_attributes(dict(source.nested.attributes), attribute.nested_type.attributes, f"{path}.{attribute.name}")
        else:
            assert json.loads(attribute.type) == source.type, f"{path}.{attribute.name}"
        assert (attribute.required, attribute.optional, attribute.computed, attribute.sensitive) == (
            source.required, source.optional, source.computed, source.sensitive), f"{path}.{attribute.name}"


def _check(block: Block, message: pb.Schema.Block, path: str) -> None:
    _check_attributes(dict(block.attributes), message.attributes, path)
    assert [b.type_name for b in message.block_types] == sorted(block.block_types), path
    for nested in message.block_types:
        source_type = block.block_types[nested.type_name]
        assert nested.nesting == NESTING[source_type.nesting], f"{path}.{nested.type_name}"
        assert (nested.min_items, nested.max_items) == (source_type.min_items, source_type.max_items or 0)
        _check(source_type.block, nested.block, f"{path}.{nested.type_name}")


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_served_schema_matches_the_schema_data_everywhere(provider: str) -> None:
    for name, schema in {**resource_schemas(provider), **data_source_schemas(provider)}.items():
        message = to_pb_schema(schema.block, schema.version)
        assert message.version == schema.version
        _check(schema.block, message.block, name)


def test_schema_data_uses_every_nesting_mode_and_object_and_map_types() -> None:
    message = to_pb_schema(load_schemas().get("databricks_sql_endpoint").block)  # type: ignore[union-attr]
    types = {a.name: json.loads(a.type) for a in message.block.attributes}
    assert types["odbc_params"][0] == "list" and types["odbc_params"][1][0] == "object"
    nestings = {b.type_name: b.nesting for b in message.block.block_types}
    assert nestings["timeouts"] == pb.Schema.NestedBlock.SINGLE and nestings["channel"] == pb.Schema.NestedBlock.LIST
    grants = to_pb_schema(load_schemas().get("databricks_grants").block)  # type: ignore[union-attr]
    assert {b.type_name: b.nesting for b in grants.block.block_types}["grant"] == pb.Schema.NestedBlock.SET


def test_databricks_provider_block_accepts_what_iac_emits() -> None:
    block = provider_config_block("databricks")
    for name in ("host", "account_id", "azure_workspace_resource_id", STORE_PATH_ARGUMENT):
        assert block.attributes[name].optional
    assert block.attributes["token"].sensitive and block.attributes["client_secret"].sensitive


def test_azurerm_provider_block_is_permissive() -> None:
    block = provider_config_block("azurerm")
    assert "features" in block.block_types and "resource_group" in block.block_types["features"].block.block_types
    assert block.attributes["subscription_id"].optional and block.attributes["client_secret"].sensitive


def test_cloud_provider_blocks_accept_what_configurations_write() -> None:
    aws = provider_config_block("aws")
    assert aws.attributes["region"].optional and "default_tags" in aws.block_types
    assert aws.attributes[STORE_PATH_ARGUMENT].optional
    assert provider_config_block("google").attributes["project"].optional
    assert provider_config_block("random") == Block()  # random, time, null take no configuration


def test_served_names_are_the_types_whose_schemas_are_served() -> None:
    for provider in PROVIDERS:
        assert served_names(provider) == set(resource_schemas(provider))
        assert served_names(provider, "data") == set(data_source_schemas(provider))


def test_schema_response_is_cached_on_disk_and_rebuilt_when_damaged(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAC_CACHE_DIR", str(tmp_path))
    built = provider_schema_response("random")
    [cached] = (tmp_path / "sandbox-schemas").iterdir()
    assert pb.GetProviderSchema.Response.FromString(cached.read_bytes()) == built
    cached.write_bytes(b"\xff not a message")
    assert provider_schema_response("random") == built
    assert pb.GetProviderSchema.Response.FromString(cached.read_bytes()) == built

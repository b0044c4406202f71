from __future__ import annotations

import json

import pytest
from tf.gen import tfplugin_pb2 as pb

from iac.sandbox.schema import STORE_PATH_ARGUMENT, provider_config_block, resource_schemas, to_pb_schema
from iac.schema import Block, load_schemas

NESTING = {"single": pb.Schema.NestedBlock.SINGLE, "list": pb.Schema.NestedBlock.LIST, "set": pb.Schema.NestedBlock.SET}


def test_providers_serve_the_33_databricks_types_and_the_azure_workspace() -> None:
    assert len(resource_schemas("databricks")) == 33
    assert list(resource_schemas("azurerm")) == ["azurerm_databricks_workspace"]
    assert "terraform_data" not in resource_schemas("databricks")


def _check(block: Block, message: pb.Schema.Block, path: str) -> None:
    assert [a.name for a in message.attributes] == sorted(block.attributes), path
    for attribute in message.attributes:
        source = block.attributes[attribute.name]
        assert json.loads(attribute.type) == source.type, f"{path}.{attribute.name}"
        assert (attribute.required, attribute.optional, attribute.computed, attribute.sensitive) == (
            source.required, source.optional, source.computed, source.sensitive), f"{path}.{attribute.name}"
    assert [b.type_name for b in message.block_types] == sorted(block.block_types), path
    for nested in message.block_types:
        source_type = block.block_types[nested.type_name]
        assert nested.nesting == NESTING[source_type.nesting], f"{path}.{nested.type_name}"
        assert (nested.min_items, nested.max_items) == (source_type.min_items, source_type.max_items or 0)
        _check(source_type.block, nested.block, f"{path}.{nested.type_name}")


@pytest.mark.parametrize("resource_type", sorted(set(resource_schemas("databricks")) | set(resource_schemas("azurerm"))))
def test_served_schema_matches_the_schema_data_everywhere(resource_type: str) -> None:
    schema = load_schemas().get(resource_type)
    assert schema is not None
    message = to_pb_schema(schema.block, schema.version)
    assert message.version == schema.version
    _check(schema.block, message.block, resource_type)


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

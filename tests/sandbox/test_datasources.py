"""Data sources answered by the simulated workspace and accounts (iac.sandbox.datasources), without Terraform."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest

from iac.diff.datasources import LOCAL_READERS
from iac.sandbox.datasources import DataSourceRefused, Where, read_data_source
from iac.sandbox.settings import Settings
from iac.sandbox.values import conform_block, contains_unknown
from iac.schema import load_schemas

AWS_HOST = "https://dbc-5e7a1c2b-9f30.cloud.databricks.com"
AZURE_HOST = "https://adb-1234567890123456.7.azuredatabricks.net"


def _read(data_type: str, settings: Settings | None = None, objects: dict[str, list[dict[str, Any]]] | None = None,
          **config: Any) -> dict[str, Any]:
    schema = load_schemas().data(data_type)
    assert schema is not None
    found: dict[str, list[dict[str, Any]]] = objects or {}

    def listing(resource_type: str) -> Iterable[dict[str, Any]]:
        return found.get(resource_type, [])

    where = Where(settings or Settings(scope=AWS_HOST, host=AWS_HOST), listing)
    return read_data_source(schema, conform_block(config, schema.block), where)


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, "16.4.x-scala2.12"),
        ({"long_term_support": True, "scala": "2.13"}, "17.3.x-scala2.13"),
        ({"ml": True}, "16.4.x-cpu-ml-scala2.12"),
        ({"ml": True, "gpu": True, "long_term_support": True}, "16.4.x-gpu-ml-scala2.12"),
        ({"spark_version": "3.5.0"}, "15.4.x-scala2.12"),
        ({"photon": True}, "16.4.x-photon-scala2.12"),
        ({"beta": True, "scala": "2.13"}, "18.0.x-scala2.13"),
    ],
    ids=["latest", "lts 2.13", "ml", "gpu ml lts", "apache spark 3.5.0", "photon", "beta"],
)
def test_spark_version_selects_as_the_provider_does(config: dict[str, Any], expected: str) -> None:
    assert _read("databricks_spark_version", **config)["id"] == expected


def test_spark_version_refuses_as_the_provider_does() -> None:
    with pytest.raises(DataSourceRefused, match="returned no results"):
        _read("databricks_spark_version", spark_version="9.9")
    with pytest.raises(DataSourceRefused, match="returned multiple results"):
        _read("databricks_spark_version", latest=False)


@pytest.mark.parametrize(
    ("host", "config", "expected"),
    [
        (AWS_HOST, {}, "m5d.large"),
        (AWS_HOST, {"local_disk": True, "min_memory_gb": 32}, "r5d.xlarge"),
        (AWS_HOST, {"category": "Storage Optimized"}, "i3.xlarge"),
        (AWS_HOST, {"graviton": True}, "m6gd.large"),
        (AWS_HOST, {"min_gpus": 1}, "g4dn.xlarge"),
        (AWS_HOST, {"min_cores": 64}, "i3.16xlarge"),
        (AWS_HOST, {"min_cores": 512}, "i3.xlarge"),
        (AZURE_HOST, {}, "Standard_F4s_v2"),
        (AZURE_HOST, {"min_cores": 1000}, "Standard_D4ds_v5"),
    ],
    ids=["smallest", "32 GB local disk", "category", "graviton", "gpu", "64 cores", "none matches: default",
         "azure", "azure default"],
)
def test_node_type_is_the_smallest_match_or_the_cloud_default(host: str, config: dict[str, Any], expected: str) -> None:
    assert _read("databricks_node_type", Settings(scope=host, host=host), **config)["id"] == expected


def test_current_user_and_config_describe_the_sandbox() -> None:
    user = _read("databricks_current_user")
    assert user["user_name"] == "sandbox-admin@example.com" and user["home"] == "/Users/sandbox-admin@example.com"
    assert user["workspace_url"] == AWS_HOST and user["alphanumeric"] == "sandbox_admin"
    config = _read("databricks_current_config")
    assert (config["host"], config["cloud_type"], config["is_account"]) == (AWS_HOST, "aws", False)


def test_aws_caller_region_and_zones_follow_the_provider_configuration() -> None:
    settings = Settings(scope="aws/eu-west-1", region="eu-west-1")
    caller = _read("aws_caller_identity", settings)
    assert len(caller["account_id"]) == 12 and caller["arn"] == f"arn:aws:iam::{caller['account_id']}:user/sandbox"
    assert _read("aws_region", settings)["name"] == "eu-west-1"
    zones = _read("aws_availability_zones", settings, exclude_names=["eu-west-1b"])
    assert zones["names"] == ["eu-west-1a", "eu-west-1c"] and zones["zone_ids"] == ["euw1-az1", "euw1-az2"]


def test_a_lookup_finds_the_matching_object_of_the_store() -> None:
    groups = {"databricks_group": [{"display_name": "data-eng", "id": "111", "external_id": "e1"},
                                   {"display_name": "admins", "id": "222", "external_id": None}]}
    found = _read("databricks_group", objects=groups, display_name="data-eng")
    assert (found["id"], found["external_id"]) == ("111", "e1")


def test_other_reads_are_known_and_the_same_for_the_same_configuration() -> None:
    first = _read("databricks_group", display_name="users")
    assert not contains_unknown(first) and first["id"]
    assert _read("databricks_group", display_name="users") == first
    assert _read("databricks_group", display_name="admins")["id"] != first["id"]


def test_policy_documents_come_from_the_shared_module() -> None:
    schema = load_schemas().data("databricks_aws_crossaccount_policy")
    assert schema is not None
    expected = LOCAL_READERS["databricks_aws_crossaccount_policy"]({"policy_type": "customer"}, schema)["json"]
    read = _read("databricks_aws_crossaccount_policy", policy_type="customer")
    assert read["json"] == expected and json.loads(read["json"])["Statement"][0]["Effect"] == "Allow"
    with pytest.raises(DataSourceRefused, match="policy_type must be"):
        _read("databricks_aws_crossaccount_policy", policy_type="everything")
    document = _read("aws_iam_policy_document", statement=[{"actions": ["s3:GetObject"], "resources": ["*"]}])
    assert json.loads(document["json"]) == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}

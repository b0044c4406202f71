from __future__ import annotations

import re
from typing import Any

import pytest

from iac.sandbox.computed import Context, fill_unknowns
from iac.sandbox.planner import plan_change
from iac.sandbox.schema import PROVIDERS, resource_schemas
from iac.sandbox.values import UNKNOWN, conform_block, contains_unknown
from iac.schema import load_schemas
from tests.sandbox.every_type import required_arguments


def _create(resource_type: str, serial: int = 1, host: str | None = None, extra: dict[str, Any] | None = None,
            **config: Any) -> dict[str, Any]:
    extra = extra or {}
    schema = load_schemas().get(resource_type)
    assert schema is not None
    planned = plan_change(schema, None, conform_block(config, schema.block)).planned
    assert planned is not None
    context = Context(resource_type, serial, **({"host": host} if host else {}), **extra)
    return fill_unknowns(schema.block, planned, context)


@pytest.mark.parametrize(
    ("resource_type", "config", "attribute", "pattern"),
    [
        ("databricks_cluster", {"spark_version": "15.4"}, "cluster_id", r"\d{4}-\d{6}-[a-z0-9]{8}"),
        ("databricks_cluster_policy", {"name": "p"}, "policy_id", r"[0-9A-F]{16}"),
        ("databricks_job", {"name": "j"}, "id", r"[1-9]\d{14}"),
        ("databricks_sql_endpoint", {"name": "w", "cluster_size": "Small"}, "jdbc_url",
         r"jdbc:spark://dbc-[0-9a-f]{8}-[0-9a-f]{4}\.cloud\.databricks\.com:443/default;.*httpPath=/sql/1\.0/warehouses/[0-9a-f]{16};"),
        ("databricks_secret", {"scope": "app", "key": "pw", "string_value": "x"}, "config_reference", r"\{\{secrets/app/pw\}\}"),
        ("databricks_mws_workspaces", {"account_id": "a", "workspace_name": "w"}, "workspace_url",
         r"https://dbc-[0-9a-f]{8}-[0-9a-f]{4}\.cloud\.databricks\.com"),
        ("azurerm_databricks_workspace", {"name": "w", "location": "westeurope", "resource_group_name": "rg", "sku": "premium"},
         "workspace_url", r"adb-\d{16}\.\d+\.azuredatabricks\.net"),
        ("azurerm_databricks_workspace", {"name": "w", "location": "westeurope", "resource_group_name": "rg", "sku": "premium"},
         "id", r"/subscriptions/[0-9a-f-]{36}/resourceGroups/rg/providers/Microsoft\.Databricks/workspaces/w"),
        ("databricks_volume", {"catalog_name": "c", "schema_name": "s", "name": "v", "volume_type": "MANAGED"},
         "volume_path", r"/Volumes/c/s/v"),
        ("databricks_user", {"user_name": "a@example.com"}, "acl_principal_id", r"users/a@example\.com"),
        ("databricks_token", {"comment": "ci"}, "token_value", r"dapi[0-9a-f]{32}"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.startswith("databricks") or str(v).startswith("azurerm") else None,
)
def test_computed_values_look_like_the_real_api(resource_type: str, config: dict[str, Any], attribute: str, pattern: str) -> None:
    assert re.fullmatch(pattern, str(_create(resource_type, **config)[attribute]))


def test_mws_workspace_id_is_a_number_and_cluster_url_uses_the_configured_host() -> None:
    assert isinstance(_create("databricks_mws_workspaces", account_id="a", workspace_name="w")["workspace_id"], int)
    cluster = _create("databricks_cluster", host="https://adb-1.2.azuredatabricks.net", spark_version="15.4")
    assert cluster["url"].startswith("https://adb-1.2.azuredatabricks.net/#setting/clusters/")


def test_same_serial_gives_same_values_and_next_serial_differs() -> None:
    first, again = _create("databricks_job", serial=3, name="j"), _create("databricks_job", serial=3, name="j")
    assert first == again
    assert _create("databricks_job", serial=4, name="j")["id"] != first["id"]


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_every_type_gets_its_identity_and_no_unknown_survives_apply(provider: str) -> None:
    for resource_type, schema in resource_schemas(provider).items():
        state = _create(resource_type, **required_arguments(schema.block))
        assert not contains_unknown(state), resource_type
        if "id" in schema.block.attributes:
            assert state["id"] not in (None, UNKNOWN, ""), resource_type


def test_job_cluster_driver_defaults_to_the_worker_node_type_not_a_made_up_id() -> None:
    job = _create("databricks_job", name="j", job_cluster=[{"job_cluster_key": "etl", "new_cluster": [
        {"spark_version": "15.4.x-scala2.12", "node_type_id": "m5d.xlarge", "num_workers": 2}]}])
    new_cluster = job["job_cluster"][0]["new_cluster"][0]
    assert new_cluster["driver_node_type_id"] == "m5d.xlarge"


def test_pool_backed_cluster_reports_the_pools_node_type_like_the_api() -> None:
    schema = load_schemas().get("databricks_cluster")
    assert schema is not None
    planned = plan_change(schema, None, conform_block(
        {"spark_version": "15.4", "instance_pool_id": "pool-1", "num_workers": 1}, schema.block)).planned
    pools = {("databricks_instance_pool", "pool-1"): {"node_type_id": "i3.xlarge"}}
    context = Context("databricks_cluster", 1, lookup=lambda kind, object_id: pools.get((kind, object_id)))
    cluster = fill_unknowns(schema.block, planned, context)
    assert cluster["node_type_id"] == cluster["driver_node_type_id"] == "i3.xlarge"
    assert cluster["driver_instance_pool_id"] == "pool-1"


def test_cluster_of_an_unknown_pool_gets_no_made_up_node_type() -> None:
    cluster = _create("databricks_cluster", spark_version="15.4", instance_pool_id="gone", num_workers=1)
    assert cluster["node_type_id"] is None and cluster["driver_node_type_id"] is None


AWS = {"region": "eu-west-1"}


@pytest.mark.parametrize(
    ("resource_type", "config", "attribute", "pattern"),
    [
        ("aws_vpc", {"cidr_block": "10.0.0.0/16"}, "id", r"vpc-[0-9a-f]{17}"),
        ("aws_vpc", {"cidr_block": "10.0.0.0/16"}, "arn", r"arn:aws:ec2:eu-west-1:\d{12}:vpc/vpc-[0-9a-f]{17}"),
        ("aws_subnet", {"vpc_id": "vpc-1", "cidr_block": "10.0.0.0/24"}, "availability_zone", r"eu-west-1a"),
        ("aws_s3_bucket", {"bucket": "root"}, "bucket_regional_domain_name", r"root\.s3\.eu-west-1\.amazonaws\.com"),
        ("aws_s3_bucket", {}, "bucket", r"terraform-\d{26}"),
        ("aws_iam_role", {"name": "x", "assume_role_policy": "{}"}, "arn", r"arn:aws:iam::\d{12}:role/x"),
        ("aws_iam_role", {"name": "x", "assume_role_policy": "{}"}, "unique_id", r"AROA[A-Z2-7]{17}"),
        ("aws_kms_key", {}, "arn", r"arn:aws:kms:eu-west-1:\d{12}:key/[0-9a-f-]{36}"),
        ("aws_security_group", {"vpc_id": "vpc-1"}, "name", r"terraform-\d{26}"),
        ("azurerm_storage_account", {"name": "st", "resource_group_name": "rg", "location": "westeurope",
                                     "account_tier": "Standard", "account_replication_type": "LRS"},
         "primary_dfs_endpoint", r"https://st\.dfs\.core\.windows\.net/"),
        ("azurerm_virtual_network", {"name": "vnet", "resource_group_name": "rg", "location": "westeurope"},
         "id", r"/subscriptions/[0-9a-f-]{36}/resourceGroups/rg/providers/Microsoft\.Network/virtualNetworks/vnet"),
        ("google_service_account", {"account_id": "etl"}, "email", r"etl@sandbox-project\.iam\.gserviceaccount\.com"),
        ("random_string", {"length": 12, "special": False, "upper": False}, "result", r"[a-z0-9]{12}"),
        ("random_id", {"byte_length": 4}, "hex", r"[0-9a-f]{8}"),
        ("random_password", {"length": 20, "min_special": 3}, "result", r".{20}"),
        ("time_rotating", {"rotation_days": 30}, "id", r"2026-01-01T00:\d\d:00Z"),
        ("null_resource", {}, "id", r"\d{19}"),
    ],
    ids=lambda v: v if isinstance(v, str) and "_" in v and not v.startswith(("arn", "http")) else None,
)
def test_cloud_and_local_values_look_like_the_real_ones(resource_type: str, config: dict[str, Any], attribute: str,
                                                        pattern: str) -> None:
    assert re.fullmatch(pattern, str(_create(resource_type, extra=AWS, **config)[attribute]))


def test_random_values_follow_the_arguments() -> None:
    password = _create("random_password", length=16, min_special=4, min_upper=2, override_special="!#")
    assert sum(ch in "!#" for ch in password["result"]) >= 4 and sum(ch.isupper() for ch in password["result"]) >= 2
    identity = _create("random_id", byte_length=8, prefix="p-")
    assert identity["hex"].startswith("p-") and not identity["id"].startswith("p-")
    assert int(identity["dec"].removeprefix("p-")) == int(identity["hex"].removeprefix("p-"), 16)


def test_aws_tags_all_merges_the_provider_default_tags() -> None:
    bucket = _create("aws_s3_bucket", extra={"default_tags": {"owner": "platform", "team": "x"}}, bucket="b",
                     tags={"team": "data"})
    assert bucket["tags_all"] == {"owner": "platform", "team": "data"}

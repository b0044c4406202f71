"""Table tests for what the sandbox plans beyond the schema: the providers' diff suppression, conditional
replacement, aws tags_all and the job Read order (iac.sandbox.suppress, planner, customize, reads)."""

from __future__ import annotations

from typing import Any

import pytest

from iac.sandbox.customize import customize_plan
from iac.sandbox.planner import plan_change
from iac.sandbox.reads import read_back
from iac.sandbox.suppress import LEGACY_SPARK_KEY, spark_conf, zero_keeps_remote
from iac.sandbox.values import UNKNOWN, conform_block
from iac.schema import load_schemas


def _plan(resource_type: str, prior: dict[str, Any], config: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    schema = load_schemas().get(resource_type)
    assert schema is not None
    proposed = conform_block(config, schema.block)
    for name, attribute in schema.block.attributes.items():  # Terraform's proposed state keeps computed values
        if attribute.computed and proposed[name] is None:
            proposed[name] = prior.get(name)
    result = plan_change(schema, conform_block(prior, schema.block), proposed)
    assert result.planned is not None
    return result.planned, result.requires_replace


@pytest.mark.parametrize(
    ("before", "after", "hidden"),
    [("us-east-1a", None, True), ("us-east-1a", "", True), (100, None, True), (100, 0, True), (True, False, True),
     (100, 50, False), (None, 100, False), (0, None, False), ("", None, False)],
)
def test_zero_config_keeps_a_non_zero_remote(before: Any, after: Any, hidden: bool) -> None:
    assert zero_keeps_remote(before, after) is hidden


@pytest.mark.parametrize(
    ("before", "after", "planned"),
    [
        ({LEGACY_SPARK_KEY: "true"}, None, {LEGACY_SPARK_KEY: "true"}),
        ({LEGACY_SPARK_KEY: "true", "a": "1"}, {"a": "1"}, {LEGACY_SPARK_KEY: "true", "a": "1"}),
        ({LEGACY_SPARK_KEY: "true", "a": "1"}, None, {LEGACY_SPARK_KEY: "true"}),
        ({"spark.master": "local[*]"}, None, {}),
        ({"a": "1"}, {"a": "2"}, {"a": "2"}),
        (None, None, None),
    ],
    ids=["lone legacy key kept", "legacy key beside configured ones", "legacy key kept, other key removed",
         "other lone key removed", "value change", "nothing"],
)
def test_spark_conf_hides_only_the_legacy_key(before: Any, after: Any, planned: Any) -> None:
    assert spark_conf(before, after) == planned


CLUSTER = {"id": "c1", "cluster_id": "c1", "spark_version": "15.4.x-scala2.12", "num_workers": 1,
           "autotermination_minutes": 60}


@pytest.mark.parametrize(
    ("prior_aws", "config_aws", "planned_aws"),
    [
        ({"availability": "SPOT", "zone_id": "us-east-1a", "spot_bid_price_percent": 100},
         {"availability": "SPOT"}, {"availability": "SPOT", "zone_id": "us-east-1a", "spot_bid_price_percent": 100}),
        ({"availability": "SPOT", "zone_id": "us-east-1a"}, {"availability": "SPOT", "zone_id": "auto"},
         {"availability": "SPOT", "zone_id": "us-east-1a"}),
        ({"availability": "SPOT", "zone_id": "us-east-1a"}, {"availability": "SPOT", "zone_id": "us-east-1b"},
         {"availability": "SPOT", "zone_id": "us-east-1b"}),
        ({"availability": "SPOT", "first_on_demand": 1}, {"availability": "ON_DEMAND"},
         {"availability": "ON_DEMAND", "first_on_demand": 1}),
    ],
    ids=["filled values kept", "auto matches the zone", "another zone is a change", "zero first_on_demand kept"],
)
def test_cluster_cloud_attribute_fields_keep_what_the_server_filled(prior_aws: dict[str, Any], config_aws: dict[str, Any],
                                                                   planned_aws: dict[str, Any]) -> None:
    config = {k: v for k, v in CLUSTER.items() if k not in ("id", "cluster_id")}
    planned, _ = _plan("databricks_cluster", {**CLUSTER, "aws_attributes": [prior_aws]},
                       {**config, "aws_attributes": [config_aws]})
    assert {k: v for k, v in planned["aws_attributes"][0].items() if v is not None} == planned_aws


def test_job_cluster_cloud_attributes_follow_the_same_rule() -> None:
    spec = {"spark_version": "15.4.x-scala2.12", "num_workers": 2}
    prior = {"id": "1", "name": "j", "job_cluster": [{"job_cluster_key": "etl", "new_cluster": [
        {**spec, "aws_attributes": [{"availability": "SPOT", "zone_id": "us-east-1a"}]}]}]}
    config = {"name": "j", "job_cluster": [{"job_cluster_key": "etl", "new_cluster": [
        {**spec, "aws_attributes": [{"availability": "SPOT"}]}]}]}
    planned, _ = _plan("databricks_job", prior, config)
    assert planned["job_cluster"][0]["new_cluster"][0]["aws_attributes"][0]["zone_id"] == "us-east-1a"


def test_pool_fleet_fields_keep_what_the_server_filled() -> None:
    fleet = {"fleet_spot_option": [{"allocation_strategy": "LOWEST_PRICE"}],
             "launch_template_override": [{"availability_zone": "us-east-1a", "instance_type": "m5d.xlarge"}]}
    prior_fleet = {**fleet, "fleet_spot_option": [{"allocation_strategy": "LOWEST_PRICE", "instance_pools_to_use_count": 1}]}
    pool = {"instance_pool_name": "p", "idle_instance_autotermination_minutes": 10, "enable_elastic_disk": True}
    planned, replace = _plan("databricks_instance_pool", {**pool, "id": "p1", "instance_pool_fleet_attributes": [prior_fleet]},
                             {**pool, "instance_pool_fleet_attributes": [fleet]})
    assert planned["instance_pool_fleet_attributes"][0]["fleet_spot_option"][0]["instance_pools_to_use_count"] == 1
    assert replace == []


@pytest.mark.parametrize(
    ("resource_type", "prior", "config", "attribute", "planned"),
    [
        ("databricks_cluster", {**CLUSTER, "cluster_name": ""}, {"spark_version": "15.4.x-scala2.12", "num_workers": 1},
         "cluster_name", ""),
        ("databricks_cluster", {**CLUSTER, "cluster_name": None}, {"spark_version": "15.4.x-scala2.12", "num_workers": 1,
                                                                   "cluster_name": ""}, "cluster_name", None),
        ("random_string", {"id": "x", "result": "x", "length": 1, "override_special": ""}, {"length": 1},
         "override_special", None),
    ],
    ids=["sdkv2: '' in state, null config", "sdkv2: null in state, '' config", "framework: values as they are"],
)
def test_sdkv2_takes_null_and_the_zero_value_as_one(resource_type: str, prior: dict[str, Any], config: dict[str, Any],
                                                     attribute: str, planned: Any) -> None:
    assert _plan(resource_type, prior, config)[0][attribute] == planned


RANDOM = {"id": "abc", "result": "abc", "length": 3}


@pytest.mark.parametrize(
    ("prior", "config", "replaced"),
    [
        ({**RANDOM, "keepers": None}, {"length": 3, "keepers": {"a": "1"}}, [("keepers",)]),
        ({**RANDOM, "keepers": {"a": "1"}}, {"length": 3, "keepers": {"a": "1"}}, []),
        ({**RANDOM, "keepers": {"a": "1"}}, {"length": 3, "keepers": {"a": "2"}}, [("keepers",)]),
        ({**RANDOM, "keepers": {"a": "1"}}, {"length": 3}, [("keepers",)]),
        ({**RANDOM, "keepers": None}, {"length": 3, "keepers": {"a": None}}, []),
        ({**RANDOM, "override_special": ""}, {"length": 3}, []),
        ({**RANDOM, "override_special": "!"}, {"length": 3}, [("override_special",)]),
        ({**RANDOM, "override_special": None}, {"length": 3, "override_special": "!"}, [("override_special",)]),
    ],
    ids=["keepers added", "keepers same", "keepers changed", "keepers removed", "only null keepers added",
         "override_special '' -> null", "override_special removed", "override_special added"],
)
def test_random_replaces_as_its_plan_modifiers_say(prior: dict[str, Any], config: dict[str, Any], replaced: list[Any]) -> None:
    assert _plan("random_string", prior, config)[1] == replaced


@pytest.mark.parametrize(("before", "after", "replaced"), [("default", "dedicated", True), ("dedicated", "default", False)])
def test_vpc_tenancy_replaces_except_dedicated_to_default(before: str, after: str, replaced: bool) -> None:
    vpc = {"cidr_block": "10.0.0.0/16"}
    _, paths = _plan("aws_vpc", {**vpc, "id": "vpc-1", "instance_tenancy": before}, {**vpc, "instance_tenancy": after})
    assert (("instance_tenancy",) in paths) is replaced


@pytest.mark.parametrize(
    ("prior", "tags", "defaults", "tags_all"),
    [
        (None, {"a": "1"}, {"d": "x"}, {"a": "1", "d": "x"}),
        (None, None, {}, UNKNOWN),
        (None, {"a": ""}, {}, UNKNOWN),
        ({"tags": {"a": "1"}, "tags_all": {"a": "1"}}, {"a": "2"}, {}, {"a": "2"}),
        ({"tags": {"a": "1"}, "tags_all": {"a": "1"}}, None, {}, {}),  # the real provider: tests/providers/test_aws_tags_oracle.py
        ({"tags": None, "tags_all": {"d": "x"}}, None, {"d": "x"}, {"d": "x"}),
        ({"tags": None, "tags_all": {}}, None, {}, {}),
    ],
    ids=["create merges", "create without tags", "create with an empty value", "changed tags",
         "tags removed", "default tags only", "none at all"],
)
def test_aws_tags_all_is_planned_as_set_tags_diff(prior: dict[str, Any] | None, tags: Any, defaults: dict[str, str],
                                                  tags_all: Any) -> None:
    schema = load_schemas().get("aws_s3_bucket")
    assert schema is not None
    planned = {"tags": tags, "tags_all": (prior or {}).get("tags_all", UNKNOWN)}
    assert customize_plan(schema, prior, planned, defaults)["tags_all"] == tags_all


def test_job_read_sorts_tasks_depends_on_and_webhooks() -> None:
    job = {"task": [{"task_key": "b", "depends_on": [{"task_key": "z"}, {"task_key": "a"}],
                     "webhook_notifications": [{"on_start": [{"id": "2"}, {"id": "1"}]}]},
                    {"task_key": "a"}],
           "webhook_notifications": [{"on_failure": [{"id": "y"}, {"id": "x"}], "on_success": None}]}
    read = read_back("databricks_job", job)
    assert [t["task_key"] for t in read["task"]] == ["a", "b"]
    assert [d["task_key"] for d in read["task"][1]["depends_on"]] == ["a", "z"]
    assert read["task"][1]["webhook_notifications"][0]["on_start"] == [{"id": "1"}, {"id": "2"}]
    assert read["webhook_notifications"][0]["on_failure"] == [{"id": "x"}, {"id": "y"}]
    assert read_back("databricks_cluster", {"a": 1}) == {"a": 1}


def test_sdkv2_plans_a_removed_map_as_empty() -> None:
    prior = {**CLUSTER, "custom_tags": {"team": "a"}, "spark_conf": None}
    config = {k: v for k, v in CLUSTER.items() if k not in ("id", "cluster_id")}
    assert _plan("databricks_cluster", prior, config)[0]["custom_tags"] == {}
    assert _plan("databricks_cluster", {**prior, "custom_tags": None}, config)[0]["custom_tags"] is None

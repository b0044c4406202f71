"""iac's diff suppressions against the databricks provider's own code (1.110.0): one row per rule of
iac/diff/rules.py that a provider suppression decides, and one per former iac rule that hid more than
the provider (Terraform's plan shows those changes, so iac's preview does too)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.diff.helpers import plan_config, state_of

CLUSTER = {"cluster_name": "etl", "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 2,
           "id": "c1", "cluster_id": "c1"}
CONFIG = {k: v for k, v in CLUSTER.items() if k not in ("id", "cluster_id")}
SERVER_AWS = {"availability": "SPOT_WITH_FALLBACK", "first_on_demand": 1, "zone_id": "us-east-1a",
              "spot_bid_price_percent": 100, "ebs_volume_count": 0}
POOL = {"instance_pool_name": "p", "idle_instance_autotermination_minutes": 10, "id": "p1", "instance_pool_id": "p1"}
POOL_CONFIG = {k: v for k, v in POOL.items() if k not in ("id", "instance_pool_id")}
FLEET = {"fleet_spot_option": [{"allocation_strategy": "LOWEST_PRICE", "instance_pools_to_use_count": 2}],
         "launch_template_override": [{"availability_zone": "us-east-1a", "instance_type": "m5.xlarge"}]}
WEBHOOKS = {"on_start": [{"id": "a"}, {"id": "b"}]}

# (id, type, state, config, action, changed paths with their reasons)
ROWS: list[tuple[str, str, dict[str, Any], dict[str, Any], str, dict[str, str]]] = [
    ("aws_attributes: the children the server fills are kept (SetSuppressDiff on every field)", "databricks_cluster",
     {**CLUSTER, "aws_attributes": [SERVER_AWS]},
     {**CONFIG, "aws_attributes": {"availability": "SPOT_WITH_FALLBACK", "first_on_demand": 1}}, "no-op",
     {"aws_attributes[0].ebs_volume_count": "normalised away",
      "aws_attributes[0].spot_bid_price_percent": "normalised away", "aws_attributes[0].zone_id": "normalised away"}),
    ("aws_attributes: zone_id 'auto' keeps the zone the server chose (ZoneDiffSuppress)", "databricks_cluster",
     {**CLUSTER, "aws_attributes": [SERVER_AWS]}, {**CONFIG, "aws_attributes": {**SERVER_AWS, "zone_id": "auto"}},
     "no-op", {"aws_attributes[0].zone_id": "normalised away"}),
    ("aws_attributes: a set field that differs is a change", "databricks_cluster",
     {**CLUSTER, "aws_attributes": [SERVER_AWS]}, {**CONFIG, "aws_attributes": {**SERVER_AWS, "first_on_demand": 2}},
     "update", {"aws_attributes[0].first_on_demand": "set in config"}),
    ("job clusters get the same suppressions", "databricks_job",
     {"name": "j", "job_cluster": [{"job_cluster_key": "k", "new_cluster": [{**{k: v for k, v in CONFIG.items()},
                                                                            "aws_attributes": [SERVER_AWS]}]}]},
     {"name": "j", "job_cluster": [{"job_cluster_key": "k", "new_cluster": {
         **CONFIG, "aws_attributes": {"availability": "SPOT_WITH_FALLBACK", "first_on_demand": 1}}}]}, "no-op",
     {"job_cluster[0].new_cluster[0].aws_attributes[0].ebs_volume_count": "normalised away",
      "job_cluster[0].new_cluster[0].aws_attributes[0].spot_bid_price_percent": "normalised away",
      "job_cluster[0].new_cluster[0].aws_attributes[0].zone_id": "normalised away"}),
    ("instance pool: fleet attributes the config leaves out are kept (suppress_diff)", "databricks_instance_pool",
     {**POOL, "instance_pool_fleet_attributes": [FLEET]},
     {**POOL_CONFIG, "instance_pool_fleet_attributes": {"fleet_spot_option": {"allocation_strategy": "LOWEST_PRICE"}}},
     "no-op", {"instance_pool_fleet_attributes[0].fleet_spot_option[0].instance_pools_to_use_count": "normalised away"}),
    ("instance pool: zone_id 'auto' matches the zone the server chose", "databricks_instance_pool",
     {**POOL, "aws_attributes": [{"availability": "SPOT", "zone_id": "us-east-1b"}]},
     {**POOL_CONFIG, "aws_attributes": {"availability": "SPOT", "zone_id": "AUTO"}}, "no-op",
     {"aws_attributes[0].zone_id": "normalised away"}),
    ("spark_conf: the legacy delta key is ignored (SparkConfDiffSuppressFunc)", "databricks_cluster",
     {**CLUSTER, "spark_conf": {"spark.databricks.delta.preview.enabled": "true", "spark.x": "1"}},
     {**CONFIG, "spark_conf": {"spark.x": "1"}}, "no-op", {"spark_conf": "normalised away"}),
    ("spark_conf: server-injected single-node keys are a change, as in Terraform's plan", "databricks_cluster",
     {**CLUSTER, "spark_conf": {"spark.master": "local[*]", "spark.databricks.cluster.profile": "singleNode"}},
     CONFIG, "update", {'spark_conf["spark.databricks.cluster.profile"]': "removed from config",
                        'spark_conf["spark.master"]': "removed from config"}),  # SDKv2 plans the map {}, key by key
    ("custom_tags: the ResourceClass tag is a change, as in Terraform's plan", "databricks_cluster",
     {**CLUSTER, "custom_tags": {"ResourceClass": "SingleNode"}}, CONFIG, "update",
     {"custom_tags.ResourceClass": "removed from config"}),
    ("policy definition: key order is a change (the provider trims whitespace only)", "databricks_cluster_policy",
     {"name": "p", "id": "p", "definition": '{"a": {"type": "fixed", "value": 1}}'},
     {"name": "p", "definition": '{"a": {"value": 1, "type": "fixed"}}'}, "update", {"definition": "set in config"}),
    ("policy definition: surrounding whitespace is not", "databricks_cluster_policy",
     {"name": "p", "id": "p", "definition": '{"a": 1}'}, {"name": "p", "definition": ' {"a": 1}\n'}, "no-op",
     {"definition": "normalised away"}),
    ("job tasks in another order are a change (sorted by the provider on read)", "databricks_job",
     {"name": "j", "task": [{"task_key": "a"}, {"task_key": "b"}]},
     {"name": "j", "task": [{"task_key": "b"}, {"task_key": "a"}]}, "update",
     {"task[0].task_key": "set in config", "task[1].task_key": "set in config"}),
    ("webhooks in another order are a change (sorted by id on read)", "databricks_job",
     {"name": "j", "webhook_notifications": [WEBHOOKS]},
     {"name": "j", "webhook_notifications": {"on_start": [{"id": "b"}, {"id": "a"}]}}, "update",
     {"webhook_notifications[0].on_start[0].id": "set in config",
      "webhook_notifications[0].on_start[1].id": "set in config"}),
    ("permission user names differ in case: a change in 1.110 (fixed later, #5757)", "databricks_permissions",
     {"id": "/clusters/c1", "cluster_id": "c1", "access_control": [{"user_name": "A@x.com", "permission_level": "CAN_USE"}]},
     {"cluster_id": "c1", "access_control": [{"user_name": "a@x.com", "permission_level": "CAN_USE"}]}, "update", {}),
]


@pytest.mark.parametrize(("rtype", "state", "config", "action", "reasons"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_suppressions_are_the_providers(rtype: str, state: dict[str, Any], config: dict[str, Any], action: str,
                                        reasons: dict[str, str]) -> None:
    result = plan_config({"resource": {rtype: {"x": config}}}, state_of({f"{rtype}.x": state}))
    (change,) = result.resource_changes
    got = {path: str(getattr(why, "value", why)) for path, why in change.reasons.items()}
    assert change.action.value == action
    if reasons or action == "no-op":
        assert got == reasons

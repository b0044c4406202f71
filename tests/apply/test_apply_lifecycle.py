"""End to end with real Terraform (embedded engine, and a binary on PATH if any; offline): apply from empty, change, re-plan, destroy."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from apply_helpers import terraform_data_stack, write_stack

from iac import _jsonio
from iac.terraform.audit import read_records

HAS_BINARY = bool(shutil.which("terraform") or shutil.which("tofu"))
ENGINES = [pytest.param("embedded"),
           pytest.param("binary", marks=pytest.mark.skipif(not HAS_BINARY, reason="no terraform/tofu on PATH"))]


def _state(directory: Path) -> dict:
    return _jsonio.read_json(directory / "terraform.tfstate")


def _inputs(state: dict) -> dict[str, object]:
    return {r["name"]: r["instances"][0]["attributes"]["input"]["value"] for r in state["resources"]}


@pytest.mark.parametrize("engine", ENGINES)
def test_apply_change_replan_destroy(tmp_path: Path, invoke: Callable, engine: str) -> None:
    engine_args = ("--engine", engine)
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one", "b": "two"}))

    created = invoke("apply", "--config-dir", stack, "--auto-approve", *engine_args)
    assert created.exit_code == 0, created.output
    assert "Apply complete! Resources: 2 added, 0 changed, 0 destroyed." in created.stdout
    assert "Confirmed: iac plans no further changes." in created.stdout
    assert _inputs(_state(stack)) == {"a": "one", "b": "two"}

    write_stack(stack, terraform_data_stack({"a": "uno", "c": "three"}))
    changed = invoke("apply", "--config-dir", stack, "--auto-approve", *engine_args)
    assert changed.exit_code == 0, changed.output
    assert "Apply complete! Resources: 1 added, 1 changed, 1 destroyed." in changed.stdout
    assert _inputs(_state(stack)) == {"a": "uno", "c": "three"}

    again = invoke("apply", "--config-dir", stack, "--auto-approve", *engine_args)
    assert again.exit_code == 0, again.output
    assert "No changes." in again.stdout and "Apply complete" not in again.stdout

    destroyed = invoke("destroy", "--config-dir", stack, "--auto-approve", *engine_args)
    assert destroyed.exit_code == 0, destroyed.output
    assert "Resources: 0 added, 0 changed, 2 destroyed." in destroyed.stdout  # a saved destroy plan reports "Apply complete!"
    assert _state(stack)["resources"] == []

    records = read_records(stack / ".iac" / "audit.jsonl")
    assert [(r["command"], r["outcome"]) for r in records] == [
        ("apply", "applied"), ("apply", "applied"), ("apply", "no-changes"), ("destroy", "applied")]
    assert records[0]["terraform_summary"] == "Apply complete! Resources: 2 added, 0 changed, 0 destroyed."
    assert all(r["config_hash"].startswith("sha256:") and r["plan_hash"].startswith("sha256:") for r in records)
    assert not (stack / ".iac" / "lock.json").exists()
    assert not (stack / ".iac" / "run.tfplan").exists()
    assert len(list((stack / ".iac" / "backups").glob("*.tfstate"))) == 2  # before the change and before destroy

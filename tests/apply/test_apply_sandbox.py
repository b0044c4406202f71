"""Databricks-typed stacks end to end, offline: real Terraform against iac's sandbox provider (`--sandbox`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from apply_helpers import files_containing, write_stack

from iac import _jsonio
from iac.terraform.audit import read_records

pytest.importorskip("iac.sandbox.session")

CANARY = "sandbox-canary-5d1c0b7e"
ARGS = ("--sandbox", "--auto-approve", "--engine", "embedded")


def _databricks_stack(max_workers: int, scope: str) -> dict[str, Any]:
    """Three Databricks resources, a secret from TF_VAR_canary, and a backend the sandbox must never use."""
    definition = json.dumps({"num_workers": {"type": "range", "maxValue": max_workers}}, sort_keys=True)
    return {
        "terraform": {"required_providers": {"databricks": {"source": "databricks/databricks", "version": "1.110.0"}},
                      "backend": {"local": {"path": "real.tfstate"}}},
        "provider": {"databricks": {"host": "https://example.cloud.databricks.com"}},
        "variable": {"canary": {"type": "string", "sensitive": True}},
        "resource": {
            "databricks_secret_scope": {"app": {"name": scope}},
            "databricks_secret": {"token": {"scope": "${databricks_secret_scope.app.name}", "key": "token",
                                            "string_value": "${var.canary}"}},
            "databricks_cluster_policy": {"small": {"name": "small", "definition": definition}},
        },
    }


def test_databricks_stack_in_the_sandbox(tmp_path: Path, invoke: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TF_VAR_canary", CANARY)
    stack = write_stack(tmp_path / "dev", _databricks_stack(4, "app"))
    sandbox = stack / ".sandbox"
    outputs: list[str] = []

    def run(*args: str) -> str:
        result = invoke(*args, "--config-dir", stack, *ARGS)
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout + result.stderr)
        return result.stdout

    created = run("apply")
    assert "Terraform's plan matches iac's preview at 3 address(es)" in created
    assert "Apply complete! Resources: 3 added, 0 changed, 0 destroyed." in created

    write_stack(stack, _databricks_stack(8, "app2"))  # policy updated in place; scope (and its secret) replaced
    changed = run("apply")
    assert "Apply complete! Resources: 2 added, 1 changed, 2 destroyed." in changed
    assert "Confirmed: iac plans no further changes." in changed
    assert "No changes." in run("apply")

    destroyed = run("destroy")
    assert "0 added, 0 changed, 3 destroyed." in destroyed
    assert _jsonio.read_json(sandbox / "terraform.tfstate")["resources"] == []

    assert not (stack / "real.tfstate").exists() and not (stack / "terraform.tfstate").exists()  # real state untouched
    assert [r["outcome"] for r in read_records(sandbox / ".iac" / "audit.jsonl")] == [
        "applied", "applied", "no-changes", "applied"]
    assert all(r["sandbox"] for r in read_records(sandbox / ".iac" / "audit.jsonl"))
    assert files_containing(stack, CANARY.encode()) == []
    assert not any(CANARY in text for text in outputs)


def test_variables_without_value_get_placeholders_in_the_sandbox(tmp_path: Path, invoke: Callable) -> None:
    """The sandbox never needs a real secret: like `iac sandbox apply`, a missing TF_VAR_ gets a placeholder, said on stderr."""
    stack = write_stack(tmp_path / "dev", _databricks_stack(4, "app"))
    result = invoke("apply", "--config-dir", stack, *ARGS)
    assert result.exit_code == 0, result.output
    assert "sandbox: placeholder values for 1 variable(s) without a value" in result.stderr
    assert "Apply complete! Resources: 3 added, 0 changed, 0 destroyed." in result.stdout
    assert not (stack / "real.tfstate").exists()


def test_a_var_replaces_the_placeholder_and_never_shows(tmp_path: Path, invoke: Callable) -> None:
    stack = write_stack(tmp_path / "dev", _databricks_stack(4, "app"))
    result = invoke("apply", "--config-dir", stack, *ARGS, "--var", f"canary={CANARY}")
    assert result.exit_code == 0, result.output
    assert "placeholder" not in result.stderr and CANARY not in result.output
    state = _jsonio.read_json(stack / ".sandbox" / "terraform.tfstate")
    [secret] = [r for r in state["resources"] if r["type"] == "databricks_secret"]
    assert secret["instances"][0]["attributes"]["string_value"] == CANARY  # Terraform applied the --var value


def _applied_then_policy_deleted_in_the_workspace(tmp_path: Path, invoke: Callable,
                                                  monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Any]:
    """The stack applied into the sandbox, then its cluster policy deleted in the workspace (drift)."""
    from iac.sandbox.store import Store

    monkeypatch.setenv("TF_VAR_canary", CANARY)
    stack = write_stack(tmp_path / "dev", _databricks_stack(4, "app"))
    assert invoke("apply", "--config-dir", stack, *ARGS).exit_code == 0
    store = Store(stack / ".sandbox" / "provider" / "store.json")
    [(_, _, policy_id, _)] = store.objects("databricks_cluster_policy")
    assert store.delete("databricks_cluster_policy", policy_id)  # someone deleted it in the workspace UI
    return stack, store


def test_an_object_deleted_outside_terraform_stops_apply_naming_the_drift(tmp_path: Path, invoke: Callable,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    stack, store = _applied_then_policy_deleted_in_the_workspace(tmp_path, invoke, monkeypatch)

    result = invoke("apply", "--config-dir", stack, *ARGS)
    assert result.exit_code == 1
    assert ("databricks_cluster_policy.small: iac previewed action no-op, Terraform plans create "
            "(changed outside Terraform: its refresh found it deleted)") in result.stderr
    assert "1 address(es) changed outside Terraform since the last apply" in result.stderr
    assert "Apply complete" not in result.stdout


def test_refresh_only_records_the_drift_then_apply_brings_the_workspace_back(
        tmp_path: Path, invoke: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    stack, store = _applied_then_policy_deleted_in_the_workspace(tmp_path, invoke, monkeypatch)
    sandbox = stack / ".sandbox"
    state_file = sandbox / "terraform.tfstate"
    before = state_file.read_text()

    refreshed = invoke("apply", "--config-dir", stack, "--refresh-only", *ARGS)
    assert refreshed.exit_code == 0, refreshed.output
    assert "Terraform's refresh found 1 object(s) changed outside Terraform:" in refreshed.stdout
    assert "  databricks_cluster_policy.small: deleted" in refreshed.stdout
    assert "iac plans changes at 1 address(es) (databricks_cluster_policy.small)" in refreshed.stdout
    assert len(store.objects("databricks_cluster_policy")) == 0, "a refresh changes nothing in the workspace"
    assert "databricks_cluster_policy" not in state_file.read_text() and state_file.read_text() != before
    assert CANARY not in refreshed.output
    last = read_records(sandbox / ".iac" / "audit.jsonl")[-1]
    assert (last["command"], last["outcome"]) == ("apply --refresh-only", "refreshed")

    again = invoke("apply", "--config-dir", stack, "--refresh-only", *ARGS)
    assert again.exit_code == 0 and "No changes outside Terraform" in again.stdout

    restored = invoke("apply", "--config-dir", stack, *ARGS)  # iac's preview and Terraform now agree: create it
    assert restored.exit_code == 0, restored.output
    assert "Apply complete! Resources: 1 added, 0 changed, 0 destroyed." in restored.stdout
    assert len(store.objects("databricks_cluster_policy")) == 1

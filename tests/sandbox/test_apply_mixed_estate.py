"""`iac apply --sandbox` on a workspace estate with its cloud side (tests/sandbox/data/mixed.tf.json: databricks
account and workspace, aws, random, data sources): iac previews and checks, Terraform plans and applies every
type through the sandbox providers, its plan must match iac's preview at every address, and iac must plan
nothing afterwards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from iac._jsonio import dumps, read_json
from tests.conftest import Run

from .test_mixed_oracle import mixed

pytestmark = [pytest.mark.oracle, pytest.mark.slow]


def test_the_mixed_estate_applies_with_its_cloud_side(tmp_path: Path, run_iac: Callable[..., Run]) -> None:
    config = tmp_path / "estate"
    config.mkdir()
    (config / "main.tf.json").write_text(dumps(mixed()))
    result = run_iac("apply", "--config-dir", str(config), "--sandbox", "--auto-approve", "--engine", "embedded")
    assert result.code == 0, result.stdout[-3000:] + result.stderr
    state = read_json(next(config.rglob("terraform.tfstate")))
    managed = [r for r in state["resources"] if r["mode"] == "managed"]
    assert {r["type"].split("_", 1)[0] for r in managed} == {"aws", "databricks", "random"}
    assert {r["type"].split("_", 1)[0] for r in state["resources"] if r["mode"] == "data"} == {"aws", "databricks"}
    instances = sum(len(r["instances"]) for r in managed)
    assert f"Terraform's plan matches iac's preview at {instances} address(es)." in result.stdout
    assert "Confirmed: iac plans no further changes." in result.stdout

"""Every resource type and data source of the schema data, through real Terraform and the sandbox providers.

One generated configuration per provider (tests/sandbox/every_type.py): each resource type created from its
required arguments must apply and then re-plan with no changes; each data source must read, twice alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iac._jsonio import read_json
from iac.sandbox.schema import PROVIDERS, data_source_schemas, resource_schemas
from iac.sandbox.session import start_sandbox

from .conftest import terraform, write_config
from .every_type import every_type_config

pytestmark = [pytest.mark.oracle, pytest.mark.slow]


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_every_resource_type_applies_and_replans_clean(tmp_path: Path, provider: str) -> None:
    with start_sandbox(tmp_path / "sandbox") as sandbox:
        tf = sandbox.terraform(write_config(sandbox, every_type_config(provider)))
        terraform(tf, "apply", "-auto-approve")
        state = read_json(Path(tf.cwd) / "terraform.tfstate")
        assert {r["type"] for r in state["resources"]} == set(resource_schemas(provider))
        code, out = terraform(tf, "plan", "-detailed-exitcode", ok=(0, 2))
        assert code == 0, out
        terraform(tf, "destroy", "-auto-approve")
        assert sandbox.store().count() == 0


@pytest.mark.parametrize("provider", sorted(p for p in PROVIDERS if data_source_schemas(p)))
def test_every_data_source_reads_the_same_values_twice(tmp_path: Path, provider: str) -> None:
    with start_sandbox(tmp_path / "sandbox") as sandbox:
        tf = sandbox.terraform(write_config(sandbox, every_type_config(provider, "data")))
        terraform(tf, "apply", "-auto-approve")
        first = read_json(Path(tf.cwd) / "terraform.tfstate")["resources"]
        assert {r["type"] for r in first} == set(data_source_schemas(provider))
        terraform(tf, "apply", "-auto-approve")
        again = read_json(Path(tf.cwd) / "terraform.tfstate")["resources"]
        assert [r["instances"] for r in again] == [r["instances"] for r in first]

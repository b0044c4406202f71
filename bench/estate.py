"""Generated estates: N terraform_data resources, their state as Terraform writes it, and a config
with 1% of the resources changed.

The state is written directly in state v4 format (applying 100,000 resources with Terraform would take
hours); it has exactly the shape Terraform's own apply produces (dynamic values wrapped with their
type, dependencies, lineage/serial), so Terraform plans it as it would plan a real one. One resource
in ten references another's id, so the planner resolves references from state.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from random import Random
from typing import Any

from iac._jsonio import infer_type

__all__ = ["write_estate"]


def _inputs(i: int) -> dict[str, Any]:
    if i % 10 == 1:
        return {"name": f"svc-{i}", "parent": f"${{terraform_data.r{i - 1}.id}}", "size": 1}
    return {"name": f"svc-{i}", "size": i % 7, "tags": {"team": f"t{i % 13}", "env": "prod"}, "ports": [80, 443]}


def write_estate(directory: Path, count: int, *, changed_every: int = 100, seed: int = 1) -> Path:
    """Write `main.tf.json` (1 resource in `changed_every` changed) and `terraform.tfstate`."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = Random(seed)
    ids = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(count)]
    config: dict[str, Any] = {}
    resources: list[dict[str, Any]] = []
    for i in range(count):
        inputs = _inputs(i)
        config[f"r{i}"] = {"input": dict(inputs, size=99) if i % changed_every == 0 else inputs}
        # keys sorted, as Terraform writes them (cty marshals object attributes and map keys sorted)
        applied = json.loads(json.dumps({k: (ids[i - 1] if k == "parent" else v) for k, v in inputs.items()},
                                        sort_keys=True))
        wrapped = {"value": applied, "type": infer_type(applied)}
        instance: dict[str, Any] = {
            "schema_version": 0,
            "attributes": {"id": ids[i], "input": wrapped, "output": wrapped, "triggers_replace": None},
            "sensitive_attributes": [], "identity_schema_version": 0}
        if "parent" in inputs:
            instance["dependencies"] = [f"terraform_data.r{i - 1}"]
        resources.append({"mode": "managed", "type": "terraform_data", "name": f"r{i}",
                          "provider": 'provider["terraform.io/builtin/terraform"]', "instances": [instance]})
    resources.sort(key=lambda r: r["name"])
    (directory / "main.tf.json").write_text(json.dumps({"resource": {"terraform_data": config}}))
    state = {"version": 4, "terraform_version": "1.15.5", "serial": 1,
             "lineage": str(uuid.UUID(int=rng.getrandbits(128))), "outputs": {}, "resources": resources,
             "check_results": None}
    (directory / "terraform.tfstate").write_text(json.dumps(state, indent=2))
    return directory

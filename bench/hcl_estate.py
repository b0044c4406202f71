"""A generated estate written in idiomatic HCL, for `python -m bench.hcl`: teams in a `.tfvars` file, locals
built with `merge`, `format`, `for` expressions and `range`, `for_each` over maps with index expressions into
variables and into other resources, conditionals and string functions — the way teams write Terraform.

    write_hcl_estate(directory, teams=100, services=99)   # 100 x 99 services + one endpoint per ten: ~10.9k

The state is written directly in state v4 form (applying 10,000 resources with Terraform would take most of an
hour), with the values Terraform's own apply gives these expressions (computed here in plain Python, a second
implementation: `iac plan` finding 1% changed and Terraform agreeing is the check). The `.tfvars` then changes
one team's tags, so 1% of the services (and their endpoints' `input`s do not change: they reference names).

`terraform_data` only: Terraform plans it offline, without a provider. Dynamic blocks need a resource type with
nested blocks, which needs a provider; they are covered by the oracle tests through the sandbox instead.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from random import Random
from typing import Any

__all__ = ["write_hcl_estate"]

MAIN_TF = """\
variable "environment" {
  type = string
}

variable "teams" {
  type = map(object({
    size = number
    tier = string
    tags = map(string)
  }))
}

locals {
  common_tags = {
    environment = var.environment
    managed_by  = "terraform"
  }
  services = merge([
    for team, t in var.teams : {
      for i in range(t.size) : format("%s-svc-%03d", team, i) => {
        team  = team
        index = i
        tier  = t.tier
      }
    }
  ]...)
  endpoints = { for name, s in local.services : name => s if s.index % 10 == 0 }
}

resource "terraform_data" "service" {
  for_each = local.services
  input = {
    name     = "${var.environment}-${each.key}"
    tags     = merge(local.common_tags, var.teams[each.value.team].tags, { index = tostring(each.value.index) })
    port     = 8000 + each.value.index
    tier     = upper(each.value.tier)
    replicas = each.value.tier == "gold" ? 3 : 1
  }
}

resource "terraform_data" "endpoint" {
  for_each = local.endpoints
  input = {
    url    = "https://${terraform_data.service[each.key].input.name}.example.com"
    parent = terraform_data.service[each.key].id
  }
}
"""


def _tfvars(teams: dict[str, dict[str, Any]]) -> str:
    lines = ['environment = "prod"', "teams = {"]
    for name, team in teams.items():
        tags = ", ".join(f'{k} = "{v}"' for k, v in team["tags"].items())
        lines.append(f'  {name} = {{ size = {team["size"]}, tier = "{team["tier"]}", tags = {{ {tags} }} }}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _wrapped(value: Any) -> dict[str, Any]:
    from iac._jsonio import infer_type

    value = json.loads(json.dumps(value, sort_keys=True))
    return {"value": value, "type": infer_type(value)}


def write_hcl_estate(directory: Path, *, teams: int = 100, services: int = 99, seed: int = 1) -> Path:
    """Write `main.tf`, `terraform.tfvars` (one team's tags changed) and `terraform.tfstate`."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = Random(seed)
    team_data = {f"team{t:03d}": {"size": services, "tier": "gold" if t % 3 == 0 else "silver",
                                  "tags": {"team": f"team{t:03d}", "cost_center": f"cc-{t % 17}"}}
                 for t in range(teams)}
    common = {"environment": "prod", "managed_by": "terraform"}
    service_resources: list[dict[str, Any]] = []
    endpoint_resources: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    for team, t in team_data.items():
        for i in range(t["size"]):
            key = f"{team}-svc-{i:03d}"
            ids[key] = str(uuid.UUID(int=rng.getrandbits(128)))
            value = {"name": f"prod-{key}", "tags": {**common, **t["tags"], "index": str(i)}, "port": 8000 + i,
                     "tier": t["tier"].upper(), "replicas": 3 if t["tier"] == "gold" else 1}
            service_resources.append(_instance(key, ids[key], value))
            if i % 10 == 0:
                endpoint = {"url": f"https://prod-{key}.example.com", "parent": ids[key]}
                endpoint_id = str(uuid.UUID(int=rng.getrandbits(128)))
                instance = _instance(key, endpoint_id, endpoint)
                instance["dependencies"] = ["terraform_data.service"]
                endpoint_resources.append(instance)
    resources = [
        {"mode": "managed", "type": "terraform_data", "name": "endpoint",
         "provider": 'provider["terraform.io/builtin/terraform"]', "instances": endpoint_resources},
        {"mode": "managed", "type": "terraform_data", "name": "service",
         "provider": 'provider["terraform.io/builtin/terraform"]', "instances": service_resources},
    ]
    state = {"version": 4, "terraform_version": "1.15.5", "serial": 1,
             "lineage": str(uuid.UUID(int=rng.getrandbits(128))), "outputs": {}, "resources": resources,
             "check_results": None}
    (directory / "terraform.tfstate").write_text(json.dumps(state, indent=2))
    (directory / "main.tf").write_text(MAIN_TF)
    changed = dict(team_data)
    first = next(iter(changed))
    changed[first] = {**changed[first], "tags": {**changed[first]["tags"], "cost_center": "cc-moved"}}
    (directory / "terraform.tfvars").write_text(_tfvars(changed))
    return directory


def _instance(key: str, identifier: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"index_key": key, "schema_version": 0,
            "attributes": {"id": identifier, "input": _wrapped(value), "output": _wrapped(value),
                           "triggers_replace": None},
            "sensitive_attributes": [], "identity_schema_version": 0}

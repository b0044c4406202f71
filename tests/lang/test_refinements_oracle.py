"""What Terraform knows about a value it does not know yet (cty's refinements), against real Terraform.

An unknown can still be known not to be null (`terraform_data`'s new `id`, a template's result, most
functions' results), so `x.id != null` is a known true and a `count` built on it is planned, not refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lang.configs import plan_both

pytestmark = pytest.mark.oracle

RESOURCES = ('resource "terraform_data" "a" {\n  input = "x"\n}\n'
             'resource "terraform_data" "n" {\n  input = null\n}\n')

CASES = {
    "a new id is not null": 'output "o" { value = terraform_data.a.id != null }\n'
                            'output "p" { value = terraform_data.a.id == null ? "null" : "set" }\n',
    "an unknown output may be null": 'output "o" { value = terraform_data.a.output == null }\n',
    "a null input's output is null": 'output "o" { value = terraform_data.n.output == null }\n',
    "a count from the id's null check": 'resource "terraform_data" "b" {\n'
                                        '  count = terraform_data.a.id == null ? 0 : 1\n}\n',
    "a function of the id": 'output "o" { value = upper(terraform_data.a.id) != null }\n'
                            'output "p" { value = coalesce(terraform_data.a.id, "x") }\n',
    "the id through a local and a module": 'locals {\n  id = terraform_data.a.id\n}\n'
                                           'module "m" {\n  source = "./m"\n  id = local.id\n}\n'
                                           'output "o" { value = module.m.set }\n',
}

CHILD = 'variable "id" {}\noutput "set" { value = var.id != null }\n'


@pytest.mark.parametrize("name", sorted(CASES))
def test_refined_as_terraform_refines(tmp_path: Path, name: str) -> None:
    expected, actual = plan_both(tmp_path, {"main.tf": RESOURCES + CASES[name], "m/main.tf": CHILD})
    assert actual == expected


def test_the_id_of_a_replacement_is_not_null(tmp_path: Path) -> None:
    before = {"main.tf": 'resource "terraform_data" "a" {\n  triggers_replace = 1\n}\n'}
    after = {"main.tf": 'resource "terraform_data" "a" {\n  triggers_replace = 2\n}\n'
                        'output "o" { value = terraform_data.a.id != null }\n'}
    expected, actual = plan_both(tmp_path, after, before=before)
    assert expected["outputs"]["o"] == (True, "bool")  # what the case is about
    assert actual == expected

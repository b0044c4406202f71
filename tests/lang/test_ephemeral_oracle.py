"""Ephemeral values (`variable { ephemeral = true }`, ephemeral module outputs), as Terraform 1.15 has them: usable in
locals, conditions and `ephemeralasnull`, never stored — a resource argument, a root output, count/for_each or a
module input not declared ephemeral derived from one is Terraform's error, and iac's, each against real Terraform."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lang.configs import both_refuse, plan_both

VARIABLE = 'variable "e" {\n  ephemeral = true\n  default   = "x"\n}\n'
MODULES = {"ephemeral/main.tf": 'variable "v" {\n  ephemeral = true\n}\noutput "o" {\n  value     = var.v\n'
                                '  ephemeral = true\n}\n',
           "plain/main.tf": 'variable "v" {}\noutput "o" {\n  value = var.v\n}\n'}

REFUSED = {
    "a resource argument": 'resource "terraform_data" "a" {\n  input = var.e\n}\n',
    "a value derived in a local": 'locals {\n  l = upper(var.e)\n}\nresource "terraform_data" "a" {\n'
                                  '  input = { k = [local.l] }\n}\n',
    "a condition on one": 'resource "terraform_data" "a" {\n  input = var.e == "x" ? "a" : "b"\n}\n',
    "a root output": 'output "o" {\n  value = var.e\n}\n',
    "a root output declared ephemeral": 'output "o" {\n  value     = var.e\n  ephemeral = true\n}\n',
    "a root output derived from one": 'output "o" {\n  value = length(var.e) > 0 ? "yes" : "no"\n}\n',
    "count": 'resource "terraform_data" "a" {\n  count = length(var.e)\n}\n',
    "for_each": 'resource "terraform_data" "a" {\n  for_each = toset([var.e])\n}\n',
    "an ephemeral module output in a resource": 'module "m" {\n  source = "./ephemeral"\n  v      = var.e\n}\n'
                                                'resource "terraform_data" "a" {\n  input = module.m.o\n}\n',
    "a module input not declared ephemeral": 'module "m" {\n  source = "./plain"\n  v      = var.e\n}\n',
}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_terraform_refuses_of_ephemeral_values_iac_refuses(tmp_path: Path, name: str) -> None:
    assert "phemeral" in both_refuse(tmp_path, {"main.tf": VARIABLE + REFUSED[name], **MODULES})


@pytest.mark.oracle
def test_ephemeral_values_plan_as_terraform_plans_them(tmp_path: Path) -> None:
    """`ephemeralasnull` (every ephemeral part null, other marks kept), conditions and locals."""
    text = (VARIABLE + 'locals {\n  l = var.e\n}\n'
            'resource "terraform_data" "a" {\n  input = ephemeralasnull(var.e)\n  lifecycle {\n    precondition {\n'
            '      condition     = local.l != ""\n      error_message = "e"\n    }\n  }\n}\n'
            'output "o" {\n  value = ephemeralasnull({ a = var.e, b = "k", c = [local.l, "z"] })\n}\n'
            'output "n" {\n  value = ephemeralasnull(var.e) == null ? 0 : 1\n}\n')
    expected, actual = plan_both(tmp_path, {"main.tf": text})
    assert actual == expected and expected["outputs"]["o"][0] == {"a": None, "b": "k", "c": [None, "z"]}


@pytest.mark.oracle
def test_ephemeralasnull_of_an_unknown_is_unknown(tmp_path: Path) -> None:
    """An argument unknown as a whole gives an unknown, one holding an unknown a null (as Terraform's does)."""
    files = {"main.tf": 'resource "terraform_data" "a" { input = "x" }\n'
                        'module "m" {\n  source = "./m"\n  x = terraform_data.a.id\n'
                        '  y = { k = terraform_data.a.id, j = "known" }\n}\n'
                        'output "o" { value = module.m.o }\noutput "p" { value = module.m.p }\n',
             "m/main.tf": 'variable "x" {\n  ephemeral = true\n}\nvariable "y" {\n  ephemeral = true\n}\n'
                          'output "o" { value = ephemeralasnull(var.x) }\noutput "p" { value = ephemeralasnull(var.y) }\n'}
    expected, actual = plan_both(tmp_path, files)
    assert actual == expected
    assert expected["plan"]["<outputs>"]["o"]["after_unknown"] is True

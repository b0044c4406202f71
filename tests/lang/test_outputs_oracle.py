"""Root outputs as Terraform's plan JSON writes them, against real Terraform: a known collection holding
unknowns (each element's mask, not one unknown), null outputs (typed dynamic), optional attributes of a
variable's type (gone from the value's type), and the unknown *string* a template gives a dynamic attribute
(terraform_data's input), which later references and type unification see."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac.config import load_config
from iac.diagnostics import IacError
from iac.workflows.planning import preview
from tests.lang.configs import TerraformRefused, plan_both, terraform_plan, write_files

PARTLY_UNKNOWN = """
resource "terraform_data" "x" { input = 1 }
resource "terraform_data" "b" {
  count = 2
  input = "${terraform_data.x.id}-${count.index}"
}
output "obj" { value = { a = terraform_data.x.id, b = 1, c = [terraform_data.x.output, 2] } }
output "tup" { value = [terraform_data.x.id, 1] }
output "whole" { value = terraform_data.x.id }
output "sens" {
  value     = [terraform_data.x.id, "s"]
  sensitive = true
}
output "nested" { value = { m = { n = terraform_data.x.id }, e = [], o = {} } }
output "mapped" { value = tomap({ a = terraform_data.x.id, b = "k" }) }
output "listed" { value = tolist([terraform_data.x.id]) }
output "setof" { value = toset([terraform_data.x.id, "a"]) }
output "splat" { value = terraform_data.b[*].input }
output "for" { value = [for b in terraform_data.b : b.input] }
output "unified" { value = [true ? terraform_data.b[0].input : 1, 2] }
output "nothing" { value = tostring(null) }
"""

OPTIONAL = """
variable "cfg" {
  type = object({
    name   = string
    size   = optional(number, 3)
    nested = optional(object({ a = optional(bool, true), l = optional(list(object({ x = optional(string) })), []) }), {})
  })
  default = { name = "x" }
}
output "cfg" { value = var.cfg }
output "missing" { value = var.cfg.nested.l }
"""


@pytest.mark.oracle
@pytest.mark.parametrize("text", [PARTLY_UNKNOWN, OPTIONAL], ids=["partly-unknown", "optional-attributes"])
def test_outputs_plan_as_terraform_plans_them(tmp_path: Path, text: str) -> None:
    expected, actual = plan_both(tmp_path, {"main.tf": text})
    assert actual == expected


@pytest.mark.oracle
@pytest.mark.parametrize(("value", "attribute"), [('"${uuid()}-x"', "input"), ('"x"', "output")])
def test_an_unknown_string_stays_a_string_to_type_unification(tmp_path: Path, value: str, attribute: str) -> None:
    """`true ? <unknown string> : [1]` has no common type: Terraform's error, and iac's (a typeless
    unknown would have unified with anything). The unknown string is a template's result kept in the dynamic
    `input`, or the `output` terraform_data plans from a string input."""
    write_files(tmp_path, {"main.tf": f'resource "terraform_data" "x" {{\n  input = {value}\n}}\n'
                                      f'output "o" {{\n  value = true ? terraform_data.x.{attribute} : [1]\n}}\n'})
    with pytest.raises(TerraformRefused):
        terraform_plan(tmp_path)
    with pytest.raises(IacError, match="main.tf"):
        preview(load_config(tmp_path), None, base_dir=tmp_path, env={})


def test_a_typed_unknown_keeps_its_type_across_processes() -> None:
    """Fleet workers send plain values by pickle: the unknown string stays a string, the shared untyped unknown
    stays the shared one."""
    import pickle

    from iac.lang.plain import unknown_of
    from iac.values import UNKNOWN

    typed = pickle.loads(pickle.dumps(unknown_of("x")))
    assert typed.type is not None and typed.type.kind == "string"
    assert pickle.loads(pickle.dumps(UNKNOWN)) is UNKNOWN

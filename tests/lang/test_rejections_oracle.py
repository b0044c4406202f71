"""What Terraform rejects, iac rejects: each configuration here fails `terraform plan`, and iac's plan of it is a
one-line error naming the file (and line where it has one), never a traceback and never a plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac.config import load_config
from iac.diagnostics import IacError
from iac.workflows.planning import preview
from tests.lang.configs import TerraformRefused, both_refuse, plan_both, terraform_plan, write_files

REJECTED = {
    "failing precondition": """
        resource "terraform_data" "a" {
          lifecycle {
            precondition {
              condition     = 1 > 2
              error_message = "Never."
            }
          }
        }""",
    "failing postcondition": """
        resource "terraform_data" "a" {
          input = 1
          lifecycle {
            postcondition {
              condition     = self.input == 2
              error_message = "Not two."
            }
          }
        }""",
    "failing validation": """
        variable "region" {
          default = "mars"
          validation {
            condition     = contains(["eu", "us"], var.region)
            error_message = "Unknown region."
          }
        }""",
    "failing output precondition": """
        output "o" {
          value = 1
          precondition {
            condition     = false
            error_message = "No."
          }
        }""",
    "an infinite resource attribute": 'resource "terraform_data" "a" {\n  input = { x = [1 / 0] }\n}',
    "an infinite local stored in a resource": 'locals {\n  big = log(0, 10)\n}\nresource "terraform_data" "a" {\n'
                                              '  input = local.big\n}',
    "an infinite output": 'output "o" {\n  value = [-1 / 0]\n}',
    "a move from a resource still declared": 'resource "terraform_data" "a" {}\nresource "terraform_data" "b" {}\n'
                                             'moved {\n  from = terraform_data.a\n  to = terraform_data.b\n}',
    "a move from a module call still declared": 'module "m" {\n  source = "./m"\n}\nmodule "n" {\n  source = "./m"\n}\n'
                                                'moved {\n  from = module.m\n  to = module.n\n}',
    "two moves from one address": 'resource "terraform_data" "b" {}\nresource "terraform_data" "c" {}\n'
                                  'moved {\n  from = terraform_data.a\n  to = terraform_data.b\n}\n'
                                  'moved {\n  from = terraform_data.a\n  to = terraform_data.c\n}',
    "two moves onto one address": 'resource "terraform_data" "c" {}\nmoved {\n  from = terraform_data.a\n  to = '
                                  'terraform_data.c\n}\nmoved {\n  from = terraform_data.b\n  to = terraform_data.c\n}',
    "a move from an instance still declared": 'resource "terraform_data" "a" {\n  count = 2\n}\n'
                                              'moved {\n  from = terraform_data.a[0]\n  to = terraform_data.a[1]\n}',
    "a move from a module instance still declared": 'module "m" {\n  source = "./m"\n  count = 2\n}\n'
                                                    'moved {\n  from = module.m[0]\n  to = module.m[1]\n}',
    "a move from the unkeyed instance still declared": 'resource "terraform_data" "a" {}\n'
                                                       'moved {\n  from = terraform_data.a\n  to = terraform_data.a[0]\n}',
    "a null default for a non-nullable variable": 'variable "a" {\n  type     = string\n  nullable = false\n'
                                                  '  default  = null\n}',
    "depends_on an attribute": 'resource "terraform_data" "b" {}\nresource "terraform_data" "a" {\n'
                               '  depends_on = [terraform_data.b.id]\n}',
    "ignore_changes of an attribute the type lacks": 'resource "terraform_data" "a" {\n  lifecycle {\n'
                                                     '    ignore_changes = [nope]\n  }\n}',
    "a check without an assert": 'check "c" {\n}',
    "a check whose condition refers to nothing": 'check "c" {\n  assert {\n    condition     = false\n'
                                                 '    error_message = "no"\n  }\n}',
    "a check naming an undeclared resource": 'check "c" {\n  assert {\n    condition     = terraform_data.nope.id == ""\n'
                                             '    error_message = "no"\n  }\n}',
    "two checks of one name": 'resource "terraform_data" "a" {}\n' + 2 * ('check "c" {\n  assert {\n    condition     = '
                              'terraform_data.a.input == null\n    error_message = "x"\n  }\n}\n'),
    "a move onto itself": 'resource "terraform_data" "a" {}\nmoved {\n  from = terraform_data.a\n  to = terraform_data.a\n}',
    "a removal of a resource still declared": 'resource "terraform_data" "a" {}\nremoved {\n  from = terraform_data.a\n'
                                              '  lifecycle {\n    destroy = false\n  }\n}',
    "an import into an undeclared resource": 'import {\n  to = terraform_data.z\n  id = "x"\n}',
    "two imports into one resource": 'resource "terraform_data" "a" {}\nimport {\n  to = terraform_data.a\n  id = "x"\n}\n'
                                     'import {\n  to = terraform_data.a\n  id = "y"\n}',
    "for_each over a tuple": 'resource "terraform_data" "a" {\n  for_each = ["a", "b"]\n}',
    "for_each over a set of numbers": 'resource "terraform_data" "a" {\n  for_each = toset([1, 2])\n}',
    "for_each sensitive": 'resource "terraform_data" "a" {\n  for_each = sensitive(toset(["a"]))\n}',
    "count negative": 'resource "terraform_data" "a" {\n  count = -1\n}',
    "count fractional": 'resource "terraform_data" "a" {\n  count = 1.5\n}',
    "count null": 'resource "terraform_data" "a" {\n  count = null\n}',
    "count a string": 'resource "terraform_data" "a" {\n  count = "x"\n}',
    "undeclared variable": 'resource "terraform_data" "a" {\n  input = var.nope\n}',
    "undeclared local": 'output "o" {\n  value = local.nope\n}',
    "unknown function": 'output "o" {\n  value = nosuch(1)\n}',
    "provider function": 'output "o" {\n  value = provider::aws::arn_parse("x")\n}',
    "wrong variable type": 'variable "n" {\n  type    = number\n  default = "x"\n}',
    "bad interpolation": 'output "o" {\n  value = "x${[1]}"\n}',
    "index out of range": 'output "o" {\n  value = [1][3]\n}',
    "ambiguous key": 'output "o" {\n  value = {a.b = 1}\n}',
    "inconsistent conditional": 'output "o" {\n  value = true ? [1] : {a = 1}\n}',
    "duplicate for key": 'output "o" {\n  value = {for x in ["a", "a"] : x => 1}\n}',
    "sensitive output": 'output "o" {\n  value = sensitive(1)\n}',
    "count.index outside count": 'resource "terraform_data" "a" {\n  input = count.index\n}',
    "each outside for_each": 'resource "terraform_data" "a" {\n  input = each.key\n}',
    "self outside conditions": 'resource "terraform_data" "a" {\n  input = self.id\n}',
    "function in tfvars": None,
    "syntax error": 'resource "terraform_data" "a" {\n  input = [1,\n}',
    "duplicate attribute": 'resource "terraform_data" "a" {\n  input = 1\n  input = 2\n}',
    "unsupported block": 'nonsense "a" {}',
    "templatestring of a literal": 'output "o" {\n  value = templatestring("x", {})\n}',
    "templatestring of a call": 'output "o" {\n  value = templatestring(upper("x"), {})\n}',
}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(n for n, text in REJECTED.items() if text is not None))
def test_what_terraform_rejects_iac_rejects(tmp_path: Path, name: str) -> None:
    both_refuse(tmp_path, {"main.tf": REJECTED[name].replace("\n        ", "\n"),
                           "m/main.tf": 'resource "terraform_data" "r" {}\n'})  # a module the cases may call


@pytest.mark.oracle
def test_function_calls_in_tfvars_are_rejected(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": 'variable "x" {}\n', "terraform.tfvars": 'x = upper("a")\n'})
    with pytest.raises(TerraformRefused):
        terraform_plan(tmp_path)
    with pytest.raises(IacError, match="terraform.tfvars:1: .*Functions may not be called here"):
        preview(load_config(tmp_path), None, base_dir=tmp_path, env={})


ACCEPTED_MOVES = {  # and check blocks
    "to an undeclared address": 'moved {\n  from = terraform_data.a\n  to = terraform_data.b\n}\n',
    "a chain": 'resource "terraform_data" "c" {}\nmoved {\n  from = terraform_data.a\n  to = terraform_data.b\n}\n'
               'moved {\n  from = terraform_data.b\n  to = terraform_data.c\n}\n',
    "count to for_each": 'resource "terraform_data" "a" {\n  for_each = toset(["x"])\n}\n'
                         'moved {\n  from = terraform_data.a[0]\n  to = terraform_data.a["x"]\n}\n',
    "into count": 'resource "terraform_data" "a" {\n  count = 1\n}\nmoved {\n  from = terraform_data.a\n'
                  '  to = terraform_data.a[0]\n}\n',
    "out of count": 'resource "terraform_data" "a" {}\nmoved {\n  from = terraform_data.a[0]\n  to = terraform_data.a\n}\n',
    "a failing check (a warning in Terraform, never a change)": 'resource "terraform_data" "a" {\n  input = 1\n}\n'
        'check "c" {\n  assert {\n    condition     = terraform_data.a.input == 2\n    error_message = "no"\n  }\n}\n',
    "a removal of what is gone": 'removed {\n  from = terraform_data.q\n  lifecycle {\n    destroy = false\n  }\n}\n',
}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(ACCEPTED_MOVES))
def test_moves_terraform_accepts_iac_plans_alike(tmp_path: Path, name: str) -> None:
    expected, actual = plan_both(tmp_path, {"main.tf": ACCEPTED_MOVES[name]})
    assert actual == expected


def test_a_refused_move_names_its_block(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": 'resource "terraform_data" "a" {}\nresource "terraform_data" "b" {}\n'
                                      'moved {\n  from = terraform_data.a\n  to   = terraform_data.b\n}\n'})
    with pytest.raises(IacError, match=r"main\.tf: moved terraform_data\.a -> terraform_data\.b: Moved object still "
                                       r"exists"):
        load_config(tmp_path)


_EXPANDING = 'resource "terraform_data" "a" {\n  input = 1\n}\nresource "terraform_data" "b" {\n'
REFUSED_WHERE = {  # name: (main.tf, what Terraform says, what iac says: the file and line of the construct)
    "unknown for_each keys": (_EXPANDING + '  for_each = toset([terraform_data.a.id])\n}\n', "on main.tf line 5",
                              "main.tf:5: "),
    "unknown count": (_EXPANDING + '  count = length(terraform_data.a.id)\n}\n', "on main.tf line 5", "main.tf:5: "),
    "sensitive for_each": ('variable "s" {\n  default   = ["a"]\n  sensitive = true\n}\nresource "terraform_data" "b" {\n'
                           '  for_each = toset(var.s)\n}\n', "on main.tf line 6", "main.tf:6: "),
    "a set of numbers": ('resource "terraform_data" "b" {\n  for_each = toset([1, 2])\n}\n', "on main.tf line 2",
                         "main.tf:2: "),
    "a cycle of locals": ('locals {\n  a = local.b\n  b = local.a\n}\noutput "o" { value = local.a }\n', "Cycle: ",
                          r"main.tf: dependency cycle: local.a -> local.b -> local.a$"),
    "a cycle of resources": ('resource "terraform_data" "a" { input = terraform_data.b.id }\n'
                             'resource "terraform_data" "b" { input = terraform_data.a.id }\n', "Cycle: ",
                             r"main.tf: dependency cycle: \S+ -> .* -> \S+$"),
    "a cycle through a module": ('module "m" {\n  source = "./m"\n  x = local.l\n}\nlocals { l = module.m.o }\n',
                                 "Cycle: ", r"main.tf: dependency cycle: \S+ -> .* -> \S+$"),
}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(REFUSED_WHERE))
def test_a_refusal_names_where_as_terraform_does(tmp_path: Path, name: str) -> None:
    text, terraform_says, iac_says = REFUSED_WHERE[name]
    write_files(tmp_path, {"main.tf": text, "m/main.tf": 'variable "x" {}\noutput "o" { value = var.x }\n'})
    with pytest.raises(TerraformRefused, match=terraform_says):
        terraform_plan(tmp_path)
    with pytest.raises(IacError, match=iac_says):
        preview(load_config(tmp_path), None, base_dir=tmp_path, env={})

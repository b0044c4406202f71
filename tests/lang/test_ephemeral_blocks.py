"""`ephemeral` blocks in HCL and JSON, without a provider: read, ordered, never planned, their values
ephemeral (tests/providers/test_ephemeral_resources_oracle.py compares with Terraform where the aws provider
is on the machine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac.config import load_config
from iac.diagnostics import IacError
from iac.plan.jsonplan import to_json
from iac.workflows.planning import make_plan
from tests.lang.configs import write_files

HCL = """
resource "terraform_data" "a" { input = "x" }
ephemeral "aws_ssm_parameter" "p" {
  arn        = terraform_data.a.id
  depends_on = [terraform_data.a]
}
ephemeral "google_service_account_access_token" "t" {
  target_service_account = "sa@example.com"
  scopes                 = ["cloud-platform"]
}
locals {
  arn   = ephemeral.aws_ssm_parameter.p.arn
  token = ephemeral.google_service_account_access_token.t.access_token
}
module "m" {
  source = "./m"
  secret = ephemeral.aws_ssm_parameter.p.value
}
output "o" { value = ephemeralasnull(local.arn) }
"""

CHILD = """
variable "secret" {
  ephemeral = true
}
ephemeral "aws_ssm_parameter" "q" {
  count = 2
  arn   = "${var.secret}-${count.index}"
}
output "n" {
  value     = ephemeral.aws_ssm_parameter.q[*].value
  ephemeral = true
}
"""


def _plan(tmp_path: Path, files: dict[str, str]) -> dict:
    write_files(tmp_path, files)
    plan = make_plan(load_config(tmp_path), None, base_dir=tmp_path)
    return {**to_json(plan), "warnings": [d.format() for d in plan.diagnostics]}


def test_ephemeral_blocks_are_read_and_never_planned(tmp_path: Path) -> None:
    plan = _plan(tmp_path, {"main.tf": HCL, "m/main.tf": CHILD})
    assert [rc["address"] for rc in plan.get("resource_changes", [])] == ["terraform_data.a"]
    assert any("no schema for ephemeral resource google_service_account_access_token" in w
               for w in plan["warnings"])
    assert plan["output_changes"]["o"]["after_unknown"] is True  # the arn of an object not yet opened


@pytest.mark.parametrize(("text", "message"), [
    ('ephemeral "databricks_token" "t" {}\n', 'The provider databricks/databricks does not support ephemeral resource'),
    ('ephemeral "aws_ssm_parameter" "p" {\n  arn = "x"\n}\nresource "terraform_data" "r" {\n'
     '  input = ephemeral.aws_ssm_parameter.p.value\n}\n', "Invalid use of ephemeral value"),
    ('locals {\n  l = ephemeral.aws_ssm_parameter.nope.value\n}\n', "undeclared ephemeral resource"),
    ('ephemeral "aws_ssm_parameter" "p" {\n  arn = "x"\n}\nephemeral "aws_ssm_parameter" "p" {\n  arn = "y"\n}\n',
     "ephemeral.aws_ssm_parameter.p"),
])
def test_refusals_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(IacError) as raised:
        _plan(tmp_path, {"main.tf": text})
    assert message in str(raised.value) and "main.tf" in str(raised.value) and "\n" not in str(raised.value)


def test_a_dynamic_block_in_an_ephemeral_block_is_expanded(tmp_path: Path) -> None:
    """Its body is evaluated as any block's is (dynamic blocks expanded), ephemeral values allowed in it."""
    text = ('variable "s" {\n  ephemeral = true\n  default   = "x"\n}\n'
            'ephemeral "google_service_account_access_token" "t" {\n  target_service_account = var.s\n'
            '  dynamic "delegate" {\n    for_each = ["a", "b"]\n    content {\n      name = delegate.value\n    }\n  }\n}\n'
            'locals { token = ephemeral.google_service_account_access_token.t }\n')
    plan = _plan(tmp_path, {"main.tf": text})
    assert plan.get("resource_changes", []) == []
    assert any("no schema for ephemeral resource" in w for w in plan["warnings"])

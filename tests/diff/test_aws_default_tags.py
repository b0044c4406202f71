"""The aws provider's configuration reaches the planner from HCL as from Terraform JSON: `default_tags`
from a local value, an aliased configuration with `ignore_tags` (the rule itself is checked against the
real provider in tests/providers/test_aws_tags_oracle.py), and an unknown `default_tags` value."""

from __future__ import annotations

from pathlib import Path

from iac.config.loader import load_config
from iac.workflows.planning import preview

HCL = """
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = local.default_tags
  }
}

provider "aws" {
  alias  = "east"
  region = "us-east-2"
  default_tags {
    tags = { Env = "east" }
  }
  ignore_tags {
    keys = ["Drop"]
  }
}

locals {
  default_tags = { ManagedBy = "iac", Env = "prod" }
}

resource "aws_iam_role" "default" {
  assume_role_policy = "{}"
  tags               = { team = "a" }
}

resource "aws_iam_role" "east" {
  provider           = aws.east
  assume_role_policy = "{}"
  tags               = { team = "a", Drop = "x" }
}
"""


def test_default_tags_written_in_hcl_reach_the_planner(tmp_path: Path) -> None:
    """Resource tags win over default tags; the aliased configuration's ignore_tags drops its key."""
    (tmp_path / "main.tf").write_text(HCL)
    plan = preview(load_config(tmp_path), None, base_dir=tmp_path, env={})
    tags_all = {rc["address"]: rc["change"]["after"]["tags_all"] for rc in plan.get("resource_changes", [])}
    assert tags_all == {"aws_iam_role.default": {"ManagedBy": "iac", "Env": "prod", "team": "a"},
                        "aws_iam_role.east": {"Env": "east", "team": "a"}}


def test_default_tags_known_only_after_apply_make_tags_all_unknown(tmp_path: Path) -> None:
    config = {"provider": {"aws": {"region": "us-east-1", "default_tags": {"tags": {"Token": "${terraform_data.t.id}"}}}},
              "resource": {"terraform_data": {"t": {}},
                           "aws_iam_role": {"r": {"assume_role_policy": "{}", "tags": {"team": "a"}}}}}
    plan = preview(config, None, base_dir=tmp_path, env={})
    (role,) = [rc for rc in plan.get("resource_changes", []) if rc["type"] == "aws_iam_role"]
    assert role["change"]["after_unknown"]["tags_all"] is True

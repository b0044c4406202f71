"""`ephemeral` resource blocks (Terraform 1.10+) against real Terraform with the hashicorp/aws provider (where
this machine has it): they never appear in a plan; their values are ephemeral, usable in locals, conditions,
ephemeral outputs of child modules and `ephemeralasnull`, and refused wherever Terraform refuses an ephemeral
value (a resource argument, a root output, count), with Terraform's own checks of the block (arguments and
attributes of the type's schema, types the provider lacks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iac.diagnostics import IacError
from tests.oracle.harness import comparable
from tests.providers.aws_oracle import AwsOracle, TerraformFailed, aws_config, needs_aws_provider

pytestmark = [pytest.mark.oracle, needs_aws_provider]

SECRET = {"aws_secretsmanager_secret_version": {"s": {"secret_id": "${terraform_data.a.id}"}}}
BASE: dict[str, Any] = {"resource": {"terraform_data": {"a": {"input": "x"}}}, "ephemeral": SECRET}

PLANNED: dict[str, dict[str, Any]] = {
    "in a local": {**BASE, "locals": {"l": "${ephemeral.aws_secretsmanager_secret_version.s.secret_string}"}},
    "made null": {**BASE, "output": {"o": {"value": "${ephemeralasnull(ephemeral.aws_secretsmanager_secret_version.s)}"}}},
    "a sensitive attribute made null": {**BASE, "locals": {"v": "${ephemeral.aws_secretsmanager_secret_version.s.secret_string}"},
                                        "output": {"o": {"value": "${ephemeralasnull(local.v)}"}}},
    "in a precondition": {"resource": {"terraform_data": {"a": {"input": "x"}, "b": {"input": 1, "lifecycle": {
        "precondition": [{"condition": "${ephemeral.aws_secretsmanager_secret_version.s.secret_string != \"\"}",
                          "error_message": "empty"}]}}}}, "ephemeral": SECRET},
    "with count": {"resource": {"terraform_data": {"a": {"input": "x"}}},
                   "ephemeral": {"aws_ssm_parameter": {"p": {"count": 2, "arn": "${terraform_data.a.id}-${count.index}"}}},
                   "locals": {"arns": "${ephemeral.aws_ssm_parameter.p[*].value}"}},
    "with depends_on": {"resource": {"terraform_data": {"a": {"input": "x"}}},
                        "ephemeral": {"aws_ssm_parameter": {"p": {"arn": "${terraform_data.a.id}",
                                                                  "depends_on": ["terraform_data.a"]}}}},
}


@pytest.mark.parametrize("name", sorted(PLANNED))
def test_an_ephemeral_resource_is_planned_as_terraform_plans_it(tmp_path: Path, name: str) -> None:
    oracle = AwsOracle(tmp_path)
    config = aws_config(PLANNED[name])
    expected = oracle.plan(config)
    assert comparable(oracle.iac_plan(config)) == comparable(expected)
    assert not any(rc["mode"] == "ephemeral" for rc in expected.get("resource_changes", []))


REFUSED: dict[str, dict[str, Any]] = {
    "in a resource argument": {"resource": {"terraform_data": {"a": {"input": "x"}, "b": {
        "input": "${ephemeral.aws_secretsmanager_secret_version.s.secret_string}"}}}, "ephemeral": SECRET},
    "in a root output": {**BASE, "output": {"o": {"value": "${ephemeral.aws_secretsmanager_secret_version.s}"}}},
    "in count": {**BASE, "resource": {"terraform_data": {"a": {"input": "x"}, "b": {
        "count": "${length(ephemeral.aws_secretsmanager_secret_version.s.secret_string)}"}}}},
    "an argument the type lacks": {**BASE, "ephemeral": {"aws_secretsmanager_secret_version": {
        "s": {"secret_id": "${terraform_data.a.id}", "bogus": 1}}}},
    "a type the provider lacks": {**BASE, "ephemeral": {"aws_nosuch": {"s": {"secret_id": "x"}}}},
    "an attribute the type lacks": {**BASE, "output": {"o": {
        "value": "${ephemeral.aws_secretsmanager_secret_version.s.nosuch}"}}},
    "a missing required argument": {**BASE, "ephemeral": {"aws_secretsmanager_secret_version": {"s": {}}}},
    "undeclared": {**BASE, "locals": {"l": "${ephemeral.aws_ssm_parameter.nope.value}"}},
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_terraform_refuses_iac_refuses(tmp_path: Path, name: str) -> None:
    oracle = AwsOracle(tmp_path)
    config = aws_config(REFUSED[name])
    with pytest.raises(TerraformFailed):
        oracle.plan(config)
    with pytest.raises(IacError) as raised:
        oracle.iac_plan(config)
    assert "\n" not in str(raised.value) and "main.tf.json" in str(raised.value)

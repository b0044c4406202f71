"""When Terraform 1.15 defers a data source's read to apply because of its dependencies
(`read_because_dependency_pending`), planned by real Terraform through the sandbox and by iac on the
same state (iac.diff.datadeps): one data source per case, each a policy document iac computes exactly, so
a read while planning and a deferred one differ in both plans.

`terraform_data.changed` has an in-place update pending (its `input` changes; its `id` stays known),
`terraform_data.shrinking` the delete of its second instance (its count goes from 2 to 1), and
`terraform_data.steady` nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iac._jsonio import dumps
from iac.sandbox.session import start_sandbox

from .conftest import disagreements, plans_both, terraform, write_config

pytestmark = [pytest.mark.oracle, pytest.mark.slow]


def _policy(resource: str = "*", **meta: Any) -> dict[str, Any]:
    return {**meta, "statement": [{"actions": ["s3:GetObject"], "resources": [resource]}]}


CASES: dict[str, tuple[dict[str, Any], bool]] = {
    "reference_to_a_changed_resource": (_policy("${terraform_data.changed.id}"), True),
    "depends_on_a_changed_resource": (_policy(depends_on=["terraform_data.changed"]), True),
    "reference_to_an_unchanged_resource": (_policy("${terraform_data.steady.id}"), False),
    "reference_to_a_resource_losing_an_instance": (_policy("${terraform_data.shrinking[0].id}"), True),
    "reference_through_a_local": (_policy("${local.changed_id}"), False),
    "depends_on_an_unchanged_resource_that_depends_on_a_changed_one": (
        _policy(depends_on=["terraform_data.follower"]), False),
    "postcondition_with_a_changed_resource_behind_a_local": (
        _policy("${local.changed_id}", lifecycle={"postcondition": [{"condition": "${self.json != \"\"}",
                                                                     "error_message": "empty"}]}), True),
}
"""name -> (the data source's configuration, whether Terraform defers it)."""

MODULES: dict[str, tuple[dict[str, Any], bool]] = {
    "module_depends_on_a_changed_resource": ({"depends_on": ["terraform_data.changed"]}, True),
    "module_depends_on_an_unchanged_resource": ({"depends_on": ["terraform_data.steady"]}, False),
    "module_depends_on_what_depends_on_a_changed_resource": ({"depends_on": ["terraform_data.follower"]}, True),
    "module_without_depends_on": ({}, False),
}
"""name -> (the module call's meta-arguments, whether Terraform defers the data source inside it)."""

CHILD = {"data": {"aws_iam_policy_document": {"inner": _policy()}},
         "output": {"json": {"value": "${data.aws_iam_policy_document.inner.json}"}}}


def _config(input_value: str) -> dict[str, Any]:
    return {
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "5.100.0"}}},
        "provider": {"aws": {"region": "us-east-1"}},
        "locals": {"changed_id": "${terraform_data.changed.id}"},
        "resource": {"terraform_data": {
            "changed": {"input": input_value},
            "steady": {"input": "same"},
            "shrinking": {"count": 2 if input_value == "v1" else 1},
            "follower": {"input": "${terraform_data.changed.id}"},
        }},
        "data": {"aws_iam_policy_document": {name: body for name, (body, _) in CASES.items()}},
        "module": {name: {"source": "./child", **meta} for name, (meta, _) in MODULES.items()},
        "output": {f"{name}_json": {"value": f"${{data.aws_iam_policy_document.{name}.json}}"} for name in CASES},
    }


def _deferred(plan: dict[str, Any]) -> set[str]:
    return {a for a, c in plan.items() if isinstance(c, dict) and c.get("actions") == ["read"]
            and c.get("action_reason") == "read_because_dependency_pending"}


def test_terraform_and_iac_defer_the_same_data_sources(tmp_path: Path) -> None:
    with start_sandbox(tmp_path / "sandbox") as sandbox:
        workdir = write_config(sandbox, _config("v1"))
        (workdir / "child").mkdir(exist_ok=True)
        (workdir / "child" / "main.tf.json").write_text(dumps(CHILD))
        tf = sandbox.terraform(workdir)
        terraform(tf, "init")
        terraform(tf, "apply", "-auto-approve")
        write_config(sandbox, _config("v2"))
        theirs, ours = plans_both(tf)
    expected = ({f"data.aws_iam_policy_document.{name}" for name, (_, deferred) in CASES.items() if deferred}
                | {f"module.{name}.data.aws_iam_policy_document.inner" for name, (_, deferred) in MODULES.items()
                   if deferred})
    assert theirs["terraform_data.changed"]["actions"] == ["update"]
    assert _deferred(theirs) == expected  # the cases are what they are named for
    assert disagreements(theirs, ours) == {}

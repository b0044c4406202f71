"""`iac synth dev` output, applied for real (Terraform through the sandbox), re-planned, drifted and destroyed."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac._jsonio import dumps
from iac.sandbox.session import placeholder_variables, start_sandbox
from iac.synth.document import synthesize, write_synthesized

from .conftest import terraform

pytestmark = [pytest.mark.oracle, pytest.mark.slow]


def test_dev_environment_applies_replans_clean_and_destroys(tmp_path: Path, project_dir: Path) -> None:
    synthesized = synthesize("dev", project_dir)
    write_synthesized(synthesized, tmp_path / "out")
    types = set(synthesized.document["resource"])
    count = sum(len(v) for v in synthesized.document["resource"].values())
    with start_sandbox(tmp_path / "sandbox") as sandbox:
        workdir = sandbox.prepare_workdir(tmp_path / "out")
        variables = placeholder_variables(workdir)
        assert variables, "dev takes its secrets from variables"
        tf = type(sandbox.terraform(workdir))(workdir, {**sandbox.env, **variables})

        _, out = terraform(tf, "apply", "-auto-approve")
        assert f"Apply complete! Resources: {count} added, 0 changed, 0 destroyed." in out
        objects = sandbox.store().objects()
        assert {t for _, t, _, _ in objects} == types and len(objects) == count
        scopes = {scope for scope, _, _, _ in objects}  # the account, the two dev workspaces, and the AWS region
        assert len(scopes) == 4 and "aws/us-east-1" in scopes  # their roles and root buckets are created in
        aws = [t for scope, t, _, _ in objects if scope == "aws/us-east-1"]
        assert len(aws) == sum(len(v) for t, v in synthesized.document["resource"].items() if t.startswith("aws_"))

        code, out = terraform(tf, "plan", "-detailed-exitcode", ok=(0, 2))
        assert code == 0, out

        scope, _, conf_id, _ = sandbox.store().objects("databricks_workspace_conf")[0]
        assert sandbox.store().delete("databricks_workspace_conf", conf_id, scope=scope)
        code, out = terraform(tf, "plan", "-detailed-exitcode", ok=(0, 2))
        assert code == 2 and "Plan: 1 to add, 0 to change, 0 to destroy." in out

        code, out, err = tf.execute("destroy", "-no-color", "-auto-approve")
        assert code == 1 and "databricks_metastore.main has lifecycle.prevent_destroy set" in " ".join(err.split())

        for body in synthesized.document["resource"]["databricks_metastore"].values():
            body.get("lifecycle", {}).pop("prevent_destroy", None)  # what a user does to really tear dev down
        (tmp_path / "out" / "main.tf.json").write_text(dumps(synthesized.document))
        sandbox.prepare_workdir(tmp_path / "out")
        _, out = terraform(tf, "destroy", "-auto-approve")
        assert f"Resources: {count - 1} destroyed." in out  # the hand-deleted workspace conf is already gone
        assert sandbox.store().count() == 0

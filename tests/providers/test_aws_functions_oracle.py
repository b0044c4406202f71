"""hashicorp/aws 5.100.0's provider-defined functions (`provider::aws::arn_parse`, `arn_build`,
`trim_iam_role_path`) against Terraform calling the real provider: a table of calls evaluated in one
batched plan (the provider starts slowly), compared as value, type, unknown and sensitive masks, and each
refusal in Terraform's words. Then the declaration rules, on whole configurations."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from iac._jsonio import dumps, loads
from iac.diagnostics import IacError
from iac.lang import ast
from iac.lang.cty import Value
from iac.lang.evaluate import EvalError, evaluate_expr
from iac.lang.functions import FunctionContext
from iac.lang.functions.awsprovider import AWS_SOURCE
from iac.lang.hcl import HclSyntaxError, parse_expression
from tests.lang.expr_oracle import describe, message_differs
from tests.lang.tfeval import terraform_eval
from tests.providers.aws_oracle import PROVIDER_BLOCK, VERSION, AwsOracle, aws_config, needs_aws_provider

pytestmark = needs_aws_provider

PRELUDE = f"""terraform {{
  required_providers {{
    aws = {{ source = "hashicorp/aws", version = "{VERSION}" }}
  }}
}}
provider "aws" {{
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "fake-secret"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}}
"""
"""Declares hashicorp/aws as `aws`, configured as aws_oracle's PROVIDER_BLOCK (offline)."""

ARN_PARSE = [
    # partitions, services, regions, accounts
    '"arn:aws:iam::123456789012:role/path/to/name"', '"arn:aws-cn:s3:::bucket/key:with:colons"',
    '"arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i-0abc"', '"arn:aws:s3:::my-bucket"',
    '"arn:aws:sns:us-east-1:123456789012:topic:sub:extra"', '"arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST"',
    '"arn:aws-iso-b:kms:us-isob-east-1:123456789012:key/1234abcd-12ab"', '"arn:::::"', '"arn:aws:iam::aws:policy/A/B"',
    '"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x:*"', '"arn:a:b:c:d:"', '"arn:é:ü::😀:r/ x\\n"',
    # refused: prefix, sections
    '"not-an-arn"', '""', '"ARN:aws:s3:::b"', '" arn:aws:s3:::b"', '"arn:aws:iam::123"', '"arn:"',
    '"arn:aws:s3::"', "1", "true",
    # nulls, wrong types, unknowns, sensitive
    "null", "tostring(null)", '["a"]', '{a = "arn:aws:s3:::b"}', "uuid()", '"arn:aws:s3:::${uuid()}"',
    'sensitive("arn:aws:s3:::secret")', 'sensitive("nope")', "sensitive(uuid())", "jsondecode(uuid())",
]

ARN_BUILD = [
    '"aws", "iam", "", "123456789012", "role/x"', '"", "", "", "", ""', '"aws-cn", "s3", "", "", "b/k:c"',
    '"aws-us-gov", "ec2", "us-gov-east-1", "123456789012", "instance/i-1"', '"x:y", "a/b", "r", "acct", "::"',
    '"aws", "s3", "", "", sensitive("b")', '"aws", uuid(), "", "", "b"', "1, 2, 3, 4, true",
    # refused
    '"aws", "s3", null, "", "b"', '"aws"', '"a", "b", "c", "d", "e", "f"', '"aws", "s3", "", "", ["b"]',
    '"aws", null, uuid(), "", ""',
]

TRIM_IAM_ROLE_PATH = [
    '"arn:aws:iam::123456789012:role/path/to/name"', '"arn:aws:iam::123456789012:role/name"',
    '"arn:aws:iam::123456789012:role/"', '"arn:aws:iam::123456789012:role/a/"', '"arn:aws:iam:::role/p/n"',
    '"arn:aws-us-gov:iam::123456789012:role//n"', '"arn:aws:iam::123456789012:role/a:b/c:d"', '"arn:x:iam::y:role/a/b"',
    '"arn:aws-cn:iam::123456789012:role/service-role/my-role"', 'sensitive("arn:aws:iam::1:role/a/b")', "uuid()",
    # refused, in the provider's order of checks
    '"arn:aws:iam::123456789012:user/path/name"', '"arn:aws:s3:::role/path/name"', '"arn:aws:iam:us-east-1::role/x"',
    '"arn:aws:s3:us-east-1::user/x"', '"arn:aws:iam:us-east-1::user/x"', '"arn:aws:iam:::role"', '"arn:aws:IAM:::role/x"',
    '"arn:aws:iam::"', '"ARN:aws:iam:::role/x"', 'sensitive("arn:aws:s3:::role/x")', "null",
    "",  # no argument
]

OTHERS = [
    'provider::aws::arn_parse(provider::aws::arn_build("aws", "iam", "", "1", "role/a/b")).resource',
    'provider::aws::trim_iam_role_path(provider::aws::arn_build("aws", "iam", "", "1", "role/a/b"))',
    "provider::aws::nope(1)", "provider::aws::arn_parse(\"a\", \"b\")", "provider::aws::arn_parse([\"arn:a:b:c:d:e\"]...)",
    'provider::aws::arn_build(["aws", "s3", "", ""]...)',
]

CALLS = ([f"provider::aws::arn_parse({a})" for a in ARN_PARSE] + [f"provider::aws::arn_build({a})" for a in ARN_BUILD]
         + [f"provider::aws::trim_iam_role_path({a})" for a in TRIM_IAM_ROLE_PATH] + OTHERS)


class _DeclaresAws:
    """An expression in a module that declares hashicorp/aws as `aws` (PRELUDE)."""

    functions = FunctionContext(declared_providers=frozenset({"aws"}), evaluated_providers={"aws": AWS_SOURCE})

    def lookup(self, traversal: ast.ScopeTraversal) -> tuple[Value, int]:
        raise EvalError(f'Reference to undeclared name "{traversal.root}"', traversal.pos)


def _iac(expression: str) -> Value | str:
    try:
        return evaluate_expr(parse_expression(expression, "<expr>"), _DeclaresAws())
    except (EvalError, HclSyntaxError) as error:
        return f"error: {error}"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory where Terraform has installed the provider from the mirror (init reads the CLI config
    that names it); plans there need no installation."""
    oracle = AwsOracle(tmp_path_factory.mktemp("awsfn"))
    oracle._write(aws_config({}), None)
    (oracle.dir / "main.tf.json").unlink()
    yield oracle.dir


def test_the_signatures_are_the_providers(workdir: Path) -> None:
    """iac/data/aws-functions.json is the provider's schema, descriptions left out (regenerated here)."""
    (workdir / "main.tf").write_text(PRELUDE)  # the schema lists the providers a configuration requires
    try:
        code, out, err = AwsOracle(workdir)._run(["providers", "schema"], [], {"json": ...})
    finally:
        (workdir / "main.tf").unlink()
    assert code == 0, err
    functions = loads(out)["provider_schemas"][AWS_SOURCE]["functions"]
    stored = loads((resources.files("iac") / "data" / "aws-functions.json").read_text(encoding="utf-8"))
    assert stored["_notes"]["version"] == VERSION
    assert stored["functions"] == {name: _without_descriptions(spec) for name, spec in functions.items()}


def _without_descriptions(spec: Any) -> Any:
    if isinstance(spec, dict):
        return {k: _without_descriptions(v) for k, v in spec.items() if k not in ("description", "summary")}
    return [_without_descriptions(v) for v in spec] if isinstance(spec, list) else spec


def test_the_calls_match_terraform(workdir: Path) -> None:
    results = terraform_eval(CALLS, PRELUDE, workdir=workdir)
    problems = []
    for expression, theirs in zip(CALLS, results, strict=True):
        ours = _iac(expression)
        problem = describe(expression, ours, theirs)
        if not problem and isinstance(ours, str) and theirs.error:
            problem = message_differs(expression, ours, theirs.error)
        if problem:
            problems.append(problem)
    refused = sum(1 for r in results if r.error)
    assert not problems, "\n".join(problems)
    assert refused >= 30 and len(CALLS) - refused >= 35, refused  # the table keeps both kinds


# -- where the functions exist: the module must declare hashicorp/aws --------------------------------

def _outputs(plan: dict[str, Any]) -> dict[str, Any]:
    return {name: (change.get("after"), change.get("after_unknown"), change.get("after_sensitive"))
            for name, change in plan.get("output_changes", {}).items()}


def _declaring(entry: dict[str, Any], local: str, outputs: dict[str, str]) -> dict[str, Any]:
    return {"terraform": {"required_providers": {local: entry}}, "provider": {local: dict(PROVIDER_BLOCK)},
            "output": {name: {"value": f"${{{value}}}"} for name, value in outputs.items()}}


@pytest.mark.parametrize(("entry", "local"), [
    ({"source": "registry.terraform.io/HashiCorp/AWS", "version": VERSION}, "amz"),
    ({"version": VERSION}, "aws"),
    ({"source": "aws", "version": VERSION}, "aws"),
], ids=["another local name, the source in capitals", "no source: hashicorp/aws implied", "a one-part source"])
def test_any_declaration_of_hashicorp_aws_calls_its_functions(tmp_path: Path, entry: dict[str, Any],
                                                             local: str) -> None:
    config = _declaring(entry, local, {
        "parsed": f'provider::{local}::arn_parse("arn:aws:iam::123456789012:role/a/b")',
        "trimmed": f'provider::{local}::trim_iam_role_path("arn:aws:iam::123456789012:role/a/b")',
        "built": f'provider::{local}::arn_build("aws", "s3", "", "", "b")'})
    oracle = AwsOracle(tmp_path)
    assert _outputs(oracle.iac_plan(config)) == _outputs(oracle.plan(config))


def test_a_child_module_calls_them_when_it_declares_the_provider(tmp_path: Path) -> None:
    oracle = AwsOracle(tmp_path)
    (tmp_path / "m").mkdir()
    child = {"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws"}}},
             "output": {"x": {"value": '${provider::aws::arn_parse("arn:aws:s3:::b").resource}'}}}
    (tmp_path / "m" / "main.tf.json").write_text(dumps(child))
    config = aws_config({"module": {"m": {"source": "./m"}}, "output": {"x": {"value": "${module.m.x}"}}})
    assert _outputs(oracle.iac_plan(config)) == _outputs(oracle.plan(config))


def test_an_undeclared_aws_is_refused_as_terraform_refuses_it(tmp_path: Path) -> None:
    config = {"provider": {"aws": dict(PROVIDER_BLOCK)},
              "output": {"a": {"value": '${provider::aws::arn_parse("arn:aws:s3:::b")}'}}}
    oracle = AwsOracle(tmp_path)
    theirs = " ".join(oracle.validate_error(config).split())
    with pytest.raises(IacError) as refused:
        oracle.iac_plan(config)
    ours = str(refused.value)
    want = ('Unknown provider function: There is no function named "provider::aws::arn_parse". Ensure that provider '
            'name "aws" is declared in this module\'s required_providers block, and that this provider offers a '
            'function named "arn_parse".')
    assert "Error: Unknown provider function" in theirs and want.partition(": ")[2] in theirs, theirs
    assert ours.endswith(want) and "\n" not in ours, ours

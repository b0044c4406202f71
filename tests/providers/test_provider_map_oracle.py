"""A module call's `providers` map against Terraform with the real hashicorp/aws 5.100.0 provider (skipped
where this machine does not have it): the configuration a child module's resources use (their `tags_all`
reads its `default_tags`), and the maps Terraform refuses, refused by iac in Terraform's words.

One plan holds every resolution case (one Terraform init and plan); each refusal is its own directory,
most refused by Terraform's init before any provider runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iac._jsonio import dumps
from iac.config import load_config
from iac.diagnostics import IacError
from iac.workflows.planning import preview
from tests.providers.aws_oracle import PROVIDER_BLOCK, VERSION, AwsOracle, needs_aws_provider
from tests.providers.aws_samples import TRUST
from tests.providers.test_aws_oracle import _differences

pytestmark = needs_aws_provider

REQUIRED = 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n'


def _aliases(*aliases: str) -> str:
    return ('terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n'
            f'      configuration_aliases = [{", ".join(aliases)}]\n    }}\n  }}\n}}\n')


def _role(name: str, provider: str | None = None) -> str:
    chosen = f"  provider = {provider}\n" if provider else ""
    return (f'resource "aws_iam_role" "{name}" {{\n  assume_role_policy = {dumps(TRUST).strip()}\n{chosen}'
            f'  tags = {{ Own = "{name}" }}\n}}\n')


def _call(name: str, source: str, providers: str | None) -> str:
    passed = f"  providers = {providers}\n" if providers is not None else ""
    return f'module "{name}" {{\n  source = "{source}"\n{passed}}}\n'


def _provider(alias: str | None) -> str:
    settings = "".join(f"  {k} = {dumps(v).strip()}\n" for k, v in PROVIDER_BLOCK.items())
    named = f'  alias = "{alias}"\n' if alias else ""
    return (f'provider "aws" {{\n{settings}{named}  default_tags {{\n    tags = {{ Cfg = "{alias or "default"}" }}\n'
            "  }\n}\n")


ROOT = (f'terraform {{\n  required_providers {{\n    aws = {{ source = "hashicorp/aws", version = "{VERSION}" }}\n'
        "  }\n}\n" + _provider(None) + _provider("west"))
CHILDREN = {
    "passed/main.tf": REQUIRED + _role("r") + _call("grand", "./grand", None),
    "passed/grand/main.tf": REQUIRED + _role("g"),
    "aliased/main.tf": _aliases("aws.x") + _role("d") + _role("x", "aws.x") + _call("inner", "../inner", "{ aws = aws.x }"),
    "inner/main.tf": REQUIRED + _role("i"),
}


def test_a_child_module_uses_the_configuration_its_caller_passes(tmp_path: Path) -> None:
    oracle = AwsOracle(tmp_path / "plan")
    for name, text in CHILDREN.items():
        (oracle.dir / name).parent.mkdir(parents=True, exist_ok=True)
        (oracle.dir / name).write_text(text)
    config = {"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": VERSION}}},
              "provider": {"aws": [{**PROVIDER_BLOCK, "default_tags": [{"tags": {"Cfg": "default"}}]},
                                   {**PROVIDER_BLOCK, "alias": "west", "default_tags": [{"tags": {"Cfg": "west"}}]},
                                   {**PROVIDER_BLOCK, "alias": "east", "default_tags": [{"tags": {"Cfg": "east"}}]}]},
              "module": {"passed": {"source": "./passed", "providers": {"aws": "aws.west"}},
                         "aliased": {"source": "./aliased", "providers": {"aws.x": "aws.east"}}}}
    theirs = oracle.plan(config)
    assert _differences(theirs, oracle.iac_plan(config)) == []
    configured = {rc["address"]: rc["change"]["after"]["tags_all"]["Cfg"] for rc in theirs.get("resource_changes", [])}
    assert configured == {"module.passed.aws_iam_role.r": "west", "module.passed.module.grand.aws_iam_role.g": "west",
                          "module.aliased.aws_iam_role.d": "default", "module.aliased.aws_iam_role.x": "east",
                          "module.aliased.module.inner.aws_iam_role.i": "east"}


# name -> (Terraform's summary, the root's module blocks, the child's main.tf)
REFUSED = {
    "an alias the caller does not declare": (
        'missing provider provider["registry.terraform.io/hashicorp/aws"].east',
        _call("child", "./child", "{ aws = aws.east }"), REQUIRED + _role("r")),
    "an alias a module passes but was not given": (
        'missing provider module.child.provider["registry.terraform.io/hashicorp/aws"].y',
        _call("child", "./child", "{ aws = aws.west }"), REQUIRED + _call("grand", "./grand", "{ aws = aws.y }")),
    "configuration_aliases not passed": (
        "Missing required provider configuration", _call("child", "./child", "{ aws = aws.west }"),
        _aliases("aws.x") + _role("r", "aws.x")),
    "a configuration the child declares itself": (
        "Cannot override provider configuration", _call("child", "./child", "{ aws = aws.west }"),
        REQUIRED + _provider(None)),
    "a name for another provider": (
        "Provider type mismatch", _call("child", "./child", "{ google = aws }"), REQUIRED + _role("r")),
    "not a map": ("Invalid expression", _call("child", "./child", "aws.west"), REQUIRED),
    "a value with three names": (
        "Invalid provider configuration reference", _call("child", "./child", "{ aws = aws.west.x }"), REQUIRED),
    "a function call": ("Invalid provider configuration reference", _call("child", "./child", "{ aws = lower(aws) }"),
                        REQUIRED),
    "a key given twice": (
        "Duplicate provider address", _call("child", "./child", "{ aws = aws, aws = aws.west }"), REQUIRED),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_what_terraform_refuses_iac_refuses_in_its_words(tmp_path: Path, case: str) -> None:
    summary, calls, child = REFUSED[case]
    oracle = AwsOracle(tmp_path / "refused")
    files = {"main.tf": ROOT + calls, "child/main.tf": child, "child/grand/main.tf": REQUIRED}
    assert summary in oracle.refused(files)
    with pytest.raises(IacError) as refused:
        preview(load_config(oracle.dir), None, base_dir=oracle.dir, env={})
    message = str(refused.value)
    assert summary in message and "\n" not in message and "main.tf:" in message, message

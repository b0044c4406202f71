"""`relevant_attributes` through nested blocks, against Terraform with the real hashicorp/aws 5.100.0 provider
(skipped where this machine does not have it): a reference's path goes as far as the schema can follow it,
through list blocks with their index and on through an attribute's type (`tags["Name"]` is `["tags", "Name"]`),
and the analysis follows it into the nested block's own expressions. `aws_instance` is a type iac has no schema
for: its path is taken as written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.providers.aws_oracle import AwsOracle, aws_config, needs_aws_provider

pytestmark = [needs_aws_provider, pytest.mark.oracle]

CONFIG: dict[str, Any] = {
    "resource": {
        "aws_vpc": {"v": {"cidr_block": "10.0.0.0/16", "tags": {"Name": "main"}}},
        "aws_security_group": {"g": {
            "vpc_id": "${aws_vpc.v.id}",
            "ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["${aws_vpc.v.cidr_block}"],
                         "description": None, "ipv6_cidr_blocks": None, "prefix_list_ids": None,
                         "security_groups": None, "self": None}]}},
        "aws_instance": {"i": {
            "ami": "ami-12345678", "instance_type": "t3.micro",
            "root_block_device": [{"volume_size": "${length(aws_vpc.v.tags)}", "volume_type": "gp3"}],
            "tags": {"Group": "${aws_security_group.g.name}"}}},
        "aws_s3_bucket": {"b": {"bucket_prefix": "logs-"}},
        "aws_s3_bucket_versioning": {"v": {
            "bucket": "${aws_s3_bucket.b.id}",
            "versioning_configuration": [{"status": '${aws_vpc.v.tags["Name"] == "main" ? "Enabled" : "Suspended"}'}]}},
        "terraform_data": {
            "list_block": {"input": "${aws_s3_bucket_versioning.v.versioning_configuration[0].status}"},
            "block_element": {"input": "${aws_s3_bucket_versioning.v.versioning_configuration[0]}"},
            "nested": {"input": "${aws_instance.i.root_block_device[0].volume_size}"},
            "whole_block": {"input": "${aws_instance.i.root_block_device}"},
            "in_a_map": {"input": '${aws_vpc.v.tags["Name"]}'},
            "a_set_block": {"input": "${aws_security_group.g.ingress}"},
        },
    },
}


def test_paths_through_nested_blocks_are_terraforms(tmp_path: Any) -> None:
    oracle = AwsOracle(tmp_path)
    config = aws_config(CONFIG)
    expected = oracle.plan(config).get("relevant_attributes") or []
    actual = oracle.iac_plan(config).get("relevant_attributes") or []
    assert sorted(map(json.dumps, actual)) == sorted(map(json.dumps, expected))
    assert {"resource": "aws_s3_bucket_versioning.v", "attribute": ["versioning_configuration", 0, "status"]} in expected
    assert {"resource": "aws_vpc.v", "attribute": ["tags", "Name"]} in expected

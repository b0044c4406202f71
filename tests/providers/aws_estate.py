"""An AWS workspace estate in Terraform JSON: every aws resource type of the schema data, configured as
a Databricks workspace's AWS side is (cross-account role from policy documents, root bucket with its
policy, encryption, versioning, public access block, a customer-managed VPC with subnets, routes, NAT,
security group and endpoint, a KMS key). Used by the aws-provider oracle tests."""

from __future__ import annotations

from typing import Any

__all__ = ["ESTATE"]

_ASSUME = "${data.aws_iam_policy_document.assume.json}"

ESTATE: dict[str, Any] = {
    "data": {"aws_iam_policy_document": {
        "assume": {"statement": [{"actions": ["sts:AssumeRole"],
                                  "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::414351767826:root"]}],
                                  "condition": [{"test": "StringEquals", "variable": "sts:ExternalId",
                                                 "values": ["0000-account"]}]}]},
        "cross": {"statement": [{"sid": "Ec2", "actions": ["ec2:RunInstances", "ec2:CreateTags", "ec2:Describe*"],
                                 "resources": ["*"]}]},
    }},
    "resource": {
        "aws_vpc": {"main": {"cidr_block": "10.4.0.0/16", "enable_dns_hostnames": True,
                             "tags": {"Name": "dbx", "team": "data"}}},
        "aws_subnet": {
            "a": {"vpc_id": "${aws_vpc.main.id}", "cidr_block": "10.4.1.0/24", "availability_zone": "us-east-1a"},
            "b": {"vpc_id": "${aws_vpc.main.id}", "cidr_block": "10.4.2.0/24", "availability_zone": "us-east-1b",
                  "map_public_ip_on_launch": False, "tags": {"tier": "private"}},
        },
        "aws_internet_gateway": {"igw": {"vpc_id": "${aws_vpc.main.id}"}},
        "aws_eip": {"nat": {"domain": "vpc"}},
        "aws_nat_gateway": {"nat": {"subnet_id": "${aws_subnet.a.id}", "allocation_id": "${aws_eip.nat.id}"}},
        "aws_route_table": {"private": {"vpc_id": "${aws_vpc.main.id}"}},
        "aws_route": {"nat": {"route_table_id": "${aws_route_table.private.id}", "destination_cidr_block": "0.0.0.0/0",
                              "nat_gateway_id": "${aws_nat_gateway.nat.id}"}},
        "aws_route_table_association": {"b": {"subnet_id": "${aws_subnet.b.id}",
                                              "route_table_id": "${aws_route_table.private.id}"}},
        "aws_security_group": {"dbx": {"name": "dbx-workers", "description": "Databricks workers",
                                       "vpc_id": "${aws_vpc.main.id}"}},
        "aws_security_group_rule": {"self": {"type": "ingress", "from_port": 0, "to_port": 65535, "protocol": "tcp",
                                             "self": True, "security_group_id": "${aws_security_group.dbx.id}"}},
        "aws_vpc_endpoint": {"s3": {"vpc_id": "${aws_vpc.main.id}", "service_name": "com.amazonaws.us-east-1.s3",
                                    "route_table_ids": ["${aws_route_table.private.id}"]}},
        "aws_iam_role": {"cross": {"name": "dbx-cross-account", "assume_role_policy": _ASSUME,
                                   "tags": {"team": "data"}}},
        "aws_iam_policy": {"cross": {"name": "dbx-cross-account", "policy": "${data.aws_iam_policy_document.cross.json}"}},
        "aws_iam_role_policy": {"inline": {"name": "inline", "role": "${aws_iam_role.cross.id}",
                                           "policy": "${data.aws_iam_policy_document.cross.json}"}},
        "aws_iam_role_policy_attachment": {"cross": {"role": "${aws_iam_role.cross.name}",
                                                     "policy_arn": "${aws_iam_policy.cross.arn}"}},
        "aws_iam_instance_profile": {"workers": {"name": "dbx-workers", "role": "${aws_iam_role.cross.name}"}},
        "aws_kms_key": {"root": {"description": "workspace root bucket", "deletion_window_in_days": 10,
                                 "enable_key_rotation": True}},
        "aws_kms_alias": {"root": {"name": "alias/dbx-root", "target_key_id": "${aws_kms_key.root.key_id}"}},
        "aws_s3_bucket": {"root": {"bucket": "dbx-root-bucket-0001", "force_destroy": True,
                                   "tags": {"team": "data"}}},
        "aws_s3_bucket_policy": {"root": {"bucket": "${aws_s3_bucket.root.id}",
                                          "policy": "${data.aws_iam_policy_document.cross.json}"}},
        "aws_s3_bucket_versioning": {"root": {"bucket": "${aws_s3_bucket.root.id}",
                                              "versioning_configuration": {"status": "Enabled"}}},
        "aws_s3_bucket_server_side_encryption_configuration": {"root": {
            "bucket": "${aws_s3_bucket.root.id}",
            "rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms",
                                                                   "kms_master_key_id": "${aws_kms_key.root.arn}"}}]}},
        "aws_s3_bucket_public_access_block": {"root": {"bucket": "${aws_s3_bucket.root.id}", "block_public_acls": True,
                                                       "block_public_policy": True, "ignore_public_acls": True,
                                                       "restrict_public_buckets": True}},
        "aws_s3_bucket_ownership_controls": {"root": {"bucket": "${aws_s3_bucket.root.id}",
                                                      "rule": {"object_ownership": "BucketOwnerEnforced"}}},
    },
}

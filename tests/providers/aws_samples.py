"""Sample configurations of every aws resource type of the schema data, for the aws-provider oracle:
`MINIMAL` sets only what the provider requires (so its create plan shows every default), `BLOCKS` adds
each optional block a Databricks workspace's AWS side uses (so nested defaults show too). Literal ids,
valid values; nothing refers to another resource."""

from __future__ import annotations

from typing import Any

__all__ = ["BLOCKS", "MINIMAL", "POLICY"]

POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
TRUST = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",'
         '"Principal":{"Service":"ec2.amazonaws.com"}}]}')
BUCKET_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Principal":"*"}]}'
VPC, SUBNET, RTB, SG = "vpc-0123456789abcdef0", "subnet-0123456789abcdef0", "rtb-0123456789abcdef0", "sg-0123456789abcdef0"

MINIMAL: dict[str, dict[str, Any]] = {
    "aws_eip": {},
    "aws_iam_instance_profile": {},
    "aws_iam_policy": {"policy": POLICY},
    "aws_iam_role": {"assume_role_policy": TRUST},
    "aws_iam_role_policy": {"role": "r", "policy": POLICY},
    "aws_iam_role_policy_attachment": {"role": "r", "policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
    "aws_internet_gateway": {},
    "aws_kms_alias": {"target_key_id": "1234abcd-12ab-34cd-56ef-1234567890ab"},
    "aws_kms_key": {},
    "aws_nat_gateway": {"subnet_id": SUBNET},
    "aws_route": {"route_table_id": RTB, "destination_cidr_block": "0.0.0.0/0", "gateway_id": "igw-0123456789abcdef0"},
    "aws_route_table": {"vpc_id": VPC},
    "aws_route_table_association": {"route_table_id": RTB, "subnet_id": SUBNET},
    "aws_s3_bucket": {},
    "aws_s3_bucket_ownership_controls": {"bucket": "b", "rule": {"object_ownership": "BucketOwnerEnforced"}},
    "aws_s3_bucket_policy": {"bucket": "b", "policy": BUCKET_POLICY},
    "aws_s3_bucket_public_access_block": {"bucket": "b"},
    "aws_s3_bucket_server_side_encryption_configuration": {
        "bucket": "b", "rule": [{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]},
    "aws_s3_bucket_versioning": {"bucket": "b", "versioning_configuration": {"status": "Enabled"}},
    "aws_security_group": {},
    "aws_security_group_rule": {"type": "ingress", "from_port": 443, "to_port": 443, "protocol": "tcp",
                                "security_group_id": SG, "cidr_blocks": ["10.0.0.0/8"]},
    "aws_subnet": {"vpc_id": VPC, "cidr_block": "10.0.1.0/24"},
    "aws_vpc": {"cidr_block": "10.0.0.0/16"},
    "aws_vpc_endpoint": {"vpc_id": VPC, "service_name": "com.amazonaws.us-east-1.s3"},
}

BLOCKS: dict[str, dict[str, Any]] = {
    "aws_iam_role": {**MINIMAL["aws_iam_role"], "inline_policy": [{"name": "i", "policy": POLICY}]},
    "aws_security_group": {"vpc_id": VPC, "ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp",
                                                       "cidr_blocks": ["10.0.0.0/8"], "description": "https",
                                                       "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                                                       "security_groups": [], "self": False}]},
    "aws_s3_bucket_server_side_encryption_configuration": {
        "bucket": "b", "rule": [{"bucket_key_enabled": True, "apply_server_side_encryption_by_default":
                                 {"sse_algorithm": "aws:kms", "kms_master_key_id": "arn:aws:kms:us-east-1:1:key/k"}}]},
    "aws_vpc_endpoint": {"vpc_id": VPC, "service_name": "com.amazonaws.us-east-1.sts", "vpc_endpoint_type": "Interface",
                         "subnet_ids": [SUBNET], "security_group_ids": [SG], "private_dns_enabled": True,
                         "dns_options": {"dns_record_ip_type": "ipv4"}},
    "aws_subnet": {**MINIMAL["aws_subnet"], "availability_zone": "us-east-1a", "map_public_ip_on_launch": True,
                   "tags": {"Name": "a"}},
    "aws_nat_gateway": {"subnet_id": SUBNET, "connectivity_type": "private"},
    "aws_kms_key": {"description": "k", "policy": POLICY, "enable_key_rotation": True, "tags": {"a": ""}},
}

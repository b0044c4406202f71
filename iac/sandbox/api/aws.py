"""The simulated AWS account (hashicorp/aws 5.100.0 types): the ids, ARNs and names AWS computes.

Shapes as AWS returns them and the provider stores them: `vpc-` + 17 hex digits, ARNs with the account and
region of the provider configuration, bucket domain names, generated `terraform-<26 digits>` names when a name
is left to AWS, empty strings where the provider writes "" for an unset optional attribute. `tags_all` is the
provider's `default_tags` merged with the resource's `tags` (its CustomizeDiff, planned in iac.sandbox.customize).
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from iac.sandbox.api._context import Context, Rule, Values

__all__ = ["RULES"]

# S3 website/hosted zone ids of the regions the sandbox knows (AWS publishes one per region).
_HOSTED_ZONES = {"us-east-1": "Z3AQBSTGFYJSTF", "us-east-2": "Z2O1EMRO9K5GLX", "us-west-1": "Z2F56UZL2M1ACD",
                 "us-west-2": "Z3BJ6K6RIION7M", "eu-west-1": "Z1BKCTXD74EZPE", "eu-central-1": "Z21DNDUVLTQW6Q",
                 "ap-southeast-1": "Z3O0J2DXBE1FTB", "ap-northeast-1": "Z2M4EHUR26P7ZW"}
_ZONE_IDS = {"us-east-1": "use1", "us-east-2": "use2", "us-west-1": "usw1", "us-west-2": "usw2", "eu-west-1": "euw1",
             "eu-central-1": "euc1"}


def _ec2_id(prefix: str, c: Context) -> str:
    return f"{prefix}-{c.hex(17)}"


def _arn(c: Context, service: str, resource: str, region: bool = True) -> str:
    return f"arn:aws:{service}:{c.aws_region if region else ''}:{c.aws_account}:{resource}"


def _unique_name(c: Context, prefix: str = "terraform-") -> str:
    """id.PrefixedUniqueId: the prefix, a UTC timestamp and a counter (26 digits)."""
    return prefix + c.now.strftime("%Y%m%d%H%M%S") + f"{c.serial:012d}"


def _name(s: Values, c: Context) -> str:
    return s.get("name") or _unique_name(c, s.get("name_prefix") or "terraform-")


def tags_all(s: Values, c: Context) -> dict[str, str]:
    return {**c.default_tags, **(s.get("tags") or {})}


def _ec2(prefix: str, kind: str, **extra: Any) -> Rule:
    def rule(s: Values, c: Context) -> Values:
        object_id = _ec2_id(prefix, c)
        return {"id": object_id, "arn": _arn(c, "ec2", f"{kind}/{object_id}"),
                "owner_id": c.aws_account, "tags_all": tags_all(s, c), **extra}
    return rule


def _vpc(s: Values, c: Context) -> Values:
    vpc = _ec2("vpc", "vpc")(s, c)
    route_table = _ec2_id("rtb", c)
    return vpc | {"cidr_block": s.get("cidr_block") or "10.0.0.0/16", "default_network_acl_id": _ec2_id("acl", c),
                  "default_route_table_id": route_table, "main_route_table_id": route_table,
                  "default_security_group_id": _ec2_id("sg", c), "dhcp_options_id": _ec2_id("dopt", c),
                  "enable_dns_hostnames": False, "enable_network_address_usage_metrics": False,
                  "ipv6_association_id": "", "ipv6_cidr_block": "", "ipv6_cidr_block_network_border_group": ""}


def _subnet(s: Values, c: Context) -> Values:
    zone = s.get("availability_zone") or f"{c.aws_region}a"
    suffix = "abcdef".find(zone[-1]) + 1
    return _ec2("subnet", "subnet")(s, c) | {
        "availability_zone": zone, "availability_zone_id": f"{_ZONE_IDS.get(c.aws_region, 'use1')}-az{max(suffix, 1)}",
        "ipv6_cidr_block_association_id": "", "private_dns_hostname_type_on_launch": "ip-name"}


def _security_group(s: Values, c: Context) -> Values:
    return _ec2("sg", "security-group")(s, c) | {"name": _name(s, c), "name_prefix": s.get("name_prefix") or "",
                                                 "vpc_id": s.get("vpc_id") or _ec2_id("vpc", c),
                                                 "egress": [], "ingress": []}


def _security_group_rule(s: Values, c: Context) -> Values:
    return {"id": f"sgrule-{c.digits(10)}", "security_group_rule_id": _ec2_id("sgr", c)}


def _ip(c: Context, first: int) -> str:
    return f"{first}.{c.rng.randint(0, 255)}.{c.rng.randint(0, 255)}.{c.rng.randint(1, 254)}"


def _eip(s: Values, c: Context) -> Values:
    allocation = _ec2_id("eipalloc", c)
    public_ip = _ip(c, 3)
    host = "ec2-" + public_ip.replace(".", "-")
    dns = f"{host}.compute-1.amazonaws.com" if c.aws_region == "us-east-1" else f"{host}.{c.aws_region}.compute.amazonaws.com"
    return {"id": allocation, "allocation_id": allocation, "arn": _arn(c, "ec2", f"elastic-ip/{allocation}"),
            "association_id": "", "carrier_ip": "", "customer_owned_ip": "", "domain": "vpc", "instance": "",
            "network_border_group": c.aws_region, "network_interface": "", "private_dns": None, "private_ip": "",
            "ptr_record": "", "public_dns": dns, "public_ip": public_ip, "public_ipv4_pool": "amazon",
            "tags_all": tags_all(s, c), "vpc": True}


def _nat_gateway(s: Values, c: Context) -> Values:
    eip = c.lookup("aws_eip", str(s.get("allocation_id"))) or {}
    return {"id": _ec2_id("nat", c), "association_id": _ec2_id("eipassoc", c), "network_interface_id": _ec2_id("eni", c),
            "private_ip": _ip(c, 10), "public_ip": eip.get("public_ip") or _ip(c, 3),
            "secondary_private_ip_address_count": 0, "secondary_private_ip_addresses": [], "tags_all": tags_all(s, c)}


def _route(s: Values, c: Context) -> Values:
    destination = s.get("destination_cidr_block") or s.get("destination_ipv6_cidr_block") or s.get("destination_prefix_list_id") or ""
    return {"id": f"r-{s.get('route_table_id')}{zlib.crc32(destination.encode())}", "instance_id": "",
            "instance_owner_id": "", "network_interface_id": "", "origin": "CreateRoute", "state": "active"}


def _route_table(s: Values, c: Context) -> Values:
    return _ec2("rtb", "route-table")(s, c) | {"propagating_vgws": [], "route": []}


_DEFAULT_ENDPOINT_POLICY = json.dumps({"Version": "2008-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}, separators=(",", ":"))


def _vpc_endpoint(s: Values, c: Context) -> Values:
    gateway = (s.get("vpc_endpoint_type") or "Gateway") == "Gateway"
    return _ec2("vpce", "vpc-endpoint")(s, c) | {
        "cidr_blocks": ["3.5.0.0/19"] if gateway else [], "dns_entry": [], "ip_address_type": "" if gateway else "ipv4",
        "network_interface_ids": [], "policy": _DEFAULT_ENDPOINT_POLICY, "prefix_list_id": _ec2_id("pl", c)[:11] if gateway else "",
        "private_dns_enabled": False, "requester_managed": False, "route_table_ids": [], "security_group_ids": [],
        "service_region": c.aws_region, "state": "available", "subnet_ids": []}


def _bucket(s: Values, c: Context) -> Values:
    name = s.get("bucket") or _unique_name(c, s.get("bucket_prefix") or "terraform-")
    region = c.aws_region
    return {"id": name, "bucket": name, "bucket_prefix": s.get("bucket_prefix") or "", "arn": f"arn:aws:s3:::{name}",
            "bucket_domain_name": f"{name}.s3.amazonaws.com",
            "bucket_regional_domain_name": f"{name}.s3.{region}.amazonaws.com",
            "hosted_zone_id": _HOSTED_ZONES.get(region, "Z3AQBSTGFYJSTF"), "region": region, "acceleration_status": "",
            "acl": None, "object_lock_enabled": False, "policy": "", "request_payer": "BucketOwner",
            "website_domain": None, "website_endpoint": None, "tags_all": tags_all(s, c)}


def _by_bucket(s: Values, c: Context) -> Values:
    owner = s.get("expected_bucket_owner")
    return {"id": f"{s.get('bucket')},{owner}" if owner else s.get("bucket")}


def _iam_role(s: Values, c: Context) -> Values:
    name = _name(s, c)
    return {"id": name, "name": name, "name_prefix": s.get("name_prefix") or "",
            "arn": f"arn:aws:iam::{c.aws_account}:role{s.get('path') or '/'}{name}", "unique_id": "AROA" + c.upper(17),
            "create_date": c.rfc3339(), "managed_policy_arns": [], "tags_all": tags_all(s, c)}


def _iam_policy(s: Values, c: Context) -> Values:
    name = _name(s, c)
    arn = f"arn:aws:iam::{c.aws_account}:policy{s.get('path') or '/'}{name}"
    return {"id": arn, "arn": arn, "name": name, "name_prefix": s.get("name_prefix") or "", "policy_id": "ANPA" + c.upper(17),
            "attachment_count": 0, "tags_all": tags_all(s, c)}


def _iam_role_policy(s: Values, c: Context) -> Values:
    name = _name(s, c)
    return {"id": f"{s.get('role')}:{name}", "name": name, "name_prefix": s.get("name_prefix") or ""}


def _instance_profile(s: Values, c: Context) -> Values:
    name = _name(s, c)
    return {"id": name, "name": name, "name_prefix": s.get("name_prefix") or "", "create_date": c.rfc3339(),
            "arn": f"arn:aws:iam::{c.aws_account}:instance-profile{s.get('path') or '/'}{name}",
            "unique_id": "AIPA" + c.upper(17), "tags_all": tags_all(s, c)}


def _kms_key_policy(c: Context) -> str:
    return json.dumps({"Version": "2012-10-17", "Id": "key-default-1", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{c.aws_account}:root"}, "Action": "kms:*", "Resource": "*"}]},
        separators=(",", ":"))


def _kms_key(s: Values, c: Context) -> Values:
    key_id = c.uuid()
    return {"id": key_id, "key_id": key_id, "arn": _arn(c, "kms", f"key/{key_id}"), "description": "",
            "multi_region": False, "policy": _kms_key_policy(c),
            "rotation_period_in_days": 365 if s.get("enable_key_rotation") else None, "tags_all": tags_all(s, c)}


def _kms_alias(s: Values, c: Context) -> Values:
    name = s.get("name") or _unique_name(c, s.get("name_prefix") or "alias/terraform-")
    target = str(s.get("target_key_id") or "")
    key = c.lookup("aws_kms_key", target.rsplit("/", 1)[-1]) or {}
    return {"id": name, "name": name, "name_prefix": s.get("name_prefix") or "", "arn": _arn(c, "kms", name),
            "target_key_arn": key.get("arn") or (target if target.startswith("arn:") else _arn(c, "kms", f"key/{target}"))}


RULES: dict[str, Rule] = {
    "aws_eip": _eip,
    "aws_iam_instance_profile": _instance_profile,
    "aws_iam_policy": _iam_policy,
    "aws_iam_role": _iam_role,
    "aws_iam_role_policy": _iam_role_policy,
    "aws_iam_role_policy_attachment": lambda s, c: {"id": _unique_name(c, f"{s.get('role')}-")},
    "aws_internet_gateway": lambda s, c: _ec2("igw", "internet-gateway")(s, c) | {"vpc_id": s.get("vpc_id") or ""},
    "aws_kms_alias": _kms_alias,
    "aws_kms_key": _kms_key,
    "aws_nat_gateway": _nat_gateway,
    "aws_route": _route,
    "aws_route_table": _route_table,
    "aws_route_table_association": lambda s, c: {"id": _ec2_id("rtbassoc", c)},
    "aws_s3_bucket": _bucket,
    "aws_s3_bucket_ownership_controls": _by_bucket,
    "aws_s3_bucket_policy": lambda s, c: {"id": s.get("bucket")},
    "aws_s3_bucket_public_access_block": lambda s, c: {"id": s.get("bucket")},
    "aws_s3_bucket_server_side_encryption_configuration": _by_bucket,
    "aws_s3_bucket_versioning": _by_bucket,
    "aws_security_group": _security_group,
    "aws_security_group_rule": _security_group_rule,
    "aws_subnet": _subnet,
    "aws_vpc": _vpc,
    "aws_vpc_endpoint": _vpc_endpoint,
}

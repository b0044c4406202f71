"""The AWS side of a Databricks workspace, after the Databricks security reference architecture (SRA).

What an E2 workspace is made of on AWS, built from iac's public API:
* the cross-account IAM role Databricks assumes: its trust policy from `databricks_aws_assume_role_policy`
  (the account id as external id), its permissions from `databricks_aws_crossaccount_policy` (for a
  Databricks-managed network, or a customer-managed VPC);
* the workspace root bucket: server-side encryption, every public access blocked, versioning stated explicitly,
  and the bucket policy of `databricks_aws_bucket_policy` (written after the public access block, as the SRA
  does: a policy that grants another account may be refused while the block is being set);
* optionally a customer-managed VPC: two private subnets in two availability zones and the workspace
  security group (all traffic inside the group, and out to the Databricks control plane ports).

The policy data sources are computed by the provider without an API call, so iac plans their documents
exactly; the workspace registrations (`MwsCredentials`, `MwsStorageConfiguration`, `MwsNetwork`) refer to
what is created here, never to literals.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from iac import DataAwsAssumeRolePolicy, DataAwsBucketPolicy, DataAwsCrossaccountPolicy, Stack, aws

# Outbound ports the workspace's clusters need (Databricks: "Security group egress"): HTTPS to the control
# plane, the FIPS endpoint, the legacy Hive metastore, secure cluster connectivity, and 8443-8451 for the
# control plane API and Unity Catalog.
_EGRESS_PORTS = ((443, 443), (2443, 2443), (3306, 3306), (6666, 6666), (8443, 8451))


@dataclass(frozen=True)
class AwsFoundation:
    """What the account-level workspace registrations refer to."""

    role: aws.IamRole
    """The cross-account role: `role.arn` for `MwsCredentials`."""
    role_policy: aws.IamRolePolicy
    """Its permissions: the credentials wait for them (Databricks checks them when the role is registered)."""
    bucket: aws.S3Bucket
    """The root bucket: `bucket.bucket` for `MwsStorageConfiguration`."""
    vpc: aws.Vpc | None = None
    """The customer-managed VPC, or None for the Databricks-managed network."""
    subnets: tuple[aws.Subnet, ...] = ()
    security_group: aws.SecurityGroup | None = None


def aws_foundation(stack: Stack, name: str, prefix: str, *, aws_account: str, vpc_cidr: str | None) -> AwsFoundation:
    """The role, the root bucket and (with `vpc_cidr`) the network of one workspace. `name` is the Terraform
    name stem (`<name>_root`...), `prefix` the stem of AWS names (`<prefix>-crossaccount`...)."""
    env = stack.environment
    assert env is not None, "aws_foundation needs a stack built for an environment"
    network = _network(stack, name, prefix, vpc_cidr, env.region) if vpc_cidr is not None else None
    trust = stack.data(DataAwsAssumeRolePolicy(name, external_id=env.account_id))
    permissions = stack.data(DataAwsCrossaccountPolicy(
        name, policy_type="customer" if network is not None else "managed"))
    role = stack.add(aws.IamRole(f"{name}_cross_account", name=f"{prefix}-crossaccount", assume_role_policy=trust.json,
                                 tags={"Name": f"{prefix}-crossaccount"}))
    role_policy = stack.add(aws.IamRolePolicy(f"{name}_cross_account", name=f"{prefix}-crossaccount-policy",
                                              role=role.id, policy=permissions.json))
    bucket = _root_bucket(stack, name, prefix, env.account_id)
    if network is None:
        return AwsFoundation(role, role_policy, bucket)
    vpc, subnets, group = network
    return AwsFoundation(role, role_policy, bucket, vpc, subnets, group)


def _root_bucket(stack: Stack, name: str, prefix: str, databricks_account_id: str) -> aws.S3Bucket:
    bucket = stack.add(aws.S3Bucket(f"{name}_root", bucket=f"{prefix}-workspace-root",
                                    tags={"Name": f"{prefix}-workspace-root"}))
    root = f"{name}_root"
    stack.add(aws.S3BucketServerSideEncryptionConfiguration(root, bucket=bucket.bucket, rule=[
        {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}]))  # S3-managed keys
    # Databricks does not use object versions of the root bucket; the SRA states it, so nobody turns it on by hand.
    stack.add(aws.S3BucketVersioning(root, bucket=bucket.id, versioning_configuration={"status": "Disabled"}))
    access_block = stack.add(aws.S3BucketPublicAccessBlock(
        root, bucket=bucket.id, block_public_acls=True, block_public_policy=True, ignore_public_acls=True,
        restrict_public_buckets=True))
    policy = stack.data(DataAwsBucketPolicy(root, bucket=bucket.bucket,
                                            databricks_e2_account_id=databricks_account_id))
    stack.add(aws.S3BucketPolicy(root, bucket=bucket.id, policy=policy.json, depends_on=[access_block]))
    return bucket


def _network(stack: Stack, name: str, prefix: str, cidr: str,
             region: str) -> tuple[aws.Vpc, tuple[aws.Subnet, ...], aws.SecurityGroup]:
    """The VPC, a private subnet in each of two zones (the first two eighths of the range), the security group."""
    vpc = stack.add(aws.Vpc(name, cidr_block=cidr, enable_dns_hostnames=True, enable_dns_support=True,
                            tags={"Name": f"{prefix}-data-plane"}))
    ranges = list(ipaddress.ip_network(cidr).subnets(prefixlen_diff=3))[:2]
    subnets = tuple(
        stack.add(aws.Subnet(f"{name}_private_{zone}", vpc_id=vpc.id, cidr_block=str(block),
                             availability_zone=f"{region}{zone}", tags={"Name": f"{prefix}-private-{region}{zone}"}))
        for zone, block in zip("ab", ranges, strict=True))
    inside = [_rule(protocol, 0, 65535, self_=True) for protocol in ("tcp", "udp")]
    group = stack.add(aws.SecurityGroup(
        name, name=f"{prefix}-workspace", description=f"Databricks workspace {prefix}", vpc_id=vpc.id,
        ingress=inside, egress=[*inside, *(_rule("tcp", low, high, cidr="0.0.0.0/0") for low, high in _EGRESS_PORTS)],
        tags={"Name": f"{prefix}-workspace"}))
    return vpc, subnets, group


def _rule(protocol: str, from_port: int, to_port: int, *, self_: bool = False, cidr: str | None = None) -> dict[str, Any]:
    """One security group rule with every attribute written (the provider's rule objects have no optional ones)."""
    return {"cidr_blocks": [cidr] if cidr else [], "description": "", "from_port": from_port, "ipv6_cidr_blocks": [],
            "prefix_list_ids": [], "protocol": protocol, "security_groups": [], "self": self_, "to_port": to_port}

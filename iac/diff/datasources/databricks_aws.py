"""The databricks provider's AWS policy data sources, computed as the provider computes them: locally,
from their configuration alone, no API call (databricks/terraform-provider-databricks aws/data_aws_*.go,
read at the version whose schemas are those of 1.110.0 in iac/data). Each builds a policy from fixed
statements and its arguments and writes it with Go's `json.MarshalIndent(policy, "", "  ")`; the
statement struct's fields are Sid, Effect, Action, NotAction, Resource, NotResource, Principal,
Condition (all omitted when empty), the document's Version, Id (omitted when empty), Statement.

The Databricks accounts and roles per AWS partition are the provider's constants (aws/constants.go).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iac.diff.datasources.gojson import GoMap, marshal_indent

__all__ = ["READERS", "DataSourceError"]


class DataSourceError(ValueError):
    """A configuration the provider refuses while reading (its message)."""


_PARTITIONS: dict[str, dict[str, str]] = {
    "aws": {
        "accountId": "414351767826", "awsNamespace": "aws",
        "logDeliveryIamArn": "arn:aws:iam::414351767826:role/SaasUsageDeliveryRole-prod-IAMRole-3PLHICCRR1TK",
        "unityCatalogueIamArn": "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL",
    },
    "aws-us-gov": {
        "accountId": "044793339203", "awsNamespace": "aws-us-gov",
        "logDeliveryIamArn": "arn:aws-us-gov:iam::044793339203:role/SaasUsageDeliveryRole-prod-aws-gov-IAMRole-L4QM0RCHYQ1G",
        "unityCatalogueIamArn": "arn:aws-us-gov:iam::044793339203:role/unity-catalog-prod-UCMasterRole-1QRFA8SGY15OJ",
    },
    "aws-us-gov-dod": {
        "accountId": "170661010020", "awsNamespace": "aws-us-gov",
        "logDeliveryIamArn": "arn:aws-us-gov:iam::170661010020:role/SaasUsageDeliveryRole-prod-aws-gov-dod-IAMRole-1DMEHBYR8VC5P",
        "unityCatalogueIamArn": "arn:aws-us-gov:iam::170661010020:role/unity-catalog-prod-UCMasterRole-1DI6DL6ZP26AS",
    },
}
_PARTITION_ERROR = "aws_partition must be either 'aws' or 'aws-us-gov' or 'aws-us-gov-dod'"


def _statement(effect: str = "Allow", *, sid: str = "", action: Any = None, resource: Any = None,
               not_resource: Any = None, principal: dict[str, str] | None = None,
               condition: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if sid:
        out["Sid"] = sid
    out["Effect"] = effect
    if action is not None:
        out["Action"] = action
    if resource is not None:
        out["Resource"] = resource
    if not_resource is not None:
        out["NotResource"] = not_resource
    if principal:
        out["Principal"] = GoMap(principal)
    if condition:
        out["Condition"] = GoMap({k: GoMap(v) for k, v in condition.items()})
    return out


def _policy(statements: list[dict[str, Any]]) -> str:
    return marshal_indent({"Version": "2012-10-17", "Statement": statements})


def _partition(config: dict[str, Any]) -> tuple[str, dict[str, str]]:
    partition = config.get("aws_partition") or "aws"
    if partition not in _PARTITIONS:
        raise DataSourceError(_PARTITION_ERROR)
    return partition, _PARTITIONS[partition]


def assume_role_policy(config: dict[str, Any], schema: Any = None) -> dict[str, Any]:
    """data_aws_assume_role_policy.go: the cross-account role's trust policy."""
    partition, constants = _partition(config)
    external_id = config.get("external_id") or ""
    account = config.get("databricks_account_id") or constants["accountId"]
    principal = f"arn:{partition}:iam::{account}:root"
    if config.get("for_log_delivery"):
        principal = constants["logDeliveryIamArn"]
    statement = _statement(action="sts:AssumeRole", principal={"AWS": principal},
                           condition={"StringEquals": {"sts:ExternalId": external_id}})
    return {**config, "aws_partition": partition, "for_log_delivery": bool(config.get("for_log_delivery")),
            "id": external_id, "json": _policy([statement])}


def bucket_policy(config: dict[str, Any], schema: Any = None) -> dict[str, Any]:
    """data_aws_bucket_policy.go: the root bucket's policy for the Databricks account."""
    partition, constants = _partition(config)
    namespace, bucket = constants["awsNamespace"], config.get("bucket") or ""
    statement = _statement(
        action=["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket",
                "s3:GetBucketLocation"],
        resource=[f"arn:{namespace}:s3:::{bucket}/*", f"arn:{namespace}:s3:::{bucket}"],
        principal={"AWS": config.get("full_access_role") or f"arn:{namespace}:iam::{constants['accountId']}:root"},
        condition={"StringEquals": {"aws:PrincipalTag/DatabricksAccountId": config["databricks_e2_account_id"]}}
        if config.get("databricks_e2_account_id") else None)
    return {**config, "aws_partition": partition, "id": bucket, "json": _policy([statement])}


_EC2_COMMON = (
    "ec2:AssignPrivateIpAddresses", "ec2:CancelSpotInstanceRequests", "ec2:DescribeAvailabilityZones",
    "ec2:DescribeIamInstanceProfileAssociations", "ec2:DescribeInstanceStatus", "ec2:DescribeInstances",
    "ec2:DescribeInternetGateways", "ec2:DescribeNatGateways", "ec2:DescribeNetworkAcls", "ec2:DescribePrefixLists",
    "ec2:DescribeReservedInstancesOfferings", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups",
    "ec2:DescribeSpotInstanceRequests", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets", "ec2:DescribeVolumes",
    "ec2:DescribeVpcAttribute", "ec2:DescribeVpcs", "ec2:CreateTags", "ec2:DeleteTags", "ec2:GetSpotPlacementScores",
    "ec2:RequestSpotInstances", "ec2:DescribeFleetHistory", "ec2:ModifyFleet", "ec2:DeleteFleets",
    "ec2:DescribeFleetInstances", "ec2:DescribeFleets", "ec2:CreateFleet", "ec2:DeleteLaunchTemplate",
    "ec2:GetLaunchTemplateData", "ec2:CreateLaunchTemplate", "ec2:DescribeLaunchTemplates",
    "ec2:DescribeLaunchTemplateVersions", "ec2:ModifyLaunchTemplate", "ec2:DeleteLaunchTemplateVersions",
    "ec2:CreateLaunchTemplateVersion",
)
_EC2_UNRESTRICTED = (
    "ec2:AssociateIamInstanceProfile", "ec2:AttachVolume", "ec2:AuthorizeSecurityGroupEgress",
    "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateVolume", "ec2:DeleteVolume", "ec2:DetachVolume",
    "ec2:DisassociateIamInstanceProfile", "ec2:ReplaceIamInstanceProfileAssociation",
    "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:RunInstances", "ec2:TerminateInstances",
)
_EC2_MANAGED_VPC = (
    "ec2:AttachInternetGateway", "ec2:AllocateAddress", "ec2:AssociateDhcpOptions", "ec2:AssociateRouteTable",
    "ec2:CreateDhcpOptions", "ec2:CreateInternetGateway", "ec2:CreateNatGateway", "ec2:CreateRoute",
    "ec2:CreateRouteTable", "ec2:CreateSecurityGroup", "ec2:CreateSubnet", "ec2:CreateVpc", "ec2:CreateVpcEndpoint",
    "ec2:DeleteDhcpOptions", "ec2:DeleteInternetGateway", "ec2:DeleteNatGateway", "ec2:DeleteRoute",
    "ec2:DeleteRouteTable", "ec2:DeleteSecurityGroup", "ec2:DeleteSubnet", "ec2:DeleteVpc", "ec2:DeleteVpcEndpoints",
    "ec2:DetachInternetGateway", "ec2:DisassociateRouteTable", "ec2:ModifyVpcAttribute", "ec2:ReleaseAddress",
)


def crossaccount_policy(config: dict[str, Any], schema: Any = None) -> dict[str, Any]:
    """data_aws_crossaccount_policy.go: the cross-account role's permissions for a Databricks-managed VPC
    (`managed`, the default), a customer-managed VPC (`customer`) or a restricted one (`restricted`)."""
    partition, constants = _partition(config)
    policy_type = config.get("policy_type") or "managed"
    if policy_type not in ("managed", "customer", "restricted"):
        raise DataSourceError("policy_type must be either 'managed', 'customer' or 'restricted'")
    account, region = config.get("aws_account_id") or "", config.get("region") or ""
    vpc, group = config.get("vpc_id") or "", config.get("security_group_id") or ""
    if policy_type == "restricted":
        for ok, message in ((account.isdigit() and len(account) == 12, "aws_account_id must be a 12 digit number"),
                            (vpc.startswith("vpc-"), "vpc_id must begin with 'vpc-'"),
                            (bool(region), "region must be set"),
                            (group.startswith("sg-"), "security_group_id must begin with 'sg-'")):
            if not ok:
                raise DataSourceError(message)
    ns = constants["awsNamespace"]
    actions = [*_EC2_COMMON, *(_EC2_UNRESTRICTED if policy_type != "restricted" else ()),
               *(_EC2_MANAGED_VPC if policy_type == "managed" else ())]
    statements = [
        _statement(action=actions, resource="*"),
        _statement(action=["iam:CreateServiceLinkedRole", "iam:PutRolePolicy"],
                   resource=f"arn:{ns}:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot",
                   condition={"StringLike": {"iam:AWSServiceName": "spot.amazonaws.com"}}),
    ]
    if config.get("pass_roles"):
        statements.append(_statement(action="iam:PassRole", resource=list(config["pass_roles"])))
    if policy_type == "restricted":
        arn = f"arn:{ns}:ec2:{region}:{account}"
        vendor = {"ec2:ResourceTag/Vendor": "Databricks"}
        in_vpc = {"StringEquals": {"ec2:vpc": f"{arn}:vpc/{vpc}"}}
        statements += [
            _statement(sid="InstancePoolsSupport", action=["ec2:AssociateIamInstanceProfile",
                       "ec2:DisassociateIamInstanceProfile", "ec2:ReplaceIamInstanceProfileAssociation"],
                       resource=f"{arn}:instance/*", condition={"StringEquals": vendor}),
            _statement(sid="AllowEc2RunInstancePerTag", action="ec2:RunInstances",
                       resource=[f"{arn}:volume/*", f"{arn}:instance/*"],
                       condition={"StringEquals": {"aws:RequestTag/Vendor": "Databricks"}}),
            _statement(sid="AllowEc2RunInstanceImagePerTag", action="ec2:RunInstances", resource=f"{arn}:image/*",
                       condition={"StringEquals": {"aws:ResourceTag/Vendor": "Databricks"}}),
            _statement(sid="AllowEc2RunInstancePerVPCid", action="ec2:RunInstances",
                       resource=[f"{arn}:network-interface/*", f"{arn}:subnet/*", f"{arn}:security-group/*"],
                       condition=in_vpc),
            _statement(sid="AllowEc2RunInstanceOtherResources", action="ec2:RunInstances",
                       not_resource=[f"{arn}:image/*", f"{arn}:network-interface/*", f"{arn}:subnet/*",
                                     f"{arn}:security-group/*", f"{arn}:volume/*", f"{arn}:instance/*"]),
            _statement(sid="EC2TerminateInstancesTag", action="ec2:TerminateInstances", resource=f"{arn}:instance/*",
                       condition={"StringEquals": vendor}),
            _statement(sid="EC2AttachDetachVolumeTag", action=["ec2:AttachVolume", "ec2:DetachVolume"],
                       resource=[f"{arn}:instance/*", f"{arn}:volume/*"], condition={"StringEquals": vendor}),
            _statement(sid="EC2CreateVolumeByTag", action="ec2:CreateVolume", resource=f"{arn}:volume/*",
                       condition={"StringEquals": {"aws:RequestTag/Vendor": "Databricks"}}),
            _statement(sid="EC2DeleteVolumeByTag", action="ec2:DeleteVolume", resource=[f"{arn}:volume/*"],
                       condition={"StringEquals": vendor}),
            _statement(sid="VpcNonresourceSpecificActions", action=["ec2:AuthorizeSecurityGroupEgress",
                       "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
                       "ec2:RevokeSecurityGroupIngress"], resource=f"{arn}:security-group/{group}", condition=in_vpc),
        ]
    return {**config, "aws_partition": partition, "policy_type": policy_type, "id": "_", "json": _policy(statements)}


def unity_catalog_policy(config: dict[str, Any], schema: Any = None) -> dict[str, Any]:
    """data_aws_unity_catalog_policy.go: the Unity Catalog role's access to its bucket (and KMS key), and
    the managed file events permissions."""
    partition, _ = _partition(config)
    bucket, account, role = config.get("bucket_name") or "", config.get("aws_account_id") or "", config.get("role_name") or ""
    statements = [
        _statement(action=["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation"],
                   resource=[f"arn:{partition}:s3:::{bucket}/*", f"arn:{partition}:s3:::{bucket}"]),
        _statement(action=["sts:AssumeRole"], resource=[f"arn:{partition}:iam::{account}:role/{role}"]),
    ]
    kms = config.get("kms_name")
    if kms:
        kms_arn = kms if kms.startswith(f"arn:{partition}") else f"arn:{partition}:kms:{kms}"
        statements.append(_statement(action=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"], resource=[kms_arn]))
    queues = [f"arn:{partition}:sqs:*:*:csms-*", f"arn:{partition}:sns:*:*:csms-*"]
    statements += [
        _statement(sid="ManagedFileEventsSetupStatement", action=[
            "s3:GetBucketNotification", "s3:PutBucketNotification", "sns:ListSubscriptionsByTopic",
            "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:CreateTopic", "sns:TagResource", "sns:Publish",
            "sns:Subscribe", "sqs:CreateQueue", "sqs:DeleteMessage", "sqs:ReceiveMessage", "sqs:SendMessage",
            "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes", "sqs:TagQueue",
            "sqs:ChangeMessageVisibility", "sqs:PurgeQueue"], resource=[f"arn:{partition}:s3:::{bucket}", *queues]),
        _statement(sid="ManagedFileEventsListStatement", action=["sqs:ListQueues", "sqs:ListQueueTags", "sns:ListTopics"],
                   resource=queues),
        _statement(sid="ManagedFileEventsTeardownStatement", action=["sns:Unsubscribe", "sns:DeleteTopic",
                   "sqs:DeleteQueue"], resource=queues),
    ]
    return {**config, "aws_partition": partition, "id": f"{bucket}-{account}-{role}", "json": _policy(statements)}


def unity_catalog_assume_role_policy(config: dict[str, Any], schema: Any = None) -> dict[str, Any]:
    """data_aws_unity_catalog_assume_role_policy.go: trust for the Unity Catalog master role and the role
    itself (self-assumption)."""
    partition, constants = _partition(config)
    ns = constants["awsNamespace"]
    master = config.get("unity_catalog_iam_arn") or constants["unityCatalogueIamArn"]
    account, role, external_id = config.get("aws_account_id") or "", config.get("role_name") or "", config.get("external_id") or ""
    statements = [
        _statement(sid="UnityCatalogAssumeRole", action="sts:AssumeRole", principal={"AWS": master},
                   condition={"StringEquals": {"sts:ExternalId": external_id}}),
        _statement(sid="ExplicitSelfRoleAssumption", action="sts:AssumeRole",
                   principal={"AWS": f"arn:{ns}:iam::{account}:root"},
                   condition={"ArnLike": {"aws:PrincipalArn": f"arn:{ns}:iam::{account}:role/{role}"},
                              "StringEquals": {"sts:ExternalId": external_id}}),
    ]
    return {**config, "aws_partition": partition, "unity_catalog_iam_arn": master,
            "id": f"{account}-{role}-{external_id}", "json": _policy(statements)}


READERS: dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]] = {
    "databricks_aws_assume_role_policy": assume_role_policy,
    "databricks_aws_bucket_policy": bucket_policy,
    "databricks_aws_crossaccount_policy": crossaccount_policy,
    "databricks_aws_unity_catalog_policy": unity_catalog_policy,
    "databricks_aws_unity_catalog_assume_role_policy": unity_catalog_assume_role_policy,
}

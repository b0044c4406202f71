"""Typed constructs for Databricks resources and data sources (pydantic models, validated at construction).

The classes below are hand-written: they keep the ergonomics a schema does not give (the cluster policy DSL,
SecretValue-only secrets, sorted tasks and grants, checks across fields). Every other Databricks type and data
source has a generated class (`iac.constructs.generated.databricks`, listed in `__all__` too and imported on
first use); the other providers' types live in their own namespaces (`from iac import aws`).
"""

from typing import Any

from iac.constructs._base import Block, Construct, Lifecycle, Ref, SecretValue
from iac.constructs.access import AccessControl, Group, GroupMember, Permissions, ServicePrincipal, User
from iac.constructs.catalog import (
    AwsIamRole,
    AzureManagedIdentity,
    Catalog,
    ExternalLocation,
    Grant,
    Grants,
    Schema,
    StorageCredential,
    Volume,
)
from iac.constructs.compute import (
    Allowlist,
    Autoscale,
    AwsAttributes,
    AzureAttributes,
    Blocklist,
    Cluster,
    ClusterPolicy,
    Fixed,
    Forbidden,
    InstancePool,
    Library,
    Range,
    Regex,
    SqlWarehouse,
    Unlimited,
)
from iac.constructs.datasource import DataSource
from iac.constructs.generated import databricks as _databricks
from iac.constructs.generic import Data, Resource
from iac.constructs.jobs import (
    EmailNotifications,
    Job,
    JobCluster,
    NewCluster,
    NotebookTask,
    PythonWheelTask,
    RunAs,
    Schedule,
    SparkPythonTask,
    Task,
)
from iac.constructs.secrets import Secret, SecretAcl, SecretScope
from iac.constructs.workspace import (
    AzureWorkspace,
    Metastore,
    MetastoreAssignment,
    MwsCredentials,
    MwsNetwork,
    MwsPermissionAssignment,
    MwsStorageConfiguration,
    MwsWorkspace,
    WorkspaceConf,
)

__all__ = [
    "AccessControl",
    "Allowlist",
    "Autoscale",
    "AwsAttributes",
    "AwsIamRole",
    "AzureAttributes",
    "AzureManagedIdentity",
    "AzureWorkspace",
    "Block",
    "Blocklist",
    "Catalog",
    "Cluster",
    "ClusterPolicy",
    "Construct",
    "Data",
    "DataSource",
    "EmailNotifications",
    "ExternalLocation",
    "Fixed",
    "Forbidden",
    "Grant",
    "Grants",
    "Group",
    "GroupMember",
    "InstancePool",
    "Job",
    "JobCluster",
    "Library",
    "Lifecycle",
    "Metastore",
    "MetastoreAssignment",
    "MwsCredentials",
    "MwsNetwork",
    "MwsPermissionAssignment",
    "MwsStorageConfiguration",
    "MwsWorkspace",
    "NewCluster",
    "NotebookTask",
    "Permissions",
    "PythonWheelTask",
    "Range",
    "Ref",
    "Regex",
    "Resource",
    "RunAs",
    "Schedule",
    "Schema",
    "Secret",
    "SecretAcl",
    "SecretScope",
    "SecretValue",
    "ServicePrincipal",
    "SparkPythonTask",
    "SqlWarehouse",
    "StorageCredential",
    "Task",
    "Unlimited",
    "User",
    "Volume",
    "WorkspaceConf",
]

_GENERATED = frozenset(_databricks.CLASSES.values())
"""The generated Databricks classes exported here (their blocks stay in their namespace)."""

__all__ = sorted([*__all__, *_GENERATED])  # the hand-written names listed above, then the generated ones


def __getattr__(name: str) -> Any:
    if name in _GENERATED:
        value = getattr(_databricks, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Identity and access: service principals, groups, memberships, users, object permissions."""

from __future__ import annotations

from typing import ClassVar

from pydantic import model_validator

from iac.constructs._base import Block, Construct, Level
from iac.constructs._types import Bool, Str

__all__ = ["AccessControl", "Group", "GroupMember", "Permissions", "ServicePrincipal", "User"]


class ServicePrincipal(Construct):
    """A service principal: the identity production jobs run as."""

    TF_TYPE: ClassVar[str] = "databricks_service_principal"
    display_name: Str
    application_id: Str | None = None
    active: Bool | None = None
    allow_cluster_create: Bool | None = None
    databricks_sql_access: Bool | None = None
    workspace_access: Bool | None = None


class Group(Construct):
    TF_TYPE: ClassVar[str] = "databricks_group"
    IDENTIFIER_FIELDS: ClassVar[tuple[str, ...]] = ("display_name",)
    display_name: Str
    allow_cluster_create: Bool | None = None
    databricks_sql_access: Bool | None = None
    workspace_access: Bool | None = None


class GroupMember(Construct):
    """One membership edge (group <- user, service principal or group)."""

    TF_TYPE: ClassVar[str] = "databricks_group_member"
    group_id: Str
    member_id: Str


class User(Construct):
    TF_TYPE: ClassVar[str] = "databricks_user"
    user_name: Str
    display_name: Str | None = None
    active: Bool | None = None


class AccessControl(Block):
    """One ACL entry: exactly one of group_name, user_name, service_principal_name."""

    permission_level: Str
    group_name: Str | None = None
    user_name: Str | None = None
    service_principal_name: Str | None = None

    @model_validator(mode="after")
    def _one_principal(self) -> AccessControl:
        given = [p for p in (self.group_name, self.user_name, self.service_principal_name) if p is not None]
        if len(given) != 1:
            raise ValueError("access_control needs exactly one of group_name, user_name, service_principal_name")
        return self


_OBJECT_SELECTORS = (
    "cluster_id", "cluster_policy_id", "instance_pool_id", "job_id", "pipeline_id", "sql_endpoint_id",
    "notebook_path", "directory_path", "repo_id", "registered_model_id", "serving_endpoint_id", "authorization",
)


class Permissions(Construct):
    """The WHOLE access control list of one object (exactly one selector, e.g. `cluster_id`)."""

    TF_TYPE: ClassVar[str] = "databricks_permissions"
    LEVEL: ClassVar[Level] = "workspace"
    cluster_id: Str | None = None
    cluster_policy_id: Str | None = None
    instance_pool_id: Str | None = None
    job_id: Str | None = None
    sql_endpoint_id: Str | None = None
    access_control: list[AccessControl]

    @model_validator(mode="after")
    def _one_object(self) -> Permissions:
        selected = [name for name in _OBJECT_SELECTORS
                    if getattr(self, name, None) is not None or name in (self.__pydantic_extra__ or {})]
        if len(selected) != 1:
            raise ValueError(f"set exactly one object selector ({', '.join(_OBJECT_SELECTORS[:6])}, ...); got {len(selected)}")
        if not self.access_control:
            raise ValueError("access_control needs at least one entry")
        return self

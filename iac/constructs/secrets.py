"""Secrets: scopes, secrets (values only ever as sensitive variables), and scope ACLs."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import field_validator

from iac.constructs._base import Block, Construct, SecretValue
from iac.constructs._types import Str

__all__ = ["Secret", "SecretAcl", "SecretScope", "SecretValue"]


class SecretScope(Construct):
    """A Databricks-backed (or Key Vault-backed) secret scope. Replacing it deletes its secrets."""

    TF_TYPE: ClassVar[str] = "databricks_secret_scope"
    IDENTIFIER_FIELDS: ClassVar[tuple[str, ...]] = ("name",)
    name: Str
    initial_manage_principal: Str | None = None
    keyvault_metadata: Block | None = None


class Secret(Construct):
    """One secret. `string_value` must be a SecretValue: the value is fed to Terraform from
    `TF_VAR_<variable>` at apply time and never appears in iac's files or output."""

    TF_TYPE: ClassVar[str] = "databricks_secret"
    scope: Str
    key: Str
    string_value: SecretValue

    @field_validator("string_value", mode="before")
    @classmethod
    def _never_literal(cls, value: Any) -> Any:
        if not isinstance(value, SecretValue):
            raise ValueError("a literal secret value is not allowed: use SecretValue('<variable>'), "
                             "fed from TF_VAR_<variable> when Terraform runs")
        return value


class SecretAcl(Construct):
    """READ / WRITE / MANAGE on a scope for a principal (group name, user or service principal)."""

    TF_TYPE: ClassVar[str] = "databricks_secret_acl"
    scope: Str
    principal: Str
    permission: Literal["READ", "WRITE", "MANAGE"]

"""Unity Catalog: catalogs, schemas, grants, storage credentials, external locations, volumes."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from iac.constructs._base import Block, Construct
from iac.constructs._types import Bool, Str, StrMap

__all__ = ["AwsIamRole", "AzureManagedIdentity", "Catalog", "ExternalLocation", "Grant", "Grants", "Schema",
           "StorageCredential", "Volume"]


class Catalog(Construct):
    TF_TYPE: ClassVar[str] = "databricks_catalog"
    IDENTIFIER_FIELDS: ClassVar[tuple[str, ...]] = ("name",)
    name: Str
    comment: Str | None = None
    storage_root: Str | None = None
    owner: Str | None = None
    isolation_mode: Literal["OPEN", "ISOLATED"] | None = None
    properties: StrMap | None = None
    force_destroy: Bool | None = None


class Schema(Construct):
    TF_TYPE: ClassVar[str] = "databricks_schema"
    catalog_name: Str
    name: Str
    comment: Str | None = None
    owner: Str | None = None
    properties: StrMap | None = None
    force_destroy: Bool | None = None


class Grant(Block):
    """Privileges of one principal. Privileges are written in the service's canonical spelling
    (upper case, underscores, sorted) so the provider's normalisation never shows a diff (#1658)."""

    principal: Str
    privileges: list[str]

    @field_validator("privileges")
    @classmethod
    def _canonical(cls, privileges: list[str]) -> list[str]:
        if not privileges:
            raise ValueError("privileges may not be empty (the API rejects an empty list)")
        return sorted({p.strip().upper().replace(" ", "_") for p in privileges})


_SECURABLES = ("catalog", "schema", "table", "volume", "external_location", "storage_credential", "metastore", "function", "model")


class Grants(Construct):
    """The COMPLETE privilege list on one securable: privileges not listed are revoked."""

    TF_TYPE: ClassVar[str] = "databricks_grants"
    catalog: Str | None = None
    schema_: Str | None = Field(default=None, alias="schema")
    volume: Str | None = None
    external_location: Str | None = None
    storage_credential: Str | None = None
    metastore: Str | None = None
    grants: list[Grant] = Field(serialization_alias="grant")

    @model_validator(mode="after")
    def _one_securable(self) -> Grants:
        chosen = [s for s in _SECURABLES
                  if getattr(self, "schema_" if s == "schema" else s, None) is not None or s in (self.__pydantic_extra__ or {})]
        if len(chosen) != 1:
            raise ValueError(f"set exactly one securable ({', '.join(_SECURABLES)}); got {len(chosen)}")
        return self

    def body(self) -> dict[str, Any]:
        body = super().body()
        body["grant"] = sorted(body.pop("grants"), key=lambda g: g["principal"])
        return body


class AwsIamRole(Block):
    role_arn: Str


class AzureManagedIdentity(Block):
    access_connector_id: Str


class StorageCredential(Construct):
    TF_TYPE: ClassVar[str] = "databricks_storage_credential"
    IDENTIFIER_FIELDS: ClassVar[tuple[str, ...]] = ("name",)
    name: Str
    aws_iam_role: AwsIamRole | None = None
    azure_managed_identity: AzureManagedIdentity | None = None
    comment: Str | None = None
    owner: Str | None = None
    read_only: Bool | None = None

    @model_validator(mode="after")
    def _one_identity(self) -> StorageCredential:
        if (self.aws_iam_role is None) == (self.azure_managed_identity is None) and not self.__pydantic_extra__:
            raise ValueError("set exactly one identity block (aws_iam_role or azure_managed_identity)")
        return self


class ExternalLocation(Construct):
    TF_TYPE: ClassVar[str] = "databricks_external_location"
    IDENTIFIER_FIELDS: ClassVar[tuple[str, ...]] = ("name",)
    name: Str
    url: Str
    credential_name: Str
    comment: Str | None = None
    owner: Str | None = None
    read_only: Bool | None = None


class Volume(Construct):
    TF_TYPE: ClassVar[str] = "databricks_volume"
    catalog_name: Str
    schema_name: Str
    name: Str
    volume_type: Literal["MANAGED", "EXTERNAL"]
    storage_location: Str | None = None
    comment: Str | None = None
    owner: Str | None = None

    @model_validator(mode="after")
    def _location(self) -> Volume:
        if (self.volume_type == "EXTERNAL") != (self.storage_location is not None):
            raise ValueError("storage_location is required for EXTERNAL volumes and not allowed for MANAGED ones")
        return self

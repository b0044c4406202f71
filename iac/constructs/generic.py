"""`Resource`: any Terraform resource not modelled (cloud resources, `terraform_data`...)."""

from __future__ import annotations

from typing import Any

from iac.constructs._base import Construct, Level

__all__ = ["Resource"]


class Resource(Construct):
    """`Resource("aws_s3_bucket", "root", bucket="...")`. Attributes are checked against the provider
    schema when iac has it (Databricks, azurerm workspace, terraform_data); others pass through."""

    def __init__(self, resource_type: str, local_name: str, /, **attributes: Any) -> None:
        self._construct(local_name, resource_type, attributes)

    @property
    def level(self) -> Level:
        rtype = self.resource_type
        if rtype.startswith(("databricks_mws_", "databricks_metastore")):
            return "account"
        if rtype.startswith("databricks_"):
            return "workspace"
        return "any"

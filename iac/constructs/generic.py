"""`Resource` and `Data`: any Terraform resource type or data source, by its type name."""

from __future__ import annotations

from typing import Any

from iac.constructs._base import Construct, Level
from iac.constructs._levels import level_of
from iac.constructs.datasource import DataSource

__all__ = ["Data", "Resource"]


class Resource(Construct):
    """`Resource("aws_s3_bucket", "root", bucket="...")`. Attributes are checked against the provider
    schema when iac has it (every type of iac/data, and terraform_data); others pass through."""

    def __init__(self, resource_type: str, local_name: str, /, **attributes: Any) -> None:
        self._construct(local_name, resource_type, attributes)

    @property
    def level(self) -> Level:
        return level_of(self.resource_type)


class Data(DataSource):
    """`Data("databricks_current_user", "me")`: a data source by its type name, checked against its
    schema when iac has it. Add it with `stack.data(...)`."""

    def __init__(self, data_type: str, local_name: str, /, **attributes: Any) -> None:
        self._construct(local_name, data_type, attributes)

    @property
    def level(self) -> Level:
        return level_of(self.resource_type, "data")

"""`DataSource`: a Terraform data source, read (or computed locally) by its provider, never created.

A data source is a construct like a resource (typed arguments checked against its schema at construction,
its file:line kept), added with `stack.data(...)` and synthesized into the `data` section. Its address is
`data.TYPE.NAME`, so reading an attribute it computes (`policy.json`) yields the reference
`${data.TYPE.NAME.json}`; Terraform reads it during plan when its arguments are known.
"""

from __future__ import annotations

from typing import ClassVar

from iac.constructs._base import Construct
from iac.diagnostics import ConfigError
from iac.schema import ResourceSchema, load_schemas

__all__ = ["DataSource"]


class DataSource(Construct):
    """One data source. Subclasses set `TF_TYPE` (the data source's type name) and declare typed fields."""

    ADDRESS_PREFIX: ClassVar[str] = "data."

    @property
    def address(self) -> str:
        private = self.__pydantic_private__
        return f"data.{private['_type']}.{private['_local_name']}"  # type: ignore[index]

    @property
    def provider_schema(self) -> ResourceSchema | None:
        return load_schemas().data(self.resource_type)

    def check(self) -> None:
        if self.lifecycle is not None:  # a data block's lifecycle holds only conditions, which iac does not model
            raise ConfigError(self.diagnostic("a data source has no create/destroy lifecycle", attribute="lifecycle"))
        super().check()

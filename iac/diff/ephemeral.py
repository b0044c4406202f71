"""`ephemeral` resources (Terraform 1.10+): opened by their provider while planning and applying, never in a
plan or a state. iac cannot open one (no provider), so what refers to it sees the configured arguments and
every other attribute unknown: a value that can only flow where ephemeral values may (locals, conditions,
ephemeral outputs, `ephemeralasnull`), so the plan is Terraform's; a condition on an attribute only the
provider knows is unknown, and skipped, where Terraform would evaluate it.

Until its configuration is wholly known Terraform does not open it either: its computed attributes are
unknown and, unlike an opened one's, not marked sensitive (checked with the aws provider).

A type is checked against its provider's schema of ephemeral resources where iac knows the whole list: the
aws provider's (iac/data/aws-ephemeral-schemas.json) and the databricks provider's (it has none).
"""

from __future__ import annotations

from typing import Any

from iac.config.model import ResourceConfig
from iac.config.schemacheck import check_block
from iac.diagnostics import ConfigError, Diagnostic
from iac.diff.datasources import unknown_computed
from iac.diff.scope import block_type
from iac.lang import cty
from iac.lang.plain import from_plain
from iac.schema import ResourceSchema, SchemaSet, provider_source
from iac.values import contains_unknown, mark

__all__ = ["check_ephemeral_block", "ephemeral_value"]

KNOWN_IN_FULL = frozenset(("registry.terraform.io/hashicorp/aws", "registry.terraform.io/databricks/databricks"))
"""Providers whose every ephemeral resource type iac knows (a type outside the list is Terraform's error)."""


def ephemeral_value(config: dict[str, Any], schema: ResourceSchema | None) -> cty.Value:
    """One instance's value as references see it (configured arguments evaluated), marked ephemeral."""
    if schema is None:
        return cty.unknown(cty.DYNAMIC).mark({cty.EPHEMERAL})
    plain = unknown_computed(schema.block, config)
    if not contains_unknown(config):  # the object the provider returns: its sensitive attributes marked
        plain = mark(plain, [(name,) for name, attribute in schema.block.attributes.items() if attribute.sensitive])
    return from_plain(plain, block_type(schema.block)).mark({cty.EPHEMERAL})


def check_ephemeral_block(res: ResourceConfig, schemas: SchemaSet) -> None:
    """The block against its type's schema, as Terraform decodes it before planning."""
    schema = schemas.of("ephemeral", res.type)
    if schema is not None:
        check_block(res, schema)
        return
    source = provider_source(res.type)
    if source in KNOWN_IN_FULL:
        raise ConfigError(Diagnostic(f"Invalid ephemeral resource: The provider {source.removeprefix('registry.terraform.io/')} "
                                     f'does not support ephemeral resource "{res.type}".',
                                     source=res.source or res.file, address=res.address))

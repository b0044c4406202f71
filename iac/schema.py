"""Provider schemas as data: what every resource type accepts, computes, defaults and replaces on.

The data is `iac/data/databricks-provider-schema.json`, a copy of the reference extract of
`terraform providers schema -json` for databricks/databricks 1.110.0 (plus hashicorp/azurerm's
`azurerm_databricks_workspace`), with the non-standard keys `force_new`, `force_new_conditional`,
`computed` on blocks, `default` and `diff_suppress` (see that file's `_notes`). Terraform's
built-in `terraform_data` is described here in code, from Terraform's own documentation.

Everything here is read-only and loaded once per process.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

__all__ = [
    "DATABRICKS_PROVIDER_SOURCE",
    "DATABRICKS_PROVIDER_VERSION",
    "MISSING",
    "Attribute",
    "Block",
    "BlockType",
    "ResourceSchema",
    "SchemaSet",
    "load_schemas",
    "provider_local_name",
    "provider_source",
]

# The provider version the schema data reflects: synth pins exactly this.
DATABRICKS_PROVIDER_SOURCE = "databricks/databricks"
DATABRICKS_PROVIDER_VERSION = "1.110.0"

_PROVIDER_SOURCES = {
    "databricks": "registry.terraform.io/databricks/databricks",
    "azurerm": "registry.terraform.io/hashicorp/azurerm",
    "terraform": "terraform.io/builtin/terraform",
}


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""Marks an attribute with no schema default (None would be ambiguous: null is a value)."""


def provider_local_name(resource_type: str) -> str:
    """`databricks_cluster` -> `databricks`; `terraform_data` -> `terraform` (Terraform's own rule)."""
    return resource_type.split("_", 1)[0]


def provider_source(resource_type: str) -> str:
    """Fully qualified provider source address for a resource type, as state and plan JSON write it."""
    local = provider_local_name(resource_type)
    return _PROVIDER_SOURCES.get(local, f"registry.terraform.io/hashicorp/{local}")


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute of a block.

    `type` is Terraform's type JSON (`"string"`, `["map", "string"]`, `["list", ["object", {...}]]`,
    `"dynamic"`). `default` is `MISSING` when the provider plans no default. `force_new` means any
    planned change, null <-> value included, replaces the resource. `force_new_conditional` is the
    provider's description of a plan-time rule (not applied automatically). `diff_suppress` names a
    provider-side comparison rule; the diff engine's rule table decides what it means.
    """

    name: str
    type: Any
    required: bool = False
    optional: bool = False
    computed: bool = False
    sensitive: bool = False
    force_new: bool = False
    force_new_conditional: str | None = None
    default: Any = MISSING
    diff_suppress: str | None = None
    deprecated: bool = False

    @property
    def optional_computed(self) -> bool:
        """Optional and computed: an omitted value keeps whatever the server (state) holds."""
        return self.optional and self.computed

    @property
    def computed_only(self) -> bool:
        return self.computed and not self.optional and not self.required


@dataclass(frozen=True, slots=True)
class BlockType:
    """A nested block. `nesting` is `list`, `set` or `single`; single-object blocks of SDKv2
    providers are `list` with `max_items == 1`. `computed` (non-standard) marks a block the server
    fills when the config omits it, so its absence is not a removal."""

    name: str
    nesting: str
    block: Block
    min_items: int = 0
    max_items: int | None = None
    force_new: bool = False
    computed: bool = False
    diff_suppress: str | None = None

    @property
    def single(self) -> bool:
        return self.nesting == "single" or self.max_items == 1


@dataclass(frozen=True, slots=True)
class Block:
    attributes: Mapping[str, Attribute] = field(default_factory=dict)
    block_types: Mapping[str, BlockType] = field(default_factory=dict)

    def names(self) -> list[str]:
        return sorted([*self.attributes, *self.block_types])

    def walk(self, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Attribute | BlockType]]:
        """Every attribute and block below this one, with its path of names (no indexes)."""
        for name, attribute in self.attributes.items():
            yield (*prefix, name), attribute
        for name, block_type in self.block_types.items():
            yield (*prefix, name), block_type
            yield from block_type.block.walk((*prefix, name))


@dataclass(frozen=True, slots=True)
class ResourceSchema:
    type: str
    provider_source: str
    version: int
    block: Block

    def attribute(self, path: tuple[str, ...] | list[str]) -> Attribute | BlockType | None:
        """The attribute or block at a path of names (list indexes left out), or None."""
        block: Block | None = self.block
        found: Attribute | BlockType | None = None
        for step in path:
            if block is None:
                return None
            if step in block.attributes:
                found, block = block.attributes[step], None
            elif step in block.block_types:
                found = block.block_types[step]
                block = found.block
            else:
                return None
        return found


class SchemaSet:
    """Every resource schema iac knows, by resource type."""

    def __init__(self, schemas: Mapping[str, ResourceSchema]) -> None:
        self._schemas = dict(schemas)

    def get(self, resource_type: str) -> ResourceSchema | None:
        return self._schemas.get(resource_type)

    def __contains__(self, resource_type: object) -> bool:
        return resource_type in self._schemas

    def types(self) -> list[str]:
        return sorted(self._schemas)


def _attribute(name: str, raw: Mapping[str, Any]) -> Attribute:
    return Attribute(
        name=name,
        type=raw["type"],
        required=bool(raw.get("required")),
        optional=bool(raw.get("optional")),
        computed=bool(raw.get("computed")),
        sensitive=bool(raw.get("sensitive")),
        force_new=bool(raw.get("force_new")),
        force_new_conditional=raw.get("force_new_conditional"),
        default=raw.get("default", MISSING),
        diff_suppress=raw.get("diff_suppress"),
        deprecated=bool(raw.get("deprecated")),
    )


def _block(raw: Mapping[str, Any]) -> Block:
    attributes = {n: _attribute(n, a) for n, a in sorted(raw.get("attributes", {}).items())}
    block_types = {
        n: BlockType(
            name=n,
            nesting=b["nesting_mode"],
            block=_block(b["block"]),
            min_items=int(b.get("min_items", 0)),
            max_items=b.get("max_items"),
            force_new=bool(b.get("force_new")),
            computed=bool(b.get("computed")),
            diff_suppress=b.get("diff_suppress"),
        )
        for n, b in sorted(raw.get("block_types", {}).items())
    }
    return Block(attributes=attributes, block_types=block_types)


# terraform_data (built into Terraform, provider terraform.io/builtin/terraform). `triggers_replace`
# replaces on any change, null <-> value included; `input` updates in place and makes `output` unknown.
_TERRAFORM_DATA = Block(
    attributes={
        "id": Attribute("id", "string", computed=True),
        "input": Attribute("input", "dynamic", optional=True),
        "output": Attribute("output", "dynamic", computed=True),
        "triggers_replace": Attribute("triggers_replace", "dynamic", optional=True, force_new=True),
    }
)


def schema_data_path() -> Any:
    return resources.files("iac") / "data" / "databricks-provider-schema.json"


@functools.cache
def load_schemas() -> SchemaSet:
    """Load the packaged provider schemas (once per process)."""
    raw = json.loads(schema_data_path().read_text(encoding="utf-8"))
    schemas: dict[str, ResourceSchema] = {}
    for source, provider in raw["provider_schemas"].items():
        for resource_type, resource in provider["resource_schemas"].items():
            schemas[resource_type] = ResourceSchema(
                type=resource_type,
                provider_source=source,
                version=int(resource.get("version", 0)),
                block=_block(resource["block"]),
            )
    schemas["terraform_data"] = ResourceSchema(
        type="terraform_data", provider_source=_PROVIDER_SOURCES["terraform"], version=0, block=_TERRAFORM_DATA
    )
    return SchemaSet(schemas)

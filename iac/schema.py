"""Provider schemas as data: what every resource type and data source accepts, computes, defaults and
replaces on.

Three files of `iac/data` (origins in `iac/data/SOURCES.md`, details in each file's `_notes`):
* `databricks-provider-schema.json`: `terraform providers schema -json` of databricks/databricks 1.110.0,
  all 143 resource types and 125 data sources, with the non-standard keys `force_new`,
  `force_new_conditional`, `computed` on blocks, `default` and `diff_suppress`;
* `cloud-provider-schemas.json`: hashicorp/aws (exact), azurerm, google, random, time and null (structure
  approximate: `approximate: true` on each such schema) for the types used around a workspace;
* `azurerm-databricks-workspace.json`: a hand-transcribed `azurerm_databricks_workspace` that takes the
  place of the approximate entry of the cloud file (it knows defaults, optional+computed and sets).
Terraform's built-in `terraform_data` is described here in code, from Terraform's own documentation.

Plugin-framework resources describe nested objects as attributes with a `nested_type`; here such an
attribute keeps its derived type (`type`) and its nested attributes as a `Block` (`nested`, `nesting`).

Everything is read-only and loaded once per process; a schema is built from the raw JSON the first time
its type is asked for (a plan of `terraform_data` alone builds none).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

import msgspec

__all__ = [
    "DATABRICKS_PROVIDER_SOURCE",
    "DATABRICKS_PROVIDER_VERSION",
    "MISSING",
    "Attribute",
    "Block",
    "BlockType",
    "ProviderInfo",
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
    "terraform": "terraform.io/builtin/terraform",
}

SCHEMA_FILES = ("databricks-provider-schema.json", "cloud-provider-schemas.json", "azurerm-databricks-workspace.json",
                "aws-ephemeral-schemas.json")
"""Loaded in this order; a later file's entry for a type replaces an earlier one (the hand-transcribed
azurerm workspace replaces the cloud file's approximate one)."""

OVERLAY_FILES = ("aws-plan-behaviour.json",)
"""What a provider plans that `terraform providers schema -json` does not say (defaults, Optional+Computed
blocks, normalising StateFuncs), per type and dotted schema path, in the non-standard keys of the
databricks file (`default`, `computed` on blocks, `diff_suppress`) plus `state_func`; merged into the
schemas when they are compiled. Provenance in each file's `_notes`."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""Marks an attribute with no schema default (None would be ambiguous: null is a value)."""


def provider_local_name(resource_type: str) -> str:
    """`databricks_cluster` -> `databricks`; `terraform_data` -> `terraform` (Terraform's own rule)."""
    return resource_type.split("_", 1)[0]


def provider_source(resource_type: str) -> str:
    """Fully qualified provider source address for a resource type, as state and plan JSON write it
    (a local name iac does not know is taken as hashicorp/NAME, as Terraform does without
    required_providers)."""
    local = provider_local_name(resource_type)
    return _PROVIDER_SOURCES.get(local, f"registry.terraform.io/hashicorp/{local}")


class Attribute(msgspec.Struct, frozen=True):
    """One attribute of a block.

    `type` is Terraform's type JSON (`"string"`, `["map", "string"]`, `["list", ["object", {...}]]`,
    `"dynamic"`). `default` is `MISSING` when the provider plans no default. `force_new` means any
    planned change, null <-> value included, replaces the resource. `force_new_conditional` is the
    provider's description of a plan-time rule (not applied automatically). `diff_suppress` names a
    provider-side comparison rule; the diff engine's rule table decides what it means.
    `nested`/`nesting`: a plugin-framework nested attribute (`nested_type`): its attributes, and how
    they are repeated (`single`, `list`, `set`, `map`); `type` is then the type derived from them.
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
    nested: Block | None = None
    nesting: str | None = None
    state_func: str | None = None
    """The provider's StateFunc (a normaliser the planned value goes through), by name (iac.diff.rules)."""

    @property
    def optional_computed(self) -> bool:
        """Optional and computed: an omitted value keeps whatever the server (state) holds."""
        return self.optional and self.computed

    @property
    def computed_only(self) -> bool:
        return self.computed and not self.optional and not self.required


class BlockType(msgspec.Struct, frozen=True):
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
    force_new_conditional: str | None = None

    @property
    def single(self) -> bool:
        return self.nesting == "single" or self.max_items == 1


class Block(msgspec.Struct, frozen=True):
    attributes: Mapping[str, Attribute] = msgspec.field(default_factory=dict)
    block_types: Mapping[str, BlockType] = msgspec.field(default_factory=dict)

    def names(self) -> list[str]:
        return sorted([*self.attributes, *self.block_types])

    def walk(self, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Attribute | BlockType]]:
        """Every attribute and block below this one (nested attributes included), with its path of
        names (no indexes)."""
        for name, attribute in self.attributes.items():
            yield (*prefix, name), attribute
            if attribute.nested is not None:
                yield from attribute.nested.walk((*prefix, name))
        for name, block_type in self.block_types.items():
            yield (*prefix, name), block_type
            yield from block_type.block.walk((*prefix, name))


class ResourceSchema(msgspec.Struct, frozen=True):
    """One resource type (`mode` "managed") or data source (`mode` "data"). `approximate`: the structure
    is not an exact `terraform providers schema -json` document (see cloud-provider-schemas.json
    _notes: sets may appear as lists, optional+computed as optional, `id` as optional)."""

    type: str
    provider_source: str
    version: int
    block: Block
    mode: str = "managed"
    approximate: bool = False

    def attribute(self, path: tuple[str, ...] | list[str]) -> Attribute | BlockType | None:
        """The attribute or block at a path of names (list indexes left out), or None."""
        block: Block | None = self.block
        found: Attribute | BlockType | None = None
        for step in path:
            if block is None:
                return None
            if step in block.attributes:
                found = block.attributes[step]
                block = found.nested
            elif step in block.block_types:
                found = block.block_types[step]
                block = found.block
            else:
                return None
        return found


class ProviderInfo(msgspec.Struct, frozen=True):
    """A provider of the schema data: its source address, version, and whether its structure is exact."""

    source: str
    version: str
    exact: bool


class SchemaSet:
    """Every schema iac knows: resource types (`get`, `types`) and data sources (`data`, `data_types`).

    Built from raw schema JSON (`{type: raw}` per mode); each schema is compiled on first use."""

    def __init__(self, schemas: Mapping[str, ResourceSchema] | None = None, *,
                 raw: Mapping[tuple[str, str], tuple[str, Any]] | None = None,
                 providers: Mapping[str, ProviderInfo] | None = None,
                 overlays: Mapping[str, Mapping[str, Any]] | None = None,
                 data: Mapping[str, ResourceSchema] | None = None) -> None:
        self._built: dict[tuple[str, str], ResourceSchema | None] = {
            **{("managed", t): s for t, s in (schemas or {}).items()},
            **{("data", t): s for t, s in (data or {}).items()}}
        self._raw = dict(raw or {})
        self.providers: Mapping[str, ProviderInfo] = dict(providers or {})
        self._overlays = dict(overlays or {})
        self._names = {mode: sorted({t for m, t in [*self._built, *self._raw] if m == mode})
                       for mode in ("managed", "data")}

    def _schema(self, mode: str, name: str) -> ResourceSchema | None:
        key = (mode, name)
        try:
            return self._built[key]
        except KeyError:
            pass
        found = self._raw.get(key)
        overlay = self._overlays.get(name) if mode == "managed" else None
        schema = None if found is None else _compile(name, mode, found[0], found[1], overlay)
        self._built[key] = schema
        return schema

    def get(self, resource_type: str) -> ResourceSchema | None:
        """The schema of a managed resource type, or None."""
        return self._schema("managed", resource_type)

    def data(self, data_type: str) -> ResourceSchema | None:
        """The schema of a data source, or None."""
        return self._schema("data", data_type)

    def of(self, mode: str, type_name: str) -> ResourceSchema | None:
        """`get` for mode "managed", `data` for mode "data", the ephemeral resource type for "ephemeral"."""
        return self._schema(mode if mode in ("data", "ephemeral") else "managed", type_name)

    def __contains__(self, resource_type: object) -> bool:
        return isinstance(resource_type, str) and resource_type in self._names["managed"] and (
            self.get(resource_type) is not None)

    def types(self) -> list[str]:
        """Every managed resource type, sorted."""
        return list(self._names["managed"])

    def data_types(self) -> list[str]:
        """Every data source, sorted."""
        return list(self._names["data"])

    def has_provider(self, source: str) -> bool:
        """True when the data holds schemas of this provider (whether or not it has the type asked for)."""
        return source in self.providers


def _attribute(name: str, raw: Mapping[str, Any]) -> Attribute:
    nested = nesting = None
    type_ = raw.get("type")
    if "nested_type" in raw:
        spec = raw["nested_type"]
        nested, nesting = _block(spec), spec.get("nesting_mode", "single")
        type_ = _nested_type_json(nested, nesting)
    return Attribute(
        name=name,
        type=type_,
        required=bool(raw.get("required")),
        optional=bool(raw.get("optional")),
        computed=bool(raw.get("computed")),
        sensitive=bool(raw.get("sensitive")),
        force_new=bool(raw.get("force_new")),
        force_new_conditional=raw.get("force_new_conditional"),
        default=raw.get("default", MISSING),
        diff_suppress=raw.get("diff_suppress"),
        deprecated=bool(raw.get("deprecated")),
        nested=nested,
        nesting=nesting,
        state_func=raw.get("state_func"),
    )


def _nested_type_json(block: Block, nesting: str) -> Any:
    """The type of a nested attribute: an object of its attributes, repeated by its nesting mode."""
    obj = ["object", {name: a.type for name, a in block.attributes.items()}]
    return obj if nesting == "single" else [nesting, obj]


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
            force_new_conditional=b.get("force_new_conditional"),
        )
        for n, b in sorted(raw.get("block_types", {}).items())
    }
    return Block(attributes=attributes, block_types=block_types)


def _compile(name: str, mode: str, source: str, raw: Any, overlay: Mapping[str, Any] | None = None) -> ResourceSchema:
    if isinstance(raw, msgspec.Raw):
        raw = msgspec.json.decode(raw)
    approximate = bool(raw.get("approximate"))
    block = _block(raw["block"])
    if overlay:
        for path, keys in overlay.items():
            block = _overlaid(block, path.split("."), keys)
    if approximate and "id" in block.attributes and not block.attributes["id"].computed:
        # jsii-derived structure writes SDKv2's `id` as optional only (cloud schema _notes.known_limits); the
        # provider computes it (Optional+Computed), which is what references to it need.
        attributes = dict(block.attributes)
        attributes["id"] = msgspec.structs.replace(attributes["id"], computed=True)
        block = Block(attributes=attributes, block_types=block.block_types)
    return ResourceSchema(type=name, provider_source=source, version=int(raw.get("version", 0)),
                          block=block, mode=mode, approximate=approximate)


_OVERLAY_KEYS = {"default", "computed", "diff_suppress", "state_func"}


def _overlaid(block: Block, path: list[str], keys: Mapping[str, Any]) -> Block:
    """`block` with the overlay keys set on the attribute or block at `path` (a dotted schema path)."""
    name, rest = path[0], path[1:]
    unknown = set(keys) - _OVERLAY_KEYS
    if unknown:
        raise ValueError(f"overlay keys {sorted(unknown)} at {name} are not supported")
    if name in block.attributes and not rest:
        attribute = msgspec.structs.replace(block.attributes[name], **keys)
        return Block({**block.attributes, name: attribute}, block.block_types)
    if name in block.block_types:
        nested = block.block_types[name]
        nested = (msgspec.structs.replace(nested, block=_overlaid(nested.block, rest, keys)) if rest
                  else msgspec.structs.replace(nested, **keys))
        return Block(block.attributes, {**block.block_types, name: nested})
    raise ValueError(f"overlay path {'.'.join(path)} is not in the schema")


BUILTIN_TYPES = frozenset(("terraform_data", "terraform_remote_state"))
"""Terraform's own resource type and data source (provider terraform.io/builtin/terraform): no provider
serves them, and no construct is generated for them."""

# terraform_remote_state (built into Terraform): `terraform providers schema -json` of Terraform 1.15.5.
_TERRAFORM_REMOTE_STATE = Block(
    attributes={
        "backend": Attribute("backend", "string", required=True),
        "config": Attribute("config", "dynamic", optional=True),
        "defaults": Attribute("defaults", "dynamic", optional=True),
        "outputs": Attribute("outputs", "dynamic", computed=True),
        "workspace": Attribute("workspace", "string", optional=True),
    }
)

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


def schema_data_path(name: str = SCHEMA_FILES[0]) -> Any:
    """A schema file of the package (the databricks provider's by default)."""
    return resources.files("iac") / "data" / name


class _ProviderDocument(msgspec.Struct):
    resource_schemas: dict[str, msgspec.Raw] = {}
    data_source_schemas: dict[str, msgspec.Raw] = {}
    ephemeral_resource_schemas: dict[str, msgspec.Raw] = {}


class _SchemaDocument(msgspec.Struct):
    """A schema file with every type's schema left as raw JSON (decoded when the type is first used)."""

    provider_schemas: dict[str, _ProviderDocument]
    notes: dict[str, Any] = msgspec.field(default_factory=dict, name="_notes")


_DOCUMENT = msgspec.json.Decoder(_SchemaDocument)


@functools.cache
def load_schemas() -> SchemaSet:
    """The packaged provider schemas (read once per process; each type compiled on first use)."""
    raw: dict[tuple[str, str], tuple[str, Any]] = {}
    providers: dict[str, ProviderInfo] = {}
    for file in SCHEMA_FILES:
        document = _DOCUMENT.decode(schema_data_path(file).read_bytes())
        for source, provider in document.provider_schemas.items():
            if source not in providers:
                providers[source] = _provider_info(source, document.notes)
            for mode, schemas in (("managed", provider.resource_schemas), ("data", provider.data_source_schemas),
                                  ("ephemeral", provider.ephemeral_resource_schemas)):
                for type_name, schema in schemas.items():
                    raw[(mode, type_name)] = (source, schema)
    overlays: dict[str, dict[str, Any]] = {}
    for file in OVERLAY_FILES:
        overlays.update(msgspec.json.decode(schema_data_path(file).read_bytes())["resource_schemas"])
    builtin = ResourceSchema(type="terraform_data", provider_source=_PROVIDER_SOURCES["terraform"], version=0,
                             block=_TERRAFORM_DATA)
    providers[_PROVIDER_SOURCES["terraform"]] = ProviderInfo(_PROVIDER_SOURCES["terraform"], "builtin", True)
    remote_state = ResourceSchema(type="terraform_remote_state", provider_source=_PROVIDER_SOURCES["terraform"],
                                  version=0, block=_TERRAFORM_REMOTE_STATE)
    return SchemaSet({"terraform_data": builtin}, raw=raw, providers=providers, overlays=overlays,
                     data={"terraform_remote_state": remote_state})


def _provider_info(source: str, notes: Mapping[str, Any]) -> ProviderInfo:
    if source == _PROVIDER_SOURCES["databricks"]:
        return ProviderInfo(source, DATABRICKS_PROVIDER_VERSION, True)
    local = source.rsplit("/", 1)[-1]
    info = notes.get(local) if isinstance(notes.get(local), dict) else {}
    origin = str((info or {}).get("origin", ""))
    return ProviderInfo(source, str((info or {}).get("version", "")), origin.startswith("EXACT"))

"""A loaded Terraform JSON module: the blocks iac plans, with their source files. No evaluation here.

Expressions are kept as raw JSON values (strings are templates); `iac.config.evaluate` evaluates them
and the diff engine decides when. Every block remembers the file it came from so any error can name
it; resources also keep the `"//": "source: FILE:LINE"` comment synth writes (for `iac.sources`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from iac.config.expressions import Ref
from iac.state.address import PartialAddress

__all__ = [
    "NOT_SET",
    "CheckBlock",
    "Import",
    "Lifecycle",
    "Module",
    "ModuleCall",
    "Moved",
    "OutputConfig",
    "Removed",
    "ResourceConfig",
    "VariableConfig",
]


class _NotSet:
    def __repr__(self) -> str:
        return "NOT_SET"

    def __bool__(self) -> bool:
        return False


NOT_SET: Any = _NotSet()
"""A meta-argument (count, for_each, default) that was not written at all (null is a value)."""


class Lifecycle(msgspec.Struct, frozen=True):
    """The `lifecycle` block of a resource.

    `ignore_changes` holds attribute paths (tuples of names and indexes); `ignore_all` is
    `ignore_changes = all`. `replace_triggered_by` holds parsed references to resources/attributes (an index step
    may be the instance's own key: `iac.config.triggers.RepetitionKey`).
    `conditions` holds `("precondition" | "postcondition", condition, error_message)` expressions.
    """

    create_before_destroy: bool = False
    prevent_destroy: bool = False
    ignore_changes: tuple[tuple[str | int, ...], ...] = ()
    ignore_all: bool = False
    replace_triggered_by: tuple[Ref, ...] = ()
    conditions: tuple[tuple[str, Any, Any], ...] = ()


DEFAULT_LIFECYCLE = Lifecycle()
"""Shared by every resource without a lifecycle block (one object, not 100,000)."""


class ResourceConfig(msgspec.Struct, gc=False, kw_only=True):
    """A `resource` or `data` block. `body` holds attributes and nested blocks only (meta-arguments
    and the top-level `"//"` comment removed); `count`/`for_each` are `NOT_SET` when absent.
    A msgspec Struct (built in C): one is made per block, 100,000 for a large estate; no `__post_init__`
    (a Python call per block: 6 ms at 100,000), so the address is an argument."""

    mode: str
    type: str
    name: str
    body: dict[str, Any]
    file: str
    count: Any = NOT_SET
    for_each: Any = NOT_SET
    depends_on: tuple[str, ...] = ()
    provider: str | None = None
    lifecycle: Lifecycle = DEFAULT_LIFECYCLE
    source: str | None = None
    """`FILE:LINE` from the body's `"//": "source: FILE:LINE"` comment, when synth wrote one."""
    templates: Mapping[str, tuple[Ref, ...]] = msgspec.field(default_factory=dict)
    """The references of every body attribute that holds a `${...}` template (compiled at load time);
    attributes not listed are constants and are never evaluated."""
    address: str
    """Module-relative resource address: `T.N`, `data.T.N` or `ephemeral.T.N`."""
    exact_numbers: bool = True
    """Every number in `body` is exact (int or Decimal, as the JSON decoder gives them): False only for a
    block of a Python document that holds a float (`load_document`)."""
    check: str | None = None
    """The `check` block a scoped data source is declared in (only its assertions may refer to it)."""


class VariableConfig(msgspec.Struct, frozen=True):
    """A `variable` block. `type` is type JSON (`None` = any); `default` is `NOT_SET` when required."""

    name: str
    file: str
    type: Any = None
    default: Any = NOT_SET
    sensitive: bool = False
    nullable: bool = True
    ephemeral: bool = False
    deprecated: str | None = None
    """Terraform 1.15's `deprecated` message: a value given to the variable warns with it."""
    description: str | None = None
    defaults: Any = None
    """Defaults of `optional(T, default)` attributes in `type` (`iac.lang.typeexpr.Defaults`)."""
    validations: tuple[tuple[Any, Any], ...] = ()
    """`(condition, error_message)` expressions of the variable's validation blocks."""
    const: bool = False
    """Terraform 1.15's `const = true`: its value is known at init, so a module `source` may use it."""
    site: str | None = None
    """`FILE:LINE` of the block, recorded for const variables only (their errors name the block's line)."""


class OutputConfig(msgspec.Struct, frozen=True):
    """An `output` block; `value` is the raw expression."""

    name: str
    value: Any
    file: str
    sensitive: bool = False
    ephemeral: bool = False
    depends_on: tuple[str, ...] = ()
    description: str | None = None
    conditions: tuple[tuple[str, Any, Any], ...] = ()
    """`("precondition", condition, error_message)` of the output's precondition blocks."""
    type: Any = None
    """Type JSON of the output's `type` constraint (Terraform 1.15; `None` = any): the value is converted to it."""
    defaults: Any = None
    """Defaults of `optional(T, default)` attributes in `type` (`iac.lang.typeexpr.Defaults`)."""
    deprecated: str | None = None
    """Terraform 1.15's `deprecated` message: a reference to the output warns with it (refused in a root module)."""


class ModuleCall(msgspec.Struct, frozen=True):
    """A `module` block with a local source, and the child module it loads."""

    name: str
    source: str
    """The source as `terraform init` installed it: one written with const variables (Terraform 1.15) is
    evaluated (`./mods/${var.folder}` -> `./mods/x`), as Terraform's modules.json and plan JSON record it."""
    inputs: dict[str, Any]
    file: str
    module: Module
    count: Any = NOT_SET
    for_each: Any = NOT_SET
    depends_on: tuple[str, ...] = ()
    site: str | None = None
    """`FILE:LINE` of the block, when known (a `.tf` file), for the errors judged once the child is read."""
    providers: Mapping[str, str] = msgspec.field(default_factory=dict)
    """The call's `providers` map: a configuration address in the child (`aws`, `aws.x`) -> the caller's
    configuration it receives (`aws.west`), both `NAME` or `NAME.ALIAS`. Empty without a map: the child then
    inherits the caller's default configurations (iac.config.providermap.configuration_of)."""


class Moved(msgspec.Struct, frozen=True):
    """A `moved` block (module-relative addresses)."""

    from_: PartialAddress
    to: PartialAddress
    file: str


class Import(msgspec.Struct, frozen=True):
    """An `import` block; `id` is the raw expression of the import id. With `for_each`, `to` is the
    resource address without its key and `to_key` the expression of the key (`aws_x.y[each.key]`)."""

    to: PartialAddress
    id: Any
    file: str
    for_each: Any = NOT_SET
    to_key: Any = None
    module_keys: tuple[tuple[int, Any], ...] = ()
    """With `for_each`: (position of a module step in `to`, the expression of its key): `module.m[each.key].T.N`."""


class Removed(msgspec.Struct, frozen=True):
    """A `removed` block: forget (`destroy = false`) or destroy the objects at `from_`."""

    from_: PartialAddress
    destroy: bool
    file: str


class CheckBlock(msgspec.Struct, frozen=True):
    """A `check` block: its assertions, evaluated after planning against planned values (never changing a plan;
    a false one is a warning). Its scoped data source is in `Module.resources`, with `check` set."""

    name: str
    asserts: tuple[tuple[Any, Any, str], ...]
    """`(condition, error_message, FILE:LINE of the condition)` of each `assert` block."""


class Module(msgspec.Struct):
    """One module (a directory, a file, or a synthesized document) and its local child modules."""

    dir: Path
    files: tuple[str, ...]
    variables: dict[str, VariableConfig] = msgspec.field(default_factory=dict)
    locals: dict[str, tuple[Any, str]] = msgspec.field(default_factory=dict)
    resources: dict[str, ResourceConfig] = msgspec.field(default_factory=dict)
    ephemerals: dict[str, ResourceConfig] = msgspec.field(default_factory=dict)
    """`ephemeral` blocks by address (`ephemeral.T.N`): opened while planning and applying, never in a plan or
    state; their values are ephemeral."""
    outputs: dict[str, OutputConfig] = msgspec.field(default_factory=dict)
    module_calls: dict[str, ModuleCall] = msgspec.field(default_factory=dict)
    moved: tuple[Moved, ...] = ()
    imports: tuple[Import, ...] = ()
    removed: tuple[Removed, ...] = ()
    backend: tuple[str, dict[str, Any]] | None = None
    """`(type, config)` of `terraform.backend`, root module only."""
    provider_configs: dict[str, Any] = msgspec.field(default_factory=dict)
    """Raw `provider` blocks by local name (for the plan JSON `configuration`)."""
    required_providers: dict[str, str] = msgspec.field(default_factory=dict)
    """`terraform.required_providers`: local name -> source address as written (`hashicorp/aws`; empty when
    the entry gives none). Read to judge a `providers` map as Terraform does, and for `provider::NAME::FN` calls,
    which need NAME declared here."""
    configuration_aliases: tuple[str, ...] = ()
    """`NAME.ALIAS` of every `configuration_aliases` entry: configurations its caller must pass."""
    checks: dict[str, CheckBlock] = msgspec.field(default_factory=dict)
    """`check` blocks by name (their results go in the plan's `checks`: iac.diff.checkresults)."""

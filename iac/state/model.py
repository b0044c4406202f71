"""Terraform state, format version 4, as a typed read-only model.

The model keeps attribute values exactly as the state file holds them (dynamic attributes still
wrapped as `{"value", "type"}`): unwrapping is the diff engine's job, because only it knows the
schema. Nothing here does I/O; `iac.state.tfstate` reads files.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import msgspec

from iac._jsonread import decode_exact
from iac.state.address import InstanceAddress, ModuleInstance
from iac.state.typed import DataAttributes

__all__ = ["InstanceObject", "OutputState", "ResourceState", "State", "decode_attributes"]


class InstanceObject(msgspec.Struct, frozen=True, gc=False):
    """One object of a resource instance: the current one, or a deposed one. Immutable. The state
    reader's decoder builds these directly from the state JSON (field names as the file spells them),
    so no intermediate object is made per instance; gc=False: they hold no cycles.

    `raw_attributes` is the attribute JSON exactly as stored (bytes, decoded on demand: most objects of a
    large state are only compared, and a typed decoder can skip what the planner never reads), or, for
    `terraform_data`, the `iac.state.typed.DataAttributes` the reader's own pass decoded;
    `attributes` gives the state form either way (all schema attributes present, unset ones null, exact
    numbers).
    `sensitive_paths` is the raw `sensitive_attributes` list (paths of get_attr/index steps).
    `dependencies` are resource-level addresses this object depended on (transitively) when written.
    """

    key: int | str | None = msgspec.field(default=None, name="index_key")
    raw_attributes: msgspec.Raw = msgspec.field(default=msgspec.Raw(), name="attributes")  # empty when absent
    schema_version: int = 0
    status: str | None = None
    deposed: str | None = None
    sensitive_paths: tuple[Any, ...] = msgspec.field(default=(), name="sensitive_attributes")
    dependencies: tuple[str, ...] = ()
    create_before_destroy: bool = False

    @property
    def tainted(self) -> bool:
        return self.status == "tainted"

    @property
    def attributes(self) -> dict[str, Any]:
        """The attribute values (decoded at each access: callers keep the result)."""
        return decode_attributes(self.raw_attributes)


def decode_attributes(raw: Any) -> Any:
    """Decode raw attribute JSON (exact numbers), or give the state form of attributes the typed pass
    decoded already (iac.state.typed). Here, with the object it decodes, not in the reader: the model
    needs it and the reader needs the model."""
    if isinstance(raw, DataAttributes):
        return raw.as_json()
    return decode_exact(raw) if raw else {}  # as Go reads it: invalid UTF-8, long integers


class ResourceState(NamedTuple):
    """One resource block of one module instance, with its instances in state order."""

    module: ModuleInstance
    mode: str
    type: str
    name: str
    provider: str
    instances: tuple[InstanceObject, ...]

    def address(self, obj: InstanceObject) -> InstanceAddress:
        return InstanceAddress(self.module, self.mode, self.type, self.name, obj.key)

    @property
    def provider_name(self) -> str:
        """`provider["registry.terraform.io/x/y"].alias` -> `registry.terraform.io/x/y`."""
        start = self.provider.find('["')
        end = self.provider.find('"]', start + 2)
        return self.provider[start + 2 : end] if start >= 0 and end > start else self.provider


@dataclass(frozen=True, slots=True)
class OutputState:
    """A root output as stored: plain JSON value, its type JSON, and whether it is sensitive."""

    value: Any
    type: Any
    sensitive: bool = False


@dataclass(frozen=True, slots=True)
class State:
    """A whole state snapshot. `State.empty()` stands for "no state yet" (a first deployment)."""

    serial: int = 0
    lineage: str = ""
    terraform_version: str = ""
    outputs: Mapping[str, OutputState] = field(default_factory=dict)
    resources: tuple[ResourceState, ...] = ()
    check_results: Any = None
    exists: bool = True
    """False for the empty stand-in used when there is no state file at all."""

    @classmethod
    def empty(cls) -> State:
        return cls(exists=False)

    @property
    def is_empty(self) -> bool:
        """No resources and no outputs (Terraform then omits `prior_state`)."""
        return not self.resources and not self.outputs

    def objects(self) -> Iterator[tuple[ResourceState, InstanceObject]]:
        """Every (resource, object) pair, current objects and deposed ones, in state order."""
        for resource in self.resources:
            for obj in resource.instances:
                yield resource, obj

"""The contract between the diff engine and a per-type planner (see iac.diff.providers): the interface
`TypePlanner`, what it returns (`Planned`) and how it rejects a configuration (`ShapeError`).

Its own module because every planner implements it and the engine calls it: the schema planner
(`iac.diff.sdkv2`) implements it without importing `iac.diff.providers`, which holds the built-in planners
and picks the schema planner for the types that have a schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from iac.state.model import InstanceObject
from iac.values import Path

__all__ = ["Planned", "ShapeError", "TypePlanner"]


class ShapeError(ValueError):
    """Configuration that does not fit the schema; `path` names the attribute. `json_message` is the
    sentence for Terraform JSON syntax where Terraform words it differently (see iac.config.schemacheck)."""

    def __init__(self, message: str, path: Path = (), json_message: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.json_message = json_message

    def message_for(self, file: str) -> str:
        """The sentence Terraform uses for a configuration file of this syntax."""
        return self.json_message if self.json_message is not None and not file.endswith(".tf") else self.message


class Planned(msgspec.Struct, gc=False):
    """A provider's planned object: `value` (may hold Unknown), the paths that require replacement if
    they changed, paths where a rule kept the prior value (`suppressed`) or a default applied, and
    changed paths whose replacement iac cannot decide (`may_replace`, iac.diff.replacement)."""

    value: dict[str, Any]
    requires_replace: list[Path] = msgspec.field(default_factory=list)
    suppressed: list[Path] = msgspec.field(default_factory=list)
    defaults: list[Path] = msgspec.field(default_factory=list)
    may_replace: list[Path] = msgspec.field(default_factory=list)
    types: dict[str, Any] | None = None
    """Attributes of `value` whose type their JSON does not give (a planner that `keeps_types`)."""


class TypePlanner:
    """Interface of a per-type planner (see iac.diff.providers)."""

    schema_version = 0
    computed_only: frozenset[str] = frozenset()
    warning: str | None = None
    rules_known = True
    """False when any in-place update of the type may be a replacement (iac.diff.replacement)."""
    type = ""

    def unwrap(self, attributes: dict[str, Any]) -> dict[str, Any]:
        """State attributes -> engine values."""
        return attributes

    def prior_value(self, obj: InstanceObject, config: dict[str, Any] | None = None) -> dict[str, Any]:
        """The engine value of a state object (decodes its raw attributes once). `config`, when given, is
        a shaped configuration of plain JSON values (no references): a planner may adopt its equal
        values instead of decoding them."""
        return self.unwrap(obj.attributes)

    def sensitive(self, value: dict[str, Any] | None, marks: Sequence[Path] = ()) -> tuple[Path, ...]:
        """Every sensitive path of `value`: the value's own marks (from sensitive variables or state)
        plus schema-sensitive attributes (always masked, even when null)."""
        return tuple(marks)

    def shape(self, body: dict[str, Any]) -> dict[str, Any]:
        """Evaluated config body -> config object with every schema attribute (absent ones null)."""
        raise NotImplementedError

    def plan(self, prior: dict[str, Any] | None, config: dict[str, Any]) -> Planned:
        raise NotImplementedError

    keeps_types = False
    """True for a type whose attributes hold any value and keep its type (`terraform_data`): its planner
    also answers `stored_types` and `plan_typed`, the engine gives it the configuration's types."""
    typed_arguments: frozenset[str] = frozenset()
    """The arguments whose evaluated type the planner needs (those that hold any value)."""

    def stored_types(self, obj: InstanceObject) -> dict[str, Any] | None:
        """The types a state object's attributes were stored with, where their JSON does not give them."""
        return None

    def plan_typed(self, prior: dict[str, Any] | None, config: dict[str, Any], prior_types: dict[str, Any] | None,
                   config_types: dict[str, Any] | None) -> Planned:
        """`plan`, with the types (as `stored_types` gives them) of the prior object and the configuration."""
        return self.plan(prior, config)

    def imported(self, import_id: str, config: dict[str, Any]) -> dict[str, Any]:
        """The object an import would read (offline: what iac can know about it)."""
        raise NotImplementedError

    def configured(self, arguments: Any) -> TypePlanner:
        """This planner for a resource whose provider configuration has `arguments`
        (iac.diff.customize.ProviderArguments): itself, unless its provider's rules read them."""
        return self

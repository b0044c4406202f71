"""What a provider does at plan time, per resource type: shape the configuration by the schema, read
prior state, propose the new object and say which changed paths require replacement.

Terraform asks the provider (`PlanResourceChange`); iac cannot run the Databricks provider offline, so
each resource type gets a *type planner*: `BuiltinDataPlanner` reproduces Terraform's own
`terraform_data` exactly, `SchemaPlanner` (iac.diff.sdkv2) emulates the Databricks provider (SDKv2)
from the schema data and the normalisation rules, and `SchemalessPlanner` handles types iac has no
schema for (compares configured attributes only, and says so). Planners are built once per type. The
interface they implement (`TypePlanner`, `Planned`, `ShapeError`) is iac.diff.typeplanner.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from iac.diff.typeplanner import Planned, ShapeError, TypePlanner
from iac.lang.plain import UNKNOWN_STRING_NOT_NULL, unknown_of
from iac.schema import ResourceSchema, SchemaSet, provider_source
from iac.state.model import InstanceObject
from iac.state.typed import DataAttributes, Wrapped, decode_data_attributes
from iac.values import UNKNOWN, OpenObject, Path, Unknown, strict_equal

__all__ = ["BuiltinDataPlanner", "Planned", "SchemalessPlanner", "ShapeError", "TypePlanner", "planner_for"]


def _unwrap_dynamic(value: Any) -> Any:
    if isinstance(value, dict) and "value" in value and "type" in value and len(value) == 2:
        return value["value"]
    return value


class BuiltinDataPlanner(TypePlanner):
    """Terraform's built-in `terraform_data`, as in Terraform's `resource_data.go`:

    * create: `id` unknown; `output` unknown (null when `input` is null);
    * `triggers_replace` not raw-equal to prior (unknown counts as different) -> replace, with `id` and
      `output` planned as on create;
    * otherwise `input` changed -> `output` unknown.
    """

    _ATTRS = ("id", "input", "output", "triggers_replace")

    def unwrap(self, attributes: dict[str, Any]) -> dict[str, Any]:
        get = attributes.get
        return {"id": get("id"), "input": _unwrap_dynamic(get("input")), "output": _unwrap_dynamic(get("output")),
                "triggers_replace": _unwrap_dynamic(get("triggers_replace"))}

    def prior_value(self, obj: InstanceObject, config: dict[str, Any] | None = None) -> dict[str, Any]:
        """From the attributes the state reader decoded typed (iac.state.typed), or else straight from
        the raw JSON with a decoder that skips the wrappers' `type` trees. An unchanged `input` (and
        its copy `output`) becomes the configuration's own object, never decoded."""
        raw: Any = obj.raw_attributes
        if type(raw) is not DataAttributes:
            raw = decode_data_attributes(raw)
        wrapped = raw.input
        if wrapped is None:
            value = None
        elif config is not None:
            value = wrapped.value_like(config["input"])
        else:
            value = wrapped.value
        output = raw.output
        return {"id": raw.id, "input": value, "output": value if output is wrapped else _value(output),
                "triggers_replace": _value(raw.triggers_replace)}

    def shape(self, body: dict[str, Any]) -> dict[str, Any]:
        if not body.keys() <= _SETTABLE:
            self._reject(body)
        return {"id": None, "input": body.get("input"), "output": None, "triggers_replace": body.get("triggers_replace")}

    @staticmethod
    def _reject(body: dict[str, Any]) -> None:
        from iac.config.schemacheck import computed_argument, unsupported_argument

        for key in body:
            if key in ("id", "output"):
                raise ShapeError(computed_argument(key), (key,))
            if key not in ("input", "triggers_replace"):
                raise ShapeError(unsupported_argument(key, sorted(_SETTABLE), json_syntax=False), (key,),
                                 unsupported_argument(key, sorted(_SETTABLE), json_syntax=True))

    keeps_types = True
    typed_arguments = frozenset(("input", "triggers_replace"))

    def plan(self, prior: dict[str, Any] | None, config: dict[str, Any], retriggered: bool = False,
             retyped: bool = False) -> Planned:
        """`retriggered`/`retyped`: `triggers_replace`/`input` changed type, whatever their JSON (`plan_typed`)."""
        new_input, trigger = config["input"], config["triggers_replace"]
        if prior is None:
            return Planned({"id": _NEW_ID, "input": new_input, "output": _output_for(new_input),
                            "triggers_replace": trigger})
        # cty RawEquals for our purposes: the prior (from state) is known, so equality also means the new
        # value is fully known (an unknown never equals a known)
        same_trigger = not retriggered and strict_equal(prior["triggers_replace"], trigger)
        same_input = not retyped and strict_equal(prior["input"], new_input)
        if same_trigger and same_input:
            return Planned(prior)  # nothing changes: the prior object itself (cheap no-op check)
        planned = {"id": prior["id"], "input": new_input, "output": prior["output"], "triggers_replace": trigger}
        if not same_trigger:
            planned["id"] = _NEW_ID
            planned["output"] = _output_for(new_input)
            return Planned(planned, requires_replace=[("triggers_replace",)])
        if not same_input:
            planned["output"] = UNKNOWN if new_input is None else unknown_of(new_input)
        return Planned(planned)

    def stored_types(self, obj: InstanceObject) -> dict[str, Any] | None:
        raw: Any = obj.raw_attributes
        if type(raw) is not DataAttributes:
            raw = decode_data_attributes(raw)
        source, copy, trigger = raw.input, raw.output, raw.triggers_replace
        kept = source.type_beyond_json if source is not None else None
        kept_copy = kept if copy is source else None  # another output than input's copy has its JSON type
        kept_trigger = trigger.type_beyond_json if trigger is not None else None
        if kept is None and kept_copy is None and kept_trigger is None:  # nearly every object
            return None
        found = {"input": kept, "output": kept_copy, "triggers_replace": kept_trigger}
        return {name: kind for name, kind in found.items() if kind is not None}

    def plan_typed(self, prior: dict[str, Any] | None, config: dict[str, Any], prior_types: dict[str, Any] | None,
                   config_types: dict[str, Any] | None) -> Planned:
        """Types are given only where their JSON does not give them (`cty.beyond_json`): two values with
        equal JSON and no type given have the same type; a list is not a set, whatever their JSON (cty
        RawEquals)."""
        was, now = prior_types or _NO_TYPES, config_types or _NO_TYPES
        retriggered = was.get("triggers_replace") != now.get("triggers_replace")
        retyped = was.get("input") != now.get("input")
        planned = self.plan(prior, config, retriggered, retyped)
        if prior is None or planned.requires_replace:  # a new object: its types as configured
            planned.types = _created_types(config_types)
        elif planned.value is prior:
            planned.types = prior_types
        else:
            types = dict(now)  # input and triggers_replace as configured; output copies a changed input
            changed = retyped or not strict_equal(prior["input"], config["input"])
            output_type = now.get("input") if changed else was.get("output")
            if output_type is not None:
                types["output"] = output_type
            planned.types = types or None
        return planned

    def imported(self, import_id: str, config: dict[str, Any]) -> dict[str, Any]:
        return {"id": import_id, "input": None, "output": None, "triggers_replace": None}

    def sensitive(self, value: dict[str, Any] | None, marks: Sequence[Path] = ()) -> tuple[Path, ...]:
        """Deliberate difference from Terraform: `output` is a copy of `input`, so it is as sensitive as
        `input` is. Terraform leaves the copy unmarked and prints the secret; iac never does."""
        if not marks or value is None or isinstance(value.get("output"), Unknown):
            return tuple(marks)
        copied = [("output", *path[1:]) for path in marks if path and path[0] == "input"]
        return (*marks, *(p for p in copied if p not in marks))


_SETTABLE = frozenset(("input", "triggers_replace"))
_NEW_ID = UNKNOWN_STRING_NOT_NULL
"""A new object's `id`: a string known after apply and never null (Terraform's `RefineNotNull`)."""
_NO_TYPES: dict[str, Any] = {}


def _created_types(config_types: dict[str, Any] | None) -> dict[str, Any] | None:
    """The types of a new object's attributes: as configured, `output` a copy of `input`."""
    if not config_types:
        return None
    return {**config_types, "output": config_types["input"]} if "input" in config_types else dict(config_types)


def _value(wrapped: Wrapped | None) -> Any:
    return None if wrapped is None else wrapped.value


def _output_for(new_input: Any) -> Any:
    """terraform_data's planned output: unknown of the input's type (a null input gives a null output)."""
    return None if new_input is None else unknown_of(new_input)


class SchemalessPlanner(TypePlanner):
    """A resource type without schema data (a provider iac has no schema for, or a type outside the
    data): configured attributes are compared with state; attributes the configuration leaves out keep
    their prior value, and on create every one of them is known after apply (the planned object is an
    `OpenObject`). Nothing is known to force replacement, so every update says it may replace."""

    rules_known = False

    def __init__(self, resource_type: str, provider: str, provider_known: bool) -> None:
        self.type = resource_type
        why = (f"not among the {provider} types iac has schemas for" if provider_known
               else f"iac has no schema of provider {provider}")
        self.warning = (f"no schema for {resource_type} ({why}): planned without one; attributes not set in "
                        "configuration are known after apply, and any change may replace")

    def shape(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(body)

    def plan(self, prior: dict[str, Any] | None, config: dict[str, Any]) -> Planned:
        if prior is None:
            return Planned(OpenObject({**config, "id": UNKNOWN} if "id" not in config else config))
        merged = dict(prior)
        merged.update(config)
        return Planned(merged)

    def imported(self, import_id: str, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "id": import_id}


_BUILTIN = BuiltinDataPlanner()


@functools.cache
def _planner(resource_type: str, schemas: SchemaSet) -> TypePlanner:
    if resource_type == "terraform_data":
        return _BUILTIN
    schema: ResourceSchema | None = schemas.get(resource_type)
    if schema is None:
        source = provider_source(resource_type)
        return SchemalessPlanner(resource_type, source, schemas.has_provider(source))
    from iac.diff.sdkv2 import SchemaPlanner  # on first use: a plan of built-in types never loads it (nor its rules)

    return SchemaPlanner(schema)


def planner_for(resource_type: str, schemas: SchemaSet) -> TypePlanner:
    """The planner of a resource type, built once per (type, schema set)."""
    return _planner(resource_type, schemas)

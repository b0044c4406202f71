"""Evaluation state of one plan: values of variables, locals, outputs and resources per module
instance, the `Scope` that expressions see, and count/for_each expansion."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from iac.config.evaluate import EvaluationError, Scope, evaluate_typed
from iac.config.model import NOT_SET
from iac.diagnostics import ConfigError, Diagnostic, PlanError
from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import FunctionContext
from iac.lang.plain import to_plain
from iac.schema import Block, SchemaSet
from iac.state.address import Key, ModuleInstance

__all__ = ["EngineScope", "Expansion", "Values", "expand"]

ValueKey = tuple[ModuleInstance, str, str]


@dataclass(frozen=True, slots=True)
class Expansion:
    """How a resource or module call is repeated: `mode` is "single", "count" or "for_each"; `keys`
    are the instance keys in order; `each_values` the for_each values by key."""

    mode: str
    keys: tuple[Key, ...]
    each_values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Values:
    """Evaluated values by (module instance, kind, name); `marked` lists keys whose value holds
    Sensitive marks; `calls` the expansion and child instances of each module call instance."""

    values: dict[ValueKey, Any] = field(default_factory=dict)
    """Plain values for resources (the planner's form), typed ones (cty) for everything else."""
    marked: set[ValueKey] = field(default_factory=set)
    repetition: dict[tuple[ModuleInstance, str], str] = field(default_factory=dict)
    """How each evaluated resource block is repeated: "single", "count" or "for_each"."""
    schemas: SchemaSet | None = None
    functions: FunctionContext = field(default_factory=FunctionContext)
    module_functions: dict[ModuleInstance, FunctionContext] = field(default_factory=dict)
    """What functions see in a module instance whose module declares required_providers (the provider
    functions it may call); the others see `functions`."""
    typed: dict[tuple[ModuleInstance, str], tuple[Any, Value]] = field(default_factory=dict)
    """A resource's typed value with the plain value it was made from: converted once, however many
    expressions refer to it (200 references to a 2,000-instance resource converted it 200 times)."""
    calls: dict[tuple[ModuleInstance, str], tuple[Expansion, list[ModuleInstance]]] = field(default_factory=dict)
    dirs: dict[ModuleInstance, Path] = field(default_factory=dict)
    outputs: dict[ModuleInstance, dict[str, Any]] = field(default_factory=dict)
    workspace: str = "default"
    """`terraform.workspace`: the workspace the configuration's directory has selected (iac.config.workspace)."""

    def plain(self, key: ValueKey, *, stored: bool = False) -> Any:
        """The planner's form of a value (`stored`: for the plan, where an infinity is an error, NotStorable)."""
        value = self.values[key]
        return to_plain(value, stored=stored) if isinstance(value, Value) else value

    def put(self, key: ValueKey, value: Any, marked: bool) -> None:
        self.values[key] = value
        if marked:
            self.marked.add(key)
        if key[1] == "output":
            self.outputs.setdefault(key[0], {})[key[2]] = value


class EngineScope(Scope):
    """What references see inside one module instance (and one count/for_each repetition)."""

    def __init__(self, values: Values, module: ModuleInstance, each_key: Any = NOT_SET, each_value: Any = NOT_SET,
                 count_index: Any = NOT_SET) -> None:
        self._values, self._module = values, module
        self.each_key, self.each_value, self.count_index = each_key, each_value, count_index
        self.marked = False
        self.functions = values.module_functions.get(module, values.functions) if values.module_functions else \
            values.functions

    @property  # read where referred to: nothing added to each scope's construction
    def workspace(self) -> str:  # type: ignore[override]  # a read-only view of the plan's workspace
        return self._values.workspace

    def _get(self, kind: str, name: str, label: str) -> Any:
        key = (self._module, kind, name)
        try:
            value = self._values.values[key]
        except KeyError:
            raise EvaluationError(f"{label} has no value yet (not declared, or a reference iac cannot order)") from None
        if key in self._values.marked:
            self.marked = True
        return value

    def variable(self, name: str) -> Any:
        return self._get("var", name, f"var.{name}")

    def local(self, name: str) -> Any:
        return self._get("local", name, f"local.{name}")

    def resource(self, mode: str, rtype: str, name: str) -> Any:
        if mode == "ephemeral":
            address = f"ephemeral.{rtype}.{name}"
            return self._get("ephemeral", address, address)
        address = f"data.{rtype}.{name}" if mode == "data" else f"{rtype}.{name}"
        return self._get("resource", address, address)

    def resource_type(self, mode: str, rtype: str, name: str) -> tuple[cty.Type | None, str]:
        address = f"data.{rtype}.{name}" if mode == "data" else f"{rtype}.{name}"
        repetition = self._values.repetition.get((self._module, address), "single")
        schema = self._values.schemas.of(mode, rtype) if self._values.schemas is not None else None
        return (block_type(schema.block) if schema is not None else None), repetition

    def typed_resource(self, mode: str, rtype: str, name: str, plain: Any) -> Value:
        key = (self._module, f"data.{rtype}.{name}" if mode == "data" else f"{rtype}.{name}")
        cached = self._values.typed.get(key)
        if cached is not None and cached[0] is plain:
            return cached[1]
        typed = super().typed_resource(mode, rtype, name, plain)
        self._values.typed[key] = (plain, typed)
        return typed

    def module(self, name: str) -> Any:
        found = self._values.calls.get((self._module, name))
        if found is None:
            raise EvaluationError(f"module.{name} has no value yet")
        expansion, children = found
        objects = [self._outputs(child) for child in children]
        if expansion.mode == "single":
            return objects[0] if objects else cty.null(cty.DYNAMIC)
        if expansion.mode == "count":
            return cty.tuple_value(objects)
        return cty.object_value(dict(zip([str(k) for k in expansion.keys], objects, strict=True)))

    def _outputs(self, child: ModuleInstance) -> Value:
        result = {name: _typed(value) for name, value in self._values.outputs.get(child, {}).items()}
        if any((child, "output", name) in self._values.marked for name in result):
            self.marked = True
        return cty.object_value(result)

    def path(self, name: str) -> Any:
        """As Terraform resolves them when run from the root module's directory: `path.root` is ".",
        `path.module` the module's directory relative to it ("." for the root module), `path.cwd` absolute.
        So a configuration planned from elsewhere (`--config work`) gives the values Terraform gives."""
        if name in ("module", "root"):
            root = self._values.dirs.get((), Path("."))
            directory = self._values.dirs.get(self._module, root) if name == "module" else root
            return os.path.relpath(directory, root).replace(os.sep, "/")
        if name == "cwd":
            return str(self._values.dirs.get((), Path(".")).resolve())
        raise EvaluationError(f'Invalid "path" attribute: The "path" object does not have an attribute named '
                              f'"{name}". The supported attributes are path.cwd, path.module and path.root.')


MAX_INSTANCES = 100_000
"""The most instances one count or for_each may make: far beyond any real estate, and a clear error
instead of minutes and gigabytes for `count = 1e9`."""


def expand(count: Any, for_each: Any, scope: EngineScope, file: str, address: str) -> Expansion:
    """Evaluate count/for_each into instance keys with Terraform's rules: count a whole number >= 0,
    for_each a map, an object or a set of strings; neither sensitive nor unknown (keys must be known at
    plan time)."""
    if count is NOT_SET and for_each is NOT_SET:
        return Expansion("single", (None,))
    which = "count" if count is not NOT_SET else "for_each"
    expression = count if count is not NOT_SET else for_each
    try:
        value = evaluate_typed(expression, scope)
    except EvaluationError as error:
        raise ConfigError(Diagnostic(error.message, source=error.source(file), address=address,
                                     attribute=which)) from error
    # the expression's line where it has one (an HCL expression; a literal or JSON value names the file)
    where = EvaluationError("", getattr(expression, "pos", None)).source(file)

    def refuse(summary: str, error: type[Exception] = ConfigError) -> Exception:
        return error(Diagnostic(summary, source=where, address=address, attribute=which))

    if value.has_mark_deep(cty.EPHEMERAL):
        raise refuse(f'Invalid {which} argument: The given "{which}"{"" if which == "count" else " value"} is derived '
                     'from an ephemeral value, which means '
                     'that Terraform cannot persist it between plan/apply rounds. Use only non-ephemeral values to '
                     + ("specify the number of resource instances." if which == "count" else
                        "specify a resource's instance keys."))
    if value.sensitive:
        raise refuse(f'Invalid {which} argument: Sensitive values, or values derived from sensitive values, cannot '
                     f'be used as {which} arguments.')
    if which == "count":
        return _count(value, refuse)
    return _for_each(value, refuse)


def _count(value: Value, refuse: Any) -> Expansion:
    if value.v is None:
        raise refuse('Invalid count argument: The given "count" argument value is null. An integer is required.')
    try:
        number = cty.convert(value, cty.NUMBER)
    except cty.ConversionError as error:
        raise refuse(f'Invalid count argument: The given "count" argument value is unsuitable: {error}.') from error
    if number.v is cty.UNKNOWN:
        raise refuse('Invalid count argument: The "count" value depends on resource attributes that cannot be '
                     'determined until apply, so Terraform cannot predict how many instances will be created.',
                     PlanError)
    n = number.v
    if n > MAX_INSTANCES:  # before int(n): 1e999999 would take a minute to become an int
        raise refuse(_too_many("count", f"{int(n):,}" if n < 10**30 else f"{Decimal(n):.3E}"))
    if n < -MAX_INSTANCES:
        raise refuse('Invalid count argument: The given "count" argument value is unsuitable: must be greater than '
                      'or equal to zero.')
    if n != int(n):
        raise refuse('Invalid count argument: The given "count" argument value is unsuitable: value must be a '
                     'whole number.')
    if n < 0:
        raise refuse('Invalid count argument: The given "count" argument value is unsuitable: must be greater than '
                     'or equal to zero.')
    return Expansion("count", tuple(range(int(n))))


def _for_each(value: Value, refuse: Any) -> Expansion:
    kind = value.type.kind
    if value.v is None:
        raise refuse('Invalid for_each argument: The given "for_each" argument value is unsuitable: the given '
                     '"for_each" argument value is null. A map, or set of strings is allowed.')
    if kind not in ("map", "object", "set", "dynamic"):
        raise refuse(f'Invalid for_each argument: The given "for_each" argument value is unsuitable: the '
                     f'"for_each" argument must be a map, or set of strings, and you have provided a value of type '
                     f'{value.type.friendly()}.')
    if kind == "set" and value.type.elem not in (cty.STRING, cty.DYNAMIC):
        raise refuse(f'Invalid for_each set argument: The given "for_each" argument value is unsuitable: '
                     f'"for_each" supports sets of strings, but you have provided a set containing type '
                     f'{value.type.elem.friendly() if value.type.elem else "dynamic"}.')
    if not value.is_wholly_known() if kind == "set" else value.v is cty.UNKNOWN:
        raise refuse('Invalid for_each argument: The "for_each" map includes keys or set values that cannot be '
                     'determined until apply, so Terraform cannot determine the full set of keys that will '
                     'identify the instances of this resource.', PlanError)
    if kind == "set":
        keys = []
        for element in value.v:
            if element.v is None:
                raise refuse('Invalid for_each set argument: The given "for_each" argument value is unsuitable: '
                             '"for_each" sets must not contain null values.')
            if element.sensitive:
                raise refuse('Invalid for_each argument: Sensitive values, or values derived from sensitive '
                             'values, cannot be used as for_each arguments.')
            keys.append(element.v)
        if len(keys) > MAX_INSTANCES:
            raise refuse(_too_many("for_each", f"{len(keys):,}"))
        return Expansion("for_each", tuple(keys), {k: cty.string(k) for k in keys})
    if len(value.v) > MAX_INSTANCES:
        raise refuse(_too_many("for_each", f"{len(value.v):,}"))
    return Expansion("for_each", tuple(value.v), dict(value.v))


def _too_many(which: str, shown: str) -> str:
    return f"Invalid {which} argument: {shown} instances is more than iac plans for one block (at most {MAX_INSTANCES:,})."


def _typed(value: Any) -> Value:
    from iac.lang.plain import from_plain

    return value if isinstance(value, Value) else from_plain(value)


def block_type(block: Block) -> cty.Type:
    """The object type of one instance of a schema block (attributes and nested blocks), as Terraform
    types a resource's value."""
    found = _BLOCK_TYPES.get(id(block))
    if found is not None:
        return found[1]
    attrs = {name: cty.type_from_json(a.type) for name, a in block.attributes.items()}
    for name, nested in block.block_types.items():
        inner = block_type(nested.block)
        attrs[name] = {"single": inner, "group": inner, "list": cty.list_of(inner), "set": cty.set_of(inner),
                       "map": cty.map_of(inner)}.get(nested.nesting, cty.list_of(inner))
    result = cty.object_of(attrs)
    _BLOCK_TYPES[id(block)] = (block, result)
    return result


_BLOCK_TYPES: dict[int, tuple[Block, cty.Type]] = {}


def repetition(expansion: Expansion, key: Key) -> dict[str, Any]:
    """Scope keyword arguments (each_key/each_value/count_index) for one instance key."""
    if expansion.mode == "count":
        return {"count_index": key}
    if expansion.mode == "for_each":
        return {"each_key": key, "each_value": expansion.each_values[str(key)]}
    return {}

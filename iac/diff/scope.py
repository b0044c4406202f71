"""Evaluation state of one plan: values of variables, locals, outputs and resources per module
instance, the `Scope` that expressions see, and count/for_each expansion."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from iac.config.evaluate import EvaluationError, Scope, evaluate
from iac.config.model import NOT_SET
from iac.diagnostics import ConfigError, Diagnostic, PlanError
from iac.state.address import Key, ModuleInstance
from iac.values import Sensitive, Unknown

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
    marked: set[ValueKey] = field(default_factory=set)
    calls: dict[tuple[ModuleInstance, str], tuple[Expansion, list[ModuleInstance]]] = field(default_factory=dict)
    dirs: dict[ModuleInstance, Path] = field(default_factory=dict)
    outputs: dict[ModuleInstance, dict[str, Any]] = field(default_factory=dict)

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
        address = f"data.{rtype}.{name}" if mode == "data" else f"{rtype}.{name}"
        return self._get("resource", address, address)

    def module(self, name: str) -> Any:
        found = self._values.calls.get((self._module, name))
        if found is None:
            raise EvaluationError(f"module.{name} has no value yet")
        expansion, children = found
        objects = [self._outputs(child) for child in children]
        if expansion.mode == "single":
            return objects[0] if objects else None
        if expansion.mode == "count":
            return objects
        return dict(zip([str(k) for k in expansion.keys], objects, strict=True))

    def _outputs(self, child: ModuleInstance) -> dict[str, Any]:
        result = dict(self._values.outputs.get(child, {}))
        if any((child, "output", name) in self._values.marked for name in result):
            self.marked = True
        return result

    def path(self, name: str) -> Any:
        if name in ("module", "root"):
            directory = self._values.dirs.get(self._module if name == "module" else (), Path("."))
            return str(directory)
        if name == "cwd":
            return str(Path.cwd())
        raise EvaluationError(f"path.{name} is not a path value (use module, root or cwd)")


def expand(count: Any, for_each: Any, scope: EngineScope, file: str, address: str) -> Expansion:
    """Evaluate count/for_each into instance keys. Unknown or sensitive repetition is an error, as in
    Terraform (keys must be known at plan time)."""
    if count is NOT_SET and for_each is NOT_SET:
        return Expansion("single", (None,))
    which = "count" if count is not NOT_SET else "for_each"
    try:
        value = evaluate(count if count is not NOT_SET else for_each, scope)
    except EvaluationError as error:
        raise ConfigError(Diagnostic(error.message, source=file, address=address, attribute=which)) from error
    if isinstance(value, Sensitive):
        raise ConfigError(Diagnostic(f"{which} cannot use sensitive values", source=file, address=address, attribute=which))
    if isinstance(value, Unknown) or _holds_unknown_key(value):
        raise PlanError(Diagnostic(f"{which} depends on values known only after apply; its keys must be known "
                                   "at plan time", source=file, address=address, attribute=which))
    if which == "count":
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or value < 0 or value != int(value):
            raise ConfigError(Diagnostic(f"count must be a whole number >= 0, got {value!r}", source=file,
                                         address=address, attribute="count"))
        return Expansion("count", tuple(range(int(value))))
    if isinstance(value, dict):
        return Expansion("for_each", tuple(sorted(value)), dict(value))
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        keys = tuple(sorted(set(value)))
        return Expansion("for_each", keys, {k: k for k in keys})
    raise ConfigError(Diagnostic("for_each must be a map/object or a set of strings", source=file, address=address,
                                 attribute="for_each"))


def _holds_unknown_key(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, Unknown) for v in value)


def repetition(expansion: Expansion, key: Key) -> dict[str, Any]:
    """Scope keyword arguments (each_key/each_value/count_index) for one instance key."""
    if expansion.mode == "count":
        return {"count_index": key}
    if expansion.mode == "for_each":
        return {"each_key": key, "each_value": expansion.each_values[str(key)]}
    return {}

"""Evaluate JSON configuration values (templates and references) against a scope.

The scope answers "what is var.x / local.y / this resource / that module's outputs" for one module
instance; the diff engine implements it with planned values, so a reference to an object being created
sees `Unknown` for its computed attributes, exactly like Terraform. Evaluation never copies a value
that holds no template.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from iac._jsonio import format_decimal
from iac.config.expressions import IndexStep, Literal, Ref, Template, compile_string, has_template
from iac.config.model import NOT_SET
from iac.values import UNKNOWN, Sensitive, Unknown

__all__ = ["EvaluationError", "Scope", "evaluate", "resolve_reference"]


class EvaluationError(ValueError):
    """An expression that cannot be evaluated. `path` is the attribute path inside the evaluated value,
    filled in while the error travels up, so the message can name the attribute."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.path: list[str | int] = []


class Scope:
    """What references resolve to in one module instance. The engine subclasses it.

    `each_key`/`each_value`/`count_index` are `NOT_SET` outside a for_each/count context. `marked` is set
    to True whenever a value marked sensitive is returned, so the engine knows to strip marks."""

    each_key: Any = NOT_SET
    each_value: Any = NOT_SET
    count_index: Any = NOT_SET
    marked: bool = False

    def variable(self, name: str) -> Any:
        raise EvaluationError(f"var.{name} is not declared")

    def local(self, name: str) -> Any:
        raise EvaluationError(f"local.{name} is not declared")

    def resource(self, mode: str, rtype: str, name: str) -> Any:
        raise EvaluationError(f"{rtype}.{name} is not declared")

    def module(self, name: str) -> Any:
        raise EvaluationError(f"module.{name} is not declared")

    def path(self, name: str) -> Any:
        raise EvaluationError(f"path.{name} is not available")


def evaluate(value: Any, scope: Scope) -> Any:
    """Evaluate every template inside a JSON value; unchanged sub-values are returned as is (shared)."""
    if isinstance(value, str):
        if not has_template(value):
            return value
        compiled = compile_string(value)
        return compiled if isinstance(compiled, str) else _template(compiled, scope)
    if isinstance(value, dict):
        out: dict[str, Any] | None = None
        for key, item in value.items():
            try:
                new = evaluate(item, scope)
            except EvaluationError as error:
                error.path.insert(0, key)
                raise
            if new is not item:
                if out is None:
                    out = dict(value)
                out[key] = new
        return value if out is None else out
    if isinstance(value, list):
        items: list[Any] | None = None
        for index, item in enumerate(value):
            try:
                new = evaluate(item, scope)
            except EvaluationError as error:
                error.path.insert(0, index)
                raise
            if new is not item:
                if items is None:
                    items = list(value)
                items[index] = new
        return value if items is None else items
    return value


def _template(template: Template, scope: Scope) -> Any:
    if template.single is not None:
        return _part(template.single, scope)
    pieces: list[str] = []
    unknown = sensitive = False
    for part in template.parts:
        if isinstance(part, str):
            pieces.append(part)
            continue
        value = _part(part, scope)
        if isinstance(value, Sensitive):
            sensitive, value = True, value.value
        if isinstance(value, Unknown):
            unknown = True
            continue
        pieces.append(_to_template_string(value, part))
    result: Any = UNKNOWN if unknown else "".join(pieces)
    return Sensitive(result) if sensitive else result


def _to_template_string(value: Any, part: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return format_decimal(Decimal(value))
    text = getattr(part, "text", "value")
    if value is None:
        raise EvaluationError(f"${{{text}}} is null and cannot be interpolated into a string")
    raise EvaluationError(f"${{{text}}} is {'an object' if isinstance(value, dict) else 'a list'} and cannot be "
                          "interpolated into a string")


def _part(part: Ref | Literal, scope: Scope) -> Any:
    if isinstance(part, Literal):
        return part.value
    return resolve_reference(part, scope)


def resolve_reference(ref: Ref, scope: Scope) -> Any:
    """The value a reference names, after its attribute/index steps."""
    value, rest = _root(ref, scope)
    for step in rest:
        value = _step(value, step, ref)
    return value


def _name(ref: Ref, position: int, what: str) -> str:
    if len(ref.steps) <= position or not isinstance(ref.steps[position], str):
        raise EvaluationError(f"{ref.text}: expected {what}")
    return str(ref.steps[position])


def _root(ref: Ref, scope: Scope) -> tuple[Any, tuple[Any, ...]]:
    root, steps = ref.root, ref.steps
    if root == "var":
        return scope.variable(_name(ref, 0, "a variable name")), steps[1:]
    if root == "local":
        return scope.local(_name(ref, 0, "a local name")), steps[1:]
    if root == "module":
        return scope.module(_name(ref, 0, "a module name")), steps[1:]
    if root == "data":
        return scope.resource("data", _name(ref, 0, "a data source type"), _name(ref, 1, "a name")), steps[2:]
    if root == "count":
        if _name(ref, 0, "count.index") != "index" or scope.count_index is NOT_SET:
            raise EvaluationError(f"{ref.text}: count.index is only available in a block that sets count")
        return scope.count_index, steps[1:]
    if root == "each":
        which = _name(ref, 0, "each.key or each.value")
        value = scope.each_key if which == "key" else scope.each_value if which == "value" else NOT_SET
        if value is NOT_SET:
            raise EvaluationError(f"{ref.text}: each.key/each.value are only available in a block that sets for_each")
        return value, steps[1:]
    if root == "path":
        return scope.path(_name(ref, 0, "path.module, path.root or path.cwd")), steps[1:]
    if root == "terraform":
        if _name(ref, 0, "terraform.workspace") != "workspace":
            raise EvaluationError(f"{ref.text}: only terraform.workspace is supported")
        return "default", steps[1:]
    if root == "self":
        raise EvaluationError(f"{ref.text}: self is only valid in provisioners and conditions")
    return scope.resource("managed", root, _name(ref, 0, "a resource name")), steps[1:]


def _step(value: Any, step: Any, ref: Ref) -> Any:
    if isinstance(value, Sensitive):
        return Sensitive(_step(value.value, step, ref))
    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(step, IndexStep):
        key = step.key
        if isinstance(value, list):
            if isinstance(key, int) and 0 <= key < len(value):
                return value[key]
            raise EvaluationError(f"{ref.text}: index {key!r} out of range (the list has {len(value)} elements)")
        if isinstance(value, dict):
            if str(key) in value:
                return value[str(key)]
            raise EvaluationError(f"{ref.text}: no element with key {key!r}")
    elif isinstance(value, dict):
        if step in value:
            return value[step]
        raise EvaluationError(f"{ref.text}: unsupported attribute {step!r}")
    if value is None:
        raise EvaluationError(f"{ref.text}: attempt to get {step!r} from a null value")
    raise EvaluationError(f"{ref.text}: cannot get {step!r} from a {type(value).__name__}")

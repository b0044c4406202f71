"""Evaluate configuration values (JSON templates, syntax-tree nodes, constants) against a scope.

The scope answers "what is var.x / local.y / this resource / that module's outputs" for one module
instance; the diff engine implements it with planned values, so a reference to an object being created
sees unknown computed attributes, exactly like Terraform.

Two entry points:
- `evaluate(value, scope)` gives the planner's plain value (resource bodies: the hot path). A value with
  no expression is returned as is (shared, never copied); a template that is exactly one reference to a
  plain value is resolved without the typed machinery;
- `evaluate_typed(value, scope)` gives a typed value (`iac.lang.cty`) where Terraform decides by type:
  count, for_each, locals, outputs, module inputs.
Everything else goes through `iac.lang.evaluate`, with Terraform's semantics for every expression.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from iac.config.expressions import compile_string, has_template, is_expression
from iac.config.model import NOT_SET
from iac.lang import ast, cty
from iac.lang.cty import Value
from iac.lang.evaluate import EvalError, evaluate_expr
from iac.lang.functions import FunctionContext
from iac.lang.plain import NotStorable, from_plain, to_plain
from iac.values import UNKNOWN, OpenObject, Sensitive, TypedObject, Unknown

__all__ = ["EvaluationError", "Scope", "evaluate", "evaluate_typed", "typed"]


class EvaluationError(ValueError):
    """An expression that cannot be evaluated. `path` is the attribute path inside the evaluated value,
    filled in while the error travels up, so the message can name the attribute."""

    def __init__(self, message: str, pos: ast.Pos | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.path: list[str | int] = []

    def source(self, file: str) -> str:
        """`file:line` of the expression at fault when known, else `file`."""
        return str(self.pos) if self.pos is not None and self.pos.line > 0 and self.pos.file != "<string>" else file


class Scope:
    """What references resolve to in one module instance. The engine subclasses it.

    Values may be plain (`iac.values`) or typed (`cty.Value`). `each_key`/`each_value`/`count_index` are
    `NOT_SET` outside a for_each/count context. `marked` is set to True whenever a value marked sensitive
    is returned, so the engine knows to strip marks."""

    each_key: Any = NOT_SET
    each_value: Any = NOT_SET
    count_index: Any = NOT_SET
    marked: bool = False
    ephemeral: bool = False
    """Set when a value derived from an ephemeral one was returned (the engine refuses it in a resource)."""
    refined: bool = False
    """Plain values keep the refinements of unknowns (see `to_plain`): set by the engine for the body of a
    resource whose planner keeps them (Terraform's own `terraform_data`)."""
    beyond_json: bool = False
    """Set when an expression's value has a type its plain form does not keep (a list, set or map: the
    engine then evaluates typed an argument whose type the planner keeps, see `TypePlanner.keeps_types`)."""
    functions: FunctionContext = FunctionContext(base_dir=Path("."))
    workspace: str = "default"
    """`terraform.workspace`."""
    symbols: dict[str, Value] | None = None
    """Extra names bound while evaluating (a dynamic block's iterator)."""

    def variable(self, name: str) -> Any:
        raise EvaluationError(f"var.{name} is not declared")

    def local(self, name: str) -> Any:
        raise EvaluationError(f"local.{name} is not declared")

    def resource(self, mode: str, rtype: str, name: str) -> Any:
        raise EvaluationError(f"{rtype}.{name} is not declared")

    def resource_type(self, mode: str, rtype: str, name: str) -> tuple[cty.Type | None, str]:
        """The typed shape of one instance of a resource (from its schema) when known, and how the block is
        repeated: "single", "count" or "for_each"."""
        return None, "single"

    def typed_resource(self, mode: str, rtype: str, name: str, plain: Any) -> Value:
        """A resource's (plain) value as the language sees it, typed by its schema when known."""
        instance_type, repetition = self.resource_type(mode, rtype, name)
        return _typed_resource(plain, instance_type, repetition)

    def module(self, name: str) -> Any:
        raise EvaluationError(f"module.{name} is not declared")

    def path(self, name: str) -> Any:
        raise EvaluationError(f"path.{name} is not available")


def evaluate(value: Any, scope: Scope) -> Any:
    """Evaluate every expression inside a configuration value to the planner's plain form; unchanged
    sub-values are returned as is (shared)."""
    if isinstance(value, str):
        if not has_template(value):
            return value
        compiled = compile_string(value)
        return compiled if isinstance(compiled, str) else _plain_expr(compiled, scope)
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
    if is_expression(value):
        return _plain_expr(value, scope)
    return value


def _plain_expr(node: Any, scope: Scope) -> Any:
    if type(node) is ast.TemplateWrap and type(node.expr) is ast.ScopeTraversal and not scope.symbols:
        try:
            found = _plain_reference(node.expr, scope)
        except EvalError as error:  # a root the context refuses (`each` without for_each): as `_typed_expr` does
            raise EvaluationError(error.message, error.pos) from error
        if found is not _TYPED:
            return found
    value = _typed_expr(node, scope)
    if value.type.kind != "string" and cty.beyond_json(value.type):
        scope.beyond_json = True
    if value.has_marks_deep():
        scope.marked = True
        if value.has_mark_deep(cty.EPHEMERAL):
            scope.ephemeral = True
    try:
        return to_plain(value, stored=True, refined=scope.refined)
    except NotStorable as error:
        raise EvaluationError(str(error), node.pos) from None


_TYPED = object()


def _plain_reference(traversal: ast.ScopeTraversal, scope: Scope) -> Any:
    """A reference whose root is a plain value, followed on plain values (the hot path of large
    configurations); `_TYPED` when the root holds a typed value or a step needs Terraform's rules."""
    steps = traversal.steps
    if traversal.root not in _NOT_RESOURCES and traversal.root != "data" and steps and type(steps[0]) is ast.GetAttr:
        root: Any = scope.resource("managed", traversal.root, steps[0].name)  # most references: no context object
        consumed = 1
    else:
        root, consumed = _Context(scope).root(traversal)
    if isinstance(root, Value) or type(root) is TypedObject:
        return _TYPED
    value = root
    for step in steps[consumed:]:
        if isinstance(value, Sensitive):
            return _TYPED
        if isinstance(step, ast.GetAttr) and type(value) is dict and step.name in value:
            value = value[step.name]
        elif isinstance(value, Unknown):
            return _TYPED
        else:
            return _TYPED
    if type(value) is Unknown and (value.not_null or value.prefix) and not scope.refined:
        return _TYPED  # a refined unknown going where refinements are dropped: `to_plain` drops them
    return value


def evaluate_typed(value: Any, scope: Scope) -> Value:
    """The typed value of a configuration value (objects and tuples for JSON constants, as Terraform's
    JSON syntax reads them)."""
    if isinstance(value, str):
        if not has_template(value):
            return cty.string(value)
        compiled = compile_string(value)
        return cty.string(compiled) if isinstance(compiled, str) else _typed_expr(compiled, scope)
    if isinstance(value, dict):
        attrs: dict[str, Value] = {}
        for key, item in value.items():
            try:
                name = key
                if has_template(key):
                    name_value = evaluate_typed(key, scope)
                    name = cty.convert(name_value.unmark_deep()[0], cty.STRING).v
                attrs[name] = evaluate_typed(item, scope)
            except EvaluationError as error:
                error.path.insert(0, key)
                raise
        return cty.object_value(attrs)
    if isinstance(value, list):
        items: list[Value] = []
        for index, item in enumerate(value):
            try:
                items.append(evaluate_typed(item, scope))
            except EvaluationError as error:
                error.path.insert(0, index)
                raise
        return cty.tuple_value(items)
    if is_expression(value):
        return _typed_expr(value, scope)
    if isinstance(value, Value):
        return value
    return from_plain(value)


def typed(value: Any) -> Value:
    """A stored value as a typed one (plain values get Terraform JSON's types)."""
    return value if isinstance(value, Value) else from_plain(value)


def _typed_expr(node: Any, scope: Scope) -> Value:
    try:
        return evaluate_expr(node, _Context(scope), scope.symbols)
    except EvalError as error:
        raise EvaluationError(error.message, error.pos) from error


class _Context:
    """`iac.lang.evaluate.Context` over a Scope: reference roots as Terraform resolves them."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.functions = scope.functions

    def lookup(self, traversal: ast.ScopeTraversal) -> tuple[Value, int]:
        root, consumed = self.root(traversal)
        if isinstance(root, Value):
            return root, consumed
        if traversal.root not in _NOT_RESOURCES:
            mode = "data" if traversal.root == "data" else "managed"
            names = [s.name for s in traversal.steps[:consumed] if isinstance(s, ast.GetAttr)]
            rtype, name = (names[0], names[1]) if mode == "data" else (traversal.root, names[0])
            return self.scope.typed_resource(mode, rtype, name, _opened(root, traversal.steps[consumed:])), consumed
        return from_plain(root), consumed

    def root(self, traversal: ast.ScopeTraversal) -> tuple[Any, int]:
        scope, root = self.scope, traversal.root
        try:
            if root == "var":
                return scope.variable(_name(traversal, 0, "a variable name")), 1
            if root == "local":
                return scope.local(_name(traversal, 0, "a local value name")), 1
            if root == "module":
                return scope.module(_name(traversal, 0, "a module name")), 1
            if root == "data":
                return scope.resource("data", _name(traversal, 0, "a data source type"),
                                      _name(traversal, 1, "a data source name")), 2
            if root == "ephemeral":
                return scope.resource("ephemeral", _name(traversal, 0, "an ephemeral resource type"),
                                      _name(traversal, 1, "an ephemeral resource name")), 2
            if root == "count":
                if _name(traversal, 0, "count.index") != "index":
                    raise EvaluationError(f'Invalid "count" attribute: The "count" object does not have an '
                                          f'attribute named "{_name(traversal, 0, "")}". The only supported '
                                          'attribute is count.index, which is the index of each instance of a '
                                          'resource block that has the "count" argument set.')
                if scope.count_index is NOT_SET:
                    raise EvaluationError('Reference to "count" in non-counted context: The "count" object can '
                                          'only be used in "module", "resource", and "data" blocks, and only when '
                                          'the "count" argument is set.')
                return cty.number(scope.count_index), 1
            if root == "each":
                which = _name(traversal, 0, "each.key or each.value")
                if scope.each_key is NOT_SET:
                    raise EvaluationError('Reference to "each" in context without for_each: The "each" object can '
                                          'be used only in "module" or "resource" blocks, and only when the '
                                          '"for_each" argument is set.')
                if which == "key":
                    return cty.string(str(scope.each_key)), 1
                if which == "value":
                    return typed(scope.each_value), 1
                raise EvaluationError(f'Invalid "each" attribute: The "each" object does not have an attribute '
                                      f'named "{which}". The supported attributes are each.key and each.value, '
                                      'the current key and value pair of the "for_each" attribute set.')
            if root == "path":
                return cty.string(scope.path(_name(traversal, 0, "path.module, path.root or path.cwd"))), 1
            if root == "terraform":
                which = _name(traversal, 0, "terraform.workspace")
                if which == "applying":  # Terraform 1.10+: false while planning, and ephemeral
                    return cty.FALSE.mark({cty.EPHEMERAL}), 1
                if which != "workspace":
                    raise EvaluationError(f'Invalid "terraform" attribute: The "terraform" object does not have an '
                                          f'attribute named "{which}". The only supported attributes are '
                                          'terraform.workspace, the name of the currently-selected workspace, and '
                                          'terraform.applying, a boolean which is true only during apply.')
                return cty.string(scope.workspace), 1
            if root == "self":
                raise EvaluationError('Invalid "self" reference: The "self" object is not available in this '
                                      'context. This object can be used only in resource provisioner, connection, '
                                      'and postcondition blocks.')
            return scope.resource("managed", root, _name(traversal, 0, "a resource name")), 1
        except EvaluationError as error:
            raise EvalError(error.message, traversal.pos) from error


_NOT_RESOURCES = frozenset(("var", "local", "module", "count", "each", "path", "terraform", "self", "ephemeral"))


def _name(traversal: ast.ScopeTraversal, position: int, what: str) -> str:
    if len(traversal.steps) <= position or not isinstance(traversal.steps[position], ast.GetAttr):
        raise EvaluationError(f"Invalid reference: A reference to {traversal.root} must be followed by {what}.")
    step = traversal.steps[position]
    assert isinstance(step, ast.GetAttr)
    return step.name


def _opened(value: Any, steps: tuple[ast.Step, ...]) -> Any:
    """`value` with the attribute the steps read from an `OpenObject` (a resource without schema, being
    created) added as unknown, so that a reference to an attribute the configuration does not set is
    known after apply instead of an error. Follows index steps into count/for_each aggregates."""
    if not steps:
        return value
    step = steps[0]
    if isinstance(value, OpenObject):
        if isinstance(step, ast.GetAttr) and step.name not in value:
            return OpenObject({**value, step.name: UNKNOWN})
        return value
    key = step.name if isinstance(step, ast.GetAttr) else step.key
    if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
        opened = _opened(value[key], steps[1:])
        return value if opened is value[key] else [*value[:key], opened, *value[key + 1:]]
    if type(value) is dict and isinstance(key, str) and key in value:
        opened = _opened(value[key], steps[1:])
        return value if opened is value[key] else {**value, key: opened}
    return value


def _typed_resource(plain: Any, instance_type: cty.Type | None, repetition: str) -> Value:
    """A resource's value typed by its schema when known: one object, a tuple of them (count), an object
    of them (for_each)."""
    if repetition == "count" and isinstance(plain, list):
        return cty.tuple_value([from_plain(item, instance_type) for item in plain])
    if repetition == "for_each" and isinstance(plain, dict):
        return cty.object_value({k: from_plain(v, instance_type) for k, v in plain.items()})
    return from_plain(plain, instance_type)

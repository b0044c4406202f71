"""Values known at `terraform init` (Terraform 1.15): const variables, and the module `source`, `version` and
const module inputs evaluated from them, while the configuration is read (iac.config.loader).

What init can know, as Terraform 1.15.5 decides it: literals, const variables (a non-const one is unknown),
local values built from those, `path.*`, and functions (`timestamp()` is unknown). A source may refer only
to variables, locals and `path`; anything else (a resource, `each`, `count`, `terraform.workspace`) is
refused before evaluation. A child's const variable must be set by its caller from such a value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from iac.config.evaluate import EvaluationError, Scope, evaluate_typed
from iac.config.expressions import UnsupportedExpression, template_references
from iac.config.model import NOT_SET, Module
from iac.config.variables import const_variables, typed_variable
from iac.diagnostics import ConfigError, Diagnostic
from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import FunctionContext

__all__ = ["InitScope", "VariableInputs", "const_inputs", "init_source"]

_KNOWABLE = frozenset(("var", "local", "path"))
"""The references a source may make (Terraform: "only ... constant input variables and local values";
`path.*` is accepted too)."""
_UNKNOWN = cty.unknown(cty.DYNAMIC)
INVALID_SOURCE = ("Invalid module source: The module source can only reference constant input variables and local "
                  "values.")
UNKNOWN_SOURCE = "Unknown module source: Only literal values and const variables can be evaluated during init."
UNKNOWN_CONST = ("Const variables must be known: Only a constant value can be passed into a constant module "
                 "variable.")


class VariableInputs(NamedTuple):
    """The root variables' values given from outside the configuration, as `iac plan --var` and the planner's
    options hold them; read while loading only for const variables."""

    cli_vars: Mapping[str, str] = MappingProxyType({})
    env: Mapping[str, str] | None = None
    """None: the process environment (`TF_VAR_*`), as the planner reads it."""
    var_files: tuple[str | Path, ...] = ()

    def const_values(self, module: Module) -> dict[str, Value]:
        env = os.environ if self.env is None else self.env
        return const_variables(module, cli_vars=self.cli_vars, env=env, var_files=self.var_files)


class InitScope(Scope):
    """One module as init sees it: its const variables' values, its locals evaluated on demand."""

    def __init__(self, module: Module, consts: Mapping[str, Value], root: Path) -> None:
        self.config, self.consts, self.root = module, consts, root
        self.functions = FunctionContext(base_dir=root)
        self._locals: dict[str, Value] = {}

    def variable(self, name: str) -> Any:
        if name not in self.config.variables:
            raise EvaluationError(f'Reference to undeclared input variable: An input variable with the name "{name}" '
                                  f'has not been declared. This variable can be declared with a variable "{name}" {{}} '
                                  "block.")
        return self.consts.get(name, _UNKNOWN)

    def local(self, name: str) -> Any:
        if name not in self.config.locals:
            raise EvaluationError(f'Reference to undeclared local value: A local value with the name "{name}" has '
                                  "not been declared.")
        if name not in self._locals:
            self._locals[name] = _UNKNOWN  # a cycle reads unknown here; the planner reports it
            expr, _file = self.config.locals[name]
            self._locals[name] = evaluate_typed(expr, self) if _knowable(expr) else _UNKNOWN
        return self._locals[name]

    def resource(self, mode: str, rtype: str, name: str) -> Any:
        return _UNKNOWN

    def module(self, name: str) -> Any:
        return _UNKNOWN

    def path(self, name: str) -> Any:
        if name == "module":
            return os.path.relpath(self.config.dir, self.root).replace(os.sep, "/")
        if name == "root":
            return "."
        return str(self.root)


def _knowable(expr: Any) -> bool:
    """Refers to nothing init cannot know (checked by reference roots, before evaluating)."""
    try:
        return all(ref.root in _KNOWABLE for ref in template_references(expr))
    except UnsupportedExpression:
        return True  # evaluation reports the syntax error


def _where(expr: Any, site: str) -> str:
    pos = getattr(expr, "pos", None)
    return str(pos) if pos is not None and getattr(pos, "file", "<string>") != "<string>" else site


def _evaluate(expr: Any, scope: InitScope, site: str, address: str, attribute: str) -> Value:
    try:
        return evaluate_typed(expr, scope)
    except (EvaluationError, UnsupportedExpression) as error:
        where = error.source(site) if isinstance(error, EvaluationError) else site
        raise ConfigError(Diagnostic(str(getattr(error, "message", error)), source=where, address=address,
                                     attribute=attribute)) from None


def init_source(expr: Any, scope: InitScope, site: str, address: str, attribute: str = "source") -> str | None:
    """A module call's `source` (or `version`) written as an expression, evaluated as init evaluates it;
    None for null."""
    where = _where(expr, site)
    if not _knowable(expr):
        raise ConfigError(Diagnostic(INVALID_SOURCE, source=where, address=address, attribute=attribute))
    value, _marks = _evaluate(expr, scope, where, address, attribute).unmark_deep()
    if not value.is_wholly_known():
        raise ConfigError(Diagnostic(UNKNOWN_SOURCE, source=where, address=address, attribute=attribute))
    if value.is_null:
        return None
    if cty.SENSITIVE in _marks:  # Terraform 1.15.5 panics on one ("value is marked"): refused in one line here
        raise ConfigError(Diagnostic("Invalid module source: The module source must not be sensitive.", source=where,
                                     address=address, attribute=attribute))
    try:
        return str(cty.convert(value, cty.STRING).v)
    except cty.ConversionError:
        raise ConfigError(Diagnostic(f"Incorrect value type: Invalid expression value: string required, but have "
                                     f"{cty.constraint_name(value.type)}.", source=where, address=address,
                                     attribute=attribute)) from None


def const_inputs(child: Module, inputs: Mapping[str, Any], scope: InitScope, site: str,
                 address: str) -> dict[str, Value]:
    """The child's const variables as its caller sets them (`inputs`, evaluated in the caller's `scope`), else
    their defaults; a value init cannot know is Terraform's error."""
    values: dict[str, Value] = {}
    for name, var in child.variables.items():
        if not var.const:
            continue
        if name not in inputs:
            if var.default is NOT_SET:
                raise ConfigError(Diagnostic(f'Missing required argument: The argument "{name}" is required, but no '
                                             "definition was found.", source=site, address=address))
            values[name] = typed_variable(var, var.default)
            continue
        expr = inputs[name]
        where = _where(expr, site)
        if not _knowable(expr):
            raise ConfigError(Diagnostic(UNKNOWN_CONST, source=where, address=address, attribute=name))
        value = _evaluate(expr, scope, where, address, name)
        if not value.is_wholly_known():
            raise ConfigError(Diagnostic(UNKNOWN_CONST, source=where, address=address, attribute=name))
        try:
            values[name] = typed_variable(var, value)
        except ConfigError as error:  # named at the caller's argument, as Terraform names it
            raise ConfigError(Diagnostic(error.diagnostics[0].summary, source=where, address=address,
                                         attribute=name)) from None
    return values

"""Constant expressions: evaluated with no variables and no functions, as Terraform reads `.tfvars` files,
`-var` values, variable defaults and `optional()` defaults."""

from __future__ import annotations

from typing import Any

from iac.diagnostics import ConfigError, Diagnostic
from iac.lang import ast
from iac.lang.cty import Value
from iac.lang.evaluate import EvalError, evaluate_expr
from iac.lang.functions import FunctionContext

__all__ = ["static_value"]


def static_value(expr: Any, where: str) -> Value:
    """An expression evaluated with no variables and no functions, as Terraform reads `.tfvars` files and
    `-var` values."""
    try:
        return evaluate_expr(expr, _NO_SCOPE)
    except EvalError as error:
        raise ConfigError(Diagnostic(error.message, source=str(error.pos) if error.pos else where)) from error


class _NoScope:
    """The evaluation context of a `.tfvars` file: nothing to refer to, no functions."""

    functions = FunctionContext()
    allow_functions = False

    def lookup(self, traversal: ast.ScopeTraversal) -> tuple[Value, int]:
        raise EvalError("Variables not allowed: Variables may not be used here.", traversal.pos)


_NO_SCOPE = _NoScope()

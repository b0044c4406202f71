"""Constant expressions as configuration errors: `.tfvars` files, `-var` values and variable defaults are
evaluated with no variables and no functions (`iac.lang.evaluate.evaluate_constant`); a failure is one line
naming the file and line."""

from __future__ import annotations

from typing import Any

from iac.diagnostics import ConfigError, Diagnostic
from iac.lang.cty import Value
from iac.lang.evaluate import EvalError, evaluate_constant

__all__ = ["static_value"]


def static_value(expr: Any, where: str) -> Value:
    """The constant value of `expr`; ConfigError naming `file:line` (or `where`) when it is not one."""
    try:
        return evaluate_constant(expr)
    except EvalError as error:
        raise ConfigError(Diagnostic(error.message, source=str(error.pos) if error.pos else where)) from error

"""A resolve step: one named change or check applied to a built stack, returning diagnostics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from iac.diagnostics import ConfigError, Diagnostic, Severity
from iac.environment import Environment
from iac.stack import Stack

__all__ = ["Step", "run_steps"]


@dataclass(frozen=True)
class Step:
    """`apply(environment, stack)` may change constructs and returns the problems it found."""

    name: str
    apply: Callable[[Environment, Stack], list[Diagnostic]]


def run_steps(steps: Sequence[Step], environment: Environment, stack: Stack) -> list[Diagnostic]:
    """Run steps in order; stop after the first step that reports an error (ConfigError with all of them)."""
    warnings: list[Diagnostic] = []
    for step in steps:
        diagnostics = [d.at(environment=environment.name) for d in step.apply(environment, stack)]
        errors = [d for d in diagnostics if d.severity is Severity.error]
        if errors:
            raise ConfigError(*errors)
        warnings.extend(diagnostics)
    return warnings

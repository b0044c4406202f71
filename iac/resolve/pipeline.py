"""The ordered resolve steps between building a stack and synthesizing it.

Each entry says what it reads, what it changes, and why it sits where it does.
"""

from __future__ import annotations

from iac.diagnostics import Diagnostic
from iac.environment import Environment
from iac.resolve._step import Step, run_steps
from iac.resolve.presets import apply_development_presets, apply_separation
from iac.resolve.tags import add_default_tags
from iac.resolve.validate import validate_production, validate_references, validate_schema
from iac.stack import Stack

__all__ = ["STEPS", "resolve"]

STEPS: tuple[Step, ...] = (
    # reads separation; prefixes identifiers/display names with the environment. First, so the
    # development prefix below lands in front of it ("[dev al] [dev] etl") and never inside it.
    Step("apply_separation", apply_separation),
    # reads mode + presets; changes names, job schedules, cluster autotermination. Before tags and
    # validation so both see the final values.
    Step("apply_development_presets", apply_development_presets),
    # reads default_tags; fills tag maps. After presets (which never touch tags), before validation.
    Step("add_default_tags", add_default_tags),
    # reads mode; checks run_as, owners, pinned versions. On final values only.
    Step("validate_production", validate_production),
    # checks every reference targets a resource of this stack.
    Step("validate_references", validate_references),
    # last: the bodies synth will write still satisfy the provider schema.
    Step("validate_schema", validate_schema),
)


def resolve(environment: Environment, stack: Stack) -> list[Diagnostic]:
    """Run every step in order; raises ConfigError on the first step with errors, returns warnings."""
    return run_steps(STEPS, environment, stack)

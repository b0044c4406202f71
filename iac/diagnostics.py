"""One diagnostic type for the whole tool, and the exception tree.

    IacError                  base; the CLI catches it in exactly one place
    ├── ConfigError           bad user input: constructs, environments, Terraform JSON we cannot read
    ├── StateError            a state file that exists but cannot be used (no state at all is not an error)
    ├── PlanError             the planner refuses: prevent_destroy, dependency cycle, unsupported expression
    ├── PolicyDenied          the checks denied the plan (exit code 3)
    ├── TerraformError        the Terraform engine failed or disagreed with our preview
    └── ApplyRefused          approval missing, lock held, stale reviewed plan

Every problem prints as one line, location first:
    environments/prod.py:42: [prod] databricks_cluster.team_07_etl.autoscale.max_workers: 120 is above the limit of 40

One line whatever the input: control characters (a newline in a resource name, a terminal escape in a
value) and bidirectional-text controls are written as escapes (`\n`, `\x1b`, `\u202e`), and a line longer
than `MAX_LINE` characters (an error echoing a 500 kB value) is cut, the rest elided with its length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

__all__ = [
    "MAX_LINE",
    "ApplyRefused",
    "ConfigError",
    "Diagnostic",
    "IacError",
    "PlanError",
    "PolicyDenied",
    "Severity",
    "StateError",
    "TerraformError",
    "listed",
    "one_line",
]


class Severity(str, Enum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in user input or in a run.

    `summary` is always set and is one line. The location fields are optional and, when set, are
    printed before it: `source` is `file:line` of the Python that made the resource, `environment`
    the environment name, `address` the Terraform resource address, `attribute` a dotted path.
    `detail` is shown only on request (`--debug`).
    """

    summary: str
    severity: Severity = Severity.error
    source: str | None = None
    environment: str | None = None
    address: str | None = None
    attribute: str | None = None
    detail: str | None = None

    def format(self) -> str:
        parts: list[str] = []
        if self.source:
            parts.append(f"{self.source}:")
        if self.environment:
            parts.append(f"[{self.environment}]")
        target = ".".join(p for p in (self.address, self.attribute) if p)
        if target:
            parts.append(f"{target}:")
        if self.severity is Severity.warning:
            parts.append("warning:")
        parts.append(self.summary)
        return one_line(" ".join(parts))

    def at(self, **where: str | None) -> Diagnostic:
        """The same diagnostic with location fields filled in where they are still empty."""
        updates = {k: v for k, v in where.items() if v is not None and getattr(self, k) is None}
        return replace(self, **updates) if updates else self  # type: ignore[arg-type]


MAX_LINE = 500
"""Characters of one diagnostic line; the rest is elided (`… (123,456 more characters)`)."""

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """`text` as one printable line of at most about `limit` characters (see the module docstring)."""
    if _UNPRINTABLE.search(text):
        text = _UNPRINTABLE.sub(_escape, text)
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit:,} more characters)"
    return text


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


class IacError(Exception):
    """Base of every error iac reports to a user. Carries one or more diagnostics."""

    exit_code = 1

    def __init__(self, *diagnostics: Diagnostic | str) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(
            d if isinstance(d, Diagnostic) else Diagnostic(summary=d) for d in diagnostics
        )
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    @classmethod
    def collect(cls, diagnostics: Iterable[Diagnostic]) -> None:
        """Raise with every error among `diagnostics`, if there is one."""
        errors = [d for d in diagnostics if d.severity is Severity.error]
        if errors:
            raise cls(*errors)


class ConfigError(IacError):
    """Raised for invalid constructs, environments or Terraform configuration."""


class StateError(IacError):
    """Raised when a state file exists but is unreadable or of an unsupported version."""


class PlanError(IacError):
    """Raised when a plan cannot be made: prevent_destroy, a cycle, an expression we cannot evaluate."""


class PolicyDenied(IacError):
    """Raised when the checks deny a plan in an environment where they are mandatory."""

    exit_code = 3


class TerraformError(IacError):
    """Raised when the Terraform engine fails, or its plan disagrees with iac's preview."""


class ApplyRefused(IacError):
    """Raised when an apply or destroy may not proceed: approval, lock, stale reviewed plan."""


def listed(names: Sequence[str], shown: int = 5) -> str:
    """`a, b, c, d, e and 95 more`: many names on one line (prod has 100 secrets: a line each buries the output)."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more

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

import difflib
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
    "did_you_mean",
    "listed",
    "one_line",
    "printable",
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

_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
"""Control (Cc), format (Cf: bidirectional overrides, zero-width characters) and line/paragraph separators
(Zl, Zp): what Go's strconv.Quote escapes besides quotes, and what a terminal or a browser would act on."""
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str, keep: str = "") -> str:
    """`text` with every control, format or separator character written as an escape (`\\n`, `\\x1b`,
    `\\u202e`): what a terminal or a browser would act on is shown, never obeyed. Characters in `keep`
    (a tab in a heredoc) are left as they are."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda match: match.group() if match.group() in keep else _escape(match), text)


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """`text` as one printable line of at most about `limit` characters (see the module docstring)."""
    text = printable(text)
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit:,} more characters)"
    return text


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                                  else f"\\U{code:08x}")


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


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest candidate (a case-only difference first), or `""`."""
    pool = sorted(set(candidates))
    folded = name.lower()
    same_case = [c for c in pool if c.lower() == folded]
    started = [c for c in pool if folded and c.lower().startswith(folded)]  # `prod` for `production`
    close = same_case or (started if len(started) == 1 else []) or difflib.get_close_matches(name, pool, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""

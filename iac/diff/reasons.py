"""Why each attribute changes: the `iac.reasons` extension of the plan JSON (display only).

Reasons are computed from the values (prior vs planned) plus what the planner reported: paths that
forced the replacement, paths where a default applied, paths a normalisation rule kept unchanged, and,
for an update iac cannot vouch for, the changed paths that may replace (`may_replace_reason`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iac.diff.typeplanner import Planned
from iac.plan.model import AttributeReason
from iac.values import Path, Unknown, format_path, strict_equal

__all__ = ["attribute_reasons"]

Uncertain = tuple[Callable[[Path], bool], str]
"""Which changed paths may replace, and the reason to give them."""


def attribute_reasons(prior: dict[str, Any] | None, planned: Planned, replace_paths: list[Path],
                      uncertain: Uncertain | None = None) -> dict[str, AttributeReason | str]:
    """`{formatted path: reason}` for every changed leaf (top-level attributes for a create)."""
    found: dict[Path, AttributeReason] = {}
    after = planned.value
    defaults = set(planned.defaults)
    replace = set(replace_paths)
    if prior is None:
        for name in sorted(after):
            value = after[name]
            if value is None or value == [] or value == {}:
                continue
            found[(name,)] = _leaf_reason((name,), None, value, replace, defaults)
    else:
        for name in sorted(after):
            _walk(prior.get(name), after[name], (name,), replace, defaults, found)
    reasons: dict[str, AttributeReason | str] = {}
    for path, reason in found.items():
        reasons[format_path(path)] = uncertain[1] if uncertain is not None and uncertain[0](path) else reason
    for path in planned.suppressed:
        reasons.setdefault(format_path(path), AttributeReason.NORMALISED_AWAY)
    return reasons


def _walk(before: Any, after: Any, path: Path, replace: set[Path], defaults: set[Path],
          reasons: dict[Path, AttributeReason]) -> None:
    if strict_equal(before, after):
        return
    if path in replace:
        reasons[path] = AttributeReason.FORCES_REPLACEMENT
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            _walk(before.get(key), after.get(key), (*path, key), replace, defaults, reasons)
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (b, a) in enumerate(zip(before, after, strict=True)):
            _walk(b, a, (*path, index), replace, defaults, reasons)
        return
    reasons[path] = _leaf_reason(path, before, after, replace, defaults)


def _leaf_reason(path: Path, before: Any, after: Any, replace: set[Path], defaults: set[Path]) -> AttributeReason:
    if path in replace:
        return AttributeReason.FORCES_REPLACEMENT
    if isinstance(after, Unknown):
        return AttributeReason.UNKNOWN_UNTIL_APPLY
    if path in defaults:
        return AttributeReason.PROVIDER_DEFAULT
    if (after is None or after == [] or after == {}) and before not in (None, [], {}):
        return AttributeReason.REMOVED_FROM_CONFIG
    return AttributeReason.SET_IN_CONFIG

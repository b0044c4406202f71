"""The report of a fleet rollout (`iac apply ENV` on a fleet): what was applied where, what failed, what was not
started, and how to resume. Text for a terminal and a CI log; one line per wave."""

from __future__ import annotations

from typing import Any

from iac.fleet.waves import is_canary_wave

__all__ = ["render_rollout_report"]

_SHARED = "(shared)"


def render_rollout_report(environment: str, report: Any) -> str:
    """The text of a `FleetApplyReport` (iac/workflows/fleet_applying.py); it ends with a newline."""
    outcomes, seconds = report.outcomes, report.seconds
    lines = [f"Fleet {environment} rollout: {_counts(outcomes, report.not_started)} in {report.total_seconds:.1f} s"]
    if _SHARED in outcomes and all(_SHARED not in wave for wave in report.waves):
        lines.append(f"  shared part: {_one(_SHARED, outcomes, seconds)}")
    for index, wave in enumerate(report.waves, start=1):
        started = [label for label in wave if label in outcomes]
        if started:
            canary = " (canary)" if is_canary_wave(report.waves, report.canary, index) else ""
            lines.append(f"  wave {index}{canary}: " + ", ".join(_one(label, outcomes, seconds) for label in started))
    converged = [label for label, outcome in outcomes.items() if outcome == "converged"]
    if converged:
        lines.append(f"  converged before this run (skipped): {_names(converged)}")
    for error in report.errors.values():
        lines.append(f"  failed: {error}")
    if report.not_started:
        lines.append(f"  not started: {_names(report.not_started)}")
    if report.error is not None:
        lines.append("Resume: fix what failed, then run the same `iac apply` again (with the same --plan, if one was "
                     "given): the parts already applied have nothing left to apply, and the rollout goes on from there.")
    return "\n".join(lines) + "\n"


def _one(label: str, outcomes: dict[str, str], seconds: dict[str, float]) -> str:
    took = f" {seconds[label]:.1f} s" if label in seconds else ""
    return f"{label} {outcomes[label]}{took}"


def _counts(outcomes: dict[str, str], not_started: list[str]) -> str:
    tally: dict[str, int] = {}
    for outcome in outcomes.values():
        tally[outcome] = tally.get(outcome, 0) + 1
    parts = [f"{count} {outcome}" for outcome, count in sorted(tally.items())]
    if not_started:
        parts.append(f"{len(not_started)} not started")
    return ", ".join(parts) or "nothing to do"


def _names(labels: list[str], shown: int = 20) -> str:
    more = f" and {len(labels) - shown} more" if len(labels) > shown else ""
    return ", ".join(labels[:shown]) + more

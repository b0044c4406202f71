"""Plan reading the Markdown renderer needs, on top of the renderers' shared vocabulary (`_common`).

`_common` owns the counting rules (a replace counts once in add and once in destroy; reads, moves and
forgets are not in the summary line), the action symbols and Terraform's wording of each change; this
module only adds what the Markdown summary table shows besides: the number of replacements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from iac.render._common import Action, action_of, action_symbol, describe_change, shown_changes, summary_counts
from iac.render._common import Counts as SummaryCounts
from iac.render._common import summary_line as terraform_summary_line

__all__ = ["Counts", "counts", "header_text", "summary_line", "symbol"]

_REPLACES = (Action.DELETE_THEN_CREATE, Action.CREATE_THEN_DELETE)


@dataclass(frozen=True)
class Counts:
    """Numbers of the summary table: Terraform's summary counts plus the replacements among them."""

    summary: SummaryCounts
    replace: int = 0
    outputs: int = 0
    """Root outputs the plan changes (the only changes of a plan that only saves new output values)."""

    @property
    def has_changes(self) -> bool:
        s = self.summary
        return bool(s.resource_actions or s.to_move or s.to_import)


def counts(plan: Mapping[str, Any]) -> Counts:
    """Count the plan's shown resource changes by Terraform's rules, and its replacements."""
    replace = sum(1 for rc in shown_changes(plan) if action_of(rc["change"]["actions"]) in _REPLACES)
    outputs = sum(1 for change in (plan.get("output_changes") or {}).values()
                  if (change.get("actions") or ["no-op"]) != ["no-op"])
    return Counts(summary_counts(plan), replace, outputs)


def summary_line(tally: Counts) -> str:
    """Terraform's `Plan: A to add, C to change, D to destroy.`, its outputs-only sentence, or its no-changes one."""
    if not tally.has_changes:
        if tally.outputs:
            return ("Changes to Outputs only: applying saves the new output values to the Terraform state, without "
                    "changing any real infrastructure.")
        return "No changes. Your infrastructure matches the configuration."
    return terraform_summary_line(tally.summary)


def symbol(actions: tuple[str, ...]) -> str:
    """Terraform's action symbol; empty for a no-op (a pure move) or an actions list we do not know."""
    try:
        return action_symbol(list(actions))
    except ValueError:
        return ""


def header_text(rc: Mapping[str, Any]) -> str:
    """Terraform's description of the change without the leading address, plus what forced a replace."""
    text = " ".join(describe_change(rc))
    address = str(rc.get("address", ""))
    if text.startswith(address + " "):
        text = text[len(address) + 1 :]
    forced = _forced_by(rc)
    return f"{text} ({forced})" if forced else text


def _forced_by(rc: Mapping[str, Any]) -> str:
    change = rc.get("change") or {}
    if "delete" not in (change.get("actions") or []) or "create" not in (change.get("actions") or []):
        return ""
    names = [".".join(str(step) for step in path) for path in change.get("replace_paths") or []
             if isinstance(path, list)]
    if not names:
        return ""
    return ", ".join(sorted(names)) + (" forces" if len(names) == 1 else " force") + " replacement"

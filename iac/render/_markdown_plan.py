"""Plan reading the Markdown renderer needs: counting, action symbols, Terraform's header wording.

Counting follows Terraform's summary line (shared/reference/terraform-formats.md §3.6): a replace counts
once in add and once in destroy; reads and forgets are not counted; moves are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Counts", "counts", "header_text", "is_destructive", "summary_line", "symbol"]


@dataclass(frozen=True)
class Counts:
    """Numbers of the summary table. `add` and `destroy` include replacements, as in `Plan: ...`."""

    add: int = 0
    change: int = 0
    replace: int = 0
    destroy: int = 0
    move: int = 0
    imports: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.add or self.change or self.destroy or self.move or self.imports)


def counts(plan: dict[str, Any]) -> Counts:
    """Count the plan's resource changes by Terraform's rules."""
    add = change = replace = destroy = move = imports = 0
    for rc in plan.get("resource_changes") or []:
        actions = (rc.get("change") or {}).get("actions") or []
        if "create" in actions:
            add += 1
        if "delete" in actions:
            destroy += 1
        if "create" in actions and "delete" in actions:
            replace += 1
        if actions == ["update"]:
            change += 1
        if rc.get("previous_address"):
            move += 1
        if (rc.get("change") or {}).get("importing"):
            imports += 1
    return Counts(add, change, replace, destroy, move, imports)


def summary_line(tally: Counts) -> str:
    """Terraform's `Plan: A to add, C to change, D to destroy.` (with imports first when there are any)."""
    if not tally.has_changes:
        return "No changes. Your infrastructure matches the configuration."
    imported = f"{tally.imports} to import, " if tally.imports else ""
    return f"Plan: {imported}{tally.add} to add, {tally.change} to change, {tally.destroy} to destroy."


_SYMBOLS = {
    ("create",): "+",
    ("update",): "~",
    ("delete",): "-",
    ("delete", "create"): "-/+",
    ("create", "delete"): "+/-",
    ("read",): "<=",
    ("forget",): ".",
    ("create", "forget"): "+/.",
}


def symbol(actions: tuple[str, ...]) -> str:
    """Terraform's action symbol; empty for a no-op (a pure move)."""
    return _SYMBOLS.get(tuple(actions), "")


def is_destructive(actions: tuple[str, ...]) -> bool:
    return "delete" in actions


_DELETE_BECAUSE = {
    "delete_because_no_resource_config": "not in configuration",
    "delete_because_wrong_repetition": "resource uses count or for_each",
    "delete_because_count_index": "index out of range for count",
    "delete_because_each_key": "key not in for_each map",
    "delete_because_no_module": "module is not in configuration",
    "delete_because_no_move_target": "moved target is not declared",
}
_REPLACE_BECAUSE = {
    "replace_because_tainted": "tainted",
    "replace_by_request": "replacement requested",
    "replace_by_triggers": "replace_triggered_by",
}


def header_text(rc: dict[str, Any]) -> str:
    """What happens to the resource, in Terraform's words, plus why when the plan says."""
    actions = tuple((rc.get("change") or {}).get("actions") or ["no-op"])
    reason = rc.get("action_reason") or ""
    if "delete" in actions and "create" in actions:
        text = "must be replaced"
        why = _REPLACE_BECAUSE.get(reason) or _forced_by(rc)
    elif actions == ("delete",):
        text, why = "will be destroyed", _DELETE_BECAUSE.get(reason, "")
    elif actions == ("create",):
        text, why = "will be created", ""
    elif actions == ("update",):
        text, why = "will be updated in-place", ""
    elif actions == ("read",):
        text, why = "will be read during apply", ""
    elif "forget" in actions:
        text, why = "will no longer be managed, but will not be destroyed", ""
    else:
        text, why = "", ""
    if rc.get("previous_address"):
        moved = f"moved from {rc['previous_address']}"
        text = f"{text}, {moved}" if text else f"has {moved}"
    return f"{text} ({why})" if why else text


def _forced_by(rc: dict[str, Any]) -> str:
    paths = (rc.get("change") or {}).get("replace_paths") or []
    names = [".".join(str(step) for step in path) for path in paths if isinstance(path, list)]
    if not names:
        return ""
    return ", ".join(sorted(names)) + (" forces" if len(names) == 1 else " force") + " replacement"

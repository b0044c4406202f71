"""Where the changed values of an update or a replacement come from: one short note per changed attribute.

Read from the plan JSON only: `iac.reasons` (per resource, per changed attribute path, why it changes) and
`iac.sources` (the Python line that made each resource). The notes say:

    set at modules/team_workspace.py:142       the value is written on the construct's own line (a blueprint line)
    set by default_tags of environment dev     a resolve step set it (the environment's default tags, a preset)
    removed from config                        the configuration no longer sets it
    provider default                           the provider fills it in

Not noted: what Terraform's own diff already shows (`# forces replacement`, `(known after apply)`) and
differences normalised away. Creates and deletes get no notes: every attribute is new, or gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["attribute_notes", "grouped_notes", "planned_by_iac"]

_NOTED_ACTIONS = (["update"], ["delete", "create"], ["create", "delete"])
_NOT_NOTED = {"forces replacement", "unknown until apply", "normalised away"}


def planned_by_iac(plan: Mapping[str, Any]) -> bool:
    """A plan iac's engine made: its `iac` key has the apply order the engine computed. Terraform's own
    `show -json` has no `iac` key (and a masked copy of it, in the tests, only reasons): it is rendered
    exactly as Terraform prints it, without notes."""
    meta = plan.get("iac")
    return isinstance(meta, Mapping) and "apply_order" in meta


def attribute_notes(plan: Mapping[str, Any], rc: Mapping[str, Any]) -> dict[str, str]:
    """Changed attribute path (as `iac.reasons` spells it) -> its note, for one resource change."""
    if list(rc.get("change", {}).get("actions") or ()) not in _NOTED_ACTIONS or not planned_by_iac(plan):
        return {}
    meta = plan["iac"]
    reasons = (meta.get("reasons") or {}).get(rc.get("address"))
    source = (meta.get("sources") or {}).get(rc.get("address"))
    notes: dict[str, str] = {}
    for path, why in (reasons or {}).items() if isinstance(reasons, Mapping) else ():
        note = _note(str(why), source)
        if note is not None:
            notes[str(path)] = note
    return notes


def grouped_notes(plan: Mapping[str, Any], rc: Mapping[str, Any]) -> list[str]:
    """`path, path: note` lines, one per distinct note, in the order of their first path."""
    by_note: dict[str, list[str]] = {}
    for path, note in sorted(attribute_notes(plan, rc).items()):
        by_note.setdefault(note, []).append(path)
    return [f"{', '.join(paths)}: {note}" for note, paths in by_note.items()]


def _note(why: str, source: Any) -> str | None:
    if why in _NOT_NOTED:
        return None
    if why == "set in config" and isinstance(source, str) and source:
        return f"set at {source}"
    return why

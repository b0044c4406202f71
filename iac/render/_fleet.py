"""What the fleet roll-up renderers (text, Markdown) share: reading the roll-up document (iac/fleet/rollup.py).

A group's diff is the existing per-resource diff (`_markdown_diff.change_lines`: one line per changed leaf,
masks honoured) of the member the group is shown for, reordered so that what is set in configuration and what
changes comes first, and what is only known after apply closes the block as one line of names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iac.render._common import sensitivity_masks
from iac.render._markdown_diff import UNKNOWN, change_lines
from iac.render._markdown_plan import header_text, symbol

__all__ = ["DestroyGroup", "destroy_groups", "group_lines", "identity_note", "shown", "summary_sentence", "title"]

_PLACEHOLDER_OPEN, _PLACEHOLDER_CLOSE = "\x00", "\x01"


def shown(template: str) -> str:
    """`databricks_cluster.‹key›_shared`: a template as people read it."""
    out, _, rest = [], None, template
    while _PLACEHOLDER_OPEN in rest:
        head, _, tail = rest.partition(_PLACEHOLDER_OPEN)
        name, _, rest = tail.partition(_PLACEHOLDER_CLOSE)
        out.append(f"{head}‹{name}›")
    out.append(rest)
    return "".join(out)


def title(group: Mapping[str, Any]) -> tuple[str, str, str]:
    """(symbol, address template as shown, Terraform's description of the change)."""
    change = group["change"]
    actions = tuple((change.get("change") or {}).get("actions") or ())
    if change.get("kind") == "output":
        return symbol(actions), shown(group["address"]), "output changes"
    return symbol(actions), shown(group["address"]), header_text(change)


def group_lines(group: Mapping[str, Any]) -> list[str]:
    """The shown member's diff lines: configured and changed values first, known-after-apply names last."""
    change = group["change"]
    if change.get("kind") == "output":
        inner = change.get("change") or {}
        after = "(sensitive value)" if inner.get("after_sensitive") is True else (
            UNKNOWN if inner.get("after_unknown") is True else repr_value(inner.get("after")))
        return [f"{symbol(tuple(inner.get('actions') or ()))} {str(change['address']).removeprefix('output.')} = {after}"]
    reasons = frozenset((change.get("reasons") or {}).keys())
    lines = change_lines(change.get("change") or {}, reasons, masks=sensitivity_masks(change))
    known, later, notes = [], [], []
    for line in lines:
        if line.startswith("  #"):
            notes.append(line)
        elif line.rstrip().endswith("= " + UNKNOWN):
            later.append(line[2:].split("=", 1)[0].strip())
        else:
            known.append(line)
    if later:
        notes.append(f"  # known after apply: {', '.join(later)}")
    return known + notes


def repr_value(value: Any) -> str:
    from iac.render._markdown_text import scalar

    return scalar(value)


def identity_note(group: Mapping[str, Any]) -> str:
    """Which of the shown member's values are its own (its key, its cost center...)."""
    used = list(group.get("identity") or ())
    if len(group["members"]) < 2 or not used:
        return ""
    return f"values shown for {group['shown_for']}; each member has its own {', '.join(used)}"


@dataclass(frozen=True)
class DestroyGroup:
    """Destroys and replacements of one address template, with every member that has one."""

    symbol: str
    template: str
    header: str
    members: tuple[str, ...]
    addresses: tuple[str, ...]
    """Each member's own address, when the template names more than the member's key."""


def destroy_groups(destroys: Sequence[Mapping[str, Any]]) -> list[DestroyGroup]:
    """Every destroy and replacement, grouped by address template and description, members never cut."""
    by_key: dict[tuple[str, str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for entry in destroys:
        header = header_text(entry["change"])
        by_key[(symbol(tuple(entry["actions"])), entry["template"], header)].append(entry)
    out = []
    for (sign, template, header), entries in by_key.items():
        plain = shown(template).replace("‹key›", "")
        exact = "‹" in plain  # other identity fields in the address: say each member's own
        out.append(DestroyGroup(sign, shown(template), header, tuple(e["member"] for e in entries),
                                tuple(e["address"] for e in entries) if exact else ()))
    return out


def summary_sentence(rollup: Mapping[str, Any]) -> str:
    """`50 members: 3 changed, 46 unchanged, 1 failing, 1 removed.`"""
    members = rollup["members"]
    parts = [f"{len(members['changed'])} changed", f"{len(members['unchanged'])} unchanged",
             f"{len(members['failing'])} failing"]
    if members["removed"]:
        parts.append(f"{len(members['removed'])} removed")
    return f"{members['total']} members: {', '.join(parts)}."


def plan_sentence(rollup: Mapping[str, Any]) -> str:
    """Terraform's summary line over the whole fleet."""
    totals = rollup["totals"]
    if not any(totals.values()) and not _shared_changes(rollup):
        return "No changes. Every member matches its configuration."
    imports = f"{totals['import']} to import, " if totals.get("import") else ""
    return (f"Plan: {imports}{totals['add']} to add, {totals['change']} to change, {totals['destroy']} to destroy"
            f" ({totals['replace']} replaced, {totals['move']} moved), over all members and the shared part.")


def _shared_changes(rollup: Mapping[str, Any]) -> bool:
    return bool((rollup.get("shared") or {}).get("changes"))

"""What the fleet roll-up renderers (text, Markdown) share: reading the roll-up document (iac/fleet/rollup.py).

A group's diff is the change record of the member it is shown for (iac/fleet/delta.py: the leaves that change,
masked leaves already masked): one line per leaf, Terraform's symbols, what is set in configuration and what
changes first, and what is only known after apply closing the block as one line of names.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iac.render._markdown_plan import header_text, symbol

__all__ = ["DestroyGroup", "complete_list", "destroy_groups", "group_lines", "identity_note", "plan_sentence",
           "planned_members", "pseudo_change", "refresh_sentence", "shown", "summary_sentence", "title"]

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
    record = group["change"]
    actions = tuple(record.get("actions") or ())
    if record.get("kind") == "output":
        return symbol(actions), shown(group["address"]), "output changes"
    return symbol(actions), shown(group["address"]), header_text(pseudo_change(record))


def pseudo_change(record: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a plan JSON resource change a change record keeps (what Terraform's description reads)."""
    rc = {k: record[k] for k in ("address", "type", "name", "mode", "index", "action_reason", "previous_address",
                                 "deposed", "module_address") if record.get(k) is not None}
    rc["change"] = {"actions": list(record.get("actions") or ()), "replace_paths": record.get("replace_paths") or []}
    return rc


def group_lines(group: Mapping[str, Any]) -> list[str]:
    """The changed leaves of the shown member's change, Terraform's symbols first, aligned on `=`: configured and
    changed values first, what is known only after apply as one line of names at the end."""
    record = group["change"]
    forced = {_dotted(p) for p in record.get("replace_paths") or [] if isinstance(p, list)}
    rows, later = [], []
    for path, old, new in record.get("delta") or ():
        dotted = _dotted([record["name"], *path[1:]] if record.get("kind") == "output" else path)
        if new == UNKNOWN_LEAF:
            later.append(dotted)
            continue
        note = "  # forces replacement" if any(dotted == f or dotted.startswith(f + ".") for f in forced) else ""
        if old == ABSENT_LEAF:
            rows.append(("+", dotted, _leaf(new) + note))
        elif new == ABSENT_LEAF:
            rows.append(("-", dotted, _leaf(old) + note))
        else:
            rows.append(("~", dotted, f"{_leaf(old)} -> {_leaf(new)}" + note))
    width = max((len(path) for _, path, _ in rows), default=0)
    lines = [f"{sign} {path.ljust(width)} = {text}" for sign, path, text in rows]
    if record.get("unchanged"):
        lines.append(f"  # ({record['unchanged']} unchanged attribute{'s' if record['unchanged'] != 1 else ''} hidden)")
    if later:
        lines.append(f"  # known after apply: {', '.join(later)}")
    return lines


_MARKERS = {"sensitive": "(sensitive value)", "unknown": "(known after apply)", "absent": "null"}
UNKNOWN_LEAF = {"$": "unknown"}
ABSENT_LEAF = {"$": "absent"}


def _leaf(value: Any) -> str:
    if isinstance(value, Mapping) and set(value) == {"$"} and value["$"] in _MARKERS:
        return _MARKERS[value["$"]]
    return repr_value(value)


def _dotted(path: Sequence[Any]) -> str:
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif step.replace("_", "").isalnum() and not step[:1].isdigit():
            out += f".{step}" if out else step
        else:
            out += f"[{json.dumps(step, ensure_ascii=False)}]"
    return out


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
        header = header_text(pseudo_change(entry["change"]))
        by_key[(symbol(tuple(entry["actions"])), entry["template"], header)].append(entry)
    out = []
    for (sign, template, header), entries in by_key.items():
        plain = shown(template).replace("‹key›", "")
        exact = "‹" in plain  # other identity fields in the address: say each member's own
        out.append(DestroyGroup(sign, shown(template), header, tuple(e["member"] for e in entries),
                                tuple(e["address"] for e in entries) if exact else ()))
    return out


def planned_members(rollup: Mapping[str, Any]) -> list[str]:
    """Every member the roll-up planned (a removed member is not one of them)."""
    members = rollup["members"]
    return [*members["changed"], *members["unchanged"], *(f["member"] for f in members["failing"])]


def complete_list(members: Sequence[str], planned: Sequence[str], name: Callable[[str], str] = str) -> str:
    """Every member named, never cut, as briefly as that allows: `every member (1,000)`, `every member but
    `search` (999)`, or the names themselves, whichever is shorter."""
    chosen, everyone = set(members), [m for m in planned if m != "(shared)"]
    outside = [m for m in everyone if m not in chosen]
    if len(everyone) > 1 and chosen >= set(everyone):
        extra = [m for m in members if m not in set(everyone)]
        return f"every member ({len(everyone)})" + (f" and {', '.join(name(m) for m in extra)}" if extra else "")
    if len(everyone) > 2 and len(outside) < len(members) and not (chosen - set(everyone)):
        return f"every member but {', '.join(name(m) for m in outside)} ({len(members)})"
    return ", ".join(name(m) for m in members)


def summary_sentence(rollup: Mapping[str, Any]) -> str:
    """`50 members: 3 changed, 46 unchanged, 1 failing, 1 removed.`"""
    members = rollup["members"]
    parts = [f"{len(members['changed'])} changed", f"{len(members['unchanged'])} unchanged",
             f"{len(members['failing'])} failing"]
    if members["removed"]:
        parts.append(f"{len(members['removed'])} removed")
    return f"{members['total']} member{'s' if members['total'] != 1 else ''}: {', '.join(parts)}."


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


_SHARED = "(shared)"


def refresh_sentence(rollup: Mapping[str, Any]) -> str | None:
    """`Refreshed through ENGINE: 1 of 50 members changed outside iac (fraud); the shared part did not.`, for a
    roll-up of `iac plan ENV --refresh`; None for one planned against the states as written."""
    refresh = rollup.get("refresh")
    if not isinstance(refresh, Mapping):
        return None
    parts, drifted = list(refresh.get("parts") or ()), list(refresh.get("drifted") or ())
    members = [p for p in parts if p != _SHARED]
    moved = [p for p in drifted if p != _SHARED]
    names = f" ({', '.join(moved[:10])}{f' and {len(moved) - 10} more' if len(moved) > 10 else ''})" if moved else ""
    shared = ("the shared part too" if _SHARED in drifted else "the shared part did not" if _SHARED in parts
              else "the shared part was not refreshed (planned against its state as written)")
    counted = f"{len(moved)} of {len(members)} member{'s' if len(members) != 1 else ''}" if members else "no member"
    return f"Refreshed through {refresh.get('engine')}: {counted} changed outside iac{names}; {shared}."

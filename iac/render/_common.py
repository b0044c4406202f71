"""What every plan renderer shares: actions, their symbols and words, the counting rules, masking.

Renderers read the plan JSON (Terraform format 1.2 plus the `iac` key, see docs/architecture.md)
and never compute a diff of their own. This module is the small shared vocabulary:

    Action / action_of(actions)      the `actions` list of a change as one value
    action_symbol(actions)           "+", "~", "-", "-/+", "+/-", "<=", ".", "+/." ("" for no-op)
    action_word(actions)             legend words: "create", "update in-place", "destroy", ...
    shown_changes(plan)              the resource changes a plan shows, in plan order
    describe_change(change)          Terraform's comment lines for one change ("x will be destroyed", "(because ...)")
    Counts / summary_counts(plan)    the numbers of the summary line
    summary_line(counts)             "Plan: [I to import, ]A to add, C to change, D to destroy."
    is_sensitive(mask, path)         whether a value is marked sensitive by a `*_sensitive` mask
    sensitivity_masks(change)        the (before, after) masks a renderer must honour for a resource change
    MASK                             the string that stands for a sensitive value in our plan JSON

The summary line is an interface (tools parse it): a replace counts once in add and once in
destroy; reads, moves and forgets are not counted; imports are counted only when there are any.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

import msgspec

from iac.diagnostics import printable
from iac.plan.jsonvalues import has_true
from iac.plan.model import MAY_REPLACE
from iac.render._strings import colorize

__all__ = [
    "MASK",
    "Action",
    "Counts",
    "action_of",
    "action_symbol",
    "action_word",
    "describe_change",
    "is_sensitive",
    "plan_mode",
    "sensitivity_masks",
    "shown_changes",
    "summary_counts",
    "summary_line",
]

MASK = "(sensitive value)"
"""Stands for every sensitive leaf in our plan JSON (the `*_sensitive` masks say which)."""


class Action(StrEnum):
    """One resource or output change, as Terraform's `plans.Action`."""

    NOOP = "no-op"
    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    DELETE = "delete"
    DELETE_THEN_CREATE = "delete-then-create"
    CREATE_THEN_DELETE = "create-then-delete"
    FORGET = "forget"
    CREATE_THEN_FORGET = "create-then-forget"

    @property
    def is_replace(self) -> bool:
        return self in (Action.DELETE_THEN_CREATE, Action.CREATE_THEN_DELETE, Action.CREATE_THEN_FORGET)


_ACTIONS: dict[tuple[str, ...], Action] = {
    ("no-op",): Action.NOOP,
    ("create",): Action.CREATE,
    ("read",): Action.READ,
    ("update",): Action.UPDATE,
    ("delete",): Action.DELETE,
    ("delete", "create"): Action.DELETE_THEN_CREATE,
    ("create", "delete"): Action.CREATE_THEN_DELETE,
    ("forget",): Action.FORGET,
    ("create", "forget"): Action.CREATE_THEN_FORGET,
}


def action_of(actions: Sequence[str] | Action) -> Action:
    """The `actions` list of a plan JSON change as one Action (ValueError for an unknown list)."""
    if isinstance(actions, Action):
        return actions
    try:
        return _ACTIONS[tuple(actions)]
    except KeyError:
        raise ValueError(f"unknown actions list {list(actions)}") from None


# Terraform's DiffActionSymbol, with colorstring tags: three columns, right-aligned.
TAGGED_SYMBOLS: dict[Action, str] = {
    Action.DELETE_THEN_CREATE: "[red]-[reset]/[green]+[reset]",
    Action.CREATE_THEN_DELETE: "[green]+[reset]/[red]-[reset]",
    Action.CREATE: "  [green]+[reset]",
    Action.DELETE: "  [red]-[reset]",
    Action.FORGET: " [red].[reset]",
    Action.CREATE_THEN_FORGET: " [green]+[reset]/[red].[reset]",
    Action.READ: " [cyan]<=[reset]",
    Action.UPDATE: "  [yellow]~[reset]",
    Action.NOOP: "   ",
}

_WORDS = {
    Action.CREATE: "create",
    Action.UPDATE: "update in-place",
    Action.DELETE: "destroy",
    Action.DELETE_THEN_CREATE: "destroy and then create replacement",
    Action.CREATE_THEN_DELETE: "create replacement and then destroy",
    Action.READ: "read (data resources)",
    Action.FORGET: "forget (remove from state, keep the object)",
    Action.CREATE_THEN_FORGET: "create replacement and forget the old object",
    Action.NOOP: "no change",
}


def action_symbol(actions: Sequence[str] | Action) -> str:
    """The plain symbol Terraform prints for an action ("" for no-op)."""
    return colorize(TAGGED_SYMBOLS[action_of(actions)], False).strip()


def action_word(actions: Sequence[str] | Action) -> str:
    """The words of Terraform's legend for an action."""
    return _WORDS[action_of(actions)]


def plan_mode(plan: Mapping[str, Any]) -> str:
    """"destroy" for a destroy plan (our `iac.plan_mode`), otherwise "normal"."""
    iac = plan.get("iac")
    return "destroy" if isinstance(iac, Mapping) and iac.get("plan_mode") == "destroy" else "normal"


def _moved(change: Mapping[str, Any]) -> bool:
    previous = change.get("previous_address")
    return bool(previous) and previous != change.get("address")


def _importing(change: Mapping[str, Any]) -> bool:
    return change.get("change", {}).get("importing") is not None


_NOOP = ["no-op"]


def shown_changes(plan: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Resource changes a plan shows, in plan order: every action except no-op, plus no-ops that
    move or import; deleted data sources (internal clean-up) are never shown."""
    shown = []
    for change in plan.get("resource_changes") or ():
        actions = change["change"]["actions"]
        # most of a large plan is no-ops: recognised without building an Action
        action = Action.NOOP if actions == _NOOP else action_of(actions)
        if action is Action.NOOP and not _moved(change) and not _importing(change):
            continue
        if action is Action.DELETE and change.get("mode", "managed") != "managed":
            continue
        shown.append(change)
    return shown


class Counts(msgspec.Struct, frozen=True):
    """The numbers behind the summary line. `to_forget` and `to_move` are informative only: they
    are never part of the summary line (Terraform does not count them)."""

    to_import: int = 0
    to_add: int = 0
    to_change: int = 0
    to_destroy: int = 0
    to_forget: int = 0
    to_move: int = 0

    @property
    def resource_actions(self) -> bool:
        """True when some resource has an action other than no-op (forget included)."""
        return bool(self.to_add or self.to_change or self.to_destroy or self.to_forget)


def summary_counts(plan: Mapping[str, Any], shown: list[Mapping[str, Any]] | None = None) -> Counts:
    """Count the shown changes as Terraform does: a replace is one add and one destroy. `shown`: the
    plan's `shown_changes`, when the caller has them already (a second pass over 100,000 entries)."""
    add = change = destroy = forget = imports = moves = 0
    for rc in shown_changes(plan) if shown is None else shown:
        action = action_of(rc["change"]["actions"])
        imports += _importing(rc)
        moves += _moved(rc)
        add += action in (Action.CREATE, Action.DELETE_THEN_CREATE, Action.CREATE_THEN_DELETE, Action.CREATE_THEN_FORGET)
        change += action is Action.UPDATE
        destroy += action in (Action.DELETE, Action.DELETE_THEN_CREATE, Action.CREATE_THEN_DELETE)
        forget += action in (Action.FORGET, Action.CREATE_THEN_FORGET)
    return Counts(imports, add, change, destroy, forget, moves)


def summary_line(counts: Counts) -> str:
    """`Plan: A to add, C to change, D to destroy.`, with `I to import, ` first when importing."""
    imports = f"{counts.to_import} to import, " if counts.to_import else ""
    return f"Plan: {imports}{counts.to_add} to add, {counts.to_change} to change, {counts.to_destroy} to destroy."


def is_sensitive(mask: Any, path: Sequence[str | int] = ()) -> bool:
    """Whether the value at `path` is sensitive under a `before_sensitive`/`after_sensitive` mask
    (a mask is `true` at a sensitive node; everything below a sensitive node is sensitive)."""
    node = mask
    for step in path:
        if node is True:
            return True
        if isinstance(node, Mapping) and isinstance(step, str):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return False
    return node is True


def _output_like_input(mask: Any) -> Any:
    if not isinstance(mask, Mapping) or not has_true(mask.get("input")):
        return mask
    return {**mask, "output": mask["input"]}


def sensitivity_masks(rc: Mapping[str, Any]) -> tuple[Any, Any]:
    """`before_sensitive` and `after_sensitive` of a resource change, made safe to print.

    `terraform_data.output` is by definition the value of `input`, yet Terraform does not mark it
    sensitive when `input` is (it prints the secret in clear); here it takes `input`'s marks."""
    change = rc.get("change", {})
    before, after = change.get("before_sensitive"), change.get("after_sensitive")
    if rc.get("type") != "terraform_data":
        return before, after
    return _output_like_input(before), _output_like_input(after)


# --- change descriptions (Terraform's resourceChangeComment) ------------------------------------

_DELETE_BECAUSE = {
    "delete_because_no_resource_config": "(because {type}.{name} is not in configuration)",
    "delete_because_no_move_target": "(because {previous_address} was moved to {address}, which is not in configuration)",
    "delete_because_no_module": "(because {module_address} is not in configuration)",
    "delete_because_count_index": "(because index [{index}] is out of range for count)",
    "delete_because_each_key": "(because key [{index}] is not in for_each map)",
}
_READ_BECAUSE = {
    "read_because_config_unknown": "(config refers to values not yet known)",
    "read_because_dependency_pending": "(depends on a resource or a module with changes pending)",
    "read_because_check_nested": "(config will be reloaded to verify a check block)",
}
_REPLACE_HEADLINE = {
    "replace_because_tainted": "[bold]  # {addr}[reset] is tainted, so must be [bold][red]replaced[reset]",
    "replace_by_request": "[bold]  # {addr}[reset] will be [bold][red]replaced[reset], as requested",
    "replace_by_triggers": "[bold]  # {addr}[reset] will be [bold][red]replaced[reset] due to changes in replace_triggered_by",
}


def _json_index(index: Any) -> str:
    return json.dumps(index, ensure_ascii=False) if isinstance(index, str) else str(index)


def _delete_reason(rc: Mapping[str, Any]) -> str | None:
    reason = rc.get("action_reason")
    if reason == "delete_because_wrong_repetition":
        index = rc.get("index")
        if index is None:
            return "(because resource uses count or for_each)"
        return "(because resource does not use for_each)" if isinstance(index, str) else "(because resource does not use count)"
    template = _DELETE_BECAUSE.get(reason or "")
    if template is None:
        return None
    fields = {k: rc.get(k, "") for k in ("type", "name", "previous_address", "address", "module_address")}
    return template.format(index=_json_index(rc.get("index")), **fields)


def _headline(rc: Mapping[str, Any], action: Action, addr: str) -> list[str]:
    reason = rc.get("action_reason") or ""
    if action is Action.CREATE:
        return [f"[bold]  # {addr}[reset] will be created"]
    if action is Action.READ:
        note = _READ_BECAUSE.get(reason)
        return [f"[bold]  # {addr}[reset] will be read during apply"] + ([f"  # {note}"] if note else [])
    if action is Action.UPDATE:
        return [f"[bold]  # {addr}[reset] will be updated in-place"]
    if action in (Action.DELETE_THEN_CREATE, Action.CREATE_THEN_DELETE):
        template = _REPLACE_HEADLINE.get(reason, "[bold]  # {addr}[reset] must be [bold][red]replaced[reset]")
        return [template.format(addr=addr)]
    if action is Action.CREATE_THEN_FORGET:
        return [f"[bold] # {addr}[reset] must be replaced, but the existing object will not be destroyed",
                " # (destroy = false is set in the configuration)"]
    if action is Action.FORGET:
        if rc.get("deposed"):
            lines = [f"[bold] # {addr}[reset] will be removed from Terraform state, but [bold][red]will not be destroyed[reset]",
                     "[bold] # (left over from a partially-failed replacement of this instance)"]
        else:
            lines = [f"[bold] # {addr}[reset] will no longer be managed by Terraform, but [bold][red]will not be destroyed[reset]"]
        return [*lines, " # (destroy = false is set in the configuration)"]
    if action is Action.DELETE:
        lines = [f"[bold]  # {addr}[reset] will be [bold][red]destroyed[reset]"]
        because = _delete_reason(rc)
        lines += [f"  # {because}"] if because else []
        lines += ["  # (left over from a partially-failed replacement of this instance)"] if rc.get("deposed") else []
        return lines
    if _moved(rc):
        return [f"[bold]  # {rc['previous_address']}[reset] has moved to [bold]{addr}[reset]"]
    if _importing(rc):
        config = ["  #[reset] (config will be generated)"] if rc["change"].get("generated_config") else []
        return [f"[bold]  # {addr}[reset] will be imported", *config]
    return [f"{addr} has an action the plan renderer doesn't support (this is a bug)"]


def tagged_comment(rc: Mapping[str, Any]) -> list[str]:
    """Terraform's comment lines for a change, with colorstring tags, in display form; control characters
    of an address (a resource name in a state can hold any) are shown as escapes, never sent to the terminal."""
    return [printable(line) for line in _tagged_comment(rc)]


def _tagged_comment(rc: Mapping[str, Any]) -> list[str]:
    action = action_of(rc["change"]["actions"])
    addr = rc["address"] + (f" (deposed object {rc['deposed']})" if rc.get("deposed") else "")
    lines = _headline(rc, action, addr)
    noop_moved = action is Action.NOOP and _moved(rc)
    if _moved(rc) and not noop_moved:
        lines.append(f"  # [reset](moved from {rc['previous_address']})")
    importing = rc["change"].get("importing")
    noop_import = action is Action.NOOP and not _moved(rc)
    if importing is not None and not noop_import:
        ident = importing.get("id") if isinstance(importing, Mapping) else None
        lines.append(f'  # [reset](imported from "{ident}")' if ident else "  # [reset](will be imported first)")
    if importing is not None and action in (Action.DELETE_THEN_CREATE, Action.CREATE_THEN_DELETE):
        lines.append("  # [reset][yellow]Warning: this will destroy the imported resource[reset]")
    return lines


def may_replace(plan: Mapping[str, Any], address: str) -> tuple[str, list[str]] | None:
    """The reason iac gives when an update it plans in place may be a replacement (the provider's
    replacement rules for the type are not in iac's data), and the attributes it concerns; None
    otherwise. Read from the plan JSON's `iac.reasons`."""
    iac = plan.get("iac")
    reasons = iac.get("reasons") if isinstance(iac, Mapping) else None
    by_path = reasons.get(address) if isinstance(reasons, Mapping) else None
    if not isinstance(by_path, Mapping):
        return None
    paths = sorted(p for p, why in by_path.items() if isinstance(why, str) and why.startswith(MAY_REPLACE))
    return (str(by_path[paths[0]]), paths) if paths else None


def unread_data_line(plan: Mapping[str, Any], address: str) -> str | None:
    """The comment iac adds to a data source Terraform would read while planning but iac cannot (no
    provider to call), planned as a read during apply instead; None for any other change."""
    iac = plan.get("iac")
    reads = iac.get("data_sources") if isinstance(iac, Mapping) else None
    if isinstance(reads, Mapping) and reads.get(address) == "apply":
        return "  # (iac cannot call the provider to read it while planning)"
    return None


def may_replace_lines(note: tuple[str, list[str]]) -> list[str]:
    """Comment lines of an update that may be a replacement, instead of "will be updated in-place"."""
    reason, paths = note
    return [f"  # ({reason}; changed: {', '.join(paths)})"]


def describe_change(rc: Mapping[str, Any]) -> list[str]:
    """Terraform's comment lines for one resource change, plain text without the leading `#`:
    e.g. ["terraform_data.a will be destroyed", "(because terraform_data.a is not in configuration)"]."""
    return [colorize(line, False).strip().removeprefix("#").strip() for line in tagged_comment(rc)]

"""The human-readable plan, from plan JSON only, as `terraform show PLANFILE -no-color` prints it
(and with Terraform's ANSI colours when asked).

Layout: who planned it (iac's own plans say so; Terraform's words stay for Terraform's plans), the legend of
the symbols used, "Terraform will perform the following actions:", one block
per shown resource change in plan order (an update's or replacement's comment lines add where each changed
value comes from, `iac/render/_reasons.py`), the summary line, "Changes to Outputs:"; or the
no-changes sentence. Refresh lines and the "Saved the plan" footer belong to `terraform plan`, not
to the plan, and are not printed. Above the plan: iac's line on the state it was planned against
(refreshed, or as last written: serial and age), then, for `iac plan --refresh`, what changed outside
Terraform ("Objects have changed outside of Terraform", from `resource_drift`; shown whenever there is
any, where Terraform shows only what it judges relevant). Not rendered: deferred changes and action
invocations.

One deliberate difference: a secret is never printed, even where Terraform prints it
(`terraform_data.output` mirrors a sensitive `input` unmarked; see `_common.sensitivity_masks`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iac.diagnostics import printable
from iac.render._change import NOTHING, Change, Matcher
from iac.render._common import (
    TAGGED_SYMBOLS,
    Action,
    action_of,
    may_replace,
    may_replace_lines,
    plan_mode,
    sensitivity_masks,
    shown_changes,
    summary_counts,
    summary_line,
    tagged_comment,
    unread_data_line,
)
from iac.render._differ import compute_block, compute_output, dynamic_block
from iac.render._nodes import Opts, ljust
from iac.render._reasons import grouped_notes, planned_by_iac
from iac.render._refresh import drift_entries, refresh_note
from iac.render._strings import colorize, quote_key, word_wrap
from iac.schema import load_schemas

__all__ = ["render_drift_blocks", "render_plan"]

_LEGEND_ORDER = (Action.CREATE, Action.UPDATE, Action.DELETE, Action.DELETE_THEN_CREATE,
                 Action.CREATE_THEN_DELETE, Action.READ)
_LEGEND = {
    Action.CREATE: "  [green]+[reset] create",
    Action.UPDATE: "  [yellow]~[reset] update in-place",
    Action.DELETE: "  [red]-[reset] destroy",
    Action.DELETE_THEN_CREATE: "[red]-[reset]/[green]+[reset] destroy and then create replacement",
    Action.CREATE_THEN_DELETE: "[green]+[reset]/[red]-[reset] create replacement and then destroy",
    Action.READ: " [cyan]<=[reset] read (data resources)",
}
# `iac.reasons` lists changed leaves, except these (a difference kept unchanged on purpose).
_UNCHANGED_REASONS = {"normalised away"}


def render_plan(plan: Mapping[str, Any], *, color: bool = False) -> str:
    """Render a plan JSON document (parsed with `iac._jsonio.loads`) as Terraform's text plan.

    `color` adds Terraform's ANSI colours; the CLI passes it only when stdout is a terminal."""
    opts = Opts(color=color)
    return _state_lines(plan, opts) + _changes(plan, opts)


def _state_lines(plan: Mapping[str, Any], opts: Opts) -> str:
    """iac's line on the state planned against, then what the refresh found changed outside Terraform, as
    `terraform plan` prints it ("Objects have changed outside of Terraform"; shown whenever there is any)."""
    note = refresh_note(plan)
    out = ["\n" + word_wrap(note) + "\n"] if note else []
    drift = drift_entries(plan)
    if drift:
        out.append(opts.c("\n[bold][cyan]Note:[reset][bold] Objects have changed outside of Terraform[reset]\n\n"))
        out.append(word_wrap('Terraform detected the following changes made outside of Terraform since the last '
                             '"terraform apply" which may have affected this plan:') + "\n")
        out.append(_drift_blocks(plan, drift, opts))
        out.append("\n" + word_wrap("Unless you have made equivalent changes to your configuration, or ignored the "
                                    "relevant attributes using ignore_changes, the following plan may include actions "
                                    "to undo or respond to these changes.") + "\n")
        out.append("\n" + "─" * 77 + "\n")
    return "".join(out)


def render_drift_blocks(entries: list[Mapping[str, Any]], *, color: bool = False) -> str:
    """The blocks of what a refresh found changed outside Terraform (`resource_drift` entries, values masked),
    each as `terraform plan` prints it under "Objects have changed outside of Terraform" (a fleet's roll-up
    prints them per member)."""
    return _drift_blocks({"resource_drift": entries}, entries, Opts(color=color))


def _drift_blocks(plan: Mapping[str, Any], drift: list[Mapping[str, Any]], opts: Opts) -> str:
    out = []
    for entry in drift:
        verb = "has been deleted" if "delete" in entry["change"]["actions"] else "has changed"
        comment = opts.c(f"[bold]  # {entry['address']}[reset] {verb}\n")
        out.append("\n" + _resource_block(plan, entry, opts, comment=comment) + "\n")
    return "".join(out)


def _changes(plan: Mapping[str, Any], opts: Opts) -> str:
    changes = shown_changes(plan)
    outputs = _output_lines(plan, opts)
    errored = bool(plan.get("errored"))
    out: list[str] = []
    if not changes and not outputs:
        return _no_changes(plan, opts, errored)
    counts = summary_counts(plan, changes)
    used = {action_of(rc["change"]["actions"]) for rc in changes}
    if used - {Action.NOOP}:
        out.append(word_wrap(f"\n{_planned_by(plan)} Resource actions are indicated with the following symbols:") + "\n")
        out += [opts.c(_LEGEND[action]) + "\n" for action in _LEGEND_ORDER if action in used]
    if changes:
        out.append("\nTerraform planned the following actions, but then encountered a problem:\n" if errored
                   else "\nTerraform will perform the following actions:\n")
        out += ["\n" + _resource_block(plan, rc, opts) + "\n" for rc in changes]
        out.append(opts.c("\n[bold]Plan:[reset] ") + summary_line(counts).removeprefix("Plan: ") + "\n")
    if outputs:
        out.append("\nChanges to Outputs:\n" + "\n".join(outputs) + "\n")
        if not used - {Action.NOOP}:
            out.append(word_wrap("\nYou can apply this plan to save these new output values to the Terraform "
                                 "state, without changing any real infrastructure.") + "\n")
    return "".join(out)


def _no_changes(plan: Mapping[str, Any], opts: Opts, errored: bool) -> str:
    if errored:
        return opts.c("\n[reset][bold][red]Planning failed.[reset][bold] Terraform encountered an error while "
                      "generating this plan.[reset]\n\n")
    if plan_mode(plan) == "destroy":
        return (opts.c("\n[reset][bold][green]No changes.[reset][bold] No objects need to be destroyed.[reset]\n\n")
                + word_wrap("Either you have not created any objects yet or the existing objects were already "
                            "deleted outside of Terraform.") + "\n")
    compared = ("iac has compared your state (not the real infrastructure: it does not refresh) against your "
                if planned_by_iac(plan) else "Terraform has compared your real infrastructure against your ")
    return (opts.c("\n[reset][bold][green]No changes.[reset][bold] Your infrastructure matches the configuration.[reset]\n\n")
            + word_wrap(compared + "configuration and found no differences, so no changes are needed.") + "\n")


def _planned_by(plan: Mapping[str, Any]) -> str:
    """Who made the plan, in the header's first sentence: Terraform's words for Terraform's plan only."""
    if planned_by_iac(plan):
        return ("iac planned the following changes offline, from the configuration and the state (no provider "
                "ran; applying hands them to Terraform).")
    return "Terraform used the selected providers to generate the following execution plan."


def parse_path(text: str) -> list[str]:
    """`input.tags.team`, `task[0].name`, `task.0.name`, `spark_conf["spark.x"]` -> path steps."""
    steps: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == ".":
            i += 1
        elif text.startswith('["', i):
            j, chars = i + 2, []
            while j < len(text) and text[j] != '"':
                j += text[j] == "\\"  # an escaped character: keep the next one as is
                chars.append(text[j : j + 1])
                j += 1
            steps.append("".join(chars))
            i = j + 2
        elif text[i] == "[":
            j = text.find("]", i)
            j = len(text) if j < 0 else j
            steps.append(text[i + 1 : j])
            i = j + 1
        else:
            j = i
            while j < len(text) and text[j] not in ".[":
                j += 1
            steps.append(text[i:j])
            i = j
    return steps


def _changed_paths(plan: Mapping[str, Any], address: str) -> Matcher:
    """The attribute paths our engine reports as changed for one resource (`iac.reasons`)."""
    iac = plan.get("iac")
    reasons = iac.get("reasons") if isinstance(iac, Mapping) else None
    by_path = reasons.get(address) if isinstance(reasons, Mapping) else None
    if not isinstance(by_path, Mapping):
        return NOTHING
    paths = [parse_path(path) for path, why in by_path.items() if why not in _UNCHANGED_REASONS]
    return Matcher(paths, propagate=True)


def _resource_block(plan: Mapping[str, Any], rc: Mapping[str, Any], opts: Opts, comment: str | None = None) -> str:
    """One resource change: comment lines, then `SYMBOL resource "TYPE" "NAME" { ... }`. `comment`: other
    comment lines (a drift entry's), whose changed paths are what its values say (not `iac.reasons`)."""
    body = rc["change"]
    action = action_of(body["actions"])
    before_sensitive, after_sensitive = sensitivity_masks(rc)
    change = Change(
        body.get("before"), body.get("after"), unknown=body.get("after_unknown"),
        before_sensitive=before_sensitive, after_sensitive=after_sensitive,
        replace=Matcher(body.get("replace_paths") or ()),
        changed=NOTHING if comment is not None else _changed_paths(plan, rc["address"]),
    )
    if action is Action.FORGET:
        change = change.as_noop()  # not a deletion: the object stays
    schema = load_schemas().of(rc.get("mode", "managed"), rc["type"])
    if schema is not None:
        block = schema.block
    else:
        block, change.non_legacy = dynamic_block(change), True
    diff = compute_block(change, block)
    block_opts = Opts(color=opts.color, show_unchanged_children=body.get("importing") is not None)
    mode = "resource" if rc.get("mode", "managed") == "managed" else "data"
    lines = tagged_comment(rc)
    unread = unread_data_line(plan, rc["address"]) if action is Action.READ else None
    if unread is not None:
        lines = [*lines, unread]
    note = may_replace(plan, rc["address"]) if action is Action.UPDATE else None
    if note is not None:  # never claim an in-place update iac cannot know
        lines = [lines[0].replace("will be updated in-place", "will be updated in-place or replaced"), *lines[1:],
                 *may_replace_lines(note)]
    notes = "".join(f"  #   {printable(line)}\n" for line in grouped_notes(plan, rc))  # where changed values come from
    comment = comment if comment is not None else opts.c("\n".join(lines) + "\n") + notes
    return (f"{comment}{opts.c(TAGGED_SYMBOLS[action])} {mode} \"{printable(str(rc['type']))}\" "
            f"\"{printable(str(rc['name']))}\" "
            f"{diff.render(0, block_opts)}")


def _output_lines(plan: Mapping[str, Any], opts: Opts) -> list[str]:
    changes = plan.get("output_changes") or {}
    names = sorted(changes)
    width = max((len(quote_key(n).encode()) for n in names), default=0)
    lines = []
    for name in names:
        body = changes[name]
        action = action_of(body["actions"])
        change = Change(
            body.get("before"), body.get("after"), unknown=body.get("after_unknown"),
            before_sensitive=body.get("before_sensitive"), after_sensitive=body.get("after_sensitive"),
            changed=Matcher([[]], propagate=True) if action is not Action.NOOP else NOTHING,
        )
        diff = compute_output(change)
        if diff.action is not Action.NOOP:
            lines.append(f"{colorize(TAGGED_SYMBOLS.get(diff.action, '  ?'), opts.color)} "
                         f"{ljust(quote_key(name), width)} = {diff.render(0, opts)}")
    return lines

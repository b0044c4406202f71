"""The human-readable plan, from plan JSON only, as `terraform show PLANFILE -no-color` prints it
(and with Terraform's ANSI colours when asked).

Layout: legend of the symbols used, "Terraform will perform the following actions:", one block
per shown resource change in plan order, the summary line, "Changes to Outputs:"; or the
no-changes sentence. Refresh lines and the "Saved the plan" footer belong to `terraform plan`, not
to the plan, and are not printed. Not rendered: drift ("Objects have changed outside of
Terraform"; our engine does not refresh), deferred changes and action invocations.

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
    plan_mode,
    sensitivity_masks,
    shown_changes,
    summary_counts,
    summary_line,
    tagged_comment,
)
from iac.render._differ import compute_block, compute_output, dynamic_block
from iac.render._nodes import Opts, ljust
from iac.render._strings import colorize, quote_key, word_wrap
from iac.schema import load_schemas

__all__ = ["render_plan"]

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
    changes = shown_changes(plan)
    outputs = _output_lines(plan, opts)
    errored = bool(plan.get("errored"))
    out: list[str] = []
    if not changes and not outputs:
        return _no_changes(plan, opts, errored)
    counts = summary_counts(plan, changes)
    used = {action_of(rc["change"]["actions"]) for rc in changes}
    if used - {Action.NOOP}:
        out.append(word_wrap("\nTerraform used the selected providers to generate the following execution plan. "
                             "Resource actions are indicated with the following symbols:") + "\n")
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
    return (opts.c("\n[reset][bold][green]No changes.[reset][bold] Your infrastructure matches the configuration.[reset]\n\n")
            + word_wrap("Terraform has compared your real infrastructure against your configuration and found no "
                        "differences, so no changes are needed.") + "\n")


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


def _resource_block(plan: Mapping[str, Any], rc: Mapping[str, Any], opts: Opts) -> str:
    """One resource change: comment lines, then `SYMBOL resource "TYPE" "NAME" { ... }`."""
    body = rc["change"]
    action = action_of(body["actions"])
    before_sensitive, after_sensitive = sensitivity_masks(rc)
    change = Change(
        body.get("before"), body.get("after"), unknown=body.get("after_unknown"),
        before_sensitive=before_sensitive, after_sensitive=after_sensitive,
        replace=Matcher(body.get("replace_paths") or ()), changed=_changed_paths(plan, rc["address"]),
    )
    if action is Action.FORGET:
        change = change.as_noop()  # not a deletion: the object stays
    schema = load_schemas().get(rc["type"]) if rc.get("mode", "managed") == "managed" else None
    if schema is not None:
        block = schema.block
    else:
        block, change.non_legacy = dynamic_block(change), True
    diff = compute_block(change, block)
    block_opts = Opts(color=opts.color, show_unchanged_children=body.get("importing") is not None)
    mode = "resource" if rc.get("mode", "managed") == "managed" else "data"
    comment = opts.c("\n".join(tagged_comment(rc)) + "\n")
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

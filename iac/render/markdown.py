"""GitHub-flavoured Markdown plan for pull-request comments, one section per environment.

Each section starts with the hidden marker `<!-- iac:plan env=NAME -->` (what `iac comment` looks for),
then, in this order so that a reviewer sees the risk first and a size cut can only ever hit the end:

1. a one-line verdict heading and Terraform's summary line;
2. the summary table: add / change / replace / destroy / move, monthly cost before -> after and delta,
   findings by severity;
3. "Destroys and replacements": every destroyed or replaced address, never grouped or collapsed;
4. findings with address, attribute and fix hint (identical findings on many addresses are grouped);
5. per-resource diffs, each in its own top-level `<details>` element (never nested, so the comment
   splitter can cut between any two), identical changes across workspaces grouped as one.

The renderer reads only the plan JSON and never prints a leaf whose sensitivity mask is true.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from iac.render import _markdown_text as md
from iac.render._common import may_replace, sensitivity_masks, shown_changes
from iac.render._markdown_diff import change_lines
from iac.render._markdown_groups import Entry, Group, group_entries
from iac.render._markdown_head import destroy_lines, findings_lines, summary_table, verdict_heading
from iac.render._markdown_plan import counts, header_text, symbol
from iac.render._reasons import attribute_notes
from iac.render._refresh import drift_entries, drifted_names, refresh_note

__all__ = ["MARKER_PREFIX", "marker", "render_environment", "render_markdown", "render_plan"]

MARKER_PREFIX = "<!-- iac:plan env="
# A group's `*` values listed in its <details>; beyond this the list would crowd out other diffs.
_MEMBERS_SHOWN = 200


def marker(environment: str) -> str:
    """The hidden HTML comment that opens an environment's section (and its PR comment)."""
    return f"{MARKER_PREFIX}{environment} -->"


def render_markdown(plans: list[dict[str, Any]]) -> str:
    """Render one or several plan JSON documents (each with its `iac.environment`) as one Markdown text."""
    return "\n".join(render_environment(plan) for plan in plans)


def render_plan(plan: dict[str, Any], *, color: bool = False) -> str:
    """The `RENDERERS` entry (`iac plan ENV --format markdown`): one plan JSON document. `color` is ignored."""
    return render_environment(plan)


def render_environment(plan: dict[str, Any]) -> str:
    """The Markdown section of one plan JSON document; it ends with a newline."""
    meta = plan.get("iac") or {}
    name = meta.get("environment") or "default"
    tally = counts(plan)
    blocks = [marker(name), verdict_heading(name, meta, tally), summary_table(meta, tally)]
    blocks.extend(_state_blocks(plan))
    blocks.extend(destroy_lines(plan))
    blocks.extend(findings_lines(meta.get("findings") or []))
    blocks.extend(_details(plan))
    return "\n\n".join(block for block in blocks if block) + "\n"


def _state_blocks(plan: dict[str, Any]) -> list[str]:
    """The state planned against (refreshed, or its serial and age), and what changed outside iac."""
    note = refresh_note(plan)
    blocks = [f"_{md.text(note)}_"] if note else []
    drift = drift_entries(plan)
    if drift:
        items = []
        for entry in drift:
            deleted = "delete" in entry["change"]["actions"]
            names = ", ".join(md.code(n) for n in drifted_names(entry))
            what = "deleted outside iac" if deleted else "changed outside iac" + (f": {names}" if names else "")
            items.append(f"- {md.code(entry['address'])} {what}")
        blocks += [f"### Changed outside iac ({len(drift)})", "\n".join(items)]
    return blocks


def _details(plan: dict[str, Any]) -> list[str]:
    entries = list(_entries(plan))
    if not entries:  # no resource changes: the output changes, if any, still are
        return _outputs_block(plan)
    costs = _monthly_deltas(plan)
    currency = str(((plan.get("iac") or {}).get("cost") or {}).get("currency") or "USD")
    blocks = [f"### Changes ({len(entries)})"]
    blocks.extend(_group_block(group, costs, currency) for group in group_entries(entries))
    blocks.extend(_outputs_block(plan))
    blocks.extend(_assumptions_block(plan))
    return blocks


def _entries(plan: dict[str, Any]) -> Iterable[Entry]:
    reasons = (plan.get("iac") or {}).get("reasons") or {}
    for rc in shown_changes(plan):
        actions = tuple(rc.get("change", {}).get("actions") or ["no-op"])
        changed = frozenset((reasons.get(rc["address"]) or {}).keys())
        header = header_text(rc)
        note = may_replace(plan, rc["address"]) if actions == ("update",) else None
        uncertain = frozenset(note[1]) if note is not None else frozenset()
        if note is not None:  # never claim an in-place update iac cannot know
            header = header.replace("will be updated in-place", "will be updated in-place or replaced") + f" ({note[0]})"
        notes = attribute_notes(plan, rc)  # where each changed value comes from, on its line
        yield Entry(
            address=rc["address"],
            type=rc.get("type", ""),
            mode=rc.get("mode", "managed"),
            module_address=rc.get("module_address", ""),
            actions=actions,
            header=header,
            lines=tuple(change_lines(rc.get("change") or {}, changed, masks=sensitivity_masks(rc), may_replace=uncertain,
                                     notes=notes)),
        )


def _group_block(group: Group, costs: dict[str, Any], currency: str) -> str:
    first = group.members[0]
    sign = symbol(first.actions)
    title = (f"<code>{md.html_text(sign, in_code=True)}</code> " if sign else "") + \
        f"<code>{md.html_text(group.pattern, in_code=True)}</code>"
    if len(group.members) > 1:
        title += f" x{len(group.members)}"
    title += f" {md.html_text(group.header)}"
    delta = md.sum_money(costs.get(m.address) for m in group.members)
    if delta is not None and delta != 0:
        title += f" ({md.html_text(md.signed_money(delta, currency))}/month)"
    parts = [f"<details><summary>{title}</summary>"]
    if len(group.members) > 1:
        star = group.pattern.index("*")
        tail = len(group.pattern) - star - 1
        names = [md.code(m.address[star : len(m.address) - tail]) for m in group.members]
        more = f" and {len(names) - _MEMBERS_SHOWN} more (all in the plan artifact)" if len(names) > _MEMBERS_SHOWN else ""
        parts.append(f"{len(group.members)} resources, {md.code('*')} is: {', '.join(names[:_MEMBERS_SHOWN])}{more}")
    if group.lines:
        parts.append(md.fence("diff", group.lines))
    else:
        parts.append("No attribute changes.")
    parts.append("</details>")
    return "\n\n".join(parts)


def _outputs_block(plan: dict[str, Any]) -> list[str]:
    lines = []
    for name, change in sorted((plan.get("output_changes") or {}).items()):
        actions = change.get("actions") or ["no-op"]
        if actions == ["no-op"]:
            continue
        masked = change.get("after_sensitive") is True or change.get("before_sensitive") is True
        value = "(sensitive value)" if masked else ("(known after apply)" if change.get("after_unknown") is True
                                                     else md.scalar(change.get("after")))
        lines.append(f"{symbol(tuple(actions))} {name} = {value}")
    if not lines:
        return []
    return [f"<details><summary>Changes to outputs ({len(lines)})</summary>\n\n{md.fence('diff', lines)}\n\n</details>"]


def _assumptions_block(plan: dict[str, Any]) -> list[str]:
    cost = (plan.get("iac") or {}).get("cost") or {}
    assumptions = list(cost.get("assumptions") or [])
    if not assumptions:
        return []
    items = "\n".join(f"- {md.text(a)}" for a in assumptions)
    as_of = f" (prices as of {md.text(str(cost['as_of']))})" if cost.get("as_of") else ""
    return [f"<details><summary>Cost assumptions{md.html_text(as_of)}</summary>\n\n{items}\n\n</details>"]


def _monthly_deltas(plan: dict[str, Any]) -> dict[str, Any]:
    cost = (plan.get("iac") or {}).get("cost") or {}
    return {r["address"]: md.money_value(r.get("delta_monthly")) for r in cost.get("resources") or [] if "address" in r}

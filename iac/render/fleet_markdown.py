"""The fleet roll-up as one GitHub-flavoured Markdown section (one pull-request comment, whatever the size).

Order, so a reviewer reads what matters first and a size cut could only ever hit the end:
1. the marker (`<!-- iac:plan env=NAME -->`, what `iac comment` finds), the verdict and Terraform's summary line;
2. the summary table: members unchanged / changed / failing / removed, totals, monthly cost and findings;
3. every destroy and replacement, by address template with every member named (never cut);
4. failing members with their error; the findings, each once with its members;
5. the shared part's changes, then each distinct member change once (`x 47 members (fraud, search, ...)`)
   with the diff of the member it is shown for: configured values first, known-after-apply names last;
6. warnings, each once with its members.
The size does not grow with the number of members beyond their names: identical changes are one entry.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from iac.render import _markdown_text as md
from iac.render._fleet import (
    complete_list,
    destroy_groups,
    group_lines,
    identity_note,
    plan_sentence,
    planned_members,
    refresh_sentence,
    shown,
    summary_sentence,
    title,
)
from iac.render._refresh import drifted_names
from iac.render.markdown import marker

__all__ = ["render_rollup_markdown"]

_VERDICTS = {"pass": ("✅", "passed all checks"), "warn": ("⚠️", "passed with warnings"),
             "deny": ("⛔", "denied by policy"), "error": ("💥", "failed to plan or check")}
_ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
_NAMES_SHOWN = 5


def render_rollup_markdown(rollup: Mapping[str, Any]) -> str:
    """The Markdown section of one fleet roll-up document; it ends with a newline."""
    name = str(rollup["environment"])
    icon, words = _VERDICTS.get(str(rollup.get("verdict")), ("❔", "not checked"))
    mode = f" ({md.text(str(rollup['mode']))} mode)" if rollup.get("mode") else ""
    blocks = [marker(name), f"## {icon} {md.code(name)} fleet {'rollback ' if rollup.get('rollback') else ''}{words}\n\n**{md.text(plan_sentence(rollup))}**{mode}\n\n"
              f"{md.text(summary_sentence(rollup))}", _table(rollup)]
    refreshed = refresh_sentence(rollup)
    blocks += [f"_{md.text(refreshed)}_"] if refreshed else []
    blocks += _drift(rollup) + _destroys(rollup) + _failing(rollup) + _findings(rollup) + _shared(rollup) + _groups(rollup)
    blocks += _diagnostics(rollup)
    return "\n\n".join(b for b in blocks if b) + "\n"


def _table(rollup: Mapping[str, Any]) -> str:
    members, totals, cost = rollup["members"], rollup["totals"], rollup["cost"]
    currency = str(cost.get("currency") or "USD")
    before, after, delta = (md.money_value(cost.get(k)) or Decimal(0) for k in ("total_before", "total_after", "delta"))
    cells = [members["total"], len(members["unchanged"]), len(members["changed"]), len(members["failing"]),
             totals["add"], totals["change"], totals["replace"], totals["destroy"], totals["move"]]
    findings = _finding_counts(rollup.get("findings") or [])
    return ("| members | unchanged | changed | failing | add | change | replace | destroy | move | monthly cost | delta | findings |\n"
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :--- | ---: | :--- |\n"
            f"| {' | '.join(str(c) for c in cells)} | {md.money(before, currency)} → {md.money(after, currency)} | "
            f"{md.signed_money(delta, currency)} | {findings} |")


def _finding_counts(findings: Sequence[Mapping[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for finding in findings:
        if not finding.get("waived"):
            severity = str(finding.get("severity"))
            counts[severity] = counts.get(severity, 0) + max(1, len(finding.get("members") or ()))
    parts = [f"{_ICON[s]} {counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
             for s in ("error", "warning", "info") if counts.get(s)]
    return " · ".join(parts) or "none"


def _names(members: Sequence[str], limit: int | None = _NAMES_SHOWN) -> str:
    shown_names = members if limit is None else members[:limit]
    more = len(members) - len(shown_names)
    return ", ".join(md.code(m) for m in shown_names) + (f" and {more} more" if more else "")


def _count(members: Sequence[str]) -> str:
    return f"x {len(members)} member{'s' if len(members) != 1 else ''}"


def _drift(rollup: Mapping[str, Any]) -> list[str]:
    """What the refresh found changed outside iac, per part: each object and the attributes that changed."""
    drift = (rollup.get("refresh") or {}).get("drift") or []
    if not drift:
        return []
    items = []
    for part in drift:
        lines = []
        for entry in part["resource_drift"]:
            names = ", ".join(md.code(n) for n in drifted_names(entry))
            what = ("deleted outside iac" if "delete" in entry["change"]["actions"]
                    else "changed outside iac" + (f": {names}" if names else ""))
            lines.append(f"  - {md.code(entry['address'])} {what}")
        items.append(f"- {md.code(str(part['member']))} ({len(lines)}):\n" + "\n".join(lines))
    return [f"### Changed outside iac ({len(drift)} part{'s' if len(drift) != 1 else ''})", "\n".join(items)]


def _destroys(rollup: Mapping[str, Any]) -> list[str]:
    groups = destroy_groups(rollup.get("destroys") or [])
    if not groups:
        return []
    items = []
    for group in groups:
        head = f"- {md.code(group.symbol)} {md.code(group.template)} {md.text(group.header)} — {_count(group.members)}: "
        if group.addresses:
            items.append(head + "; ".join(f"{md.code(m)} {md.code(a)}" for m, a in zip(group.members, group.addresses, strict=True)))
        else:
            items.append(head + complete_list(group.members, planned_members(rollup), md.code))
    total = len(rollup.get("destroys") or [])
    return [f"### Destroys and replacements ({total})", "\n".join(items)]


def _failing(rollup: Mapping[str, Any]) -> list[str]:
    failing = rollup["members"]["failing"]
    if not failing:
        return []
    items = [f"- {md.code(str(f['member']))}: {md.text(str(f['error']))}" for f in failing]
    return [f"### Failing ({len(failing)}): not planned", "\n".join(items)]


def _findings(rollup: Mapping[str, Any]) -> list[str]:
    findings = rollup.get("findings") or []
    if not findings:
        return []
    items = []
    for finding in findings:
        members = list(finding.get("members") or ())
        icon = "🔕" if finding.get("waived") else _ICON.get(str(finding.get("severity")), "❔")
        address = str((finding.get("template") or finding).get("address") or "")
        where = md.code(shown(address)) if address else "(fleet)" if not members else "(plan)"
        path = f" at {md.code(str(finding['path']))}" if finding.get("path") else ""
        who = f" {_count(members)} ({_names(members)})" if members else ""
        items.append(f"- {icon} **{md.text(str(finding.get('check_id')))}** {where}{path}{who}: {md.text(str(finding.get('message')))}"
                     + (f"\n  - fix: {md.text(str(finding['fix']))}" if finding.get("fix") else ""))
    return [f"### Findings ({len(findings)} distinct)", "\n".join(items)]


def _shared(rollup: Mapping[str, Any]) -> list[str]:
    shared = rollup.get("shared") or {}
    changes = shared.get("changes") or []
    if not changes:
        return []
    blocks = [f"### Shared part ({len(changes)} change{'s' if len(changes) != 1 else ''})"]
    blocks += [_details({"address": c["address"], "change": c, "members": ["(shared)"]}, "") for c in changes]
    return blocks


def _groups(rollup: Mapping[str, Any]) -> list[str]:
    groups = rollup.get("groups") or []
    if not groups:
        return []
    resources = sum(len(g["members"]) for g in groups)
    blocks = [f"### Member changes ({len(groups)} distinct, {resources} in all)"]
    blocks += [_details(group, f" {_count(group['members'])} ({_names(group['members'])})") for group in groups]
    return blocks


def _details(group: Mapping[str, Any], who: str) -> str:
    sign, address, header = title(group)
    summary = (f"<code>{html.escape(sign)}</code> " if sign else "") + f"<code>{html.escape(address)}</code>"
    delta = md.money_value(group.get("cost_delta"))
    cost = f" ({html.escape(md.signed_money(delta))}/month)" if delta else ""
    # inside <summary> Markdown is not rendered: member names are escaped HTML, not code spans
    names = html.escape(who.replace("`", ""))
    parts = [f"<details><summary>{summary} {html.escape(header)}{names}{cost}</summary>"]
    note = identity_note(group)
    if note:
        parts.append(md.text(note))
    lines = group_lines(group)
    parts.append(md.fence("diff", lines) if lines else "No attribute changes.")
    parts.append("</details>")
    return "\n\n".join(parts)


def _diagnostics(rollup: Mapping[str, Any]) -> list[str]:
    diagnostics = rollup.get("diagnostics") or []
    if not diagnostics:
        return []
    items = [f"- {md.text(str(d['line']))}" + (f" {_count(d['members'])}" if d["members"] else "")  # none: the fleet's
             + (f" ({_names(d['members'])})" if len(d["members"]) > 1 else "") for d in diagnostics]
    return [f"<details><summary>Warnings ({len(diagnostics)})</summary>", "\n".join(items), "</details>"]

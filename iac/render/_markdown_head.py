"""The head of an environment's Markdown section: verdict, summary table, destroys, findings.

The head is what a reviewer must see without a click, so nothing here is collapsed, and the destroys
list is never grouped or shortened (the comment splitter never cuts it either).
"""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Any

from iac.render import _markdown_text as md
from iac.render._common import shown_changes
from iac.render._markdown_plan import Counts, header_text, summary_line, symbol

__all__ = ["destroy_lines", "findings_lines", "summary_table", "verdict_heading"]

_VERDICTS = {
    "pass": ("✅", "passed all checks"),
    "warn": ("⚠️", "passed with warnings"),
    "deny": ("⛔", "denied by policy"),
    "error": ("💥", "a check failed to run"),
}
_SEVERITIES = (("error", "❌", "error"), ("warning", "⚠️", "warning"), ("info", "ℹ️", "info"))
_ICON = {name: icon for name, icon, _ in _SEVERITIES}
_FINDING_ADDRESSES_SHOWN = 10


def verdict_heading(environment: str, meta: dict[str, Any], tally: Counts) -> str:
    """`## ⛔ `prod` denied by policy` and, below it, Terraform's summary line and the plan's mode."""
    icon, words = _VERDICTS.get(str(meta.get("verdict")), ("❔", "not checked"))
    notes = []
    if meta.get("plan_mode") == "destroy":
        notes.append("destroy plan")
    if meta.get("mode"):
        notes.append(f"{md.text(str(meta['mode']))} mode")
    tail = f" ({', '.join(notes)})" if notes else ""
    return f"## {icon} {md.code(environment)} {words}\n\n**{summary_line(tally)}**{tail}"


def summary_table(meta: dict[str, Any], tally: Counts) -> str:
    """One-row table: counts, monthly cost before -> after and delta, findings by severity."""
    cost = meta.get("cost") or {}
    currency = str(cost.get("currency") or "USD")
    before, after = md.money_value(cost.get("total_before")), md.money_value(cost.get("total_after"))
    delta = md.money_value(cost.get("delta"))
    if before is not None and after is not None:
        monthly = f"{md.money(before, currency)} → {md.money(after, currency)}"
        if delta is None:
            delta = after - before
    else:
        monthly = "not estimated"
    unpriced = sum(1 for r in cost.get("resources") or [] if r.get("unpriced"))
    if unpriced:
        monthly += f" ({unpriced} unpriced)"
    delta_text = md.signed_money(delta, currency) if delta is not None else "—"
    summary = tally.summary
    cells = [summary.to_add, summary.to_change, tally.replace, summary.to_destroy, summary.to_move]
    row = " | ".join(str(c) for c in cells)
    header = "| add | change | replace | destroy | move | monthly cost | delta | findings |"
    rule = "| ---: | ---: | ---: | ---: | ---: | :--- | ---: | :--- |"
    checked = _finding_counts(meta["findings"]) if isinstance(meta.get("findings"), list) else "not checked"
    return f"{header}\n{rule}\n| {row} | {monthly} | {delta_text} | {checked} |"


def _finding_counts(findings: list[dict[str, Any]]) -> str:
    active = [f for f in findings if not f.get("waived")]
    parts = []
    for name, icon, word in _SEVERITIES:
        n = sum(1 for f in active if f.get("severity") == name)
        if n:
            parts.append(f"{icon} {n} {word}{'s' if n != 1 and word != 'info' else ''}")
    waived = len(findings) - len(active)
    if waived:
        parts.append(f"{waived} waived")
    return " · ".join(parts) or "none"


def destroy_lines(plan: dict[str, Any]) -> list[str]:
    """The destroys-and-replacements block, one line per address, in plan order; empty when there are none."""
    items = []
    for rc in shown_changes(plan):
        actions = tuple((rc.get("change") or {}).get("actions") or [])
        if "delete" not in actions:
            continue
        items.append(f"- {md.code(symbol(actions))} {md.code(rc['address'])} {md.text(header_text(rc))}")
    if not items:
        return []
    return [f"### Destroys and replacements ({len(items)})", "\n".join(items)]


def findings_lines(findings: list[dict[str, Any]]) -> list[str]:
    """Findings grouped by identical check, attribute, message and fix; errors first, waived last."""
    if not findings:
        return []
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        waived = finding.get("waived") or None
        key = (
            1 if waived else 0,
            [name for name, _, _ in _SEVERITIES].index(finding.get("severity", "info"))
            if finding.get("severity") in _ICON else 3,
            str(finding.get("check_id", "")),
            str(finding.get("path") or ""),
            str(finding.get("message", "")),
            str(finding.get("fix") or ""),
            md.scalar(waived) if waived else "",
        )
        groups[key].append(finding)
    items = [_finding_item(key, groups[key]) for key in sorted(groups)]
    return [f"### Findings ({len(findings)})", "\n".join(items)]


def _finding_item(key: tuple[Any, ...], members: list[dict[str, Any]]) -> str:
    first = members[0]
    waived = first.get("waived")
    # A waived finding keeps its severity word but loses the alarming icon: it does not count.
    icon = "🔕" if waived else _ICON.get(str(first.get("severity")), "❔")
    label = f" ({md.text(str(first.get('severity')))}, waived)" if waived else ""
    where = _where([str(m.get("address") or "") for m in members])
    path = f" at {md.code(key[3])}" if key[3] else ""
    line = f"- {icon} **{md.text(key[2])}**{label} {where}{path}: {md.text(key[4])}"
    subs = []
    if key[5]:
        subs.append(f"  - fix: {md.text(key[5])}")
    sources = sorted({str(m["source"]) for m in members if m.get("source")})
    if len(sources) == 1:
        subs.append(f"  - defined at {md.code(sources[0])}")
    if isinstance(waived, dict):
        until = f" until {waived.get('expires')}" if waived.get("expires") else ""
        subs.append(f"  - {md.text(f'waived{until}: ' + str(waived.get('reason', '')))}")
    return "\n".join([line, *subs])


def _where(addresses: list[str]) -> str:
    addresses = sorted(set(a for a in addresses if a))
    if not addresses:
        return "(plan)"
    if len(addresses) == 1:
        return md.code(addresses[0])
    pattern = _pattern(addresses)
    if pattern:
        return f"{md.code(pattern)} x{len(addresses)}"
    shown = ", ".join(md.code(a) for a in addresses[:_FINDING_ADDRESSES_SHOWN])
    more = len(addresses) - _FINDING_ADDRESSES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _pattern(addresses: list[str]) -> str | None:
    """`databricks_cluster.*_shared` when the addresses differ in one run of words after the same type."""
    prefix = os.path.commonprefix(addresses)
    suffix = os.path.commonprefix([a[::-1] for a in addresses])[::-1]
    while prefix and prefix[-1].isalnum():
        prefix = prefix[:-1]
    while suffix and suffix[0].isalnum():
        suffix = suffix[1:]
    if "." not in prefix or len(prefix) + len(suffix) > min(len(a) for a in addresses):
        return None
    name = prefix.rsplit(".", 1)[1] + suffix
    return f"{prefix}*{suffix}" if any(ch.isalnum() for ch in name) else None

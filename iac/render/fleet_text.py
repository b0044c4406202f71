"""The fleet roll-up as text for a terminal: the same order as the Markdown section (iac/render/fleet_markdown.py),
no colour; every member of a destroy or replacement named, the first ten of other changes (all are in `--json`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

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
from iac.render.text import render_drift_blocks

__all__ = ["render_rollup_text"]


def render_rollup_text(rollup: Mapping[str, Any]) -> str:
    """The text of one fleet roll-up document; it ends with a newline."""
    lines = [f"Fleet {rollup['environment']}: {summary_sentence(rollup)}", plan_sentence(rollup), _cost(rollup)]
    refreshed = refresh_sentence(rollup)
    if refreshed:
        lines.append(refreshed)
    if rollup.get("rollback"):  # each member back to the configuration of its last successful apply before this one
        lines.insert(0, f"Rollback plan of fleet {rollup['environment']}: each member back to its last applied "
                        "configuration before the current one, against its current state.")
    for section in (_drift, _destroys, _failing, _shared, _groups, _findings, _diagnostics):
        body = section(rollup)
        if body:
            lines += ["", *body]
    lines += ["", f"Fleet verdict: {rollup.get('verdict')}"]
    return "\n".join(lines) + "\n"


def _drift(rollup: Mapping[str, Any]) -> list[str]:
    """What the refresh found changed outside iac, per part, as `terraform plan` prints it for one state."""
    drift = (rollup.get("refresh") or {}).get("drift") or []
    if not drift:
        return []
    out = [f"Note: Objects have changed outside of Terraform in {len(drift)} part(s); the plan may include actions "
           "to undo or respond to these changes:"]
    for part in drift:
        entries = part["resource_drift"]
        out += ["", f"── {part['member']}: {len(entries)} object(s) changed outside iac"]
        out += render_drift_blocks(entries).strip("\n").split("\n")
    return out


def _cost(rollup: Mapping[str, Any]) -> str:
    cost = rollup["cost"]
    delta = Decimal(str(cost.get("delta") or 0))
    sign = "+" if delta > 0 else ""
    return (f"Monthly cost: {_money(cost.get('total_before'))} -> {_money(cost.get('total_after'))} "
            f"{cost.get('currency', 'USD')} ({sign}{_money(delta)})")


def _money(value: Any) -> str:
    return f"{Decimal(str(value or 0)).quantize(Decimal('0.01')):,}"


_NAMES_SHOWN = 10


def _who(members: Sequence[str]) -> str:
    """`x 47 members (fraud, search, ... and 37 more)`: destroys are the ones named in full (`complete_list`)."""
    more = f" and {len(members) - _NAMES_SHOWN} more" if len(members) > _NAMES_SHOWN else ""
    return f"x {len(members)} member{'s' if len(members) != 1 else ''} ({', '.join(members[:_NAMES_SHOWN])}{more})"


def _destroys(rollup: Mapping[str, Any]) -> list[str]:
    groups = destroy_groups(rollup.get("destroys") or [])
    if not groups:
        return []
    out = [f"Destroys and replacements ({len(rollup.get('destroys') or [])}):"]
    for group in groups:
        if group.addresses:
            out.append(f"  {group.symbol} {group.template} {group.header} x {len(group.members)}:")
            out += [f"      {m}: {a}" for m, a in zip(group.members, group.addresses, strict=True)]
        else:
            out.append(f"  {group.symbol} {group.template} {group.header} x {len(group.members)}: "
                       f"{complete_list(group.members, planned_members(rollup))}")
    return out


def _failing(rollup: Mapping[str, Any]) -> list[str]:
    failing = rollup["members"]["failing"]
    return [f"Failing ({len(failing)}), not planned:", *(f"  {f['member']}: {f['error']}" for f in failing)] if failing else []


def _shared(rollup: Mapping[str, Any]) -> list[str]:
    changes = (rollup.get("shared") or {}).get("changes") or []
    if not changes:
        return []
    out = [f"Shared part ({len(changes)} change(s)):"]
    for change in changes:
        out += _block({"address": change["address"], "change": change, "members": ["(shared)"]}, "")
    return out


def _groups(rollup: Mapping[str, Any]) -> list[str]:
    groups = rollup.get("groups") or []
    if not groups:
        return []
    out = [f"Member changes ({len(groups)} distinct, {sum(len(g['members']) for g in groups)} in all):"]
    for group in groups:
        out += _block(group, " " + _who(group["members"]))
    return out


def _block(group: Mapping[str, Any], who: str) -> list[str]:
    sign, address, header = title(group)
    out = [f"  {sign} {address} {header}{who}".rstrip()]
    note = identity_note(group)
    if note:
        out.append(f"      ({note})")
    out += [f"      {line}" for line in group_lines(group)]
    return out


def _findings(rollup: Mapping[str, Any]) -> list[str]:
    findings = rollup.get("findings") or []
    if not findings:
        return []
    out = [f"Findings ({len(findings)} distinct):"]
    for finding in findings:
        members = list(finding.get("members") or ())
        address = str((finding.get("template") or finding).get("address") or "")
        where = shown(address) if address else "(fleet)" if not members else "(plan)"
        waived = " (waived)" if finding.get("waived") else ""
        out.append(f"  {finding.get('severity')}{waived} {finding.get('check_id')} {where}"
                   + (f".{finding['path']}" if finding.get("path") else "") + (f" {_who(members)}" if members else ""))
        out.append(f"          {finding.get('message')}")
        if finding.get("fix"):
            out.append(f"          fix: {finding['fix']}")
    return out


def _diagnostics(rollup: Mapping[str, Any]) -> list[str]:
    diagnostics = rollup.get("diagnostics") or []
    return [f"Warnings ({len(diagnostics)} distinct):", *(f"  {d['line']}" + (f" {_who(d['members'])}" if d["members"] else "") for d in diagnostics)] \
        if diagnostics else []

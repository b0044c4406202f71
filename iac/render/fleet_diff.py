"""`iac fleet diff` as text: per member, each difference from the typical member and where it comes from."""

from __future__ import annotations

from typing import Any

from iac._jsonio import canonical_json

__all__ = ["render_fleet_diff"]

_ORIGINS = {"data": "the member's data", "code": "an override in code", "state": "the recorded state"}


def render_fleet_diff(result: Any) -> str:
    """The text of a `iac.workflows.fleet_diff.FleetDiff`; it ends with a newline."""
    own = f"; each member's own {', '.join(result.identity_fields)} set aside" if result.identity_fields else ""
    lines = [f"Fleet {result.environment}: {result.members} members compared with the typical member (the "
             f"majority{own})."]
    same = [d.key for d in result.diffs if not d.differences]
    for member in result.diffs:
        if not member.differences:
            continue
        count = len(member.differences)
        lines += ["", f"{member.key}: {count} difference{'s' if count != 1 else ''}"]
        for d in member.differences:
            where = f"{d.address}.{d.path}" if d.path else d.address
            what = "configured" if d.where == "config" else "recorded in state"
            lines.append(f"  {where}: {_value(d.member)} {what} (typical: {_value(d.typical)})")
            if d.origin:
                lines.append(f"      from {_ORIGINS[d.origin]}: {d.detail}")
    if same:
        lines += ["", f"Like the typical member: {', '.join(same)}" if len(result.diffs) > 1
                  else f"{same[0]} is like the typical member."]
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    return value if isinstance(value, str) and value.startswith("(") else canonical_json(value)

"""What a plan says about the state it was made against: refreshed through the engine (and what changed outside
iac), or as last written (its serial and age). Shared by the text and Markdown renderers; reads the plan JSON's
`iac.refresh`, `iac.state` and `resource_drift` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

__all__ = ["drift_entries", "drifted_names", "refresh_note"]


def refresh_note(plan: Mapping[str, Any], now: datetime | None = None) -> str | None:
    """One sentence: refreshed through which engine, or planned against the state as written (serial, when, how
    long ago); None for a plan that does not say (Terraform's own, or one made before iac recorded it)."""
    meta = plan.get("iac") if isinstance(plan.get("iac"), Mapping) else None
    refresh = meta.get("refresh") if meta else None
    if not isinstance(refresh, Mapping):
        return None
    state = meta.get("state") if isinstance(meta.get("state"), Mapping) else None  # type: ignore[union-attr]
    if refresh.get("refreshed"):
        found = len(drift_entries(plan))
        outside = f"{found} object(s) changed outside iac (below)" if found else "nothing changed outside iac"
        return f"Refreshed: the real objects were read through {refresh.get('engine')} before planning; {outside}."
    if state is None:
        return None
    written = refresh.get("state_written")
    if written:
        when = f"written {_stamp(str(written))}{_ago(str(written), now)}"
    else:
        when = f"the {refresh.get('backend')} backend does not say when it was written"
    return (f"Not refreshed: planned against the state as last written (serial {state.get('serial')}, {when}); "
            "changes made outside iac since then are not shown (--refresh reads the real objects first).")


def drift_entries(plan: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The managed objects the refresh found changed or deleted outside Terraform, in plan order."""
    return [d for d in plan.get("resource_drift") or () if isinstance(d, Mapping) and d.get("mode", "managed") == "managed"
            and tuple((d.get("change") or {}).get("actions") or ()) != ("no-op",)]


def drifted_names(entry: Mapping[str, Any]) -> list[str]:
    """Top-level attribute names whose value differs between the two sides of a drift entry (masked values
    compare as their mask: a secret changed outside shows as a changed name, never as a value)."""
    change = entry.get("change") or {}
    before, after = change.get("before"), change.get("after")
    if not isinstance(before, Mapping) or not isinstance(after, Mapping):
        return []
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _stamp(written: str) -> str:
    return written.replace("T", " ").removesuffix("Z")[:16] + " UTC"


def _ago(written: str, now: datetime | None) -> str:
    try:
        then = datetime.strptime(written, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return ""
    seconds = int(((now or datetime.now(UTC)) - then).total_seconds())
    if seconds < 0:
        return ""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f", {count} {unit}{'s' if count != 1 else ''} ago"
    return ", just now"

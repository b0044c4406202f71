"""What a rollback cannot give back, said in the rollback plan rather than left for the reader to find.

A rollback plan goes back to a configuration applied earlier, against the state as it is now. An object that
holds data (a catalog, a schema, a volume, a workspace: the environment's `protect_from_destroy` types, the
ones SEC008 guards) and was destroyed since is created again by the rollback, new and empty: the data it held
does not come back with it. One that the rollback replaces loses what it holds now. Both are named, one line
each, in the plan (`iac.rollback.lost`) and in the roll-up's warnings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["lost_on_rollback"]


def lost_on_rollback(plan: Mapping[str, Any], holds_data: Iterable[str]) -> list[str]:
    """One line per data-holding object the rollback creates again (its data is gone) or replaces."""
    types = set(holds_data)
    lines = []
    for rc in plan.get("resource_changes") or ():
        if rc.get("mode", "managed") != "managed" or rc.get("type") not in types:
            continue
        actions = list((rc.get("change") or {}).get("actions") or ())
        if actions == ["create"]:
            lines.append(f"{rc['address']} was destroyed since that configuration was applied: the rollback creates "
                         "it again, empty; the data it held does not come back")
        elif "delete" in actions and "create" in actions:
            lines.append(f"{rc['address']} is replaced by the rollback: what it holds now is lost")
    return lines

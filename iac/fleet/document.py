"""The fleet plan document: the roll-up and every part's own Terraform-format plan JSON, in one file.

    {"environment": "prod", "format_version": "iac-fleet/1",
     "members": {"fraud": <fraud's plan JSON>, ...}, "rollup": <iac/fleet/rollup.py>, "shared": <plan JSON>}

Each member's entry is exactly the plan JSON `iac plan` writes for one environment (format 1.2 plus the `iac`
key, with `iac.fleet.part` naming the member), so per-member tools still work:
`jq '.members.fraud' plan.json > fraud.json && iac show fraud.json`. Written as compact, key-sorted JSON
(byte-identical to `iac._jsonio.dumps(document, indent=None)`), streamed: the members' texts are never parsed again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

from iac._jsonio import compact

__all__ = ["FLEET_FORMAT", "SHARED_LABEL", "is_fleet_document", "write_fleet_document"]

FLEET_FORMAT = "iac-fleet/1"
SHARED_LABEL = "(shared)"


def write_fleet_document(environment: str, rollup: Mapping[str, Any], documents: Mapping[str, str],
                         stream: TextIO) -> None:
    """Stream the fleet document; `documents` are the parts' compact plan JSON texts by label."""
    stream.write("{" + compact("environment") + ":" + compact(environment))
    stream.write("," + compact("format_version") + ":" + compact(FLEET_FORMAT) + "," + compact("members") + ":{")
    members = [key for key in sorted(documents) if key != SHARED_LABEL]
    for index, key in enumerate(members):
        stream.write(("," if index else "") + compact(key) + ":")
        stream.write(documents[key])
    stream.write("}," + compact("rollup") + ":" + compact(rollup))
    stream.write("," + compact("shared") + ":" + documents.get(SHARED_LABEL, "null") + "}\n")


def is_fleet_document(document: Any) -> bool:
    return isinstance(document, Mapping) and document.get("format_version") == FLEET_FORMAT

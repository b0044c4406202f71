"""Why is member 37 different? Each member's configuration and recorded state against the fleet's typical member.

The typical member is the majority: per (templated) resource address, the configuration body most members
have, and the recorded attributes most members' states hold, with every member's identity factored out
(iac/fleet/template.py: its key, its cost center... are its own, never a difference). A member's difference
is one attribute path with the member's value and the typical one; deepdiff finds them (JSON documents inside
strings, such as cluster policy definitions, are compared as documents, so one rule is one difference).

Where a difference comes from is decided here from what the workflow observed (iac/workflows/fleet_diff.py):
  * `data`: the member's own values in the environment file (`max_workers = 4`): the difference goes away
    when the member is built again with the typical value of that field;
  * `code`: it does not: the blueprint builds this member differently (an override in code, named by the
    resource's `file:line`);
  * `state`: the configuration is the typical one but the recorded state is not: changed outside Terraform
    (drift) or imported by hand; attributes the server assigns (ids, URLs) are never compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from deepdiff import DeepDiff

from iac._jsonio import canonical_json, loads

__all__ = ["Difference", "compare", "normalise", "project_onto", "typical"]

MISSING = "(absent)"


@dataclass(frozen=True)
class Difference:
    """One attribute (or a whole resource) where a member is not the typical member."""

    address: str
    """The member's own address (`databricks_cluster.search_shared`)."""
    path: str
    """Dotted attribute path; empty for a whole resource present in one and not the other."""
    member: Any
    typical: Any
    where: str
    """`config` or `state`."""
    origin: str = ""
    """`data`, `code` or `state` (see the module docstring); filled by the workflow."""
    detail: str = ""
    """What in that origin: `max_workers = 4 (typical: 8) in environments/dev.py`, `modules/team_workspace.py:142`."""


def normalise(value: Any) -> Any:
    """A body or attribute object as compared: JSON documents inside strings decoded, comments dropped."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            decoded = loads(value)
        except ValueError:
            return value
        return normalise(decoded) if isinstance(decoded, (dict, list)) else value
    if isinstance(value, Mapping):
        return {k: normalise(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def typical(members: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Per templated address, the value most members hold (ties: the first member's, in fleet order)."""
    counts: dict[str, Counter[str]] = {}
    first: dict[str, dict[str, Any]] = {}
    total = 0
    for member in members:
        total += 1
        for address, value in member.items():
            text = canonical_json(value)
            counts.setdefault(address, Counter())[text] += 1
            first.setdefault(address, {}).setdefault(text, value)
    out = {}
    for address, counter in counts.items():
        if 2 * sum(counter.values()) < total:
            continue  # most members do not have this resource at all: it is not the typical member's
        text = max(counter, key=lambda t: (counter[t], -list(first[address]).index(t)))
        out[address] = first[address][text]
    return out


def compare(typical_member: Mapping[str, Any], member: Mapping[str, Any], *, where: str) -> list[Difference]:
    """Every difference between `member` and `typical_member` (both address -> value, the typical member with
    this member's identity put back, so both are plain values)."""
    out: list[Difference] = []
    for address in sorted(typical_member.keys() | member.keys()):
        if address not in member:
            out.append(Difference(address, "", MISSING, "present", where))
        elif address not in typical_member:
            out.append(Difference(address, "", "present", MISSING, where))
        else:
            for level in _levels(DeepDiff(typical_member[address], member[address], view="tree")):
                path = level.path(output_format="list")
                out.append(Difference(address, _dotted(path), _shown(level.t2), _shown(level.t1), where))
    return out


def project_onto(recorded: Any, configured: Any) -> Any:
    """The recorded values at the paths the configuration sets to a literal: a state holds computed values
    too (server ids, defaults) and the values of references, which differ in every member by nature."""
    if isinstance(configured, str) and "${" in configured:
        return None
    if isinstance(configured, Mapping):
        if isinstance(recorded, list) and len(recorded) == 1:
            recorded = recorded[0]  # a block written as an object in JSON, a one-element list in state
        if not isinstance(recorded, Mapping):
            return recorded
        projected = {k: project_onto(recorded.get(k), v) for k, v in configured.items() if k != "//"}
        return {k: v for k, v in projected.items() if v is not None or configured.get(k) is None}
    if isinstance(configured, list) and isinstance(recorded, list):
        if any(isinstance(item, (Mapping, list)) for item in configured):
            return [project_onto(r, c) for r, c in zip(recorded, configured, strict=False)] + recorded[len(configured):]
        return recorded
    return recorded


def _levels(diff: Any) -> list[Any]:
    levels = [level for kind in sorted(diff) for level in diff[kind]]
    return sorted(levels, key=lambda level: [str(step) for step in level.path(output_format="list")])


def _shown(value: Any) -> Any:
    return MISSING if type(value).__name__ == "NotPresent" else value


def _dotted(path: Sequence[Any]) -> str:
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif isinstance(step, str) and step.replace("_", "").isalnum() and not step[:1].isdigit():
            out += f".{step}" if out else step
        else:
            out += f"[{canonical_json(step)}]"
    return out

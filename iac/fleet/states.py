"""Moving objects between a fleet's one state and its state per part: `split` and `join`, on state JSON.

Terraform has no move between states (`state mv -state-out` moves one address at a time and is gone from
recent versions); this is iac's, and it is plain data handling: each resource entry of the state (its
instances, attributes, sensitivity marks, dependencies, private data) is carried over exactly as it was,
only into another file. Every new state gets a new lineage (it is a new state, not a later serial of the
old one) and serial 1; outputs go where they are declared. Nothing here reads or writes files or takes
locks (iac/workflows/fleet_states.py does, and proves the result by planning).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iac.diagnostics import ConfigError, Diagnostic, listed

__all__ = ["PartConfig", "join_states", "new_state", "resource_address", "split_state"]


@dataclass(frozen=True)
class PartConfig:
    """What one part's configuration declares: resource addresses (`type.name`, `data.type.name`), the
    addresses its `moved` blocks move from, and its output names."""

    label: str
    addresses: frozenset[str]
    moved_from: frozenset[str]
    outputs: frozenset[str]

    @classmethod
    def of(cls, label: str, document: Mapping[str, Any]) -> PartConfig:
        """From a synthesized `main.tf.json` (root module: iac's constructs make no modules)."""
        addresses = {f"{rtype}.{name}" for rtype, bodies in (document.get("resource") or {}).items() for name in bodies}
        addresses |= {f"data.{rtype}.{name}" for rtype, bodies in (document.get("data") or {}).items() for name in bodies}
        moved = {str(m.get("from")) for m in document.get("moved") or () if isinstance(m, Mapping)}
        return cls(label, frozenset(addresses), frozenset(moved), frozenset(document.get("output") or ()))


def resource_address(resource: Mapping[str, Any]) -> str:
    """`type.name` / `data.type.name` of a state resource entry, with its module path in front."""
    base = f"{resource['type']}.{resource['name']}"
    base = f"data.{base}" if resource.get("mode") == "data" else base
    return f"{resource['module']}.{base}" if resource.get("module") else base


def new_state(like: Mapping[str, Any], resources: list[Any], outputs: Mapping[str, Any],
              lineage: Callable[[], str] = lambda: str(uuid.uuid4())) -> dict[str, Any]:
    """A state v4 document in Terraform's field order, from the same Terraform version as `like`."""
    return {"version": 4, "terraform_version": like.get("terraform_version", ""), "serial": 1, "lineage": lineage(),
            "outputs": dict(outputs), "resources": resources, "check_results": None}


def split_state(state: Mapping[str, Any], parts: Sequence[PartConfig], *,
                lineage: Callable[[], str] = lambda: str(uuid.uuid4())) -> dict[str, dict[str, Any]]:
    """One state per part (by label). Refuses objects that no part declares (or that two do): they would be
    destroyed, or planned twice."""
    owners: dict[str, str] = {}
    for part in parts:
        for address in part.addresses | part.moved_from:
            if address in owners and owners[address] != part.label:
                raise ConfigError(Diagnostic(f"{address} is declared by two parts ({owners[address]}, {part.label})"))
            owners[address] = part.label
    resources: dict[str, list[Any]] = {part.label: [] for part in parts}
    orphans = []
    for resource in state.get("resources") or ():
        address = resource_address(resource)
        if resource.get("module"):
            raise ConfigError(Diagnostic(f"{address}: module resources are not split (iac's constructs make none)"))
        owner = owners.get(address)
        if owner is None:
            orphans.append(address)
        else:
            resources[owner].append(resource)
    if orphans:
        raise ConfigError(Diagnostic(
            f"{len(orphans)} object(s) in the state belong to no part of the fleet ({listed(orphans)}): plan and apply "
            "their removal (or add them back) before splitting; nothing was changed"))
    out = {}
    for part in parts:
        outputs = {name: value for name, value in (state.get("outputs") or {}).items() if name in part.outputs}
        out[part.label] = new_state(state, resources[part.label], dict(sorted(outputs.items())), lineage)
    return out


def join_states(states: Mapping[str, Mapping[str, Any]], *, drop_outputs: Sequence[str] = (),
                lineage: Callable[[], str] = lambda: str(uuid.uuid4())) -> dict[str, Any]:
    """One state holding every part's objects (in the order given), without the outputs that only existed
    to share values between parts (`drop_outputs`). Refuses an address held by two parts."""
    seen: dict[str, str] = {}
    resources: list[Any] = []
    outputs: dict[str, Any] = {}
    for label, state in states.items():
        for resource in state.get("resources") or ():
            address = resource_address(resource)
            if address in seen:
                raise ConfigError(Diagnostic(f"{address} is in two states ({seen[address]}, {label}): nothing was changed"))
            seen[address] = label
            resources.append(resource)
        for name, value in (state.get("outputs") or {}).items():
            if name not in drop_outputs:
                outputs[name] = value
    like = next(iter(states.values()), {})
    return new_state(like, resources, dict(sorted(outputs.items())), lineage)

"""`iac fleet diff ENV [MEMBER]`: how each member's configuration and recorded state differ from the typical
member, and where each difference comes from (iac/fleet/memberdiff.py says how both are decided).

Every member is synthesized (its configuration) and its state read; identities are factored out; the majority
is the typical member. A configuration difference is then traced: the member is built again with each of its
own settings that differ from the typical member's set to the typical value (its data), and whatever still
differs is the blueprint's doing (code). The recorded state is compared where the configuration holds a literal
value: a typical configuration with an untypical state is drift, or an object imported by hand.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iac._jsonio import canonical_json
from iac.diagnostics import ConfigError, Diagnostic
from iac.fleet.memberdiff import Difference, compare, normalise, project_onto, typical
from iac.fleet.model import Fleet, fleet_of, unknown_member
from iac.fleet.parts import export_names, member_part, part_environment, state_file
from iac.fleet.template import Identity, identities, instantiate, template, template_address

__all__ = ["FleetDiff", "MemberDiff", "diff_fleet"]


@dataclass
class MemberDiff:
    key: str
    differences: list[Difference] = field(default_factory=list)


@dataclass
class FleetDiff:
    environment: str
    members: int
    identity_fields: list[str]
    """The fields every member has its own value of (never a difference)."""
    diffs: list[MemberDiff]
    environment_file: str


def diff_fleet(name: str, project: Path, member: str | None = None, *, sandbox: bool = False) -> FleetDiff:
    """Each member (or only `member`) against the typical member of fleet `name`."""
    from iac.project import load_environment

    environment = load_environment(project, name)
    fleet = fleet_of(environment)
    if fleet is None:
        raise ConfigError(Diagnostic("not a fleet (its build is not a Fleet)", environment=name))
    keys = fleet.member_keys()
    if member is not None and member not in keys:
        raise unknown_member(member, keys, environment=name)
    people = dict(zip(keys, identities(fleet.members, keys), strict=True))
    reader = _Reader(environment, fleet, project, export_names(environment, fleet), sandbox)
    configs = {k: reader.config(k, fleet.member(k), people[k]) for k in keys}
    states = {k: reader.state(k, people[k], configs[k].raw) for k in keys}
    usual_config = typical(_templated(c.raw, people[k]) for k, c in configs.items())
    usual_state = typical(_templated(s, people[k]) for k, s in states.items() if s)
    settings = _typical_settings(fleet)
    out = []
    for key in [member] if member else keys:
        config, identity = configs[key], people[key]
        found = compare(_own(usual_config, identity), config.raw, where="config")
        found = [_traced(d, reader, fleet, key, identity, usual_config, settings, config.sources.get(d.address, ""))
                 for d in found]
        explained = {(d.address, _top(d.path)) for d in found}
        for d in compare(_own(usual_state, identity), states[key], where="state"):
            if (d.address, _top(d.path)) not in explained and d.path:
                found.append(dataclasses.replace(d, origin="state", detail="the configuration is the typical one, the state "
                                                 "is not: changed outside Terraform (drift) or imported by hand"))
        out.append(MemberDiff(key, found))
    fields = sorted({f for identity in people.values() for f, _ in identity.pairs})
    return FleetDiff(name, len(keys), fields, out, f"environments/{name}.py")


def _templated(resources: Mapping[str, Any], identity: Identity) -> dict[str, Any]:
    """Templated address -> templated value: what members are counted alike by."""
    return {template_address(a, a.split(".", 1)[0], identity): template(v, identity) for a, v in resources.items()}


def _own(usual: Mapping[str, Any], identity: Identity) -> dict[str, Any]:
    """The typical member as this member would be: its identity put back (so a literal that merely contains
    its key is compared as itself, never as a template)."""
    return {instantiate(a, identity): instantiate(v, identity) for a, v in usual.items()}


def _top(path: str) -> str:
    return path.split(".")[0].split("[")[0]


@dataclass
class _Config:
    raw: dict[str, Any]
    """Own address -> normalised body."""
    sources: dict[str, str]
    """Own address -> the `file:line` that made it."""


class _Reader:
    """Members' configurations and states, templated by their identity."""

    def __init__(self, environment: Any, fleet: Fleet, project: Path, exports: list[str], sandbox: bool) -> None:
        self.environment, self.fleet, self.project, self.exports, self.sandbox = environment, fleet, project, exports, sandbox

    def config(self, key: str, member: Any, identity: Identity, fleet: Fleet | None = None) -> _Config:
        from iac.synth import synthesize_environment

        part = part_environment(self.environment, fleet or self.fleet, member_part(key), export_names=self.exports)
        document = synthesize_environment(part, self.project).document
        config = _Config({}, {})
        for rtype, named in (document.get("resource") or {}).items():
            for name, body in named.items():
                config.raw[f"{rtype}.{name}"] = normalise(body)
                config.sources[f"{rtype}.{name}"] = str(body.get("//", "")).removeprefix("source: ")
        return config

    def state(self, key: str, identity: Identity, config: Mapping[str, Any]) -> dict[str, Any]:
        """Own address -> the recorded values where its configuration sets a literal (iac/fleet/memberdiff.py)."""
        from iac.state import read_state

        path = state_file(self.environment, self.project, member_part(key), sandbox=self.sandbox)
        if path is None:
            return {}
        out: dict[str, Any] = {}
        for resource, obj in read_state(path).objects():
            if resource.mode != "managed" or obj.deposed:
                continue
            address = f"{resource.type}.{resource.name}" + ("" if obj.key is None else f"[{canonical_json(obj.key)}]")
            if address in config:
                out[address] = project_onto(normalise(obj.attributes), config[address]) or {}
            else:
                out[address] = {}  # in the state, not in the configuration: imported or left behind
        return out


def _typical_settings(fleet: Fleet) -> dict[str, Any]:
    """The value most members have for each of their fields (what a member's own settings are traced against)."""
    counts: dict[str, Counter[str]] = {}
    values: dict[str, dict[str, Any]] = {}
    for member in fleet.members:
        for name, value in _fields(member).items():
            text = canonical_json(value)
            counts.setdefault(name, Counter())[text] += 1
            values.setdefault(name, {})[text] = value
    return {name: values[name][counter.most_common(1)[0][0]] for name, counter in counts.items()
            if counter.most_common(1)[0][1] * 2 > len(fleet.members)}


def _fields(member: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(member) and not isinstance(member, type):
        return {f.name: getattr(member, f.name) for f in dataclasses.fields(member)}
    if hasattr(member, "model_dump"):
        return dict(member.model_dump())
    return {}


def _with(member: Any, updates: Mapping[str, Any]) -> Any:
    if dataclasses.is_dataclass(member) and not isinstance(member, type):
        return dataclasses.replace(member, **updates)
    return member.model_copy(update=dict(updates))


def _traced(difference: Difference, reader: _Reader, fleet: Fleet, key: str, identity: Identity,
            usual: Mapping[str, Any], settings: Mapping[str, Any], source: str) -> Difference:
    """Which of the member's own settings makes this configuration difference, else the blueprint's code."""
    member = fleet.member(key)
    own = {name: value for name, value in _fields(member).items()
           if name in settings and canonical_json(value) != canonical_json(settings[name])
           and name not in {f for f, _ in identity.pairs}}
    for name, value in sorted(own.items()):
        variant = _with(member, {name: settings[name]})
        members = [variant if m is member else m for m in fleet.members]
        config = reader.config(key, variant, identity, dataclasses.replace(fleet, members=members))
        if _same_at(config.raw, _own(usual, identity), difference):
            return dataclasses.replace(difference, origin="data", detail=f"{name} = {canonical_json(value)} (typical: "
                                       f"{canonical_json(settings[name])}), {key}'s own value in "
                                       f"environments/{reader.environment.name}.py")
    return dataclasses.replace(difference, origin="code",
                               detail=f"the blueprint builds this member differently ({source or 'the blueprint'})")


def _same_at(config: Mapping[str, Any], usual: Mapping[str, Any], difference: Difference) -> bool:
    """Whether the attribute of `difference` is the typical one in `config` (the member built again)."""
    if difference.address not in config:
        return difference.address not in usual
    return not any(d.path == difference.path for d in compare({difference.address: usual.get(difference.address)},
                                                             {difference.address: config[difference.address]},
                                                             where="config"))

"""Member summaries -> the fleet roll-up document: what a reviewer reads instead of 1,000 plans.

The document (plain JSON, `format_version` ROLLUP_FORMAT) holds:
  * `members`: how many, and which are unchanged, changed, failing (with their error) or removed;
  * `totals`: add / change / destroy / replace / move / import over all members and the shared part;
  * `cost`: monthly before / after / delta summed, and the fleet's budget findings;
  * `destroys`: every destroy and replacement, by address template and member, never cut;
  * `groups`: each distinct change once, with the members making it and one member's real change to show;
  * `findings`: each distinct finding once, with its members; `diagnostics` likewise;
  * `refresh` (only for `iac plan ENV --refresh`): the engine that read the real objects, the parts it read, the
    parts that had changed outside iac, and what changed in each (its `resource_drift` entries, values masked).

Grouping is structural (iac/fleet/template.py): changes at the same templated address are one group when
their templated changes are equal, and a member whose templated change differs still joins the majority's
group when the majority's template, instantiated with its identity, is exactly its change (a team called
`security` whose `data_security_mode` is the same literal as everyone's). Whatever still differs is a group
of its own: the members that differ get their own diff.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from iac._jsonio import loads
from iac.fleet.summary import CHANGED, FAILED, UNCHANGED, MemberSummary, Templates
from iac.fleet.template import Identity, canonical, instantiate, template

K = TypeVar("K")

__all__ = ["ROLLUP_FORMAT", "roll_up"]

ROLLUP_FORMAT = "iac-fleet-rollup/1"
_VERDICT_RANK = {"pass": 0, "warn": 1, "deny": 2, "error": 3}
_FIELD = re.compile(r"\\u0000([^\\]*?)\\u0001")
"""A placeholder as canonical JSON text spells it (`\u0000key\u0001`): the identity fields a change uses."""
_CANDIDATES = 3
"""How many larger groups a differing member is tried against (the majority first)."""


def roll_up(environment: str, members: Sequence[MemberSummary], templates: Templates, *,
            shared: MemberSummary | None = None, fleet_findings: Sequence[Mapping[str, Any]] = (),
            fleet_verdict: str | None = None, mode: str | None = None) -> dict[str, Any]:
    """The roll-up document of one fleet plan (see the module docstring). `members` in fleet order."""
    records = _Records(templates)
    parts = ([shared] if shared is not None else []) + list(members)
    planned = [m for m in parts if m.status != FAILED]
    groups = _change_groups([m for m in members if m.status == CHANGED], records)
    shared_changes = [records.raw(d, shared.identity) for d in shared.changes] if shared is not None else []
    findings = _finding_groups(parts, records, fleet_findings)
    document = {
        "format_version": ROLLUP_FORMAT,
        "environment": environment,
        "mode": mode,
        "members": {
            "total": len([m for m in members if not m.removed]),
            "unchanged": [m.key for m in members if m.status == UNCHANGED],
            "changed": [m.key for m in members if m.status == CHANGED and not m.removed],
            "removed": [m.key for m in members if m.removed],
            "failing": [{"member": m.key, "error": m.error} for m in parts if m.status == FAILED],
        },
        "totals": _totals(planned),
        "cost": _cost(planned),
        "verdict": _verdict(parts, fleet_verdict),
        "shared": None if shared is None else {"status": shared.status, "error": shared.error, "changes": shared_changes},
        "destroys": _destroys(parts, records),
        "groups": [_group_json(group, records) for group in groups],
        "findings": findings,
        "diagnostics": _diagnostic_groups(parts),
    }
    refreshed = [p for p in parts if p.refreshed_by]
    if refreshed:
        document["refresh"] = {
            "engine": refreshed[0].refreshed_by,
            "parts": [p.key for p in refreshed],
            "drifted": [p.key for p in refreshed if p.drift],
            "drift": [{"member": p.key, "resource_drift": p.drift} for p in refreshed if p.drift],
        }
    return document


class _Records:
    """Templates decoded once each, and instantiated per member on demand."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates
        self._decoded: dict[str, Any] = {}

    def template(self, digest: str) -> dict[str, Any]:
        found = self._decoded.get(digest)
        if found is None:
            found = self._decoded[digest] = loads(self.templates.texts[digest])
        return found  # type: ignore[no-any-return]

    def raw(self, digest: str, identity: Mapping[str, str]) -> dict[str, Any]:
        return instantiate(self.template(digest), identity)  # type: ignore[no-any-return]


class _Group:
    def __init__(self, digest: str, members: list[MemberSummary]) -> None:
        self.digest = digest
        self.members = members


def _change_groups(members: Sequence[MemberSummary], records: _Records) -> list[_Group]:
    """Group every member's changes (see the module docstring); groups in address-template order."""
    order = {m.key: index for index, m in enumerate(members)}
    by_slot: dict[tuple[str, str], dict[str, list[MemberSummary]]] = defaultdict(lambda: defaultdict(list))
    for member in members:
        for digest in member.changes:
            record = records.template(digest)
            by_slot[(record.get("type", ""), record["address"])][digest].append(member)
    _merge_slots(by_slot, records)
    groups: list[_Group] = []
    for slot in sorted(by_slot):
        for digest, group_members in _merge_outliers(by_slot[slot], records):
            groups.append(_Group(digest, sorted(group_members, key=lambda m: order[m.key])))
    return groups


def _merge_slots(by_slot: dict[tuple[str, str], dict[str, list[MemberSummary]]], records: _Records) -> None:
    """Move a member's change from a rare address template to a more common one that names the same address
    for that member (`databricks_grants.‹key›_‹key›` for a team called `catalog` is `‹key›_catalog`)."""
    sizes = {slot: sum(len(ms) for ms in digests.values()) for slot, digests in by_slot.items()}
    by_type: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for slot in sorted(by_slot, key=lambda s: (-sizes[s], s)):
        by_type[slot[0]].append(slot)
    for slots in by_type.values():
        for slot in reversed(slots):
            for digest, members in list(by_slot[slot].items()):
                for member in list(members):
                    target = _larger_slot(slot, member, slots, sizes, records)
                    if target is not None:
                        members.remove(member)
                        by_slot[target][digest].append(member)
                if not members:
                    del by_slot[slot][digest]
            if not by_slot[slot]:
                del by_slot[slot]


def _larger_slot(slot: tuple[str, str], member: MemberSummary, slots: list[tuple[str, str]],
                 sizes: Mapping[tuple[str, str], int], records: _Records) -> tuple[str, str] | None:
    address = instantiate(slot[1], member.identity)
    for other in slots:
        if sizes[other] <= sizes[slot]:
            break
        if other != slot and instantiate(other[1], member.identity) == address:
            return other
    return None


def _merge_outliers(digests: Mapping[str, list[MemberSummary]], records: _Records) -> list[tuple[str, list[MemberSummary]]]:
    return merge_outliers(digests, lambda digest, member: canonical(records.raw(digest, member.identity)))


def merge_outliers(groups: Mapping[K, list[MemberSummary]],
                   raw: Callable[[K, MemberSummary], str]) -> list[tuple[K, list[MemberSummary]]]:
    """Groups by template, largest first; a member joins a larger group whose template, instantiated with its
    identity (`raw`), is exactly its own: its template differs only where its identity occurs by chance."""
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), str(item[0])))
    kept: list[tuple[K, list[MemberSummary]]] = []
    for key, members in ranked:
        if not kept:  # the largest group: nothing larger to join (most members of a fleet, instantiated never)
            kept.append((key, list(members)))
            continue
        left = []
        for member in members:
            mine = raw(key, member)
            home = next((group for group in kept[:_CANDIDATES] if raw(group[0], member) == mine), None)
            if home is not None:
                home[1].append(member)
            else:
                left.append(member)
        if left:
            kept.append((key, left))
    return kept


def _group_json(group: _Group, records: _Records) -> dict[str, Any]:
    template = records.template(group.digest)
    shown_for = group.members[0]
    return {
        "address": template["address"],
        "identity": sorted(set(_FIELD.findall(records.templates.texts[group.digest]))),
        "type": template.get("type"),
        "actions": template.get("actions"),
        "members": [m.key for m in group.members],
        "shown_for": shown_for.key,
        "change": records.raw(group.digest, shown_for.identity),
        "cost_delta": _sum(_decimal(template.get("cost_delta")) for _ in group.members),
    }


def _destroys(parts: Sequence[MemberSummary], records: _Records) -> list[dict[str, Any]]:
    """Every destroy and replacement of every part, one entry per member and address."""
    out = []
    for member in parts:
        for digest in member.changes:
            template = records.template(digest)
            actions = template.get("actions") or []
            if template.get("kind") == "resource" and "delete" in actions:
                raw = records.raw(digest, member.identity)
                out.append({"member": member.key, "address": raw["address"], "template": template["address"],
                            "actions": actions, "type": raw.get("type"), "change": raw})
    return out


def _finding_groups(parts: Sequence[MemberSummary], records: _Records,
                    fleet_findings: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    by_digest: dict[str, list[MemberSummary]] = defaultdict(list)
    for member in parts:
        for digest in member.findings:
            by_digest[digest].append(member)
    merged = merge_outliers(by_digest, lambda digest, member: canonical(records.raw(digest, member.identity)))
    out = [{**dict(f), "members": []} for f in fleet_findings]
    for digest, members in sorted(merged, key=lambda item: _finding_order(records.template(item[0]))):
        first = members[0]
        out.append({**records.raw(digest, first.identity), "template": records.template(digest),
                    "members": [m.key for m in members]})
    return out


def _finding_order(template: Mapping[str, Any]) -> tuple[Any, ...]:
    rank = {"error": 0, "warning": 1, "info": 2}
    return (1 if template.get("waived") else 0, rank.get(str(template.get("severity")), 3),
            str(template.get("check_id")), str(template.get("address")), str(template.get("message")))


def _diagnostic_groups(parts: Sequence[MemberSummary]) -> list[dict[str, Any]]:
    by_text: dict[str, list[MemberSummary]] = defaultdict(list)
    for member in parts:
        identity = Identity(member.key, tuple(sorted(member.identity.items(), key=lambda i: (-len(i[1]), i[0]))))
        for line in member.diagnostics:
            by_text[template(line, identity)].append(member)
    merged = merge_outliers(by_text, lambda text, member: instantiate(text, member.identity))
    return [{"line": instantiate(text, members[0].identity), "members": [m.key for m in members]}
            for text, members in sorted(merged, key=lambda item: item[0])]


def _totals(parts: Iterable[MemberSummary]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for part in parts:
        for name, value in part.counts.items():
            totals[name] += value
    return {name: totals[name] for name in ("add", "change", "destroy", "replace", "move", "import")}


def _cost(parts: Sequence[MemberSummary]) -> dict[str, Any]:
    before = _sum(_decimal(p.cost.get("before")) for p in parts)
    after = _sum(_decimal(p.cost.get("after")) for p in parts)
    currency = next((p.cost.get("currency") for p in parts if p.cost.get("currency")), "USD")
    return {"total_before": str(before), "total_after": str(after), "delta": str(after - before), "currency": currency}


def _verdict(parts: Sequence[MemberSummary], fleet_verdict: str | None) -> str:
    """The worst verdict of any part and of the fleet-wide checks; a member that failed to plan is an error."""
    verdicts = [p.verdict for p in parts if p.verdict] + ([fleet_verdict] if fleet_verdict else [])
    if any(p.status == FAILED for p in parts):
        verdicts.append("error")
    return max(verdicts or ["pass"], key=lambda v: _VERDICT_RANK.get(v, 3))


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))

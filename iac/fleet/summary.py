"""One member's plan JSON, reduced to what the fleet roll-up needs: counts, cost, verdict, and each change
with the member's identity factored out (iac/fleet/template.py).

A summary holds *digests* of its templated changes; the templates themselves go into a `Templates` table
shared by every member summarized in one process, so 1,000 members that make the same 40 changes send 40
templates, not 40,000, back to the planning process. Everything here is read from the plan JSON (never the
engine's objects), so plan JSON files made elsewhere (CI artifacts, one job per member) summarize the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from iac.fleet.delta import change_delta
from iac.fleet.template import Identity, canonical, template, template_address
from iac.render._common import shown_changes, summary_counts
from iac.render._markdown_plan import counts as plan_counts
from iac.render._refresh import drift_entries

__all__ = ["MemberSummary", "Templates", "summarize_failure", "summarize_member"]

UNCHANGED, CHANGED, FAILED = "unchanged", "changed", "failed"


@dataclass
class Templates:
    """Templated changes and findings by digest (canonical JSON text), shared by many summaries."""

    texts: dict[str, str] = field(default_factory=dict)

    def add(self, record: Mapping[str, Any]) -> str:
        text = canonical(record)
        digest = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
        self.texts.setdefault(digest, text)
        return digest

    def merge(self, other: Templates) -> None:
        for digest, text in other.texts.items():
            self.texts.setdefault(digest, text)


@dataclass
class MemberSummary:
    """What the roll-up knows of one member's plan (or of its failure)."""

    key: str
    identity: dict[str, str]
    """Placeholder field -> this member's value (to instantiate templates)."""
    status: str
    """`unchanged`, `changed` or `failed`."""
    error: str | None = None
    """The one-line error of a failed member (it was not planned)."""
    counts: dict[str, int] = field(default_factory=dict)
    """add, change, destroy, replace, move, import (Terraform's counting: a replace is one add and one destroy)."""
    cost: dict[str, str] = field(default_factory=dict)
    """Monthly `before`, `after`, `delta` (decimal strings) and `currency`."""
    verdict: str | None = None
    changes: list[str] = field(default_factory=list)
    """Digests of the templated resource and output changes, in plan order."""
    findings: list[str] = field(default_factory=list)
    """Digests of the templated findings."""
    diagnostics: list[str] = field(default_factory=list)
    """Warnings of the member's synth and plan, one line each (as printed)."""
    removed: bool = False
    """A member no longer in the fleet whose state still holds objects: planned as destroy."""
    refreshed_by: str | None = None
    """The engine that read its real objects before it was planned (`iac plan ENV --refresh`); None: not refreshed."""
    drift: list[dict[str, Any]] = field(default_factory=list)
    """What that refresh found changed outside iac: its plan JSON's `resource_drift` entries (values masked)."""


def summarize_member(key: str, identity: Identity, plan: Mapping[str, Any], templates: Templates, *,
                     diagnostics: list[str] = (), removed: bool = False) -> MemberSummary:  # type: ignore[assignment]
    """Summarize one member's plan JSON (checks already run: `iac.findings`, `iac.verdict`, `iac.cost`)."""
    meta = plan.get("iac") or {}
    shown = shown_changes(plan)
    tally = summary_counts(plan, shown)
    replace = plan_counts(plan).replace
    reasons = meta.get("reasons") or {}
    cost_lines = {r.get("address"): r.get("delta_monthly") for r in (meta.get("cost") or {}).get("resources") or []}
    digests = [templates.add(_change_record(rc, identity, reasons, cost_lines)) for rc in shown]
    for name, change in sorted((plan.get("output_changes") or {}).items()):
        if (change.get("actions") or ["no-op"]) != ["no-op"]:
            digests.append(templates.add(_output_record(name, change, identity)))
    findings = [templates.add(_finding_record(f, identity)) for f in meta.get("findings") or []]
    cost = meta.get("cost") or {}
    refresh = meta.get("refresh") or {}
    return MemberSummary(
        key=key, identity=identity.as_dict(), status=CHANGED if digests else UNCHANGED,
        counts={"add": tally.to_add, "change": tally.to_change, "destroy": tally.to_destroy, "replace": replace,
                "move": tally.to_move, "import": tally.to_import},
        cost={"before": str(cost.get("total_before", "0")), "after": str(cost.get("total_after", "0")),
              "delta": str(cost.get("delta", "0")), "currency": str(cost.get("currency") or "USD")},
        verdict=meta.get("verdict"), changes=digests, findings=findings, diagnostics=list(diagnostics),
        removed=removed, refreshed_by=str(refresh.get("engine")) if refresh.get("refreshed") else None,
        drift=[dict(entry) for entry in drift_entries(plan)])


def summarize_failure(key: str, identity: Identity, error: str) -> MemberSummary:
    return MemberSummary(key=key, identity=identity.as_dict(), status=FAILED, error=error)


def _change_record(rc: Mapping[str, Any], identity: Identity, reasons: Mapping[str, Any],
                   cost_lines: Mapping[str, Any]) -> dict[str, Any]:
    """What makes a resource change this change, structurally: its address and actions, and the leaves that
    change (`delta`: attribute path, before, after), values templated. Leaves that stay the same are left out
    (server-assigned ids differ in every member: they make no difference to the change)."""
    address = str(rc["address"])
    rtype = str(rc.get("type", ""))
    change = rc.get("change") or {}
    changed = frozenset((reasons.get(address) or {}).keys())
    delta, unchanged = change_delta(change, changed, identity.text)
    record: dict[str, Any] = {
        "kind": "resource",
        "address": template_address(address, rtype, identity),
        "type": rtype,
        "mode": rc.get("mode", "managed"),
        "name": template(rc.get("name"), identity),
        "actions": list(change.get("actions") or ()),
        "delta": delta,
        "unchanged": unchanged,
    }
    if change.get("replace_paths"):
        record["replace_paths"] = change["replace_paths"]
    for optional in ("module_address", "index", "action_reason", "deposed"):
        if rc.get(optional) is not None:
            record[optional] = template(rc[optional], identity)
    if rc.get("previous_address"):
        record["previous_address"] = template_address(str(rc["previous_address"]), rtype, identity)
    if cost_lines.get(address) not in (None, "0"):
        record["cost_delta"] = cost_lines[address]
    return record


def _output_record(name: str, change: Mapping[str, Any], identity: Identity) -> dict[str, Any]:
    delta, unchanged = change_delta({**change, "before": {"value": change.get("before")}, "after": {"value": change.get("after")},
                                     "after_unknown": {"value": change.get("after_unknown")},
                                     "before_sensitive": {"value": change.get("before_sensitive")},
                                     "after_sensitive": {"value": change.get("after_sensitive")}}, frozenset(), identity.text)
    return {"kind": "output", "address": "output." + template(name, identity), "name": template(name, identity),
            "actions": list(change.get("actions") or ()), "delta": delta, "unchanged": unchanged}


def _finding_record(finding: Mapping[str, Any], identity: Identity) -> dict[str, Any]:
    record = template(dict(finding), identity)
    if finding.get("address"):
        rtype = str(finding["address"]).split(".", 1)[0]
        record["address"] = template_address(str(finding["address"]), rtype, identity)
    return record

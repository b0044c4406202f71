"""Compare Terraform's own JSON plan with iac's preview, address by address, before anything is applied.

Both sides are plan JSON (format 1.x, terraform-formats.md §2), so this reads nothing but
`resource_changes`: for each managed resource instance (and deposed object) the `actions` list and, for
a replacement, the set of `replace_paths`. An address missing on one side counts as `no-op` there.
Data sources are left out: reading one changes no infrastructure, and iac's preview does not model them.

With `-target`, Terraform plans only the targeted resources and what they depend on; addresses the
preview has but Terraform left out are reported as skipped, never as agreement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from iac import _jsonio
from iac.diagnostics import Diagnostic, TerraformError

__all__ = ["Difference", "Verification", "action_word", "changed_addresses", "drifted", "has_changes", "planned_actions", "verify_plan"]

_NO_OP = ("no-op",)
_QUIET = {("no-op",), ("read",)}
_WORDS = {
    ("no-op",): "no-op",
    ("create",): "create",
    ("read",): "read",
    ("update",): "update",
    ("delete",): "delete",
    ("delete", "create"): "replace (delete first)",
    ("create", "delete"): "replace (create first)",
    ("forget",): "forget",
    ("create", "forget"): "replace (forget old)",
}


@dataclass(frozen=True)
class PlannedAction:
    """What one side plans for one resource instance."""

    actions: tuple[str, ...]
    replace_paths: frozenset[str]
    """Each path as canonical JSON text (`["triggers_replace"]`), so paths compare exactly and print plainly."""


@dataclass(frozen=True)
class Difference:
    """One address where the two plans disagree."""

    address: str
    iac: str
    terraform: str
    what: str = "action"
    """`action` or `replace_paths`."""
    drift: str | None = None
    """What Terraform's refresh found changed outside Terraform at this address (`resource_drift`), if anything."""

    def describe(self) -> str:
        found = f" (changed outside Terraform: its refresh found it {self.drift})" if self.drift else ""
        return f"iac previewed {self.what} {self.iac}, Terraform plans {self.terraform}{found}"


@dataclass(frozen=True)
class Verification:
    """The outcome of comparing both plans."""

    differences: tuple[Difference, ...]
    skipped: tuple[str, ...]
    """Addresses the preview changes that Terraform left out because of `-target`."""

    @property
    def agrees(self) -> bool:
        return not self.differences

    def raise_if_disagreeing(self, environment: str | None = None) -> None:
        """Stop the run, listing every difference, one line each."""
        if self.agrees:
            return
        lines = [Diagnostic(summary=f"Terraform's plan disagrees with iac's preview at {len(self.differences)} "
                                    "address(es); nothing was applied", environment=environment)]
        lines += [Diagnostic(summary=d.describe(), environment=environment, address=d.address)
                  for d in self.differences]
        drifted_count = sum(1 for d in self.differences if d.drift)
        if drifted_count:  # iac plans from the state as it is; Terraform refreshed it first
            lines.append(Diagnostic(
                summary=f"{drifted_count} address(es) changed outside Terraform since the last apply: record that in the state "
                        "with `iac apply --refresh-only` (same arguments), then apply again",
                environment=environment))
        raise TerraformError(*lines)


def action_word(actions: Sequence[str]) -> str:
    """Human word for an actions list (`["delete", "create"]` -> `replace (delete first)`)."""
    return _WORDS.get(tuple(actions), ", ".join(actions))


def planned_actions(plan: Mapping[str, Any]) -> dict[str, PlannedAction]:
    """Managed resource instances of a plan JSON, keyed by address (deposed objects get ` (deposed KEY)`)."""
    planned: dict[str, PlannedAction] = {}
    for change in plan.get("resource_changes") or ():
        if change.get("mode", "managed") != "managed":
            continue
        key = change["address"] + (f" (deposed {change['deposed']})" if change.get("deposed") else "")
        body = change.get("change") or {}
        paths = frozenset(_jsonio.canonical_json(p) for p in body.get("replace_paths") or ())
        planned[key] = PlannedAction(tuple(body.get("actions") or _NO_OP), paths)
    return planned


def changed_addresses(plan: Mapping[str, Any]) -> list[str]:
    """Sorted addresses of the managed instances the plan changes (anything but no-op and read)."""
    return sorted(a for a, p in planned_actions(plan).items() if p.actions not in _QUIET)


def has_changes(plan: Mapping[str, Any]) -> bool:
    """True when applying the plan would change a resource, the state (an import or a move, as Terraform counts
    them) or a root output."""
    if any(p.actions not in _QUIET for p in planned_actions(plan).values()):
        return True
    if any((c.get("change") or {}).get("importing") is not None or c.get("previous_address")
           for c in plan.get("resource_changes") or () if c.get("mode", "managed") == "managed"):
        return True
    return any(tuple(o.get("actions") or _NO_OP) != _NO_OP for o in (plan.get("output_changes") or {}).values())


def verify_plan(preview: Mapping[str, Any], terraform: Mapping[str, Any], *, targets: Sequence[str] = ()) -> Verification:
    """Compare `terraform`'s plan with the `preview`; see the module docstring for the rules."""
    _check_format(terraform)
    ours, theirs = planned_actions(preview), planned_actions(terraform)
    differences: list[Difference] = []
    skipped: list[str] = []
    absent = PlannedAction(_NO_OP, frozenset())
    drift = {address: word for address, word, _ in drifted(terraform)}
    for address in sorted(ours.keys() | theirs.keys()):
        mine = ours.get(address, absent)
        if targets and address not in theirs:
            if mine.actions not in _QUIET:
                skipped.append(address)
            continue
        differences.extend(replace(d, drift=drift.get(address)) for d in _compare(address, mine, theirs.get(address, absent)))
    return Verification(tuple(differences), tuple(skipped))


def drifted(terraform: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    """`(address, "deleted" | "changed", changed attribute names)` for every managed object Terraform's
    refresh found changed outside Terraform (`resource_drift`). Names only: values may be secrets."""
    found: list[tuple[str, str, list[str]]] = []
    for change in terraform.get("resource_drift") or ():
        if change.get("mode", "managed") != "managed":
            continue
        body = change.get("change") or {}
        # resource_drift says "delete" for an object gone from the workspace, "update" for one edited there
        word = action_word(body.get("actions") or ())
        word = {"delete": "deleted", "update": "changed"}.get(word, word)
        before, after = body.get("before") or {}, body.get("after") or {}
        names = sorted(k for k in before.keys() | after.keys()
                       if _jsonio.canonical_json(before.get(k)) != _jsonio.canonical_json(after.get(k))) if after else []
        found.append((change["address"], word, names))
    return found


def _compare(address: str, mine: PlannedAction, theirs: PlannedAction) -> list[Difference]:
    if mine.actions != theirs.actions:
        return [Difference(address, action_word(mine.actions), action_word(theirs.actions))]
    if mine.replace_paths != theirs.replace_paths:
        return [Difference(address, _paths(mine), _paths(theirs), what="replace_paths")]
    return []


def _paths(planned: PlannedAction) -> str:
    return "[" + ", ".join(sorted(planned.replace_paths)) + "]"


def _check_format(terraform: Mapping[str, Any]) -> None:
    version = str(terraform.get("format_version", ""))
    if version.split(".")[0] != "1":
        raise TerraformError(f"Terraform's plan JSON has format_version {version!r}; iac reads format 1.x only")
    if terraform.get("errored"):
        raise TerraformError("Terraform's plan errored; nothing was applied")

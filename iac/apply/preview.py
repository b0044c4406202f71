"""iac's own preview of a run, and the check that a saved, reviewed plan still describes it.

The preview is the plan JSON (docs/architecture.md) made by iac's diff engine from the configuration and
the state Terraform reads, with the checks' findings, verdict and cost in its `iac` key. apply/destroy
read nothing else from it, so any object that returns such a JSON can be the previewer (tests use one
that wraps a prepared plan to simulate disagreements).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from iac import _jsonio
from iac.diagnostics import StateError

__all__ = [
    "PreviewRequest",
    "Previewer",
    "StateIdentity",
    "cost_delta_of",
    "destructive_addresses",
    "error_findings",
    "plan_hash",
    "stale_reasons",
    "state_identity",
    "verdict_of",
]


@dataclass(frozen=True)
class PreviewRequest:
    """Everything the previewer needs; the state is the text Terraform itself returned (`state pull`)."""

    config_text: str
    state_text: str | None
    environment: str
    mode: str
    """`development` or `production`: how strictly the checks are enforced."""
    destroy: bool = False
    targets: tuple[str, ...] = ()
    """`--target` addresses: the preview covers only them and what they depend on (dependents, for a destroy)."""
    replace: tuple[str, ...] = ()
    """`--replace` addresses: planned as replacements."""
    settings: Any = None
    """The environment object (its check settings), or None for `--config-dir` runs."""
    base_dir: Path = Path(".")
    """The working directory: relative paths in the configuration are resolved from it."""
    env: Mapping[str, str] | None = None
    """Where iac's plan reads `TF_VAR_*` (default os.environ): the same values the Terraform engine gets."""


class Previewer(Protocol):
    """Makes iac's preview: plan JSON with the `iac` key filled in (findings, verdict, cost included)."""

    def preview(self, request: PreviewRequest) -> dict[str, Any]: ...


@dataclass(frozen=True)
class StateIdentity:
    """Which snapshot of which state: what a reviewed plan was made against."""

    serial: int
    lineage: str

    def to_json(self) -> dict[str, Any]:
        return {"serial": self.serial, "lineage": self.lineage}


def state_identity(state_text: str | None) -> StateIdentity | None:
    """Serial and lineage of a state (None when there is no state yet)."""
    if state_text is None:
        return None
    try:
        state = _jsonio.loads(state_text)
        return StateIdentity(int(state["serial"]), str(state["lineage"]))
    except (ValueError, KeyError, TypeError) as error:
        raise StateError(f"the state Terraform returned has no usable serial/lineage: {error}") from None


def plan_hash(plan: Mapping[str, Any]) -> str:
    """`sha256:<hex>` of the plan JSON's canonical form (what the audit log says was approved)."""
    return "sha256:" + hashlib.sha256(_jsonio.canonical_json(plan).encode("utf-8")).hexdigest()


def stale_reasons(reviewed: Mapping[str, Any], *, environment: str, config_hash: str, state: StateIdentity | None,
                  verdict: str | None, destroy: bool, targets: Sequence[str] = ()) -> list[str]:
    """Why a saved, reviewed plan no longer describes this run; empty when it still does."""
    meta = reviewed.get("iac")
    if not isinstance(meta, Mapping):
        return ["it is not an iac plan (no 'iac' key): save one with `iac plan ENV --format json`"]
    reasons: list[str] = []
    if meta.get("environment") not in (None, environment):
        reasons.append(f"it was made for environment '{meta.get('environment')}', not '{environment}'")
    wanted_mode = "destroy" if destroy else "normal"
    if meta.get("plan_mode", "normal") != wanted_mode:
        command = "iac destroy" if meta.get("plan_mode") == "destroy" else "iac apply"
        reasons.append(f"it is a {meta.get('plan_mode')} plan: apply it with `{command}`")
    if meta.get("config_hash") != config_hash:
        reasons.append(f"the configuration changed since the review (reviewed {meta.get('config_hash')}, now {config_hash})")
    reviewed_state = _reviewed_state(meta.get("state"))
    if reviewed_state != state:
        reasons.append(f"the state changed since the review (reviewed {_describe(reviewed_state)}, now {_describe(state)})")
    reviewed_targets = list((meta.get("targets") or {}).get("addresses") or ())
    if reviewed_targets != list(targets):
        reasons.append(f"it was planned for {_targets(reviewed_targets)}, this run is for {_targets(targets)}")
    if meta.get("verdict") != verdict:
        reasons.append(f"the checks' verdict changed since the review (reviewed {meta.get('verdict')}, now {verdict})")
    return reasons


def _reviewed_state(value: Any) -> StateIdentity | None:
    if not isinstance(value, Mapping):
        return None
    return StateIdentity(int(value.get("serial", -1)), str(value.get("lineage", "")))


def _targets(addresses: Sequence[str]) -> str:
    return "--target " + ", ".join(addresses) if addresses else "the whole configuration"


def _describe(state: StateIdentity | None) -> str:
    return "no state" if state is None else f"serial {state.serial}, lineage {state.lineage}"


def destructive_addresses(plan: Mapping[str, Any]) -> tuple[str, ...]:
    """Addresses whose actions include `delete` (deletes and both replace orders)."""
    return tuple(c["address"] for c in plan.get("resource_changes") or ()
                 if "delete" in ((c.get("change") or {}).get("actions") or ()))


def verdict_of(plan: Mapping[str, Any]) -> str | None:
    meta = plan.get("iac") or {}
    return meta.get("verdict") if isinstance(meta, Mapping) else None


def cost_delta_of(plan: Mapping[str, Any]) -> str | None:
    cost = (plan.get("iac") or {}).get("cost") or {}
    delta = cost.get("delta") if isinstance(cost, Mapping) else None
    return None if delta is None else str(delta)


def error_findings(plan: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    """Findings that are errors and not waived: what makes a verdict `deny`."""
    findings = (plan.get("iac") or {}).get("findings") or ()
    return [f for f in findings if f.get("severity") == "error" and not f.get("waived")]

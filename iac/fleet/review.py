"""Is a part's plan now still the one reviewed? The rule a fleet rollout applies to each part.

    compare(reviewed_plan_json, fresh_plan_json) -> Comparison(SAME | CONVERGED | REFINED | CHANGED, reasons)

SAME       the same configuration, state and verdict: apply the reviewed plan.
CONVERGED  the state moved on and nothing is left to apply (an earlier run of the rollout applied it): skip.
REFINED    the configuration changed only by values the reviewed plan showed as "known after apply" that are
           now known (a member planned before the shared part existed: its `shared_metastore_id` is now a
           literal). The same state, the same actions at the same addresses, every value the reviewer saw the
           same: the fresh plan is what was approved, with its blanks filled in. Apply it without asking again.
CHANGED    anything else (an action, an address, a value the reviewer saw, the verdict, the state): the
           reviewer has not seen this plan; `reasons` says what differs, one line each.

Only plan JSON is read (iac's plan documents, Terraform format 1.2 with the `iac` key).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["CHANGED", "CONVERGED", "REFINED", "SAME", "Comparison", "compare", "has_changes"]

SAME, CONVERGED, REFINED, CHANGED = "same", "converged", "refined", "changed"
_SHOWN = 5


@dataclass(frozen=True)
class Comparison:
    verdict: str
    reasons: tuple[str, ...] = ()


def has_changes(plan: Mapping[str, Any]) -> bool:
    """Whether the plan changes anything (a resource action other than no-op/read, or an output)."""
    if any(_actions(rc) not in (["no-op"], ["read"]) for rc in plan.get("resource_changes") or ()):
        return True
    return any((c.get("actions") or ["no-op"]) != ["no-op"] for c in (plan.get("output_changes") or {}).values())


def compare(reviewed: Mapping[str, Any], fresh: Mapping[str, Any]) -> Comparison:
    """See the module docstring."""
    old, new = reviewed.get("iac") or {}, fresh.get("iac") or {}
    same_state = old.get("state") == new.get("state")
    if same_state and old.get("config_hash") == new.get("config_hash") and old.get("verdict") == new.get("verdict") \
            and old.get("plan_mode") == new.get("plan_mode"):
        return Comparison(SAME)
    if not same_state and not has_changes(fresh):
        return Comparison(CONVERGED)
    reasons: list[str] = []
    if not same_state:
        reasons.append(f"the state changed since the review ({_state(old.get('state'))} -> {_state(new.get('state'))})")
    if old.get("plan_mode") != new.get("plan_mode"):
        reasons.append(f"a {old.get('plan_mode')} plan was reviewed, this is a {new.get('plan_mode')} plan")
    if old.get("verdict") != new.get("verdict"):
        reasons.append(f"the checks' verdict changed ({old.get('verdict')} -> {new.get('verdict')})")
    reasons += list(_differences(reviewed, fresh))
    if not reasons:
        return Comparison(REFINED)
    shown = reasons[:_SHOWN] + ([f"and {len(reasons) - _SHOWN} more difference(s)"] if len(reasons) > _SHOWN else [])
    return Comparison(CHANGED, tuple(shown))


def _differences(reviewed: Mapping[str, Any], fresh: Mapping[str, Any]) -> Iterator[str]:
    """What a reviewer would see differ: addresses, actions, and every value the reviewed plan knew."""
    old = {rc["address"]: rc for rc in reviewed.get("resource_changes") or () if _actions(rc) != ["no-op"]}
    new = {rc["address"]: rc for rc in fresh.get("resource_changes") or () if _actions(rc) != ["no-op"]}
    for address in sorted(old.keys() - new.keys()):
        yield f"{address}: reviewed {'/'.join(_actions(old[address]))}, now nothing to do"
    for address in sorted(new.keys() - old.keys()):
        yield f"{address}: not in the reviewed plan, now {'/'.join(_actions(new[address]))}"
    for address in sorted(old.keys() & new.keys()):
        before, after = old[address], new[address]
        if _actions(before) != _actions(after):
            yield f"{address}: reviewed {'/'.join(_actions(before))}, now {'/'.join(_actions(after))}"
            continue
        for path in _unrefined(_change(before).get("after"), _change(before).get("after_unknown"),
                               _change(after).get("after"), _change(after).get("after_unknown"), ""):
            yield f"{address}{path}: a value shown in the review is different now"
    old_outputs, new_outputs = reviewed.get("output_changes") or {}, fresh.get("output_changes") or {}
    for name in sorted(old_outputs.keys() | new_outputs.keys()):
        a, b = old_outputs.get(name) or {}, new_outputs.get(name) or {}
        if (a.get("actions") or ["no-op"]) != (b.get("actions") or ["no-op"]) or any(
                _unrefined(a.get("after"), a.get("after_unknown"), b.get("after"), b.get("after_unknown"), "")):
            yield f"output.{name}: different from the review"


def _unrefined(old: Any, old_unknown: Any, new: Any, new_unknown: Any, path: str) -> Iterator[str]:
    """Paths where the reviewed value was known and the fresh one differs (or became unknown)."""
    if old_unknown is True:
        return  # "known after apply" in the review: any value fills that blank
    if new_unknown is True:
        yield path or "(whole value)"
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(old.keys() | new.keys()):
            yield from _unrefined(old.get(key), _at(old_unknown, key), new.get(key), _at(new_unknown, key), f"{path}.{key}")
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _unrefined(a, _at(old_unknown, index), b, _at(new_unknown, index), f"{path}[{index}]")
        return
    if old != new:
        yield path or "(whole value)"


def _at(unknown: Any, key: Any) -> Any:
    if isinstance(unknown, Mapping):
        return unknown.get(key)
    if isinstance(unknown, list) and isinstance(key, int) and key < len(unknown):
        return unknown[key]
    return None


def _change(rc: Mapping[str, Any]) -> Mapping[str, Any]:
    return rc.get("change") or {}


def _actions(rc: Mapping[str, Any]) -> list[str]:
    return list(_change(rc).get("actions") or ["no-op"])


def _state(state: Any) -> str:
    return "no state" if not isinstance(state, Mapping) else f"serial {state.get('serial')}"

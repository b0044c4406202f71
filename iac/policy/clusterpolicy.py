"""Cluster policy definitions as data: fixed tags, the worst-case DBU/h bound, rule violations.

A definition maps dotted attribute paths to rules (`fixed`, `forbidden`, `allowlist`, `blocklist`,
`regex`, `range`, `unlimited`), plus the virtual `dbus_per_hour` and `cluster_type` (cost-model.md
section 10). The worst case follows that section: most expensive allowed node x (1 + most workers)
x Photon, capped by `dbus_per_hour.maxValue`; anything unrestricted means no bound.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from iac._jsonio import loads
from iac.cost.catalog import Catalog

__all__ = ["PolicyBound", "fixed_tags", "parse_definition", "rule_violations", "worst_case_dbu"]

_TAG_PREFIX = "custom_tags."


def parse_definition(definition: Any) -> dict[str, dict[str, Any]] | None:
    """The rules of a definition given as JSON text or an object; None when it is not one."""
    if isinstance(definition, str):
        try:
            definition = loads(definition)
        except ValueError:
            return None
    if not isinstance(definition, Mapping):
        return None
    return {str(k): dict(v) for k, v in definition.items() if isinstance(v, Mapping)}


def fixed_tags(rules: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """`custom_tags.<key>` rules of type `fixed`: tags every cluster under the policy carries."""
    return {
        path.removeprefix(_TAG_PREFIX): str(rule.get("value"))
        for path, rule in rules.items()
        if path.startswith(_TAG_PREFIX) and rule.get("type") == "fixed"
    }


@dataclass(frozen=True)
class PolicyBound:
    """The largest DBU/h a cluster under the policy can reach, or None with the reasons why not."""

    dbu_per_hour: Decimal | None
    unbounded_because: tuple[str, ...]
    explanation: str


def _allowed_nodes(rule: Mapping[str, Any] | None, catalog: Catalog, cloud: str | None) -> tuple[list[str] | None, str]:
    if rule is None or rule.get("type") in (None, "unlimited", "blocklist"):
        return None, "node_type_id is not restricted"
    kind = rule["type"]
    if kind == "fixed":
        return [str(rule.get("value"))], ""
    if kind == "allowlist":
        return [str(v) for v in rule.get("values", [])], ""
    if kind == "regex":
        try:
            return [n.name for n in catalog.nodes_matching(cloud, str(rule.get("pattern", "")))], ""
        except re.error:
            return None, "node_type_id regex is invalid"
    if kind == "forbidden":
        return None, "node_type_id is forbidden (instance pools decide the node type)"
    return None, f"node_type_id rule type {kind!r} does not restrict it"


def _max_workers(rules: Mapping[str, Mapping[str, Any]]) -> tuple[int | None, list[str]]:
    """Most workers allowed over both ways of sizing a cluster (fixed size and autoscale)."""
    worst, reasons = 0, []
    for path in ("num_workers", "autoscale.max_workers"):
        rule = rules.get(path)
        if rule is not None and rule.get("type") == "forbidden":
            continue
        if rule is not None and rule.get("type") == "fixed":
            raw = rule.get("value", 0)
        elif rule is not None and rule.get("type") == "range" and rule.get("maxValue") is not None:
            raw = rule["maxValue"]
        else:
            reasons.append(f"{path} has no maximum")
            continue
        bound = _whole(raw)
        if bound is None:
            reasons.append(f"{path}: the policy's limit is not a whole number of workers")
        else:
            worst = max(worst, bound)
    return (None if reasons else worst), reasons


def _whole(value: Any) -> int | None:
    """A worker count from a policy definition (a number or a numeric string), None when it is none."""
    try:
        number = Decimal(str(value)) if not isinstance(value, bool) else None
    except (InvalidOperation, ValueError):
        return None
    if number is None or not number.is_finite() or number.adjusted() > 9 or abs(number) > 10**9 \
            or number != number.to_integral_value():  # adjusted() first: abs() overflows past 1e999999
        return None
    return int(number)


def _photon_allowed(rules: Mapping[str, Mapping[str, Any]]) -> bool:
    rule = rules.get("runtime_engine")
    if rule is None:
        return True
    if rule.get("type") == "fixed":
        return str(rule.get("value")).upper() == "PHOTON"
    if rule.get("type") == "allowlist":
        return "PHOTON" in [str(v).upper() for v in rule.get("values", [])]
    return rule.get("type") != "forbidden"


def _photon_factor(rules: Mapping[str, Mapping[str, Any]], catalog: Catalog, cloud: str | None) -> Decimal:
    rule = rules.get("cluster_type", {})
    families = {"all-purpose": "all_purpose_compute", "job": "jobs_compute", "dlt": "dlt"}
    allowed = [rule.get("value")] if rule.get("type") == "fixed" else rule.get("values") if rule.get("type") == "allowlist" else None
    if allowed and cloud:
        return max(catalog.photon_factor(cloud, families.get(str(t), "jobs_compute")) for t in allowed)
    return catalog.max_photon_factor(cloud)


def worst_case_dbu(rules: Mapping[str, Mapping[str, Any]], catalog: Catalog, cloud: str | None) -> PolicyBound:
    """The policy's DBU/h bound (cost-model.md section 10, steps 1-3)."""
    cap_rule = rules.get("dbus_per_hour", {})
    cap = Decimal(cap_rule["maxValue"]) if cap_rule.get("type") == "range" and cap_rule.get("maxValue") is not None else None
    reasons: list[str] = []
    nodes, why = _allowed_nodes(rules.get("node_type_id"), catalog, cloud)
    workers, worker_reasons = _max_workers(rules)
    shape_bound: Decimal | None = None
    shape_text = ""
    if nodes is None:
        reasons.append(why)
    else:
        known = [catalog.node(n) for n in nodes]
        if not nodes or any(n is None for n in known):
            missing = [n for n, k in zip(nodes, known, strict=True) if k is None]
            reasons.append(f"node types not in the price catalog: {', '.join(missing)}" if missing else "no allowed node type")
        elif workers is not None:
            node_dbu = max(n.dbu_per_hour for n in known if n is not None)
            factor = _photon_factor(rules, catalog, cloud) if _photon_allowed(rules) else Decimal(1)
            shape_bound = (1 + workers) * node_dbu * factor
            shape_text = (f"(1 + {workers} workers) x {node_dbu.normalize():f} DBU/h"
                          + (f" x Photon {factor.normalize():f}" if factor != 1 else "") + f" = {shape_bound.normalize():f}")
    reasons += worker_reasons
    bounds = [b for b in (cap, shape_bound) if b is not None]
    if not bounds:
        return PolicyBound(None, tuple(reasons), "")
    parts = []
    if cap is not None:
        parts.append(f"dbus_per_hour <= {cap}")
    if shape_bound is not None:
        parts.append(shape_text)
    return PolicyBound(min(bounds), (), "; ".join(parts))


def _actual(spec_get: Any, path: str) -> Any:
    for prefix in ("custom_tags.", "spark_conf.", "spark_env_vars."):
        if path.startswith(prefix):
            return spec_get((prefix[:-1], path[len(prefix):]))
    return spec_get(tuple(path.split(".")))


def _same(value: Any, expected: Any) -> bool:
    if isinstance(value, bool) or isinstance(expected, bool):
        return str(value).lower() == str(expected).lower()
    if isinstance(value, (int, Decimal)) and isinstance(expected, (int, Decimal)):
        return Decimal(value) == Decimal(expected)
    return str(value) == str(expected)


def rule_violations(rules: Mapping[str, Mapping[str, Any]], spec_get: Any) -> list[tuple[str, str]]:
    """`(path, message)` for every rule a cluster spec breaks. Values that are not literals are skipped
    (the caller reports what it cannot decide); virtual attributes are left to the cost checks."""
    found: list[tuple[str, str]] = []
    for path, rule in sorted(rules.items()):
        if path in ("dbus_per_hour", "cluster_type") or "*" in path or "[" in path:
            continue
        value = _actual(spec_get, path)
        kind = rule.get("type")
        if not isinstance(value, (str, int, Decimal)):  # absent, or known only after apply
            continue
        if kind == "forbidden":
            if value:  # SDKv2 state holds 0 / false for unset numbers and flags: not a use of the attribute
                found.append((path, "is forbidden by the policy"))
        elif kind == "fixed" and not _same(value, rule.get("value")):
            found.append((path, f"is {value!r}, the policy fixes {rule.get('value')!r}"))
        elif kind == "allowlist" and str(value) not in [str(v) for v in rule.get("values", [])]:
            found.append((path, f"{value!r} is not in the policy's allowlist"))
        elif kind == "blocklist" and str(value) in [str(v) for v in rule.get("values", [])]:
            found.append((path, f"{value!r} is on the policy's blocklist"))
        elif kind == "regex" and not re.fullmatch(str(rule.get("pattern", "")), str(value)):
            found.append((path, f"{value!r} does not match the policy pattern {rule.get('pattern')!r}"))
        elif kind == "range" and not isinstance(value, str):
            number = Decimal(value)
            if rule.get("minValue") is not None and number < Decimal(rule["minValue"]):
                found.append((path, f"{value} is below the policy minimum {rule['minValue']}"))
            if rule.get("maxValue") is not None and number > Decimal(rule["maxValue"]):
                found.append((path, f"{value} is above the policy maximum {rule['maxValue']}"))
    return found

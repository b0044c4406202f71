"""Invariants of the checks over generated plans (hypothesis)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iac._jsonio import dumps
from iac.policy.engine import evaluate
from iac.policy.settings import PolicySettings
from tests.planfixtures import change, plan

NODES = ["i3.xlarge", "m5d.xlarge", "r5d.2xlarge", "zz.unknown"]
TAG_VALUES = st.dictionaries(st.sampled_from(["team", "Team", "project", "owner", "environment"]),
                             st.sampled_from(["a", "prod", "Prod", "dev"]), max_size=4)


@st.composite
def clusters(draw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "cluster_name": "c",
        "node_type_id": draw(st.sampled_from(NODES)),
        "autotermination_minutes": draw(st.sampled_from([0, 10, 60, 240])),
        "custom_tags": draw(TAG_VALUES),
        "data_security_mode": draw(st.sampled_from(["SINGLE_USER", "NONE"])),
    }
    if draw(st.booleans()):
        low = draw(st.integers(0, 4))
        body["autoscale"] = [{"min_workers": low, "max_workers": low + draw(st.integers(0, 20))}]
    else:
        body["num_workers"] = draw(st.integers(0, 30))
    return body


@st.composite
def plans(draw: Any) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 6))
    changes = []
    for index in range(count):
        after = draw(clusters())
        kind = draw(st.sampled_from(["create", "update", "delete", "no-op"]))
        before = None if kind == "create" else (after if kind == "no-op" else draw(clusters()))
        changes.append(change(f"databricks_cluster.c{index}", None if kind == "delete" else after, before=before))
    return changes


SETTINGS = PolicySettings(tags={"required": ["team", "project"], "allowed": {"environment": ["dev", "prod"]}},
                          guardrails={"max_dbu_per_hour": 30, "max_workers": 16, "budget": {"monthly_total": 20000}})


@settings(max_examples=60, deadline=None)
@given(plans(), st.randoms())
def test_output_does_not_depend_on_resource_order(changes: list[dict[str, Any]], rnd: random.Random) -> None:
    first = evaluate(plan(*changes), SETTINGS, mode="production", today=date(2026, 5, 1))
    shuffled = list(changes)
    rnd.shuffle(shuffled)
    document = plan(*shuffled)
    rnd.shuffle(document.get("resource_changes", []))
    second = evaluate(document, SETTINGS, mode="production", today=date(2026, 5, 1))
    assert dumps(first.to_json()) == dumps(second.to_json())
    assert not first.crashed


def _decimals(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _decimals(v)]
    if isinstance(value, list):
        return [x for v in value for x in _decimals(v)]
    return [value]


@settings(max_examples=60, deadline=None)
@given(plans())
def test_cost_totals_add_up_and_money_is_exact(changes: list[dict[str, Any]]) -> None:
    report = evaluate(plan(*changes), SETTINGS, mode="development", today=date(2026, 5, 1))
    cost = report.cost
    assert cost.total_after == sum((line.after_monthly for line in cost.lines), Decimal(0))
    assert cost.delta == cost.total_after - cost.total_before
    assert all(not isinstance(leaf, float) for leaf in _decimals(report.to_json()))
    for line in cost.to_json()["resources"]:
        for key in ("before_monthly", "after_monthly", "delta_monthly", "after_monthly_min", "after_monthly_max"):
            assert Decimal(line[key]) == Decimal(line[key]).quantize(Decimal("0.01"))
        assert Decimal(line["after_monthly_min"]) <= Decimal(line["after_monthly"]) <= Decimal(line["after_monthly_max"])


@settings(max_examples=60, deadline=None)
@given(plans())
def test_an_unknown_node_type_is_always_unpriced_and_reported(changes: list[dict[str, Any]]) -> None:
    report = evaluate(plan(*changes), SETTINGS, mode="production", today=date(2026, 5, 1))
    unknown = {c["address"] for c in changes if (c["change"]["after"] or {}).get("node_type_id") == "zz.unknown"}
    flagged = {f.address for f in report.findings if f.check_id == "COST001"}
    assert unknown == flagged
    assert all(line.unpriced for line in report.cost.lines if line.address in unknown)

"""The safety baseline: production enforces it, development warns on it, an environment relaxes an item only
with a reason, and a plan without an environment has none."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from iac.policy.engine import evaluate
from iac.policy.model import Verdict
from iac.policy.settings import BASELINE_ITEMS, PolicySettings
from tests.planfixtures import change, plan

TODAY = date(2026, 5, 1)
TAGS = {"team": "t", "cost_center": "c", "project": "p", "environment": "prod", "owner": "o"}
BUDGET = {"budget": {"monthly_total": 10**7}}


def big_cluster(**extra: Any) -> dict[str, Any]:
    """The issue's cluster: 500 workers, never terminates, no policy."""
    return change("databricks_cluster.big", {"cluster_name": "big", "node_type_id": "i3.xlarge", "num_workers": 500,
                                             "autotermination_minutes": 0, "data_security_mode": "SINGLE_USER",
                                             "custom_tags": TAGS, **extra})


def _ids(settings: dict[str, Any], *changes: dict[str, Any], mode: str | None = "production") -> list[str]:
    report = evaluate(plan(*changes), PolicySettings(**settings), mode=mode, today=TODAY)
    return sorted(f"{f.check_id} {f.severity.value}" for f in report.findings if f.waived is None)


CASES = [
    pytest.param({}, [], ["BASE001 error"], id="no budget: a finding until one is set"),
    pytest.param({"guardrails": BUDGET}, [], [], id="budget set: nothing else to state"),
    pytest.param({"guardrails": BUDGET}, [big_cluster()],
                 ["COST002 error", "COST003 error", "COST004 error", "COST006 error"],
                 id="defaults catch a 500-worker cluster that never stops, without a policy"),
    pytest.param({"guardrails": {**BUDGET, "max_workers": 600, "max_dbu_per_hour": 1000}}, [big_cluster()],
                 ["COST003 error", "COST006 error"], id="own limits comply"),
    pytest.param({"guardrails": {**BUDGET, "max_workers": None}}, [],
                 ["BASE001 error"], id="a limit turned off without a reason"),
    pytest.param({"guardrails": {**BUDGET, "require_cluster_policy": False}}, [],
                 ["BASE001 error"], id="policies turned off without a reason"),
    pytest.param({"guardrails": {**BUDGET, "require_autotermination": False}}, [],
                 ["BASE001 error"], id="autotermination turned off without a reason"),
    pytest.param({"guardrails": {"budget": {"monthly_total": 10**7, "delta_blocks": False}}}, [],
                 ["BASE001 error"], id="a budget that does not block"),
    pytest.param({"guardrails": {**BUDGET, "max_workers": None, "require_cluster_policy": False,
                                 "max_dbu_per_hour": None, "require_autotermination": False},
                  "relax": {"max_workers": "GPU training", "cluster_policy": "legacy",
                            "max_dbu_per_hour": "GPU training", "autotermination": "streaming cluster"}},
                 [big_cluster()], ["BASE002 info", "BASE002 info", "BASE002 info", "BASE002 info"],
                 id="relaxed with reasons: notes only"),
    pytest.param({"relax": {"budget": "sandbox account, billed elsewhere"}}, [], ["BASE002 info"],
                 id="budget relaxed"),
]


@pytest.mark.parametrize(("settings", "changes", "expected"), CASES)
def test_production_enforces_the_baseline(settings: dict[str, Any], changes: list[dict[str, Any]],
                                          expected: list[str]) -> None:
    assert _ids(settings, *changes) == expected


def test_a_new_production_environment_denies_what_the_issue_passed() -> None:
    report = evaluate(plan(big_cluster(), environment="prod", mode="production"), PolicySettings(), mode="production",
                      today=TODAY)
    assert report.verdict is Verdict.deny
    assert {f.check_id for f in report.findings} == {"BASE001", "COST002", "COST003", "COST004", "COST006"}
    base = next(f for f in report.findings if f.check_id == "BASE001")
    assert base.message == ("no monthly budget is set: the baseline requires a monthly budget "
                            "(guardrails.budget.monthly_total) that blocks when exceeded")


def test_development_warns_on_the_same() -> None:
    report = evaluate(plan(big_cluster()), PolicySettings(), mode="development", today=TODAY)
    assert report.verdict is Verdict.warn
    assert {f.check_id for f in report.findings} == {"BASE001", "COST002", "COST003", "COST004", "COST006"}


def test_a_plan_without_an_environment_has_no_baseline() -> None:
    assert _ids({}, big_cluster(), mode=None) == ["COST003 error"]


@pytest.mark.parametrize(("budget", "relax", "severity"), [
    pytest.param({"monthly_total": 10**7, "monthly_delta": 100}, {}, "error", id="baseline: an overrun blocks"),
    pytest.param({"monthly_total": 10**7, "monthly_delta_percent": 10}, {}, "error", id="percent overrun blocks"),
    pytest.param({"monthly_delta": 100}, {"budget": "billed to the lab"}, "warning", id="relaxed: it warns"),
])
def test_a_budget_overrun_blocks(budget: dict[str, Any], relax: dict[str, str], severity: str) -> None:
    pool = {"node_type_id": "i3.xlarge", "aws_attributes": [{"availability": "ON_DEMAND"}], "custom_tags": TAGS}
    grown = change("databricks_instance_pool.p", {**pool, "min_idle_instances": 4}, before={**pool, "min_idle_instances": 1})
    report = evaluate(plan(grown), PolicySettings(guardrails={"budget": budget}, relax=relax), mode="production",
                      today=TODAY)
    assert [f.severity.value for f in report.findings if f.check_id == "COST009"] == [severity]


def test_the_reason_of_a_relaxation_is_shown() -> None:
    report = evaluate(plan(), PolicySettings(relax={"budget": "sandbox account, billed elsewhere"}),
                      mode="production", today=TODAY)
    (note,) = report.findings
    assert note.message == ("baseline item budget (a monthly budget (guardrails.budget.monthly_total) that blocks when "
                            "exceeded) relaxed by this environment: sandbox account, billed elsewhere")


@pytest.mark.parametrize(("relax", "message"), [
    ({"max_worker": "x"}, "relax: unknown baseline item 'max_worker' (did you mean 'max_workers'?); items: "
                          + ", ".join(BASELINE_ITEMS)),
    ({"budget": "  "}, "relax['budget']: give the reason the baseline does not apply"),
])
def test_a_relaxation_names_a_known_item_and_gives_a_reason(relax: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        PolicySettings(relax=relax)
    assert message in str(raised.value)


@pytest.mark.parametrize("name", ["dev", "staging", "prod"])
def test_the_example_environments_pass(name: str, run_iac: Any, project_dir: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project_dir)
    code, out, err = run_iac("check", name, "--fresh")
    assert code == 0, err
    assert out.rstrip().endswith("Policy verdict: pass")

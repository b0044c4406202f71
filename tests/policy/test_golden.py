"""Golden outputs: findings text, the plan JSON fields (findings, verdict, cost) and SARIF for one estate.

Rewrite with IAC_UPDATE_GOLDEN=1 and review the diff.
"""

import os
from datetime import date
from pathlib import Path

import pytest

from iac._jsonio import dumps, read_json
from iac.policy.engine import PolicyReport, evaluate
from iac.policy.render import render_findings_text
from iac.policy.sarif import to_sarif
from iac.policy.settings import PolicySettings

GOLDEN = Path(__file__).parent.parent / "golden" / "policy"

PROD_LIKE = PolicySettings(
    default_tags={"environment": "prod"},
    tags={"allowed": {"environment": ["dev", "staging", "prod"], "cost_center": r"cc-\d{3}"}},
    guardrails={"max_dbu_per_hour": 40, "max_workers": 10, "max_autotermination_minutes": 60, "require_cluster_policy": True,
                "max_warehouse_auto_stop_minutes": 30, "max_pool_idle_instances": 4,
                "budget": {"monthly_total": 10000, "monthly_delta": 1000}},
    security={"jobs_run_as_service_principal": True, "forbid_personal_access_tokens": True, "forbid_personal_owners": True},
    waivers=[
        {"check_id": "SEC002", "address": "databricks_token.ci", "reason": "CI moves to OAuth in Q3", "expires": "2026-09-30"},
        {"check_id": "SEC003", "address": "databricks_catalog.*", "reason": "ownership transfer ticket DATA-12", "expires": "2026-03-31"},
    ],
)


def _report(case: str) -> PolicyReport:
    return evaluate(read_json(GOLDEN / case / "plan.json"), PROD_LIKE, mode="production", today=date(2026, 5, 1))


def _check_golden(path: Path, text: str) -> None:
    if os.environ.get("IAC_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path} differs; rerun with IAC_UPDATE_GOLDEN=1 and review"


@pytest.mark.parametrize("case", ["estate"])
def test_findings_text(case: str) -> None:
    _check_golden(GOLDEN / case / "findings.txt", render_findings_text(_report(case)))


@pytest.mark.parametrize("case", ["estate"])
def test_plan_json_fields(case: str) -> None:
    _check_golden(GOLDEN / case / "checks.json", dumps(_report(case).to_json()))


@pytest.mark.parametrize("case", ["estate"])
def test_sarif(case: str) -> None:
    _check_golden(GOLDEN / case / "sarif.json", dumps(to_sarif(_report(case), environment="prod")))

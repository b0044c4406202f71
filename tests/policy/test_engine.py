"""The engine: verdicts, crashes, waivers, unknowns resolved from config, the plan JSON fields."""

from datetime import date
from typing import Any

import pytest

from iac._jsonio import dumps
from iac.policy.context import CheckContext
from iac.policy.engine import ALL_CHECKS, apply_to_plan, evaluate
from iac.policy.model import Enforcement, Finding, Severity, Verdict, decide_verdict
from iac.policy.settings import PolicySettings
from tests.planfixtures import change, judged, plan, relaxed

TODAY = date(2026, 5, 1)


def finding(severity: str, waived: bool = False) -> Finding:
    from iac.policy.model import Waived

    return Finding("X001", Severity(severity), "a.b", "", "m", waived=Waived("r", TODAY) if waived else None)


@pytest.mark.parametrize(
    ("severities", "enforcement", "crashed", "verdict"),
    [
        pytest.param([], "mandatory", False, Verdict.pass_, id="nothing: pass"),
        pytest.param(["info"], "mandatory", False, Verdict.pass_, id="info only: pass"),
        pytest.param(["warning"], "mandatory", False, Verdict.warn, id="warning: warn"),
        pytest.param(["error"], "advisory", False, Verdict.warn, id="error, advisory: warn"),
        pytest.param(["error"], "mandatory", False, Verdict.deny, id="error, mandatory: deny"),
        pytest.param([], "mandatory", True, Verdict.error, id="crash: error, never pass"),
        pytest.param(["error"], "mandatory", True, Verdict.error, id="crash beats deny"),
    ],
)
def test_verdict_table(severities: list[str], enforcement: str, crashed: bool, verdict: Verdict) -> None:
    assert decide_verdict([finding(s) for s in severities], Enforcement(enforcement), crashed=crashed) is verdict


def test_waived_errors_do_not_deny() -> None:
    assert decide_verdict([finding("error", waived=True)], Enforcement.mandatory, crashed=False) is Verdict.pass_


def test_enforcement_defaults_to_the_mode() -> None:
    document = plan(change("databricks_cluster.c", {"cluster_name": "c", "custom_tags": {}}))
    assert evaluate(document, PolicySettings(), mode="development", today=TODAY).verdict is Verdict.warn
    assert evaluate(document, PolicySettings(), mode="production", today=TODAY).verdict is Verdict.deny
    advisory_prod = evaluate(document, PolicySettings(enforcement="advisory"), mode="production", today=TODAY)
    assert advisory_prod.verdict is Verdict.warn


def test_a_crashing_check_is_an_error_finding_and_the_others_still_run() -> None:
    def broken(ctx: CheckContext) -> list[Finding]:
        raise KeyError("boom")

    document = plan(change("databricks_cluster.c", {"cluster_name": "c", "custom_tags": {}}))
    report = evaluate(document, PolicySettings(), mode="development", today=TODAY, checks=(broken, *ALL_CHECKS))
    assert report.verdict is Verdict.error and report.crashed == ("test_engine.broken",)
    crash = [f for f in report.findings if f.check_id == "ENG001"]
    assert len(crash) == 1 and "KeyError" in crash[0].message and crash[0].severity is Severity.error
    assert any(f.check_id == "TAG001" for f in report.findings)


UNTAGGED = plan(
    change("databricks_cluster.legacy_etl", {"cluster_name": "l", "node_type_id": "i3.xlarge", "custom_tags": {}, "data_security_mode": "SINGLE_USER"}),
    change("databricks_cluster.new", {"cluster_name": "n", "node_type_id": "i3.xlarge", "custom_tags": {}, "data_security_mode": "SINGLE_USER"}),
)


def waiver(expires: str, address: str = "databricks_cluster.legacy_*") -> dict[str, Any]:
    return {"check_id": "TAG001", "address": address, "reason": "migrating by June", "expires": expires}


def test_a_waiver_marks_matching_findings_and_keeps_them_visible() -> None:
    report = evaluate(UNTAGGED, relaxed(tags={"required": ["team"]}, waivers=[waiver("2026-06-30")]),
                      mode="production", today=TODAY)
    by_address = {f.address: f for f in judged(report.findings)}
    assert by_address["databricks_cluster.legacy_etl"].waived is not None
    assert by_address["databricks_cluster.legacy_etl"].to_json()["waived"] == {"reason": "migrating by June", "expires": "2026-06-30"}
    assert by_address["databricks_cluster.new"].waived is None
    assert report.verdict is Verdict.deny  # the unwaived one still denies


def test_a_waiver_is_valid_through_its_expiry_day() -> None:
    settings = relaxed(tags={"required": ["team"]}, waivers=[waiver("2026-05-01", "*")])
    report = evaluate(UNTAGGED, settings, mode="production", today=TODAY)
    assert report.verdict is Verdict.pass_ and all(f.waived for f in judged(report.findings))


def test_an_expired_waiver_waives_nothing_and_is_itself_a_finding() -> None:
    settings = PolicySettings(tags={"required": ["team"]}, waivers=[waiver("2026-04-30", "*")])
    report = evaluate(UNTAGGED, settings, mode="production", today=TODAY)
    assert all(f.waived is None for f in report.findings)
    expired = [f for f in report.findings if f.check_id == "WVR001"]
    assert len(expired) == 1 and "expired on 2026-04-30" in expired[0].message and expired[0].severity is Severity.error
    dev = evaluate(UNTAGGED, settings, mode="development", today=TODAY)
    assert [f.severity for f in dev.findings if f.check_id == "WVR001"] == [Severity.warning]


def test_unknown_after_values_fall_back_to_main_tf_json() -> None:
    document = plan(change("databricks_cluster.c", {"cluster_name": "c", "node_type_id": "i3.xlarge", "data_security_mode": "SINGLE_USER"},
                           after_unknown={"autotermination_minutes": True, "custom_tags": True}))
    main_tf = {"resource": {"databricks_cluster": {"c": {"autotermination_minutes": 0, "custom_tags": {"team": "t"},
                                                         "//": "source: environments/dev.py:12"}}}}
    settings = relaxed(tags={"required": ["team"]})
    without = evaluate(document, settings, mode="production", today=TODAY)
    with_config = evaluate(document, settings, mode="production", today=TODAY, config=main_tf)
    assert {f.check_id for f in without.findings} >= {"COST013", "TAG003"}
    assert [(f.check_id, f.source) for f in judged(with_config.findings)] == [("COST003", "environments/dev.py:12")]


def test_apply_to_plan_adds_the_checks_fields_and_keeps_the_engines() -> None:
    document = plan(change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "min_idle_instances": 2, "aws_attributes": [{"availability": "ON_DEMAND"}],
                                                          "custom_tags": {"team": "t"}}))
    report = evaluate(document, relaxed(tags={"required": ["team"]}), mode="production", today=TODAY)
    apply_to_plan(document, report)
    assert document["iac"]["verdict"] == "pass"
    assert {f["check_id"] for f in document["iac"]["findings"]} == {"BASE002"}
    assert document["iac"]["cost"]["total_after"] == "455.52"
    assert document["iac"]["environment"] == "dev"  # the engine's fields are untouched
    bare: dict[str, Any] = {}
    assert set(apply_to_plan(bare, report)["iac"]) == {"findings", "verdict", "enforcement", "cost"}


def test_same_plan_same_bytes() -> None:
    settings = PolicySettings(tags={"required": ["team", "project"]})
    first = dumps(evaluate(UNTAGGED, settings, mode="production", today=TODAY).to_json())
    second = dumps(evaluate(UNTAGGED, settings, mode="production", today=TODAY).to_json())
    assert first == second

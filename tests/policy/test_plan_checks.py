"""`iac plan ENV` runs the checks: cost and findings after the plan, fields in the JSON, exit 3 when denied."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from iac._jsonio import read_json

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())

ENVIRONMENT = '''
from iac import Cluster, ClusterPolicy, Environment, ExistingWorkspace, Mode, PolicySettings, Range

def build(stack):
    with stack.workspace(ExistingWorkspace("shared", host="https://x")):
        policy = stack.add(ClusterPolicy("etl", name="etl", definition={{"dbus_per_hour": Range(max_value=10)}}))
        stack.add(Cluster("etl", cluster_name="etl", spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge",
                          num_workers=2, autotermination_minutes=30, data_security_mode="NONE", policy_id=policy.id,
                          custom_tags={{"team": "data", "cost_center": "cc-1"}}))

environment = Environment(name="{name}", mode=Mode.{mode}, cloud="aws", region="us-east-1", account_id="a", build=build,
                          default_tags={{"project": "p", "environment": "{name}", "owner": "o"}},
                          policy=PolicySettings(guardrails={{"budget": {{"monthly_total": 5000}}}}))
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "environments").mkdir()
    for name, mode in (("dev", "development"), ("prod", "production")):
        (tmp_path / "environments" / f"{name}.py").write_text(ENVIRONMENT.format(name=name, mode=mode))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_prod_plan_is_denied_with_exit_3_after_printing_plan_cost_and_findings(project, run_iac) -> None:
    code, out, err = run_iac("plan", "prod", "--detailed-exitcode")
    assert code == 3  # denial wins over "changes present"
    plan_line, cost, verdict = out.index("Plan: 2 to add"), out.index("Cost estimate"), out.index("Policy verdict: deny")
    assert plan_line < cost < verdict
    assert "SEC005  databricks_cluster.etl.data_security_mode" in out
    assert err.strip().endswith("Error: [prod] denied by policy: 1 error finding(s) in a mandatory environment")


def test_dev_plan_with_the_same_finding_only_warns(project, run_iac) -> None:
    code, out, _ = run_iac("plan", "dev")
    assert code == 0 and "SEC005" in out and "Policy verdict: warn" in out


def test_plan_json_and_out_file_carry_findings_verdict_and_cost(project, run_iac, tmp_path: Path) -> None:
    code, out, _ = run_iac("plan", "dev", "--json", "--out", str(tmp_path / "plan.json"))
    printed = json.loads(out)
    assert code == 0 and printed["iac"]["verdict"] == "warn"
    assert [f["check_id"] for f in printed["iac"]["findings"]] == ["SEC005"]
    assert printed["iac"]["cost"]["resources"][0]["address"] == "databricks_cluster.etl"
    assert read_json(tmp_path / "plan.json")["iac"]["findings"] == printed["iac"]["findings"]
    assert "Policy verdict" not in out  # JSON output stays pure JSON


def test_plan_writes_valid_sarif(project, run_iac, tmp_path: Path) -> None:
    code, _, _ = run_iac("plan", "prod", "--sarif", str(tmp_path / "plan.sarif"))
    log = json.loads((tmp_path / "plan.sarif").read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert code == 3 and [r["ruleId"] for r in log["runs"][0]["results"]] == ["SEC005"]
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "environments/prod.py"


def test_help_documents_exit_code_3(run_iac) -> None:
    code, out, _ = run_iac("plan", "--help")
    assert code == 0 and "3 denied by policy" in " ".join(out.split())


@pytest.mark.parametrize(("price_region", "expected"), [
    (None, 'Error: [west] the price catalog has no aws list prices for us-west-2 (it has us-east-1 only): set '
           'policy=PolicySettings(cost={"price_region": "us-east-1"}) in the environment to estimate with us-east-1 prices\n'),
    ("us-east-1", ""),
])
def test_an_environment_is_priced_in_its_own_region_or_says_what_stands_in(project: Path, run_iac, price_region,
                                                                         expected: str) -> None:
    text = ENVIRONMENT.format(name="west", mode="production").replace('region="us-east-1"', 'region="us-west-2"')
    if price_region:
        text = text.replace('{"monthly_total": 5000}}', f'{{"monthly_total": 5000}}}}, cost={{"price_region": "{price_region}"}}')
    (project / "environments" / "west.py").write_text(text)
    code, out, err = run_iac("plan", "west")
    assert err.endswith(expected) if expected else "prices of us-east-1 for an environment in us-west-2" in out, (out, err)
    assert (code == 1) is bool(expected)

"""`iac check ENV` through the real CLI entry point: exit codes, stdout/stderr apart, SARIF, JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from iac._jsonio import dumps, read_json
from tests.planfixtures import change, plan

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
TAGS = {"project": "ml-platform", "team": "fraud", "environment": "prod", "cost_center": "cc-1001", "owner": "platform-team"}


@pytest.fixture
def denied_plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(dumps(plan(change("databricks_token.ci", {"comment": "ci"}), environment="prod", mode="production")))
    return path


def test_denied_plan_exits_3_with_a_one_line_error(run_iac, monkeypatch, project_dir: Path, denied_plan: Path) -> None:
    monkeypatch.chdir(project_dir)
    code, out, err = run_iac("check", "prod", "--plan", str(denied_plan))
    assert code == 3
    assert "SEC002  databricks_token.ci" in out and "Policy verdict: deny" in out
    assert err.strip() == "Error: [prod] denied by policy: 1 error finding(s) in a mandatory environment"


def test_same_findings_only_warn_in_development(run_iac, monkeypatch, project_dir: Path, tmp_path: Path) -> None:
    monkeypatch.chdir(project_dir)
    path = tmp_path / "plan.json"
    path.write_text(dumps(plan(change("databricks_cluster.c", {"cluster_name": "c", "node_type_id": "i3.xlarge", "custom_tags": {},
                                                               "autotermination_minutes": 0}))))
    code, out, err = run_iac("check", "dev", "--plan", str(path))
    assert code == 0 and "COST003" in out and "Policy verdict: warn" in out and err == ""


def test_clean_plan_passes_and_writes_valid_sarif(run_iac, monkeypatch, project_dir: Path, tmp_path: Path) -> None:
    monkeypatch.chdir(project_dir)
    path, sarif = tmp_path / "plan.json", tmp_path / "out.sarif"
    path.write_text(dumps(plan(change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "custom_tags": TAGS}),
                               environment="prod", mode="production")))
    code, out, _ = run_iac("check", "prod", "--plan", str(path), "--sarif", str(sarif))
    assert code == 0 and "Policy verdict: pass" in out
    log = read_json(sarif)
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(dumps(log)))
    assert log["runs"][0]["results"] == []


def test_json_output_is_the_plan_fields(run_iac, monkeypatch, project_dir: Path, denied_plan: Path) -> None:
    monkeypatch.chdir(project_dir)
    code, out, _ = run_iac("check", "prod", "--plan", str(denied_plan), "--json")
    document = json.loads(out)
    assert code == 3 and set(document) == {"findings", "verdict", "enforcement", "cost"} and document["verdict"] == "deny"


def test_a_plan_of_another_environment_is_refused(run_iac, monkeypatch, project_dir: Path, denied_plan: Path) -> None:
    """prod's plan under dev's (advisory) policy would pass what prod denies."""
    monkeypatch.chdir(project_dir)
    code, out, err = run_iac("check", "dev", "--plan", str(denied_plan))
    assert code == 1 and out == ""
    assert err == (f"Error: [dev] {denied_plan} was planned for environment 'prod', not 'dev': check it with "
                   f"`iac check prod --plan {denied_plan}`\n")


def test_a_plan_that_does_not_name_its_environment_is_warned_about(run_iac, monkeypatch, project_dir: Path,
                                                                   tmp_path: Path) -> None:
    monkeypatch.chdir(project_dir)
    document = plan(change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "custom_tags": TAGS}))
    del document["iac"]  # as Terraform's own `terraform show -json` writes it
    (tmp_path / "tf.json").write_text(dumps(document))
    code, _, err = run_iac("check", "dev", "--plan", str(tmp_path / "tf.json"))
    assert code == 0
    assert err == (f"[dev] warning: {tmp_path / 'tf.json'} does not say which environment it was planned for (not an "
                   "`iac plan --out` file): checked as dev's plan\n")


def test_plan_and_fresh_contradict(run_iac, monkeypatch, project_dir: Path, denied_plan: Path) -> None:
    monkeypatch.chdir(project_dir)
    code, out, err = run_iac("check", "prod", "--plan", str(denied_plan), "--fresh")
    assert (code, out) == (1, "") and err == "Error: [prod] --plan checks a saved plan, --fresh a first deployment: give one of them\n"


def test_unreadable_plan_is_a_one_line_error(run_iac, monkeypatch, project_dir: Path, tmp_path: Path) -> None:
    monkeypatch.chdir(project_dir)
    (tmp_path / "bad.json").write_text("{not json")
    code, out, err = run_iac("check", "dev", "--plan", str(tmp_path / "bad.json"))
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1 and "cannot read plan JSON" in err


@pytest.mark.slow
@pytest.mark.parametrize("args", [("check", "dev"), ("check", "staging", "--fresh")])
def test_example_environments_check_without_a_saved_plan(run_iac, monkeypatch, project_dir: Path, args: tuple[str, ...]) -> None:
    monkeypatch.chdir(project_dir)
    code, out, err = run_iac(*args)
    assert code == 0, err
    assert "Cost estimate (USD per month, aws premium" in out and re.search(r"Policy verdict: (pass|warn)", out)
    assert "Plan:" not in out  # the checks alone, not the plan

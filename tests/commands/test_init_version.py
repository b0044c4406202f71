"""`iac init NAME` (flags, questionnaire, refusals; the file it writes plans), `iac --version`, shell completion,
and `iac plan --target` through the real entry point."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.commands.conftest import HOST, REPO, Iac, run_iac


def test_init_from_flags_writes_an_environment_that_plans(project: Path, iac: Iac) -> None:
    text = (project / "environments" / "qa.py").read_text()
    assert 'name="qa",' in text and "mode=Mode.development," in text and f'host="{HOST}"' in text
    assert (project / "modules" / "starter.py").is_file()
    plan = iac("plan", "qa", "--json", "--detailed-exitcode")
    assert plan.returncode == 2, plan.stderr
    document = json.loads(plan.stdout)
    assert sorted(rc["address"] for rc in document.get("resource_changes", [])) == [
        "databricks_cluster.starter", "databricks_cluster_policy.starter", "databricks_group.starter_users",
        "databricks_permissions.starter_cluster", "databricks_secret_scope.starter"]
    assert document["iac"]["verdict"] == "pass"


def test_init_questionnaire_on_stdin_in_production(project: Path, iac: Iac) -> None:
    answers = "\n".join(["production", "azure", "westeurope", "acc-7", "https://adb-1.azuredatabricks.net", "risk",
                         "risk-team", "cc-4242", "fraud-platform", "2500", ""])
    result = iac("init", "prodrisk", "--ask", input=answers)
    assert result.returncode == 0, result.stderr
    assert "Mode (development/production) [development]:" in result.stdout
    text = (project / "environments" / "prodrisk.py").read_text()
    assert "mode=Mode.production," in text and 'cloud="azure",' in text and '"cost_center": "cc-4242"' in text
    assert 'policy=PolicySettings(guardrails={"budget": {"monthly_total": 2500}},' in text
    assert 'cost={"price_region": "eastus"})' in text  # the catalog prices azure in eastus only: said in the file
    plan = iac("plan", "prodrisk", "--json")
    assert plan.returncode == 0, plan.stderr
    document = json.loads(plan.stdout)
    assert document["iac"]["mode"] == "production" and document["iac"]["verdict"] == "pass"
    cluster = next(rc for rc in document.get("resource_changes", []) if rc["address"] == "databricks_cluster.starter")
    assert cluster["change"]["after"]["node_type_id"] == "Standard_DS3_v2"


def test_init_refusals(project: Path, iac: Iac) -> None:
    missing = iac("init", "other", input="")
    assert missing.returncode == 1
    assert missing.stderr == ("Error: [other] iac init other: no terminal to ask on: give --account-id and --host "
                              "(or --ask to answer on stdin)\n")
    again = iac("init", "qa", "--account-id", "a", "--host", HOST)
    assert again.returncode == 1 and again.stderr == ("Error: [qa] environments/qa.py already exists; choose another "
                                                      "name or edit it\n")
    bad = iac("init", "Bad Name", "--account-id", "a", "--host", "http://x", "--mode", "prod", "--budget", "lots")
    assert bad.returncode == 1
    assert bad.stderr.splitlines() == [
        "Error: [Bad Name] iac init: name 'Bad Name': lower case letters, digits, '-' or '_', starting with a letter",
        "Error: [Bad Name] iac init: mode 'prod': choose development, production",
        "Error: [Bad Name] iac init: host 'http://x': a workspace URL starts with https://",
        "Error: [Bad Name] iac init: budget 'lots': a number (USD per month)"]
    assert sorted(p.name for p in (project / "environments").iterdir()) == ["qa.py"]


def test_version_and_completion(tmp_path: Path) -> None:
    version = run_iac("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("iac ") and len(version.stdout.splitlines()) == 1
    assert run_iac("version", cwd=tmp_path).stdout == version.stdout
    executable = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin" / "iac"
    if not executable.exists():
        executable = REPO / ".venv" / "bin" / "iac"
    script = subprocess.run([executable, "--show-completion", "bash"], capture_output=True, text=True, cwd=tmp_path)
    assert script.returncode == 0 and "_IAC_COMPLETE=complete_bash" in script.stdout
    words = subprocess.run([executable], capture_output=True, text=True, cwd=tmp_path,
                           env={**os.environ, "_IAC_COMPLETE": "complete_bash", "COMP_WORDS": "iac st",
                                "COMP_CWORD": "1"})
    assert words.stdout.split() == ["state"]


def test_plan_target_through_the_entry_point(tmp_path: Path) -> None:
    config = tmp_path / "main.tf.json"
    config.write_text(json.dumps({"resource": {"terraform_data": {
        "a": {"input": "a"}, "b": {"input": "${terraform_data.a.output}"}, "c": {"input": "c"}}}}))
    result = run_iac("plan", "--config", config, "--target", "terraform_data.b", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [rc["address"] for rc in document.get("resource_changes", [])] == ["terraform_data.a", "terraform_data.b"]
    assert document["iac"]["targets"] == {"addresses": ["terraform_data.b"], "dependencies": ["terraform_data.a"]}
    assert result.stderr == ("warning: resource targeting is in effect: this plan covers only terraform_data.b (and "
                             "what it depends on); other changes the configuration asks for are not shown\n")
    wrong = run_iac("plan", "--config", config, "--target", "terraform_data.bb", cwd=tmp_path)
    assert wrong.returncode == 1 and wrong.stderr == (
        "Error: --target 'terraform_data.bb' matches no resource instance in the configuration or the state (did you "
        "mean 'terraform_data.b'?)\n")

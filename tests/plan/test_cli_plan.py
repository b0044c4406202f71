"""`iac plan` through the real CLI entry point: stdout is the plan, stderr the diagnostics."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from iac._jsonio import loads

STATE = {"version": 4, "terraform_version": "1.15.5", "serial": 3, "lineage": "L", "outputs": {},
         "resources": [{"mode": "managed", "type": "terraform_data", "name": "a",
                        "provider": "provider[\"terraform.io/builtin/terraform\"]",
                        "instances": [{"schema_version": 0, "attributes": {
                            "id": "1", "input": {"value": "x", "type": "string"},
                            "output": {"value": "x", "type": "string"}, "triggers_replace": None},
                            "sensitive_attributes": []}]}],
         "check_results": None}


def _iac(*args: str, cwd: Path, project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "iac", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "IAC_USER": "alice", "PYTHONPATH": str(project)})


def _files(tmp_path: Path, config: dict[str, object]) -> tuple[Path, Path]:
    config_path, state_path = tmp_path / "main.tf.json", tmp_path / "terraform.tfstate"
    config_path.write_text(json.dumps(config))
    state_path.write_text(json.dumps(STATE))
    return config_path, state_path


def test_json_plan_to_stdout_and_detailed_exitcode(tmp_path: Path, project_dir: Path) -> None:
    config, state = _files(tmp_path, {"resource": {"terraform_data": {"a": {"input": "y"}, "b": {"input": 1}}}})
    before = state.read_bytes()
    result = _iac("plan", "--config", str(config), "--state", str(state), "--json", "--detailed-exitcode",
                  cwd=tmp_path, project=project_dir)
    assert result.returncode == 2, result.stderr
    plan = loads(result.stdout)
    actions = {rc["address"]: rc["change"]["actions"] for rc in plan.get("resource_changes", [])}
    assert actions == {"terraform_data.a": ["update"], "terraform_data.b": ["create"]}
    assert plan["iac"]["config_hash"] == "sha256:" + hashlib.sha256(config.read_bytes()).hexdigest()
    assert plan["iac"]["state"] == {"serial": 3, "lineage": "L"} and plan["iac"]["environment"] is None
    assert state.read_bytes() == before, "a plan never writes state"


def test_no_changes_exits_0_with_detailed_exitcode_and_out_file_is_written(tmp_path: Path, project_dir: Path) -> None:
    config, state = _files(tmp_path, {"resource": {"terraform_data": {"a": {"input": "x"}}}})
    out = tmp_path / "saved" / "plan.json"
    result = _iac("plan", "--config", str(config), "--state", str(state), "--out", str(out), "--detailed-exitcode",
                  cwd=tmp_path, project=project_dir)
    assert result.returncode == 0, result.stderr
    assert "No changes." in result.stdout
    assert loads(out.read_text())["applyable"] is False


def test_bad_expression_exits_1_with_one_line_on_stderr(tmp_path: Path, project_dir: Path) -> None:
    config, state = _files(tmp_path, {"resource": {"terraform_data": {"a": {"input": "${nosuch(\"X\")}"}}}})
    result = _iac("plan", "--config", str(config), "--state", str(state), cwd=tmp_path, project=project_dir)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == (f"Error: {config}: terraform_data.a.input: Call to unknown function: There is "
                                     'no function named "nosuch".')


def test_destroy_preview_deletes_everything(tmp_path: Path, project_dir: Path) -> None:
    config, state = _files(tmp_path, {"resource": {"terraform_data": {"a": {"input": "x"}}}})
    result = _iac("plan", "--config", str(config), "--state", str(state), "--destroy", "--format", "json",
                  cwd=tmp_path, project=project_dir)
    plan = loads(result.stdout)
    assert [rc["change"]["actions"] for rc in plan.get("resource_changes", [])] == [["delete"]]
    assert plan["iac"]["plan_mode"] == "destroy" and plan["planned_values"] == {"root_module": {}}


def test_plan_of_the_example_dev_environment_works_offline(tmp_path: Path, project_dir: Path) -> None:
    (tmp_path / "empty.tfstate").write_text("")  # an empty state file: a first deployment
    result = _iac("plan", "dev", "--json", "--state", str(tmp_path / "empty.tfstate"), cwd=project_dir, project=project_dir)
    assert result.returncode == 0, result.stderr
    plan = loads(result.stdout)
    assert plan["iac"]["environment"] == "dev" and plan["iac"]["state"] is None
    actions = {(rc["mode"], tuple(rc["change"]["actions"])) for rc in plan.get("resource_changes", [])}
    # a first deployment creates every resource; a data source that refers to one is read during apply
    assert actions == {("managed", ("create",)), ("data", ("read",))}
    assert "(sensitive value)" in result.stdout or "sensitive" in result.stdout


def test_a_variable_without_a_value_plans_to_json_and_out_file(tmp_path: Path, project_dir: Path) -> None:
    """Issue 16, item 6: `--json` and `--out` used to crash (`not JSON serialisable: Unknown`)."""
    config, state = _files(tmp_path, {"variable": {"x": {}}, "resource": {"terraform_data": {"a": {"input": "1"}}}})
    out = tmp_path / "plan.json"
    for extra in (["--json"], ["--out", str(out)]):
        result = _iac("plan", "--config", str(config), "--state", str(state), *extra, cwd=tmp_path, project=project_dir)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and "var.x: warning: no value given" in result.stderr
    plan = loads(out.read_text())
    assert "x" not in plan.get("variables", {})  # Terraform's format has no unknown variable values
    assert [rc["change"]["actions"] for rc in plan.get("resource_changes", [])] == [["update"]]


def test_a_directory_of_hcl_files_plans(tmp_path: Path, project_dir: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "n" {\n  default = 2\n}\nresource "terraform_data" "a" {\n'
                                      '  count = var.n\n  input = "i-${count.index}"\n}\n')
    (tmp_path / "terraform.tfvars").write_text("n = 3\n")
    result = _iac("plan", "--config", str(tmp_path), "--json", cwd=tmp_path, project=project_dir)
    assert result.returncode == 0, result.stderr
    plan = loads(result.stdout)
    assert [rc["change"]["after"]["input"] for rc in plan.get("resource_changes", [])] == ["i-0", "i-1", "i-2"]

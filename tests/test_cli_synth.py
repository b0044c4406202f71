"""`iac envs`, `iac synth`, `iac validate` through the real CLI entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iac._jsonio import read_json


def _iac(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "iac", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "IAC_USER": "alice", "PYTHONPATH": str(cwd)})


def test_envs_lists_the_example_environments(project_dir: Path) -> None:
    result = _iac("envs", cwd=project_dir)
    assert result.returncode == 0 and result.stdout.split() == ["dev", "prod", "staging"]


def test_unknown_environment_lists_valid_names_and_exits_1(project_dir: Path) -> None:
    result = _iac("synth", "qa", cwd=project_dir)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: unknown environment 'qa'; valid environments: dev, prod, staging"
    assert result.stdout == ""


def test_synth_writes_main_tf_json(project_dir: Path, tmp_path: Path) -> None:
    result = _iac("synth", "dev", "--out", str(tmp_path), cwd=project_dir)
    assert result.returncode == 0, result.stderr
    assert "77 resources, 2 workspaces" in result.stdout
    assert len(read_json(tmp_path / "main.tf.json")["resource"]["databricks_mws_workspaces"]) == 2


def test_validate_writes_nothing(project_dir: Path, tmp_path: Path) -> None:
    before = sorted(project_dir.rglob("main.tf.json"))
    result = _iac("validate", "prod", cwd=project_dir)
    assert result.returncode == 0 and "Environment prod is valid (1951 resources)." in result.stdout
    assert sorted(project_dir.rglob("main.tf.json")) == before


@pytest.mark.parametrize("broken", ["num_workers='two'"])
def test_bad_blueprint_input_is_one_line_error_naming_file_env_address_attribute(tmp_path: Path, broken: str) -> None:
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.py").write_text(f'''
from iac import Cluster, Environment, ExistingWorkspace, Mode

def build(stack):
    with stack.workspace(ExistingWorkspace("shared", host="https://x")):
        stack.add(Cluster("etl", cluster_name="etl", spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge", {broken}))

environment = Environment(name="dev", mode=Mode.development, cloud="aws", region="us-east-1", account_id="a", build=build)
''')
    result = subprocess.run([sys.executable, "-m", "iac", "synth", "dev"], cwd=tmp_path, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert result.returncode == 1
    assert result.stderr == "Error: environments/dev.py:6: [dev] databricks_cluster.etl.num_workers: expected a reference or number, got str\n"
    assert not (tmp_path / ".iac").exists()

"""A third-party plan reader, checkov, reads iac's plan JSON as it reads Terraform's.

checkov runs offline (`--skip-download`, BC_SKIP_MAPPING=TRUE) with a custom YAML policy. It cannot be
installed next to iac's dependencies (it pins its own versions of several of them), so it lives in its
own virtualenv, created on first use under ~/.cache/iac (or the one named by IAC_CHECKOV).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest

from iac._jsonio import dumps
from iac.workflows.planning import preview
from tests.oracle.harness import TerraformOracle

pytestmark = pytest.mark.slow

CHECKOV_VERSION = "3.3.30"
POLICY = """metadata:
  id: "CKV2_IAC_{n}"
  name: "{what} carries a team"
  category: "GENERAL_SECURITY"
definition:
  cond_type: "attribute"
  resource_types: ["{rtype}"]
  attribute: "{attribute}"
  operator: "exists"
"""


@pytest.fixture(scope="session")
def checkov() -> Path:
    given = os.environ.get("IAC_CHECKOV")
    if given:
        return Path(given)
    home = Path.home() / ".cache" / "iac" / f"checkov-{CHECKOV_VERSION}"
    binary = home / "bin" / "checkov"
    if not binary.exists():
        venv.create(home, with_pip=True)
        subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "-q", f"checkov=={CHECKOV_VERSION}"],
                       check=True, timeout=1800)
    return binary


def _run(checkov: Path, plan: dict[str, Any], rtype: str, attribute: str, tmp_path: Path) -> dict[str, list[str]]:
    """{"passed": [...], "failed": [...]} resource ids checkov reports for one YAML policy."""
    (tmp_path / "policies").mkdir(parents=True, exist_ok=True)
    (tmp_path / "policies" / "team.yaml").write_text(POLICY.format(n=1, what=rtype, rtype=rtype, attribute=attribute))
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(dumps(plan))
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "PYTHONPATH": ""}
    done = subprocess.run([str(checkov), "-f", str(plan_file), "--framework", "terraform_plan", "--skip-download",
                           "-o", "json", "--external-checks-dir", str(tmp_path / "policies"), "--check", "CKV2_IAC_1"],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    results = json.loads(done.stdout)["results"]
    return {kind: sorted(r["resource"] for r in results[f"{kind}_checks"]) for kind in ("passed", "failed")}


def test_checkov_reports_on_our_plan_as_on_terraforms(checkov: Path, tmp_path: Path) -> None:
    oracle = TerraformOracle(tmp_path / "tf")
    oracle.apply({"resource": {"terraform_data": {"old": {"input": {"team": "a"}}}}})
    config = {"resource": {"terraform_data": {
        "old": {"input": {"team": "b"}}, "tagged": {"input": {"team": "data"}}, "untagged": {"input": {"name": "x"}}}}}
    theirs = _run(checkov, oracle.plan(config), "terraform_data", "input.team", tmp_path / "terraform")
    ours = _run(checkov, oracle.iac_plan(config), "terraform_data", "input.team", tmp_path / "iac")
    assert ours == theirs
    assert ours == {"passed": ["terraform_data.old", "terraform_data.tagged"], "failed": ["terraform_data.untagged"]}


def test_checkov_reads_a_databricks_plan(checkov: Path, tmp_path: Path) -> None:
    config = {"resource": {"databricks_cluster": {
        "etl": {"cluster_name": "etl", "spark_version": "15.4.x-scala2.12", "num_workers": 1,
                "custom_tags": {"team": "data"}},
        "adhoc": {"cluster_name": "adhoc", "spark_version": "15.4.x-scala2.12", "num_workers": 1}}}}
    plan = preview(config, None, base_dir=str(tmp_path), env={})
    assert _run(checkov, plan, "databricks_cluster", "custom_tags.team", tmp_path) == {
        "passed": ["databricks_cluster.etl"], "failed": ["databricks_cluster.adhoc"]}


def test_interpreter_is_not_checkovs() -> None:
    # checkov's virtualenv is separate: iac's own environment does not import it
    assert "checkov" not in sys.modules

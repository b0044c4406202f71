"""Through the sandbox, with real Terraform: a split keeps every object (Terraform agrees: nothing to do), a
team rename applies without a disagreement, and a replaced workspace is planned by iac as Terraform plans it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from iac._jsonio import dumps, loads
from iac.policy.engine import evaluate
from iac.policy.settings import PolicySettings
from iac.sandbox.session import placeholders_for, start_sandbox
from iac.workflows.planning import preview
from tests.conftest import PROJECT

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

SINGLE = '''from functools import partial
from iac import Environment, Mode
from modules.estate import databricks_estate, team_fleet
from modules.team_workspace import Team

TEAMS = [{teams}]
environment = Environment(
    name="fl", mode=Mode.development, cloud="aws", region="us-east-1",
    account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001", default_tags={{"project": "p", "environment": "dev", "owner": "o"}},
    build={build},
)
'''
JOINED = 'partial(databricks_estate, teams=TEAMS, metastore_bucket="b")'
FLEET = 'team_fleet(TEAMS, metastore_bucket="b")'
TEAMS = 'Team(name="fraud", cost_center="cc-1001"), Team(name="security", cost_center="cc-1002")'
RENAMED = ('Team(name="fraud_detection", key="fraud", previous_name="fraud", cost_center="cc-1001"), '
           'Team(name="security", cost_center="cc-1002")')


def _environment(root: Path, teams: str, build: str) -> None:
    (root / "environments").mkdir(exist_ok=True)
    (root / "environments" / "fl.py").write_text(SINGLE.format(teams=teams, build=build))


def _iac(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    result = subprocess.run([sys.executable, "-m", "iac", *args], cwd=root, capture_output=True, text=True,
                            timeout=900, env={**env, "PYTHONPATH": str(PROJECT)})
    assert result.returncode == 0, f"iac {' '.join(args)}: {result.stderr[-3000:]}\n{result.stdout[-3000:]}"
    return result.stdout


def test_split_then_rename_then_join_through_the_sandbox(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "modules").symlink_to(PROJECT / "modules")
    _environment(root, TEAMS, JOINED)
    _iac(root, "apply", "fl", "--sandbox", "--auto-approve", "--engine", "embedded")

    _environment(root, TEAMS, FLEET)  # prod's move: the same estate, now a fleet
    assert "Planned every part afterwards: no changes." in _iac(root, "fleet", "split", "fl", "--sandbox")
    out = _iac(root, "apply", "fl", "--sandbox", "--auto-approve", "--engine", "embedded")
    assert "Fleet fl rollout: 3 no-changes" in out and "  wave 1 (canary): fraud no-changes" in out
    assert out.count("No changes. Terraform agrees; nothing to apply.") == 3

    _environment(root, RENAMED, FLEET)
    out = _iac(root, "apply", "fl", "--sandbox", "--auto-approve", "--engine", "embedded")
    assert "Terraform's plan matches iac's preview at" in out and "Confirmed: iac plans no further changes." in out
    assert "Fleet fl rollout: 1 applied, 2 no-changes" in out and "  wave 1 (canary): fraud applied" in out
    plan = _iac(root, "plan", "fl", "--sandbox")
    assert "No changes. Every member matches its configuration." in plan

    assert "Planned every part afterwards: no changes." in _iac(root, "fleet", "join", "fl", "--sandbox")
    _environment(root, RENAMED, JOINED)
    out = _iac(root, "apply", "fl", "--sandbox", "--auto-approve", "--engine", "embedded")
    assert "No changes. Terraform agrees; nothing to apply." in out


def _team_config(tmp_path: Path) -> dict[str, Any]:
    root = tmp_path / "single"
    root.mkdir()
    (root / "modules").symlink_to(PROJECT / "modules")
    _environment(root, 'Team(name="fraud", cost_center="cc-1001")', JOINED)
    _iac(root, "synth", "fl", "--out", str(root / "build"))
    document = loads((root / "build" / "main.tf.json").read_text())
    document["terraform"].pop("backend", None)
    return document


def test_a_replaced_workspace_is_planned_as_terraform_plans_it_and_sec008_names_what_it_loses(tmp_path: Path,
                                                                                            monkeypatch) -> None:
    document = _team_config(tmp_path)
    for name, value in placeholders_for(document["variable"]).items():
        monkeypatch.setenv(name, value)
    with start_sandbox(tmp_path / "sandbox") as sandbox:
        workdir = _write(sandbox, document)
        tf = sandbox.terraform(workdir)
        code, _, err = tf.execute("apply", "-auto-approve", "-no-color")
        assert code == 0, err
        changed = loads(dumps(document))
        changed["resource"]["databricks_mws_workspaces"]["fraud"]["workspace_name"] = "fl-fraud-2"
        workdir = _write(sandbox, changed)
        code, _, err = tf.execute("plan", "-no-color", "-out=replace.tfplan")  # refreshes, as `iac apply` plans
        assert code == 0, err
        code, out, err = tf.execute("show", "-json", "replace.tfplan")
        assert code == 0, err
        theirs = _actions(loads(out))
        ours_plan = preview(changed, (workdir / "terraform.tfstate").read_text(), base_dir=workdir, env=dict(os.environ))
    ours = _actions(ours_plan)
    assert ours == theirs  # every address, the 34 inside the workspace included
    assert sum(1 for a in theirs.values() if a == ["create"]) >= 30
    findings = evaluate(ours_plan, PolicySettings(), mode="production").findings
    lost = {f.address for f in findings if f.check_id == "SEC008"}
    assert {"databricks_mws_workspaces.fraud", "databricks_catalog.fraud", "databricks_secret_scope.fraud",
            "databricks_volume.fraud_raw_files", "databricks_schema.fraud_raw"} <= lost


def _write(sandbox: Any, config: dict[str, Any]) -> Path:
    directory = sandbox.root / "config"
    directory.mkdir(exist_ok=True)
    (directory / "main.tf.json").write_text(dumps(config))
    return sandbox.prepare_workdir(directory)


def _actions(plan: dict[str, Any]) -> dict[str, list[str]]:
    return {rc["address"]: rc["change"]["actions"] for rc in plan.get("resource_changes", []) if rc.get("mode") == "managed"}

"""The fleet commands as users run them: `iac plan ENV` on a fleet (text, Markdown, JSON), `iac fleet ...`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from iac.github.split import COMMENT_LIMIT
from tests.conftest import PROJECT
from tests.fleet.conftest import TRICKY
from tests.fleet.helpers import team
from tests.github.markdown_checks import problems

pytestmark = pytest.mark.slow


def _iac(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "iac", *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT), "IAC_USER": "alice"})


def test_prod_first_plan_is_one_comment_with_the_reviewer_s_part_first() -> None:
    result = _iac(PROJECT, "plan", "prod", "--format", "markdown")
    assert result.returncode == 0, result.stderr[-2000:]
    text = result.stdout
    assert len(text) <= COMMENT_LIMIT and problems(text) == []
    assert text.startswith("<!-- iac:plan env=prod -->")
    assert "**Plan: 2501 to add, 0 to change, 0 to destroy" in text and "50 members: 50 changed" in text
    head = text.index("| members |")
    assert head < text.index("### Findings") < text.index("### Member changes")
    assert "databricks_cluster.‹key›_shared</code> will be created x 50 members (fraud, search" in text
    block = text[text.index("<code>databricks_sql_endpoint.‹key›_bi</code>"):]
    block = block[: block.index("</details>")]
    assert block.index("+ cluster_size") < block.index("# known after apply:")  # configured first, unknowns last
    # one diff per distinct change: the 50 teams' workspaces are one entry, whatever their names (the root bucket
    # policy data source among them: read during apply, since its bucket is being created)
    assert text.count("<details>") == 2 + 52 + 1  # shared part (metastore, output), member changes, warnings


def test_plan_json_holds_each_member_s_terraform_plan_for_per_member_tools(tmp_path: Path, fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY[:3])])
    result = _iac(root, "plan", "fleet", "--json", "-j", "2")
    assert result.returncode == 0, result.stderr[-2000:]
    document = json.loads(result.stdout)
    assert document["format_version"] == "iac-fleet/1" and sorted(document["members"]) == sorted(TRICKY[:3])
    member = document["members"]["security"]
    assert member["format_version"] == "1.2" and member["iac"]["fleet"]["part"] == "security"
    assert member["iac"]["fleet"]["identity"] == [["key", "security"], ["cost_center", "cc-0001"]]  # for a CI merge
    assert member["iac"]["fleet"]["diagnostics"][0].startswith("environments/fleet.py: warning: 3 variables have no value")
    assert document["shared"]["resource_changes"][0]["address"] == "databricks_metastore.main"
    assert document["rollup"]["members"]["changed"] == TRICKY[:3]
    (tmp_path / "security.json").write_text(json.dumps(member))
    shown = _iac(root, "show", str(tmp_path / "security.json"))
    assert shown.returncode == 0 and "databricks_catalog.security will be created" in shown.stdout


def test_one_member_plans_alone(fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY[:3])])
    result = _iac(root, "plan", "fleet", "--member", "vision")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("Fleet fleet: 1 member: 1 changed, 0 unchanged, 0 failing.")
    assert set(re.findall(r"x \d+ members? \(([^)]*)\)", result.stdout)) == {"vision"}


def test_an_unknown_member_is_one_line_naming_the_members(fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY[:2])])
    result = _iac(root, "plan", "fleet", "--member", "nope")
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: [fleet] no fleet member 'nope'; members: fraud, security"


def test_fleet_synth_writes_a_directory_per_part(tmp_path: Path, fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY[:2])])
    result = _iac(root, "fleet", "synth", "fleet", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    written = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("main.tf.json"))
    assert written == ["members/fraud/main.tf.json", "members/security/main.tf.json", "shared/main.tf.json"]
    member = json.loads((tmp_path / "out" / "members" / "fraud" / "main.tf.json").read_text())
    assert member["variable"]["shared_metastore_id"]["type"] == "string"
    assert member["resource"]["databricks_metastore_assignment"]["fraud_metastore"]["metastore_id"] == \
        "${var.shared_metastore_id}"
    shared = json.loads((tmp_path / "out" / "shared" / "main.tf.json").read_text())
    assert shared["output"]["metastore_id"]["value"] == "${databricks_metastore.main.metastore_id}"
    assert member["terraform"]["backend"] == {"local": {"path": "terraform.tfstate"}}


def test_a_fleet_plan_document_is_commented_as_its_one_roll_up(tmp_path: Path, fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY[:2])])
    assert _iac(root, "plan", "fleet", "--out", str(tmp_path / "plan.json")).returncode == 0
    result = _iac(root, "comment", "--dry-run", "--file", str(tmp_path / "plan.json"))
    assert result.returncode == 0, result.stderr
    assert "<!-- iac:plan env=fleet part=1 -->" in result.stdout and "part=2" not in result.stdout  # one comment
    assert "`fleet` fleet passed all checks" in result.stdout


def test_a_reviewed_plan_without_a_member_is_refused(tmp_path: Path, fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY[:2])])
    assert _iac(root, "plan", "fleet", "--member", "fraud", "--out", str(tmp_path / "plan.json")).returncode == 0
    result = _iac(root, "apply", "fleet", "--plan", str(tmp_path / "plan.json"), "--auto-approve")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().endswith(f"Error: [fleet] {tmp_path / 'plan.json'} has no reviewed plan for security: "
                                          "plan them and review again")


def test_a_fleet_plans_beside_single_state_environments(tmp_path: Path) -> None:
    result = _iac(PROJECT, "plan", "dev", "prod", "--format", "markdown", "--out", str(tmp_path / "plan.json"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.findall(r"^<!-- iac:plan env=(\w+) -->$", result.stdout, re.M) == ["dev", "prod"]
    assert json.loads((tmp_path / "plan.prod.json").read_text())["format_version"] == "iac-fleet/1"
    assert "resource_changes" in json.loads((tmp_path / "plan.dev.json").read_text())


def test_duplicate_member_keys_are_one_line_naming_the_environment_file(fleet_project) -> None:
    root = fleet_project([team("fraud", 0), team("fraud", 1)])
    result = _iac(root, "plan", "fleet")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == ("Error: environments/fleet.py: [fleet] two fleet members have the key 'fraud': "
                                     "a key names one member's state")


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_a_member_and_the_shared_part_only_is_one_line_not_a_silent_choice(fleet_project, command: str) -> None:
    """`--member fraud --shared-only` planned the shared part alone, as if --member had not been given."""
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY[:2])])
    result = _iac(root, command, "fleet", "--member", "fraud", "--shared-only", *(["--sandbox"] if command == "apply" else []))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == "Error: [fleet] give --member KEY or --shared-only, not both"

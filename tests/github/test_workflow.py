"""The CI recipe: actionlint finds nothing, the rollout promises hold, and the environment picker is right."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "iac.yml"
PICKER = ROOT / ".github" / "scripts" / "changed_environments.sh"


def _actionlint() -> str | None:
    beside_python = Path(sys.executable).parent / "actionlint"
    return str(beside_python) if beside_python.exists() else shutil.which("actionlint")


def test_actionlint_finds_nothing():
    binary = _actionlint()
    if binary is None:
        pytest.skip("actionlint is not installed (pip install '.[test]' brings it)")
    result = subprocess.run([binary, "-no-color", str(WORKFLOW)], capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is missing: the workflow's run: scripts were not linted (apt-get install shellcheck)")


def _job(name: str) -> str:
    """The text of one job of the workflow (from its key to the next job key)."""
    text = WORKFLOW.read_text(encoding="utf-8")
    match = re.search(rf"^  {re.escape(name)}:\n(.*?)(?=^  [\w-]+:\n|\Z)", text, re.S | re.M)
    assert match, f"job {name} missing"
    return match.group(1)


def test_pull_requests_plan_comment_and_upload_the_plan():
    plan = _job("plan")
    assert "iac plan \"$ENVIRONMENT\" --format json --junit junit.xml > plan.json" in plan
    assert "actions/upload-artifact@" in plan and "plan.json" in plan
    assert 'iac comment --repo "$GITHUB_REPOSITORY" --pr "$PR_NUMBER" --file plan.json' in plan
    assert "pull-requests: write" in plan


@pytest.mark.parametrize(("environment", "gate"), [("dev", None), ("staging", "apply-dev"), ("prod", "apply-staging")])
def test_main_applies_each_environment_the_reviewed_way(environment, gate):
    job = _job(f"apply-{environment}")
    assert f"environment: {environment}\n" in job  # GitHub environment protection (required reviewers)
    assert f"iac apply {environment} --plan plan.json --auto-approve" in job
    assert f"name: plan-{environment}" in job
    assert "github.event_name == 'push'" in job
    if gate:
        assert re.search(rf"needs: \[[^\]]*\b{gate}\b", job)
        assert "!failure()" in job


def test_pull_request_paths_cover_every_input():
    text = WORKFLOW.read_text(encoding="utf-8")
    for path in ("environments/**", "modules/**", "iac/**"):
        assert text.count(f'- "{path}"') == 2  # pull_request and push


def _repo(tmp_path: Path) -> Path:
    for name in ("dev", "staging", "prod"):
        (tmp_path / "environments").mkdir(exist_ok=True)
        (tmp_path / "environments" / f"{name}.py").write_text(f"NAME = {name!r}\n")
    (tmp_path / "environments" / "_shared.py").write_text("X = 1\n")
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "team.py").write_text("Y = 1\n")
    (tmp_path / "README.md").write_text("hi\n")
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit",
                                                              "-qm", "base"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    return tmp_path


def _commit(repo: Path, path: str) -> None:
    with (repo / path).open("a") as handle:
        handle.write("# changed\n")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "change"], cwd=repo,
                   check=True)


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        pytest.param("environments/prod.py", ["prod"], id="one environment file"),
        pytest.param("modules/team.py", ["dev", "prod", "staging"], id="a module feeds every environment"),
        pytest.param("README.md", [], id="docs only"),
        pytest.param(None, ["dev", "prod", "staging"], id="unknown base plans everything"),
    ],
)
def test_changed_environments(tmp_path, changed, expected):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = _repo(tmp_path)
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    if changed:
        _commit(repo, changed)
    else:
        base = "0" * 40  # GitHub's `before` on a branch's first push
    result = subprocess.run(["bash", str(PICKER), base, "HEAD"], cwd=repo, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == expected

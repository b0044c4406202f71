"""The fleet's GitHub Actions workflow (.github/workflows/iac-fleet.yml): actionlint finds nothing, and its jobs'
own `run:` scripts, run here as subprocesses one matrix job at a time, give the members a change touches and
ONE roll-up comment equal to what a single machine plans for the whole fleet."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from iac._jsonio import loads
from tests.conftest import PROJECT
from tests.fleet.conftest import TRICKY
from tests.fleet.helpers import converge_joined, team, write_project

WORKFLOW = PROJECT / ".github" / "workflows" / "iac-fleet.yml"
TEAMS = TRICKY[:4]  # fraud (the canary), security, vision, identity


def _actionlint() -> str | None:
    beside_python = Path(sys.executable).parent / "actionlint"
    return str(beside_python) if beside_python.exists() else shutil.which("actionlint")


def test_actionlint_finds_nothing() -> None:
    binary = _actionlint()
    if binary is None:
        pytest.skip("actionlint is not installed (pip install '.[test]' brings it)")
    result = subprocess.run([binary, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _step(job: str, name: str) -> str:
    """The `run:` script of a step (by `name` or `id`) of a job of the workflow."""
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"][job]["steps"]
    return next(s["run"] for s in steps if name in (s.get("name"), s.get("id")))


def _run(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A step's script as the runner runs it (bash -e), with `iac` on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    base = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**base, "PATH": path, "PYTHONPATH": str(PROJECT), "FLEET": "fleet", **env})


def _outputs(path: Path) -> dict[str, Any]:
    return {k: loads(v) for k, v in (line.split("=", 1) for line in path.read_text().splitlines())}


@pytest.mark.slow
def test_the_matrix_jobs_plan_the_touched_members_and_merge_into_the_one_roll_up(fleet_project, secrets,
                                                                                tmp_path: Path) -> None:
    from iac.workflows.fleet_states import split_states

    root = fleet_project([team(name, i) for i, name in enumerate(TEAMS)], mode="development")  # checks advise:
    secrets(TEAMS)  # converge_joined's made-up node types are not in the price catalog
    converge_joined(root)
    split_states("fleet", root)
    write_project(root, [team(name, i, max_workers=12 if name in ("fraud", "vision") else 8)  # touches two members
                         for i, name in enumerate(TEAMS)], mode="development")

    matrix = _run(_step("matrix", "matrix"), root, GITHUB_OUTPUT=str(tmp_path / "matrix.out"))
    assert matrix.returncode == 0, matrix.stderr[-2000:]
    outputs = _outputs(tmp_path / "matrix.out")
    assert outputs == {"all": {"member": ["fraud", "vision"]}, "canary": {"member": ["fraud"]},
                       "rest": {"member": ["vision"]}}

    plans = root / "plans"  # where the comment job downloads the artifacts
    for member in outputs["all"]["member"]:  # each matrix job, in its own directory (a fresh runner's checkout)
        job = root / "jobs" / member
        job.mkdir(parents=True)
        result = _run(_step("plan", "Plan the member"), job, MEMBER=member)
        assert result.returncode == 0, result.stderr[-2000:]
        artifact = plans / f"plan-fleet-{member}"  # download-artifact: a directory per artifact
        artifact.mkdir(parents=True)
        shutil.move(job / "plan.json", artifact / "plan.json")

    summary = tmp_path / "summary.md"
    expected = (tmp_path / "matrix.out").read_text().splitlines()[0].split("=", 1)[1]
    comment = _run(_step("comment", "Job summary"), root, GITHUB_STEP_SUMMARY=str(summary), EXPECTED=expected)
    assert comment.returncode == 0, comment.stderr[-2000:]

    whole = subprocess.run([sys.executable, "-m", "iac", "plan", "fleet", "--format", "markdown"], cwd=root,
                           capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(PROJECT)})
    single = subprocess.run([sys.executable, "-m", "iac", "comment", "--dry-run", "--file", "-"], input=whole.stdout,
                            cwd=root, capture_output=True, text=True, timeout=600)
    merged = summary.read_text()
    assert "2 changed, 2 unchanged" in merged
    note = "- the fleet's budget (COST008/COST009) is judged on the whole fleet's plan"
    assert note in merged
    assert "2 unchanged member(s) were not planned" in merged
    assert _changes(merged) == _changes(single.stdout)  # one machine or a matrix: the same review of every change


def test_a_member_of_the_matrix_without_a_plan_artifact_is_failing(fleet_project, tmp_path: Path) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TEAMS[:2])])
    (root / "plans").mkdir()
    result = subprocess.run([sys.executable, "-m", "iac", "plan", "fleet", "--member", "fraud", "--out",
                             "plans/fraud.json"], cwd=root, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "PYTHONPATH": str(PROJECT)})
    assert result.returncode == 0, result.stderr[-2000:]
    merged = subprocess.run([sys.executable, "-m", "iac", "comment", "--fleet", "--dry-run", "--file", "plans",
                             "--expect", '{"member":["fraud","security"]}'], cwd=root, capture_output=True, text=True,
                            timeout=600, env={**os.environ, "PYTHONPATH": str(PROJECT)})
    assert merged.returncode == 0, merged.stderr[-2000:]
    assert "security: no plan artifact: its job failed or did not run" in merged.stdout


def _changes(markdown: str) -> str:
    """The comment's changes: the shared part's and the members' (its totals and findings cover only what was
    planned: the unchanged members' costs and findings are not in the matrix's plans)."""
    start = markdown.index("### Member changes")  # the shared part has none: it is converged
    end = markdown.find("<details><summary>Warnings", start)
    return markdown[start:end if end >= 0 else len(markdown)].rstrip()


def test_the_matrix_job_stops_when_the_fleet_s_budget_denies_it(fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TEAMS[:3])])
    path = root / "environments" / "fleet.py"
    path.write_text(path.read_text().replace('"monthly_total": 250000', '"monthly_total": 5000'))
    result = subprocess.run([sys.executable, "-m", "iac", "fleet", "matrix", "fleet", "--changed"], cwd=root,
                            capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(PROJECT)})
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stdout == '{"member":["fraud","security","vision"]}\n'  # printed all the same
    assert "COST008 (fleet)" in result.stderr
    assert result.stderr.strip().endswith("Error: [fleet] denied by policy: error finding(s) in a mandatory environment")
    bad = subprocess.run([sys.executable, "-m", "iac", "fleet", "matrix", "fleet", "--wave", "first"], cwd=root,
                         capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(PROJECT)})
    assert bad.returncode == 1 and bad.stderr.strip() == "Error: --wave 'first': choose all, canary, rest"

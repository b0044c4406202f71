"""Kill iac at random points of `iac apply dev --sandbox` (SIGKILL: no cleanup at all), then run it again.

Each trial starts from an empty sandbox, kills the iac process at a random moment of a whole apply (start-up,
synth, preview, Terraform's plan, Terraform's apply, the confirmation), then runs `iac apply` again. The
Terraform that iac started must finish and write its state (it runs in a worker of its own session, with a
sandbox provider that outlives iac); the next run must find the lock, say what happened, and converge:
0 orphans (objects in the simulated workspace that no state tracks), 0 duplicates (objects created twice),
0 objects missing, and afterwards iac plans no changes. No plan file and no run directory are left behind,
and the environment's secrets (TF_VAR_* canaries) are in no file but Terraform's state.

IAC_KILL_TRIALS sets the number of kill points (default 20), IAC_KILL_SEED the random seed.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from apply_helpers import dev_project_with_canaries, files_containing
from typer.testing import CliRunner

from iac import _jsonio
from iac.cli import app
from iac.terraform.audit import read_records

pytest.importorskip("iac.sandbox.session")
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ARGS = ("apply", "dev", "--sandbox", "--auto-approve", "--engine", "embedded")
CANARY = "kill-canary-3e8d"
PHASES = (("Terraform engine:", "preview"), ("Terraform's plan matches", "apply"), ("Apply complete!", "confirm"))


@dataclass
class Trial:
    kill_at: float
    phase: str
    took_over: bool
    waited: bool
    orphans: int
    duplicates: int
    missing: int


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = tmp_path_factory.mktemp("killed")
    with dev_project_with_canaries(project, lambda index, name: f"{CANARY}-{name}"):
        yield project


def _sandbox(project: Path) -> Path:
    return project / ".iac" / "dev" / ".sandbox"


def _start(project: Path, out: Path) -> subprocess.Popen[bytes]:
    with open(out, "wb") as handle:
        return subprocess.Popen([sys.executable, "-m", "iac", *ARGS], cwd=project, stdout=handle,
                                stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(REPO)})


def _tracked_and_stored(sandbox: Path) -> tuple[Counter[str], set[tuple[str, str]], Counter[str], set[tuple[str, str]]]:
    state = _jsonio.read_json(sandbox / "terraform.tfstate")
    tracked = [(r["type"], str(i["attributes"].get("id"))) for r in state["resources"] if r["mode"] == "managed"
               for i in r["instances"]]
    store = _jsonio.read_json(sandbox / "provider" / "store.json")
    stored = [(kind, object_id) for workspace in store["workspaces"].values() for kind, objects in workspace.items()
              for object_id in objects]
    return Counter(k for k, _ in tracked), set(tracked), Counter(k for k, _ in stored), set(stored)


def _check(sandbox: Path) -> tuple[int, int, int]:
    """(orphans, duplicates, missing): objects no state tracks, objects beyond the state's count of their
    type (created twice), and tracked objects the workspace does not hold."""
    tracked_count, tracked, stored_count, stored = _tracked_and_stored(sandbox)
    duplicates = sum(max(0, stored_count[kind] - tracked_count[kind]) for kind in stored_count)
    return len(stored - tracked), duplicates, len(tracked - stored)


def _phase(output: str) -> str:
    phase = "start-up"
    for marker, name in PHASES:
        if marker in output:
            phase = name
    return phase


def _full_apply_seconds(project: Path, tmp_path: Path) -> float:
    """One uninterrupted apply: how long a whole apply takes here (kill points are drawn over it)."""
    shutil.rmtree(_sandbox(project), ignore_errors=True)
    started = time.monotonic()
    run = _start(project, tmp_path / "reference.txt")
    assert run.wait(timeout=600) == 0, (tmp_path / "reference.txt").read_text()
    return time.monotonic() - started


def _trial(project: Path, tmp_path: Path, kill_at: float, number: int) -> Trial:
    sandbox = _sandbox(project)
    shutil.rmtree(sandbox, ignore_errors=True)
    out = tmp_path / f"killed-{number}.txt"
    run = _start(project, out)
    time.sleep(kill_at)
    run.send_signal(signal.SIGKILL)  # iac only: its Terraform worker and the sandbox provider live on
    run.wait()
    phase = _phase(out.read_text(errors="replace"))

    again = CliRunner().invoke(app, [*ARGS, "--project", str(project)])
    text = again.stdout + again.stderr
    assert again.exit_code == 0, f"kill at {kill_at:.2f} s ({phase}):\n{out.read_text()}\n---\n{text}"
    converged = "No changes. Terraform agrees; nothing to apply." in text or \
        ("Apply complete!" in text and "Confirmed: iac plans no further changes." in text)
    assert converged, text
    took_over = "Took over the lock of a run that did not finish" in text
    if (sandbox / ".iac" / "audit.jsonl").exists() and took_over:
        assert read_records(sandbox / ".iac" / "audit.jsonl")[0]["outcome"] == "killed"

    plan = CliRunner().invoke(app, ["plan", "dev", "--project", str(project), "--sandbox", "--detailed-exitcode"])
    assert plan.exit_code == 0, plan.stdout + plan.stderr  # iac plans no changes against what Terraform wrote

    orphans, duplicates, missing = _check(sandbox)
    assert not list(project.rglob("*.tfplan")), "a plan file was left behind"
    assert not (sandbox / ".iac" / "lock.json").exists()
    assert not any((sandbox / ".iac" / "runs").iterdir())
    assert files_containing(project, CANARY.encode()) == [] and CANARY not in text + out.read_text(errors="replace")
    return Trial(kill_at, phase, took_over, "still running" in text, orphans, duplicates, missing)


def test_killing_iac_anywhere_in_an_apply_loses_nothing(project: Path, tmp_path: Path) -> None:
    trials_wanted = int(os.environ.get("IAC_KILL_TRIALS", "20"))
    rng = random.Random(int(os.environ.get("IAC_KILL_SEED", "17")))
    whole = _full_apply_seconds(project, tmp_path)
    assert _check(_sandbox(project)) == (0, 0, 0)
    trials = [_trial(project, tmp_path, rng.uniform(0.2, whole), n) for n in range(trials_wanted)]
    summary = {
        "trials": len(trials), "whole_apply_s": round(whole, 1),
        "phases": dict(Counter(t.phase for t in trials)), "lock_taken_over": sum(t.took_over for t in trials),
        "waited_for_terraform": sum(t.waited for t in trials), "orphans": sum(t.orphans for t in trials),
        "duplicates": sum(t.duplicates for t in trials), "missing": sum(t.missing for t in trials),
    }
    print(f"\nkill trials: {json.dumps(summary, sort_keys=True)}")
    assert (summary["orphans"], summary["duplicates"], summary["missing"]) == (0, 0, 0), summary
    if len(trials) >= 10:
        assert summary["phases"].get("apply", 0) >= 1, summary  # some kills landed while Terraform applied

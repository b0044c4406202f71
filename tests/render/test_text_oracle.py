"""The text renderer against real Terraform: for each case Terraform applies a before-config, plans
an after-config, and prints its own plan (`terraform show PLANFILE`). We render Terraform's plan
JSON, masked as our contract requires, and must print the same bytes.

`terraform show` prints only plan content (no refresh lines, no "Saved the plan" footer), so
nothing is scrubbed. Where Terraform prints a secret (terraform_data.output mirrors a sensitive
input without the mark), the case lists the deliberate deviation.
"""

from __future__ import annotations

from typing import Any

import pytest
from tf_oracle import OracleCase

from iac.render.text import render_plan

pytestmark = [pytest.mark.oracle, pytest.mark.slow]


def data(**resources: dict[str, Any]) -> dict[str, Any]:
    return {"terraform_data": resources}


def config(resources: dict[str, Any] | None = None, **blocks: Any) -> dict[str, Any]:
    body: dict[str, Any] = dict(blocks)
    if resources:
        body["resource"] = resources
    return body


RICH_INPUT = {
    "name": "team-07",
    "count": 3,
    "ratio": 0.25,
    "big": 12345678901234567890,
    "enabled": True,
    "nothing": None,
    "empty": "",
    "quoted": 'say "hi" \\ back, naïve',
    "tags": {"team": "07", "cost_center": "cc-1234", "env": "dev"},
    "list": ["a", "b", "c", "d", "e", "f", "g"],
    "nested": {"autoscale": {"min": 1, "max": 4}, "conf": {"spark.speculation": "true"}},
    "script": "#!/bin/sh\necho one\necho two\n",
    "policy": '{"spark_version": {"type": "fixed", "value": "15.4.x"}, "num_workers": {"type": "range", "maxValue": 4}}',
    "objects": [{"key": "a", "value": 1}, {"key": "b", "value": 2}],
}

CHANGED_INPUT = {
    **RICH_INPUT,
    "count": 5,
    "ratio": 0.5,
    "enabled": False,
    "tags": {"team": "07", "cost_center": "cc-9999", "env": "dev", "owner": "ana"},
    "list": ["a", "b", "c", "X", "e", "f", "g"],
    "nested": {"autoscale": {"min": 1, "max": 8}, "conf": {"spark.speculation": "true"}},
    "script": "#!/bin/sh\necho one\necho 2\necho three\n",
    "policy": '{"spark_version": {"type": "fixed", "value": "15.4.x"}, "num_workers": {"type": "range", "maxValue": 8}}',
    "objects": [{"key": "a", "value": 1}, {"key": "b", "value": 3}],
}

SECRET_VARS = {"variable": {"secret": {"type": "string", "sensitive": True, "default": "hunter2-old"}}}
SECRET_VARS_NEW = {"variable": {"secret": {"type": "string", "sensitive": True, "default": "hunter2-new"}}}

CASES = [
    OracleCase("create", config(data(x={"input": RICH_INPUT})), color=True),
    OracleCase("no changes", config(data(x={"input": RICH_INPUT})), before=config(data(x={"input": RICH_INPUT}))),
    OracleCase("update nested objects lists maps", config(data(x={"input": CHANGED_INPUT})),
               before=config(data(x={"input": RICH_INPUT})), color=True),
    OracleCase("update list reorder and growth", config(data(x={"input": {"l": ["z", "x", "y"], "m": [1, 2, 3, 4]}})),
               before=config(data(x={"input": {"l": ["x", "y", "z"], "m": [1, 2, 3]}}))),
    OracleCase("update type change and null", config(data(x={"input": {"a": 1, "b": None, "c": ["x"], "d": "text"}})),
               before=config(data(x={"input": {"a": "1", "b": "was", "c": "x", "e": 2}}))),
    OracleCase("update whitespace only json", config(data(x={"input": {"j": '{"a":1}'}})),
               before=config(data(x={"input": {"j": '{"a": 1}'}}))),
    OracleCase("replace triggers_replace", config(data(x={"input": "same", "triggers_replace": ["v2"]})),
               before=config(data(x={"input": "same", "triggers_replace": ["v1"]})), color=True),
    OracleCase("create_before_destroy", config(data(x={"triggers_replace": "b", "lifecycle": {"create_before_destroy": True}})),
               before=config(data(x={"triggers_replace": "a", "lifecycle": {"create_before_destroy": True}}))),
    OracleCase("delete not in config", config(data(keep={"input": 1})),
               before=config(data(keep={"input": 1}, gone={"input": {"a": [1, 2]}})), color=True),
    OracleCase("delete count index", config(data(n={"count": 1, "input": "${count.index}"})),
               before=config(data(n={"count": 3, "input": "${count.index}"}))),
    OracleCase("delete for_each key", config(data(e={"for_each": {"dev": "d"}, "input": "${each.value}"})),
               before=config(data(e={"for_each": {"dev": "d", "staging": "s"}, "input": "${each.value}"}))),
    OracleCase("delete wrong repetition", config(data(w={"for_each": {"a": 1}, "input": "${each.value}"})),
               before=config(data(w={"count": 2, "input": "${count.index}"}))),
    OracleCase("delete no module", config(data(keep={"input": 1})),
               before=config(data(keep={"input": 1}), module={"env": {"source": "./mod"}}),
               files={"mod/main.tf.json": config(data(inner={"input": "in module"}))}),
    OracleCase("moved", config(data(new={"input": "v"}), moved=[{"from": "terraform_data.old", "to": "terraform_data.new"}]),
               before=config(data(old={"input": "v"}))),
    OracleCase("moved and updated", config(data(new={"input": "v2"}), moved=[{"from": "terraform_data.old", "to": "terraform_data.new"}]),
               before=config(data(old={"input": "v1"}))),
    OracleCase("import", config(data(imp={}), **{"import": [{"to": "terraform_data.imp", "id": "imported-id-1"}]})),
    OracleCase("import and create", config(data(imp={}, fresh={"input": 1}), **{"import": [{"to": "terraform_data.imp", "id": "i-2"}]})),
    OracleCase("removed forget", config(data(keep={"input": 1}), removed=[{"from": "terraform_data.gone", "lifecycle": {"destroy": False}}]),
               before=config(data(keep={"input": 1}, gone={"input": 2}))),
    OracleCase("sensitive variable changes", config(data(s={"input": {"user": "ana", "password": "${var.secret}"}}), **SECRET_VARS_NEW),
               before=config(data(s={"input": {"user": "ana", "password": "${var.secret}"}}), **SECRET_VARS),
               deviations=(('- password = "hunter2-old"', "- password = (sensitive value)"),)),
    OracleCase("sensitive whole value", config(data(s={"input": "${var.secret}"}), **SECRET_VARS_NEW),
               before=config(data(s={"input": "${var.secret}"}), **SECRET_VARS),
               deviations=(('~ output = "hunter2-old" -> (known after apply)', "~ output = (sensitive value)"),)),
    OracleCase("sensitive unchanged other change", config(data(s={"input": {"pw": "${var.secret}", "n": 2}}), **SECRET_VARS),
               before=config(data(s={"input": {"pw": "${var.secret}", "n": 1}}), **SECRET_VARS),
               deviations=(('- pw = "hunter2-old"', "- pw = (sensitive value)"),)),
    OracleCase("sensitive created", config(data(s={"input": "${var.secret}"}), **SECRET_VARS,
                                           output={"pw": {"value": "${var.secret}", "sensitive": True}}),
               deviations=(("+ output = (known after apply)", "+ output = (sensitive value)"),)),
    OracleCase("outputs only", config(data(x={"input": 1}), output={"region": {"value": "westeurope"}, "same": {"value": 1}}),
               before=config(data(x={"input": 1}), output={"region": {"value": "eastus2"}, "same": {"value": 1}, "legacy": {"value": "old"}})),
    OracleCase("outputs with changes", config(data(x={"input": 2}), output={"id": {"value": "${terraform_data.x.id}"},
                                                                          "out": {"value": "${terraform_data.x.output}"},
                                                                          "secret": {"value": "${var.secret}", "sensitive": True}}, **SECRET_VARS_NEW),
               before=config(data(x={"input": 1}), output={"id": {"value": "${terraform_data.x.id}"},
                                                           "out": {"value": "${terraform_data.x.output}"},
                                                           "secret": {"value": "${var.secret}", "sensitive": True}}, **SECRET_VARS)),
    OracleCase("unknowns", config(data(a={"input": "a2"}, b={"input": {"from_a": "${terraform_data.a.output}", "id": "${terraform_data.a.id}", "list": ["${terraform_data.a.id}", "k"]}},
                                       c={"triggers_replace": "${terraform_data.a.output}"})),
               before=config(data(a={"input": "a1"}, b={"input": {"from_a": "${terraform_data.a.output}", "id": "x", "list": ["y", "k"]}},
                                  c={"triggers_replace": "${terraform_data.a.output}"}))),
    OracleCase("tainted", config(data(t={"input": "v"})), before=config(data(t={"input": "v"})), taint=("terraform_data.t",)),
    OracleCase("replace as requested", config(data(r={"input": "v"}, other={"input": 1})),
               before=config(data(r={"input": "v"}, other={"input": 1})), plan_options={"replace": "terraform_data.r"}),
    OracleCase("replace_triggered_by", config(data(src={"input": "2"}, dep={"input": "d", "lifecycle": {"replace_triggered_by": ["terraform_data.src"]}})),
               before=config(data(src={"input": "1"}, dep={"input": "d", "lifecycle": {"replace_triggered_by": ["terraform_data.src"]}}))),
    OracleCase("destroy plan", config(data(a={"input": RICH_INPUT}, b={"input": "${terraform_data.a.id}"}), output={"o": {"value": "v"}}),
               before=config(data(a={"input": RICH_INPUT}, b={"input": "${terraform_data.a.id}"}), output={"o": {"value": "v"}}),
               plan_options={"destroy": ...}, color=True),
    OracleCase("errored prevent_destroy", config(data(p={"triggers_replace": 2, "lifecycle": {"prevent_destroy": True}}, q={"input": 2})),
               before=config(data(p={"triggers_replace": 1, "lifecycle": {"prevent_destroy": True}}, q={"input": 1})),
               plan_fails=True),
    OracleCase("destroy plan empty", config(data(a={"input": 1})), plan_options={"destroy": ...}),
    OracleCase("terminal controls in values and keys", config(data(t={"input": {
        "osc52": "\x1b]52;c;aGVsbG8=\x07", "cr": "shown\rhidden", "bidi": "exe.\u202egnp", "zw": "a\u200bb",
        "k\x1bey": "v", "heredoc": "one\ntwo\x1b[2J\x07\rthree\u202e\tfour\nfive", "del": "\x7f\x9b"}})),
               # Terraform lets control characters of a heredoc through to the terminal (a carriage return
               # even breaks the line); iac shows them as escapes
               deviations=(("two\x1b[2J\x07\nthree\u202e\tfour", "two\\x1b[2J\\x07\\rthree\\u202e\tfour"),)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_text_matches_terraform_show(case: OracleCase, oracle: Any, masked: Any) -> None:
    result = oracle(case)
    plan = masked(result.plan)
    if "destroy" in case.plan_options:
        plan["iac"]["plan_mode"] = "destroy"
    rendered = render_plan(plan)
    assert rendered == case.expected(result.text)
    assert "hunter2" not in rendered  # the sensitive variables' values


@pytest.mark.parametrize("case", [c for c in CASES if c.color], ids=[c.id for c in CASES if c.color])
def test_colour_matches_terraform_show(case: OracleCase, oracle: Any, masked: Any) -> None:
    result = oracle(case)
    plan = masked(result.plan)
    if "destroy" in case.plan_options:
        plan["iac"]["plan_mode"] = "destroy"
    assert result.color_text is not None
    assert render_plan(plan, color=True) == case.expected(result.color_text)

"""iac's plan equals Terraform's, scenario by scenario (terraform_data, offline).

Each row: a before-config Terraform applies, an after-config both plan on that state; the actions per
address, replace_paths, before/after/after_unknown, sensitivity masks, reasons and output changes must
be identical.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.oracle.harness import TerraformFailed, TerraformOracle, comparable

pytestmark = pytest.mark.oracle


def td(**resources: Any) -> dict[str, Any]:
    """A config with terraform_data resources (and optional extra top-level blocks under `_extra`)."""
    extra = resources.pop("_extra", {})
    doc: dict[str, Any] = {"resource": {"terraform_data": resources}} if resources else {}
    doc.update(extra)
    return doc


SCENARIOS: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    ("create", {}, td(a={"input": "x"}, b={"input": {"n": 1, "l": [1, "two", None], "o": {"k": True}}}), {}),
    ("no-op", td(a={"input": {"n": Decimal("1.5"), "s": "x"}}), td(a={"input": {"n": Decimal("1.50"), "s": "x"}}), {}),
    ("nested update", td(a={"input": {"tags": {"team": "a", "cost": "1"}, "n": [1, 2]}}),
     td(a={"input": {"tags": {"team": "b", "cost": "1"}, "n": [1, 2, 3]}}), {}),
    ("exact decimals", td(a={"input": 9007199254740993}, b={"input": Decimal("0.1")}, c={"input": Decimal("1e3")}),
     td(a={"input": 9007199254740992}, b={"input": Decimal("0.10000000000000001")}, c={"input": 1000}), {}),
    ("null differs from absent", td(a={"input": {"a": 1}}), td(a={"input": {"a": 1, "b": None}}), {}),
    ("bool is not a number", td(a={"input": [1, 0]}), td(a={"input": [True, False]}), {}),
    ("replace", td(a={"input": "x", "triggers_replace": "1"}), td(a={"input": "x", "triggers_replace": "2"}), {}),
    ("replace null to value", td(a={"input": "x"}), td(a={"input": "x", "triggers_replace": ["v"]}), {}),
    ("delete", td(a={"input": 1}, b={"input": 2}), td(a={"input": 1}), {}),
    ("count scale up", td(a={"count": 2, "input": "${count.index}"}), td(a={"count": 4, "input": "${count.index}"}), {}),
    ("count scale down", td(a={"count": 3, "input": "x-${count.index}"}), td(a={"count": 1, "input": "x-${count.index}"}), {}),
    ("for_each keys", td(a={"for_each": {"x": 1, "y": 2}, "input": "${each.value}"}),
     td(a={"for_each": {"y": 3, "z": 4}, "input": "${each.value}"}), {}),
    ("implied move to count", td(a={"input": 1}), td(a={"count": 2, "input": 1}), {}),
    ("implied move from count", td(a={"count": 2, "input": 1}), td(a={"input": 1}), {}),
    ("single to for_each is not moved", td(a={"input": 1}), td(a={"for_each": {"k": 1}, "input": 1}), {}),
    ("moved", td(a={"input": 1}), td(b={"input": 1}, _extra={"moved": [{"from": "terraform_data.a", "to": "terraform_data.b"}]}), {}),
    ("moved and updated", td(a={"input": 1}),
     td(b={"input": 2}, _extra={"moved": [{"from": "terraform_data.a", "to": "terraform_data.b"}]}), {}),
    ("moved chain", td(a={"input": 1}), td(c={"input": 1}, _extra={"moved": [
        {"from": "terraform_data.b", "to": "terraform_data.c"}, {"from": "terraform_data.a", "to": "terraform_data.b"}]}), {}),
    ("moved into for_each", td(a={"input": 1}), td(a={"for_each": {"k": 1}, "input": 1}, _extra={"moved": [
        {"from": "terraform_data.a", "to": "terraform_data.a[\"k\"]"}]}), {}),
    ("reference to unchanged resource is known", td(a={"input": "x"}, b={"input": "${terraform_data.a.output}"}),
     td(a={"input": "x"}, b={"input": "${terraform_data.a.output}-y"}), {}),
    ("unknown propagates", td(a={"input": "x"}, b={"input": "${terraform_data.a.output}"}),
     td(a={"input": "z"}, b={"input": "${terraform_data.a.output}"}), {}),
    ("replaced dependency replaces force-new dependents",
     td(a={"input": 1, "triggers_replace": 1}, b={"triggers_replace": "${terraform_data.a.id}"}),
     td(a={"input": 1, "triggers_replace": 2}, b={"triggers_replace": "${terraform_data.a.id}"}), {}),
    ("create before destroy", td(a={"triggers_replace": 1, "lifecycle": {"create_before_destroy": True}}),
     td(a={"triggers_replace": 2, "lifecycle": {"create_before_destroy": True}}), {}),
    ("create before destroy propagates to dependencies",
     td(a={"triggers_replace": 1}, b={"input": "${terraform_data.a.id}", "triggers_replace": "${terraform_data.a.id}",
                                        "lifecycle": {"create_before_destroy": True}}),
     td(a={"triggers_replace": 2}, b={"input": "${terraform_data.a.id}", "triggers_replace": "${terraform_data.a.id}",
                                        "lifecycle": {"create_before_destroy": True}}), {}),
    ("depends_on chain orders only", td(a={"input": 1}, b={"input": 2, "depends_on": ["terraform_data.a"]},
                                        c={"input": 3, "depends_on": ["terraform_data.b"]}),
     td(a={"input": 10}, b={"input": 2, "depends_on": ["terraform_data.a"]}, c={"input": 3, "depends_on": ["terraform_data.b"]}), {}),
    ("ignore_changes path", td(a={"input": {"x": 1, "y": 1}, "lifecycle": {"ignore_changes": ["input"]}}),
     td(a={"input": {"x": 2, "y": 1}, "lifecycle": {"ignore_changes": ["input"]}}), {}),
    ("ignore_changes all", td(a={"input": 1, "triggers_replace": 1, "lifecycle": {"ignore_changes": "all"}}),
     td(a={"input": 2, "triggers_replace": 2, "lifecycle": {"ignore_changes": "all"}}), {}),
    ("replace_triggered_by", td(a={"input": 1}, b={"input": 1, "lifecycle": {"replace_triggered_by": ["terraform_data.a"]}}),
     td(a={"input": 2}, b={"input": 1, "lifecycle": {"replace_triggered_by": ["terraform_data.a"]}}), {}),
    ("replace_triggered_by attribute unchanged", td(a={"input": 1}, b={"input": 1, "lifecycle": {"replace_triggered_by": ["terraform_data.a.id"]}}),
     td(a={"input": 2}, b={"input": 1, "lifecycle": {"replace_triggered_by": ["terraform_data.a.id"]}}), {}),
    ("variables and locals", td(a={"input": "${var.env}-${local.suffix}"}, _extra={
        "variable": {"env": {"type": "string", "default": "dev"}}, "locals": {"suffix": "x"}}),
     td(a={"input": "${var.env}-${local.suffix}"}, _extra={
         "variable": {"env": {"type": "string", "default": "prod"}}, "locals": {"suffix": "x"}}), {}),
    ("sensitive variable", td(a={"input": {"password": "${var.pw}", "user": "u"}}, _extra={
        "variable": {"pw": {"type": "string", "sensitive": True, "default": "old"}}}),
     td(a={"input": {"password": "${var.pw}", "user": "u"}}, _extra={
         "variable": {"pw": {"type": "string", "sensitive": True, "default": "new"}}}), {}),
    ("variable becomes sensitive", td(a={"input": "${var.pw}"}, _extra={"variable": {"pw": {"default": "s"}}}),
     td(a={"input": "${var.pw}"}, _extra={"variable": {"pw": {"default": "s", "sensitive": True}}}), {}),
    ("outputs", td(a={"input": "x"}, _extra={"output": {"keep": {"value": "k"}, "gone": {"value": 1}, "chg": {"value": "${terraform_data.a.output}"}}}),
     td(a={"input": "y"}, _extra={"output": {"keep": {"value": "k"}, "new": {"value": [1, {"a": None}]},
                                             "chg": {"value": "${terraform_data.a.output}"},
                                             "secret": {"value": "${var.s}", "sensitive": True}},
                                  "variable": {"s": {"default": "hush", "sensitive": True}}}), {}),
    ("local module", td(a={"input": 1}), {
        "module": {"m": {"source": "./mod", "name": "x"}},
        "output": {"o": {"value": "${module.m.out}"}}}, {"module": True}),
    ("destroy", td(a={"input": 1}, b={"input": "${terraform_data.a.output}"}, _extra={"output": {"o": {"value": 1}}}),
     td(a={"input": 1}, b={"input": "${terraform_data.a.output}"}, _extra={"output": {"o": {"value": 1}}}), {"destroy": True}),
    ("replace by request", td(a={"input": 1}, b={"input": 2}), td(a={"input": 1}, b={"input": 2}),
     {"replace": ["terraform_data.a"]}),
    ("removed forget", td(a={"input": 1}, b={"input": 2}),
     td(a={"input": 1}, _extra={"removed": [{"from": "terraform_data.b", "lifecycle": {"destroy": False}}]}), {}),
    ("comment keys", td(a={"input": {"x": 1}}), td(a={"//": "source: envs/dev.py:3", "input": {"x": 1}}), {}),
    ("comment key inside a value is a value", td(a={"input": {"x": 1}}), td(a={"input": {"//": "kept", "x": 1}}), {}),
    ("import", td(a={"input": 1}), td(a={"input": 1}, b={"input": "x"}, _extra={"import": [{"to": "terraform_data.b", "id": "abc"}]}), {}),
    ("module with for_each", {"module": {"m": {"source": "./mod", "for_each": {"a": "x", "b": "y"}, "name": "${each.value}"}}},
     {"module": {"m": {"source": "./mod", "for_each": {"b": "z", "c": "w"}, "name": "${each.value}"}},
      "output": {"o": {"value": "${module.m[\"b\"].out}"}}}, {"module": True}),
    ("module with count", {"module": {"m": {"source": "./mod", "count": 2, "name": "n${count.index}"}}},
     {"module": {"m": {"source": "./mod", "count": 1, "name": "n${count.index}"}}}, {"module": True}),
    ("module removed", {"module": {"m": {"source": "./mod", "name": "x"}}}, td(a={"input": 1}), {"module": True}),
    ("moved module", {"module": {"m": {"source": "./mod", "name": "x"}}},
     {"module": {"n": {"source": "./mod", "name": "x"}}, "moved": [{"from": "module.m", "to": "module.n"}]}, {"module": True}),
]


@pytest.mark.parametrize(("before", "after", "options"), [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS])
def test_iac_plans_what_terraform_plans(oracle: TerraformOracle, before: dict[str, Any], after: dict[str, Any],
                                        options: dict[str, Any]) -> None:
    if options.get("module"):
        (oracle.dir / "mod").mkdir(parents=True, exist_ok=True)
        (oracle.dir / "mod" / "main.tf.json").write_text(
            '{"variable": {"name": {"type": "string"}}, "resource": {"terraform_data": {"inner": {"input": "${var.name}"}}},'
            ' "output": {"out": {"value": "${terraform_data.inner.output}"}}}')
    oracle.apply(before)
    kwargs = {k: v for k, v in options.items() if k in ("destroy", "replace")}
    expected = oracle.plan(after, **kwargs)
    actual = oracle.iac_plan(after, **kwargs)
    assert comparable(actual) == comparable(expected)


def test_tainted_instance_is_replaced_like_terraform(oracle: TerraformOracle) -> None:
    config = td(a={"input": 1}, b={"input": "${terraform_data.a.id}"})
    oracle.apply(config)
    oracle._run("taint", ["terraform_data.a"], {})
    assert comparable(oracle.iac_plan(config)) == comparable(oracle.plan(config))


def test_prevent_destroy_fails_in_both(oracle: TerraformOracle) -> None:
    from iac.diagnostics import PlanError

    guarded = td(a={"input": 1, "triggers_replace": 1, "lifecycle": {"prevent_destroy": True}})
    oracle.apply(guarded)
    changed = td(a={"input": 1, "triggers_replace": 2, "lifecycle": {"prevent_destroy": True}})
    with pytest.raises(TerraformFailed, match="cannot be destroyed"):
        oracle.plan(changed)
    with pytest.raises(PlanError, match="terraform_data.a.*cannot be destroyed"):
        oracle.iac_plan(changed)
    with pytest.raises(PlanError, match="cannot be destroyed"):
        oracle.iac_plan(guarded, destroy=True)

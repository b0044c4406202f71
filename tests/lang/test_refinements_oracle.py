"""What Terraform knows about a value it does not know yet (cty's refinements), against real Terraform.

An unknown can still be known not to be null (`terraform_data`'s new `id`, a template's result, most
functions' results), so `x.id != null` is a known true and a `count` built on it is planned, not refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lang.configs import plan_both

pytestmark = pytest.mark.oracle

RESOURCES = ('resource "terraform_data" "a" {\n  input = "x"\n}\n'
             'resource "terraform_data" "n" {\n  input = null\n}\n')

CASES = {
    "a new id is not null": 'output "o" { value = terraform_data.a.id != null }\n'
                            'output "p" { value = terraform_data.a.id == null ? "null" : "set" }\n',
    "an unknown output may be null": 'output "o" { value = terraform_data.a.output == null }\n',
    "a null input's output is null": 'output "o" { value = terraform_data.n.output == null }\n',
    "a count from the id's null check": 'resource "terraform_data" "b" {\n'
                                        '  count = terraform_data.a.id == null ? 0 : 1\n}\n',
    "a function of the id": 'output "o" { value = upper(terraform_data.a.id) != null }\n'
                            'output "p" { value = coalesce(terraform_data.a.id, "x") }\n',
    "the id through a local and a module": 'locals {\n  id = terraform_data.a.id\n}\n'
                                           'module "m" {\n  source = "./m"\n  id = local.id\n}\n'
                                           'output "o" { value = module.m.set }\n',
}

CHILD = 'variable "id" {}\noutput "set" { value = var.id != null }\n'


@pytest.mark.parametrize("name", sorted(CASES))
def test_refined_as_terraform_refines(tmp_path: Path, name: str) -> None:
    expected, actual = plan_both(tmp_path, {"main.tf": RESOURCES + CASES[name], "m/main.tf": CHILD})
    assert actual == expected


def test_the_id_of_a_replacement_is_not_null(tmp_path: Path) -> None:
    before = {"main.tf": 'resource "terraform_data" "a" {\n  triggers_replace = 1\n}\n'}
    after = {"main.tf": 'resource "terraform_data" "a" {\n  triggers_replace = 2\n}\n'
                        'output "o" { value = terraform_data.a.id != null }\n'}
    expected, actual = plan_both(tmp_path, after, before=before)
    assert expected["outputs"]["o"] == (True, "bool")  # what the case is about
    assert actual == expected


# A template's known beginning: what `startswith` and `==` answer from. Each string is tried against every
# prefix of itself (code point by code point): Terraform's answers show where its known prefix ends.
PREFIXED = ["ab-", "ab", "a1", "arn:aws:s3:::", "pre-é", "pre-e\u0301", "x/가", "x/각", "tag=😀", "(a)", "q\r\n",
            "ǅ-", "<=", "a" * 130, "é" * 70, "a" + "é" * 70, "ab-é", "x-²", "\u212b-", "a\u0301-", "한국-", "x-\u0301"]


def _startswith_outputs(text: str) -> str:
    literal = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n")
    lines = [f'output "s{i}" {{ value = startswith("{literal}${{terraform_data.a.id}}", "{literal[:i]}") }}\n'
             for i in range(1, len(literal) + 1) if not literal[:i].endswith("\\")]
    return "".join(lines)


@pytest.mark.parametrize("text", PREFIXED)
def test_a_templates_known_prefix_as_terraform_keeps_it(tmp_path: Path, text: str) -> None:
    expected, actual = plan_both(tmp_path, {"main.tf": RESOURCES + _startswith_outputs(text)})
    assert actual == expected


PREFIX_ANSWERS = {
    "a longer prefix that differs": 'startswith("ab-${terraform_data.a.id}", "abc")',
    "equal to another string": '"ab-${terraform_data.a.id}" == "zz"',
    "not equal to another string": '"ab-${terraform_data.a.id}" != "zz"',
    "equal, the other way round": '"zz" == "ab-${terraform_data.a.id}"',
    "equal to a string with the prefix": '"ab-${terraform_data.a.id}" == "ab-q"',
    "a prefix from an interpolated literal": 'startswith("${"ab-"}${terraform_data.a.id}", "ab")',
    "a prefix from an if directive": 'startswith("%{ if true }ab-%{ endif }${terraform_data.a.id}", "ab")',
    "an if directive on an unknown": 'startswith("%{ if terraform_data.a.id == "" }ab-%{ endif }x", "ab")',
    "text before an unknown if": 'startswith("ab-%{ if terraform_data.a.id == "" }q%{ endif }x", "ab")',
    "a for directive": 'startswith("%{ for x in ["a", "b"] }${x}-%{ endfor }${terraform_data.a.id}", "a-b")',
    "through a local": 'startswith(local.prefixed, "ab")',
    "through terraform_data's input": 'startswith(terraform_data.p.input, "ab")',
    "not through terraform_data's output": 'startswith(terraform_data.p.output, "ab")',
    "lost by a function": 'startswith(lower("AB-${terraform_data.a.id}"), "ab")',
    "the empty prefix": 'startswith(terraform_data.a.id, "")',
}

PREFIXED_VALUES = ('locals {\n  prefixed = "ab-${terraform_data.a.id}"\n}\n'
                   'resource "terraform_data" "p" {\n  input = "ab-${terraform_data.a.id}"\n}\n')


@pytest.mark.parametrize("name", sorted(PREFIX_ANSWERS))
def test_answered_from_the_known_prefix_as_terraform_answers(tmp_path: Path, name: str) -> None:
    files = {"main.tf": RESOURCES + PREFIXED_VALUES + f'output "o" {{ value = {PREFIX_ANSWERS[name]} }}\n'}
    expected, actual = plan_both(tmp_path, files)
    assert actual == expected

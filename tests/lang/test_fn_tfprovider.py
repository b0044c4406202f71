"""The built-in provider's functions (`provider::terraform::encode_tfvars`, `decode_tfvars`, `encode_expr`)
against Terraform, in one batched plan of a module that declares terraform.io/builtin/terraform: value, type,
unknown and sensitive masks, and each refusal in Terraform's words. Then the declaration rules, on whole
configurations."""

from __future__ import annotations

from pathlib import Path

from iac.lang import cty
from iac.lang.functions._hclwrite import value_text
from tests.lang.configs import both_refuse, plan_both
from tests.lang.expr_oracle import compare

ENCODE_EXPR = [
    # Terraform's documented examples
    '{a = 1, b = ["x", null]}',
    '"hello"', "true", "1.5", "-3", '["a", "b"]',
    # strings: escapes, unicode, template sequences kept literal, non-printable characters
    r'"a\nb\r\tc\"d\\e"', '"é😀 ok"', r'"\u00a0\u200b\u2028\ufeff\u0001\u007f"', r'"\U000e0001\U0010ffff\ue000"',
    '"$${x} %%{y} $$ %% $ % ${"$"}{z}"', '""', '"$"', r'"\u0085"',
    # numbers as Terraform prints them
    "123456789012345678901234567890", "1e40", "0.1", "1/3", "-0.5e-30", 'tonumber("1e400")', 'tonumber("-1.50")',
    "1/0", "-1/0", "0",
    # collections, nulls and order
    'tolist(["b", "a"])', 'toset(["b", "a"])', "toset([3, 1, 20])", "toset([true, false])",
    "tomap({b = 1, a = 2})", '{"Z" = 1, "a" = 2, "B" = 3, "é" = 4, "ab" = 5}', "{}", "[]", "{a = null}",
    "[null, [null]]", "{a = [], b = {}}", "[{a = 1}, {a = 2}]", "[{a = 1, bb = [{c = 1}, {}]}, []]",
    '{a = {b = {c = 1}}, long_name = [1, {x = "y"}], z = {}}', '["a", {b = [[1, 2], {c = [{}]}]}]',
    "{a = [{b = {c = 1}}]}", "tomap({a = [1], b = [2, 3]})", "[tolist([]), toset([]), tomap({})]",
    # keys: identifiers bare, the rest quoted; alignment counted in grapheme clusters
    '{"a b" = 1, "1x" = 2, "_y" = 3, "z-z" = 4}', '{"é" = 1, abcd = 2}', '{"é" = {x = 1}, abcd = 2, "ü" = 3}',
    '{"e\u0301x" = 1, abcdefgh = 2}', r'{"a\u00a0" = 1, abcdefgh = 2, "😀😀" = 3}',
    '{"for" = 1, "null" = 3, "true" = 4, "a.b" = 5, "a::b" = 6, "" = 7}', '{"${"$"}{x}" = 1, "a\\nb" = 2}',
    # unknown and sensitive
    "uuid()", "[uuid()]", "{a = uuid()}", 'sensitive("x")', '{a = sensitive("x")}', "sensitive(uuid())",
    '[sensitive(1), uuid()]',
    # refused
    "null", "tostring(null)",
]

ENCODE_TFVARS = [
    '{a = 1, b = "x", c = [1, 2], d = {e = true}}',
    '{a = null, "b-c" = 1, "_x" = 2, "é" = 3, "x1" = {}}', "{a = {b = [{c = 1}]}, bbb = 2, c = [1, {d = 1}], dd = 1}",
    '{"for" = 1, "in" = 2, "null" = 3, "true" = 4}', "{}", "tomap({})", "tomap({a = 1})",
    '{long_name = "x", s = "$${y}", n = 1e-5, l = tolist([]), m = tomap({"k k" = 1})}',
    "{a = sensitive(1)}", "sensitive({a = 1})", "{a = uuid()}", "uuid()", "{a = sensitive(uuid())}",
    '{"a b" = uuid()}', "jsondecode(uuid())",
    # refused
    "null", '"x"', 'sensitive("x")', "[1]", '{"a b" = 1}', '{"1a" = 1}', '{"" = 1}', 'tomap({"a.b" = 1})',
]

DECODE_TFVARS = [
    r'"a = 1\nb = \"x\"\n"', '""', r'"a-b = 1\nfor = 2\n_c = 3"', '"a = 1e400"',
    r'"a = 0.1\nb = 123456789012345678901234567890"', r'"a = null\nb = [1, \"x\"]\nc = {d = 1, \"e f\" = [true]}"',
    r'"a = 1 + 2\nb = \"$${1 + 1}x\"\nc = [for x in [1, 2] : x * 2]\nd = true ? 1 : 2\ne = <<EOT\nhi $${\"x\"}\nEOT\n'
    r'f = {for k in [\"a\"] : k => 1}\ng = [1, 2][0]\nh = [{a=1}][*].a\n"',
    r'"a = 1\n\n  # comment\nb = 2 // c\n/* x */"', '"a = {b = 1, b = 2}"', r'"a = {(\"b\") = 1}"',
    r'"a = \"\\u00e9 😀\"\nb = \"\\\\\""',
    'provider::terraform::encode_tfvars({a = {b = [1, "x", null]}, c = toset(["q"])})',
    "uuid()", 'sensitive("a = 1")', "null",
    # refused: references, calls, syntax, blocks, redefinition
    '"a = b"', r'"a = upper(\"x\")"', r'"a = x.y\nb = 1"', r'"a = 1\nb = \"$${x}\""', r'"a = [\n  1,\n  foo(),\n]"',
    '"a = provider::x::y(1)"', r'"a = sensitive(1)"', r'"a = \"x\" + 1"', '"a = "', '"a {}"', r'"a = 1\na = 2"',
    '"a = 1 b = 2"', r'"\"a\" = 1"', r'"a = 1\n}"', r'"a = \"\n"', r'"a = \"\\q\""', '"a = 1 / 0"',
]


def test_encode_expr_matches_terraform() -> None:
    assert not compare([f"provider::terraform::encode_expr({e})" for e in ENCODE_EXPR], builtin=True, messages=True)


def test_encode_tfvars_matches_terraform() -> None:
    assert not compare([f"provider::terraform::encode_tfvars({e})" for e in ENCODE_TFVARS], builtin=True,
                       messages=True)


def test_decode_tfvars_matches_terraform() -> None:
    assert not compare([f"provider::terraform::decode_tfvars({e})" for e in DECODE_TFVARS], builtin=True,
                       messages=True)


def test_calls_terraform_refuses_match_its_words() -> None:
    calls = ["provider::terraform::nope(1)", "provider::aws::foo(1)", "provider::terraform::encode_expr()",
             "provider::terraform::encode_expr(1, 2)", "provider::terraform::decode_tfvars(1)"]
    assert not compare(calls, builtin=True, messages=True)


def test_the_documented_examples() -> None:
    value = cty.object_value({"a": cty.number(1), "b": cty.tuple_value([cty.string("x"), cty.null(cty.DYNAMIC)])})
    assert value_text(value) == '{\n  a = 1\n  b = ["x", null]\n}'


# -- where the functions exist: the module must declare the provider ---------------------------------

_DECLARED = '''terraform {
  required_providers {
    %s = { source = "terraform.io/builtin/terraform" }
  }
}
'''


def test_any_local_name_of_the_builtin_provider_calls_its_functions(tmp_path: Path) -> None:
    main = _DECLARED % "tf" + '''
locals { vars = provider::tf::decode_tfvars(provider::tf::encode_tfvars({a = 1, b = [true]})) }
output "expr" { value = provider::tf::encode_expr(local.vars) }
output "vars" { value = local.vars }
'''
    expected, actual = plan_both(tmp_path, {"main.tf": main})
    assert expected == actual


def test_a_child_module_calls_them_when_it_declares_the_provider(tmp_path: Path) -> None:
    files = {"main.tf": 'module "m" {\n  source = "./m"\n}\noutput "x" { value = module.m.x }\n',
             "m/main.tf": _DECLARED % "terraform" + 'output "x" { value = provider::terraform::encode_expr([1]) }\n'}
    expected, actual = plan_both(tmp_path, files)
    assert expected == actual


def test_undeclared_provider_functions_are_refused_as_terraform_refuses_them(tmp_path: Path) -> None:
    message = both_refuse(tmp_path / "a", {"main.tf": 'output "a" { value = provider::terraform::encode_expr(1) }\n'})
    assert message.endswith('Unknown provider function: There is no function named "provider::terraform::encode_expr".'
                            ' Ensure that provider name "terraform" is declared in this module\'s required_providers '
                            'block, and that this provider offers a function named "encode_expr".'), message
    assert "main.tf:1:" in message


def test_a_root_declaration_does_not_reach_a_child_module(tmp_path: Path) -> None:
    files = {"main.tf": _DECLARED % "terraform" + 'module "m" {\n  source = "./m"\n}\n',
             "m/main.tf": 'output "x" { value = provider::terraform::encode_expr(1) }\n'}
    message = both_refuse(tmp_path, files)
    assert "m/main.tf:1:" in message and "Unknown provider function" in message, message


def test_an_unknown_function_of_the_builtin_provider_is_refused(tmp_path: Path) -> None:
    main = _DECLARED % "terraform" + 'output "a" { value = provider::terraform::encode_yaml(1) }\n'
    message = both_refuse(tmp_path, {"main.tf": main})
    assert message.endswith('Unknown provider function: The function "encode_yaml" is not available from the '
                            'provider "terraform".'), message

"""Operators, conditionals, for expressions, splats, templates, indexing: iac against Terraform, case by case
(unknowns come from `uuid()`, sensitivity from `sensitive()`)."""

from __future__ import annotations

import pytest

from tests.lang.expr_oracle import compare

ARITHMETIC = [
    "1 + 2", "1 - 2.5", "2 * 3.5", "7 / 2", "1 / 3", "-7 % 3", "7 % -3", "5.5 % 2", "0.1 + 0.2", "1e3 * 1e3",
    "\"5\" + 1", "\"1.5\" * 2", "true + 1", "null + 1", "\"x\" + 1", "-(-3)", "-\"2\"", "1 / 0", "1 % 0",
    "100000000000000000000 * 100000000000000000000", "2 - 3 * 4 + 10 / 5", "(2 - 3) * 4", "10 % 3 * 2",
    "length(uuid()) + 1", "sensitive(1) + 1", "1.5e-10 * 2", "5 % 0", "-3 % 0", "2.5 % 0", "0 % 5", "-0.5 * 2",
]
COMPARISON = [
    "1 < 2", "2 <= 2", "3 > 4", "\"10\" > 9", "1 == 1.0", "1 == \"1\"", "\"a\" == \"a\"", "null == null",
    "[1, 2] == [1, 2]", "tolist([1]) == [1]", "{a = 1} == {a = 1}", "{a = 1} != {a = 2}", "uuid() == uuid()",
    "uuid() == null", "[] == []", "true != false", "sensitive(1) == 1", "tomap({a = 1}) == {a = 1}",
    "tolist([\"a\"]) == tolist([\"a\"])", "toset([1, 2]) == toset([2, 1])", "1 < \"x\"",
]
LOGICAL = [
    "true && false", "true || false", "!true", "!\"true\"", "false && uuid() == \"\"", "true || uuid() == \"\"",
    "true && uuid() == \"\"", "false || uuid() == \"\"", "null && true", "\"false\" || false", "!null",
    "true && sensitive(false)", "1 == 1 && 2 == 2 || false", "false && tonumber(\"x\") == 1",
    "tonumber(\"x\") == 1 && false", "true || tobool(\"x\")", "true && tobool(\"x\")", "null || true", "null || false",
    "uuid() == \"\" && tobool(\"x\")", "1 && true", "true && \"yes\"",
]
CONDITIONAL = [
    "true ? 1 : 2", "false ? 1 : \"a\"", "true ? 1 : \"a\"", "true ? [1] : [\"a\"]", "true ? {a = 1} : {b = 2}",
    "false ? {a = 1} : {a = \"x\"}", "true ? null : 1", "false ? null : [1]", "uuid() == \"\" ? 1 : 2",
    "null ? 1 : 2", "\"true\" ? 1 : 2", "1 ? 1 : 2", "true ? [1, 2] : [3]", "true ? tolist([1]) : [\"a\", \"b\"]",
    "true ? 1 : tonumber(\"x\")", "false ? 1 : tonumber(\"x\")", "sensitive(true) ? 1 : 2",
    "true ? {a = 1} : tomap({b = \"x\"})", "true ? [] : [1]", "true ? toset([\"a\"]) : tolist([\"b\"])",
]
FOR = [
    "[for x in [1, 2, 3] : x * 2]", "[for i, x in [\"a\", \"b\"] : \"${i}${x}\"]", "{for k, v in {a = 1, b = 2} : v => k}",
    "[for x in [1, 2, 3] : x if x > 1]", "{for x in [\"a\", \"b\", \"a\"] : x => 1...}", "{for x in [\"a\", \"a\"] : x => 1}",
    "[for k, v in {b = 1, a = 2} : k]", "[for x in toset([\"b\", \"a\", \"b\"]) : x]", "[for k, x in toset([\"b\"]) : k]",
    "{for x in [1, 2] : x => x}", "[for x in null : x]", "[for x in 1 : x]", "[for x in uuid() : x]",
    "[for x in split(\",\", uuid()) : x]", "[for x in [1, uuid()] : x]", "[for x in [1, 2] : x if uuid() == \"\"]",
    "{for x in [uuid()] : x => 1}", "{for x in [null] : x => 1}", "[for x in sensitive([1, 2]) : x]",
    "[for x in [sensitive(1), 2] : x]", "{for k, v in {a = [1, 2]} : k => [for i in v : i + 1]}",
    "[for x in [1, 2] : x if x]", "[for x in [1, 2] : x if null]", "{for k, v in tomap({a = 1}) : upper(k) => v}",
    "[for x in {a = 1, b = \"x\"} : x]",
]
SPLAT = [
    "[{a = 1}, {a = 2}][*].a", "tolist([{a = 1}, {a = 2}])[*].a", "null[*]", "{a = 1}[*].a", "\"x\"[*]",
    "[[1, 2], [3]][*][0]", "[{a = {b = 1}}][*].a.b", "toset([{a = 1}])[*].a", "[{a = 1}, {a = 2}].*.a",
    "[{a = [1, 2]}].*.a[0]", "[{a = [1, 2]}][*].a[0]", "split(\",\", uuid())[*]", "[{a = 1}][*].b",
    "tolist([])[*].a", "[][*].a", "sensitive([{a = 1}])[*].a",
]
TEMPLATE = [
    "\"a${1}b\"", "\"${true}\"", "\"${1.50}\"", "\"${null}\"", "\"${[1]}\"", "\"x${uuid()}\"", "\"${sensitive(\"s\")}x\"",
    "\"%{if true}yes%{else}no%{endif}\"", "\"%{for x in [1, 2]}${x},%{endfor}\"", "\"%{if uuid() == \"\"}a%{endif}\"",
    "\"%{for k, v in {a = 1}}${k}=${v}%{endfor}\"", "\"a\\n ${\"b\"} \\t\"", "\"%{if null}a%{endif}\"",
    "\"${1 + 2}\"", "\"a ${~ \"b\" ~} c\"", "\"%{ for x in [1, 2] ~}\n${x}\n%{ endfor ~}\"",
    "\"%{for x in uuid()}a%{endfor}\"", "\"$${x} %%{y}\"",
]
INDEX = [
    "[1, 2][0]", "[1, 2][\"1\"]", "[1, 2][2]", "[1, 2][-1]", "[1, 2][1.5]", "{a = 1}[\"a\"]", "{a = 1}.a", "{a = 1}.b",
    "tomap({a = 1})[\"b\"]", "tomap({a = 1}).a", "toset([1])[0]", "null[0]", "[1][null]", "\"s\"[0]", "[1, 2][uuid()]",
    "{a = 1}[uuid()]", "tomap({a = \"x\"})[uuid()]", "split(\",\", uuid())[0]", "[[1, 2]][0][1]", "{a = [1]}.a[0]",
    "sensitive([1, 2])[0]", "[sensitive(1), 2][1]", "{a = 1}[true]", "[1, 2].0", "tolist([\"a\"])[0]",
]
COLLECTIONS = [
    "[]", "{}", "[1, \"a\", true, null]", "{a = 1, \"b c\" = 2}", "{(\"x\") = 1}", "{1 = \"a\"}", "{true = 1}",
    "{a = 1, a = 2}", "{null = 1}", "{(uuid()) = 1}", "[sensitive(1)]", "{a = sensitive(\"x\"), b = 1}",
    "[[], {}]", "{a = {b = {c = [1]}}}",
]


@pytest.mark.oracle
@pytest.mark.parametrize("family", ["ARITHMETIC", "COMPARISON", "LOGICAL", "CONDITIONAL", "FOR", "SPLAT", "TEMPLATE",
                                    "INDEX", "COLLECTIONS"])
def test_expressions_evaluate_as_terraform_evaluates_them(family: str) -> None:
    assert compare(globals()[family]) == []

REFINEMENTS = [  # Terraform refines most unknown results as "not null": `x == null` is then a known false
    "uuid() == null", "upper(uuid()) == null", "tonumber(length(uuid())) == null", "(uuid() == \"\") == null",
    "length(uuid()) + 1 == null", "[for x in split(\",\", uuid()) : x] == null", "(uuid() == \"\" ? \"a\" : \"b\") == null",
    "(uuid() == \"\" ? \"a\" : null) == null", "jsondecode(uuid()) == null", "try(uuid(), \"x\") == null",
    "\"${uuid()}x\" == null", "uuid() != null", "tolist([uuid()])[0] == null", "one(split(\",\", uuid())) == null",
    "element(split(\",\", uuid()), 0) == null", "lookup(tomap({a = uuid()}), uuid()) == null",
    "timeadd(uuid(), \"1h\") == null", "issensitive(uuid()) == null", "yamlencode(uuid()) == null",
    "merge({a = uuid()}, {}) == null", "!(uuid() == \"\") == null", "coalesce(uuid(), \"x\") == null",
]


@pytest.mark.oracle
def test_unknown_results_are_refined_as_terraforms() -> None:
    assert compare(REFINEMENTS) == []

CONVERT = [  # Terraform 1.15's convert(value, TYPE) and the core:: namespace of every built-in
    "convert([1, 2], list(string))", "convert({a = 1}, map(number))", "convert(\"x\", number)", "core::upper(\"a\")",
    "convert([], set(string))", "convert(null, string)", "convert({a = 1}, object({a = string, b = optional(number, 3)}))",
    "convert(uuid(), list(string))", "core::try(1, 2)", "convert(1, any)", "convert([1, \"a\"], list(any))",
    "convert(sensitive(1), string)", "convert({a = 1}, object({b = string}))", "core::length([1])",
]


@pytest.mark.oracle
def test_convert_and_the_core_namespace_are_terraforms() -> None:
    assert compare(CONVERT) == []

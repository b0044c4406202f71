"""The HCL parser construct by construct: source -> expected tree (positions checked in their own tests).

Trees are compared with every `pos` replaced by one placeholder, so expectations stay readable; the
helpers below build expected nodes with that placeholder.
"""

from __future__ import annotations

import pickle
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from iac.lang import ast
from iac.lang.hcl import HclSyntaxError, parse_config, parse_expression, parse_template, parse_traversal

P = ast.Pos("", 0, 0)


def strip(node: Any) -> Any:
    """The tree with every position replaced by P."""
    if isinstance(node, tuple):
        return tuple(strip(item) for item in node)
    if isinstance(node, ast.Pos):
        return P
    if isinstance(node, msgspec.Struct):
        return type(node)(**{name: strip(getattr(node, name)) for name in node.__struct_fields__})
    return node


def lit(value: Any) -> ast.Literal:
    return ast.Literal(value, P)


def ref(root: str, *steps: Any) -> ast.ScopeTraversal:
    return ast.ScopeTraversal(root, tuple(steps), P)


def get(name: str) -> ast.GetAttr:
    return ast.GetAttr(name)


def key(value: Any) -> ast.IndexKey:
    return ast.IndexKey(value)


def rel(source: Any, *steps: Any) -> ast.RelativeTraversal:
    return ast.RelativeTraversal(source, tuple(steps), P)


def op(symbol: str, left: Any, right: Any) -> ast.BinaryOp:
    return ast.BinaryOp(symbol, left, right, P)


def neg(operand: Any) -> ast.UnaryOp:
    return ast.UnaryOp("-", operand, P)


def call(name: str, *args: Any, expand: bool = False, namespace: str = "") -> ast.FunctionCall:
    return ast.FunctionCall(name, tuple(args), expand, P, namespace)


def tup(*items: Any) -> ast.TupleCons:
    return ast.TupleCons(tuple(items), P)


def obj(*items: tuple[Any, Any]) -> ast.ObjectCons:
    """Items as (key, value); a str key is a bare name (`{name = ...}`)."""
    return ast.ObjectCons(tuple(ast.ObjectItem(lit(k), v, True) if isinstance(k, str) else ast.ObjectItem(k, v, False)
                                for k, v in items), P)


def tpl(*parts: Any) -> ast.Template:
    return ast.Template(tuple(parts), P)


def wrap(expr: Any) -> ast.TemplateWrap:
    return ast.TemplateWrap(expr, P)


ANON = ast.Anon(P)


def splat(source: Any, each: Any = ANON) -> ast.Splat:
    return ast.Splat(source, each, P)


def expr(source: str) -> Any:
    return strip(parse_expression(source, "t.tf"))


def error(source: str, parse: Any = parse_expression) -> HclSyntaxError:
    with pytest.raises(HclSyntaxError) as caught:
        parse(source, "t.tf")
    return caught.value


# -- literals --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "value"), [
    ("1", 1), ("007", 7), ("1.50", Decimal("1.50")), ("1e3", Decimal("1E+3")), ("1.5e-3", Decimal("1.5e-3")),
    ("1.e5", Decimal("1E+5")), ("99999999999999999999999", 99999999999999999999999), ("true", True),
    ("false", False), ("null", None), ('"abc"', "abc"), ('""', ""), ("0e99999999999", Decimal("0e99999999999")),
])
def test_literals(source: str, value: Any) -> None:
    tree = expr(source)
    assert tree == lit(value)
    assert type(tree.value) is type(value)


def test_numbers_keep_what_was_written() -> None:
    assert str(parse_expression("1.50", "t").value) == "1.50"  # type: ignore[union-attr]
    assert str(parse_expression("1e3", "t").value) == "1E+3"  # type: ignore[union-attr]


@pytest.mark.parametrize("source", ["1.2.3", "1..2", "1e3e4", "1e99999999999"])
def test_invalid_numbers(source: str) -> None:
    assert error(source).summary == "Invalid number literal"


def test_minus_is_a_unary_operator_as_in_hcl() -> None:
    assert expr("-1") == neg(lit(1))
    assert expr("- - 1") == neg(neg(lit(1)))
    assert expr("-1 + 2") == op("+", neg(lit(1)), lit(2))
    assert expr("-a.b[0]") == neg(ref("a", get("b"), key(0)))
    assert expr("!a == b") == op("==", ast.UnaryOp("!", ref("a"), P), ref("b"))


# -- operators ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "tree"), [
    ("a || b && c", op("||", ref("a"), op("&&", ref("b"), ref("c")))),
    ("a && b || c", op("||", op("&&", ref("a"), ref("b")), ref("c"))),
    ("a == b && c != d", op("&&", op("==", ref("a"), ref("b")), op("!=", ref("c"), ref("d")))),
    ("a < b == c >= d", op("==", op("<", ref("a"), ref("b")), op(">=", ref("c"), ref("d")))),
    ("a + b < c", op("<", op("+", ref("a"), ref("b")), ref("c"))),
    ("a + b * c - d", op("-", op("+", ref("a"), op("*", ref("b"), ref("c"))), ref("d"))),
    ("a / b % c * d", op("*", op("%", op("/", ref("a"), ref("b")), ref("c")), ref("d"))),
    ("a - b - c", op("-", op("-", ref("a"), ref("b")), ref("c"))),
    ("a == b == c", op("==", op("==", ref("a"), ref("b")), ref("c"))),
    ("a <= b", op("<=", ref("a"), ref("b"))), ("a > b", op(">", ref("a"), ref("b"))),
    ("(a + b) * c", op("*", ast.Parens(op("+", ref("a"), ref("b")), P), ref("c"))),
    ("a-b", ref("a-b")), ("a - b", op("-", ref("a"), ref("b"))), ("a -b", op("-", ref("a"), ref("b"))),
    ("1 - -1", op("-", lit(1), neg(lit(1)))),
])
def test_operators_and_precedence(source: str, tree: Any) -> None:
    assert expr(source) == tree


def test_conditionals() -> None:
    assert expr("a ? b : c") == ast.Conditional(ref("a"), ref("b"), ref("c"), P)
    assert expr("a ? b : c ? d : e") == ast.Conditional(ref("a"), ref("b"), ast.Conditional(
        ref("c"), ref("d"), ref("e"), P), P)
    assert expr("a ? b ? c : d : e") == ast.Conditional(ref("a"), ast.Conditional(
        ref("b"), ref("c"), ref("d"), P), ref("e"), P)
    assert expr("a || b ? 1 : 2") == ast.Conditional(op("||", ref("a"), ref("b")), lit(1), lit(2), P)
    assert error("a ? b").summary == "Missing false expression in conditional"


@pytest.mark.parametrize(("source", "summary"), [
    ("1 +", "Missing expression"), ("+1", "Invalid expression"), ("1 ** 2", "Invalid expression"),
    ("1 & 2", "Unsupported operator"), ("~1", "Unsupported operator"), ("a;", "Invalid character"),
    ("'a'", "Invalid character"), ("`a`", "Invalid character"), ("@a", "Invalid character"), ("1 2",
                                                                                                "Extra characters after expression"),
])
def test_rejected_expressions(source: str, summary: str) -> None:
    assert error(source).summary == summary


# -- collections -----------------------------------------------------------------------------------------

def test_tuples() -> None:
    assert expr("[]") == tup()
    assert expr("[1, 2,]") == tup(lit(1), lit(2))
    assert expr("[\n  1,\n  2\n]") == tup(lit(1), lit(2))
    assert error("[1 2]").summary == "Missing item separator"
    assert error("[1,,2]").summary == "Invalid expression"
    assert error("[1,").summary == "Missing expression"
    assert error("[1").summary == "Unterminated tuple constructor expression"


def test_objects() -> None:
    assert expr("{}") == obj()
    assert expr("{a = 1, b: 2}") == obj(("a", lit(1)), ("b", lit(2)))
    assert expr("{\n  a = 1\n  b = 2\n}") == obj(("a", lit(1)), ("b", lit(2)))
    assert expr('{"a" = 1}') == obj((lit("a"), lit(1)))
    assert expr("{(a) = 1}") == obj((ast.Parens(ref("a"), P), lit(1)))
    assert expr("{a.b = 1}") == obj((ref("a", get("b")), lit(1)))  # the evaluator refuses it ("Ambiguous ...")
    assert expr("{1 = 2}") == obj((lit(1), lit(2)))
    # keywords as keys: bare names, like any other identifier
    assert expr("{null = 1, true = 2, false = 3, if = 4, in = 5}") == obj(
        ("null", lit(1)), ("true", lit(2)), ("false", lit(3)), ("if", lit(4)), ("in", lit(5)))
    assert error("{a = 1 b = 2}").summary == "Missing attribute separator"
    assert error("{a}").summary == "Missing key/value separator"
    assert error("{a\n= 1}").summary == "Missing attribute value"
    assert error("{for = 1}").summary == "Invalid 'for' expression"


def test_for_expressions() -> None:
    assert expr("[for x in xs: x]") == ast.ForExpr(None, "x", ref("xs"), None, ref("x"), None, False, False, P)
    assert expr("[for i, x in xs: x if i > 0]") == ast.ForExpr(
        "i", "x", ref("xs"), None, ref("x"), op(">", ref("i"), lit(0)), False, False, P)
    assert expr("{for k, v in m: k => v...}") == ast.ForExpr("k", "v", ref("m"), ref("k"), ref("v"), None, True,
                                                              True, P)
    assert expr("{\n  for k, v in m :\n  upper(k) => v\n}") == ast.ForExpr(
        "k", "v", ref("m"), call("upper", ref("k")), ref("v"), None, False, True, P)
    assert error("[for x in xs: x => x]").summary == "Invalid 'for' expression"
    assert error("{for x in xs: x}").summary == "Invalid 'for' expression"
    assert error("[for x in xs: x...]").summary == "Invalid 'for' expression"


# -- calls ---------------------------------------------------------------------------------------------------

def test_function_calls() -> None:
    assert expr("f()") == call("f")
    assert expr("f(1, 2,)") == call("f", lit(1), lit(2))
    assert expr("f(a, b...)") == call("f", ref("a"), ref("b"), expand=True)
    assert expr("f(\n  1,\n  2\n)") == call("f", lit(1), lit(2))
    assert expr('provider::aws::arn_parse("x")') == call("arn_parse", lit("x"), namespace="provider::aws::")
    assert expr("core::abs(1)") == call("abs", lit(1), namespace="core::")
    assert error("f(a..., b)").summary == "Missing closing parenthesis"
    assert error("f(1 2)").summary == "Missing argument separator"
    assert error("a::b").summary == "Missing open parenthesis"
    assert error("a::(1)").summary == "Missing function name"


# -- traversals and splats ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "tree"), [
    ("a.b.c", ref("a", get("b"), get("c"))),
    ('a[0]["k"].b', ref("a", key(0), key("k"), get("b"))),
    ("a.0.b", ref("a", key(0), get("b"))),
    ("a[true][null][1.5]", ref("a", key(True), key(None), key(Decimal("1.5")))),
    ("a[b]", ast.Index(ref("a"), ref("b"), P)),
    ("a[b].c[0]", rel(ast.Index(ref("a"), ref("b"), P), get("c"), key(0))),
    ("a[-1]", ast.Index(ref("a"), neg(lit(1)), P)),
    ('a["${b}"]', ast.Index(ref("a"), wrap(ref("b")), P)),
    ("a[(0)]", ast.Index(ref("a"), ast.Parens(lit(0), P), P)),
    ("f(1).a[0]", rel(call("f", lit(1)), get("a"), key(0))),
    ("(a).b", rel(ast.Parens(ref("a"), P), get("b"))),
    ("[1][0]", rel(tup(lit(1)), key(0))),
    # full splat: every following step belongs to "each"
    ("a[*]", splat(ref("a"))),
    ("a.b[*].c[0]", splat(ref("a", get("b")), rel(ANON, get("c"), key(0)))),
    ("a[*].b[x]", splat(ref("a"), ast.Index(rel(ANON, get("b")), ref("x"), P))),
    ("a[*][*]", splat(ref("a"), splat(ANON))),
    # attribute-only splat: only attribute steps belong to "each"; an index applies to the result
    ("a.*", splat(ref("a"))),
    ("a.*.b.c", splat(ref("a"), rel(ANON, get("b"), get("c")))),
    ("a.*.b[0]", rel(splat(ref("a"), rel(ANON, get("b"))), key(0))),
    ("a.*.b.0", splat(ref("a"), rel(ANON, get("b"), key(0)))),
    ("a.*[0]", rel(splat(ref("a")), key(0))),
])
def test_traversals(source: str, tree: Any) -> None:
    assert expr(source) == tree


@pytest.mark.parametrize(("source", "summary"), [
    ("a.0.1", "Invalid legacy index syntax"), ("a.*.*", "Nested splat expression not allowed"),
    ("a.", "Invalid attribute name"), ('a."b"', "Invalid attribute name"), ("a[*", "Missing close bracket on splat index"),
    ("a[0", "Missing close bracket on index"), ("a[]", "Invalid expression"),
])
def test_rejected_traversals(source: str, summary: str) -> None:
    assert error(source).summary == summary


# -- templates ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "tree"), [
    ('"a${b}c"', tpl("a", ref("b"), "c")),
    ('"${a}"', wrap(ref("a"))),
    ('"${a}${b}"', tpl(ref("a"), ref("b"))),
    ('" ${~a}"', tpl(ref("a"))),  # the trimmed space leaves a template (a string), not a passthrough
    ('"${"${"x"}"}"', wrap(wrap(lit("x")))),
    ('"%{if a}x%{else}y%{endif}"', tpl(ast.TemplateIf(ref("a"), ("x",), ("y",), P))),
    ('"%{if a}x%{endif}"', tpl(ast.TemplateIf(ref("a"), ("x",), (), P))),
    ('"%{for k, v in m}${k}=${v},%{endfor}"', tpl(ast.TemplateFor("k", "v", ref("m"), (ref("k"), "=", ref("v"), ","),
                                                                    P))),
    ('"%{for x in xs}%{if x}${x}%{endif}%{endfor}"', tpl(ast.TemplateFor(None, "x", ref("xs"), (
        ast.TemplateIf(ref("x"), (ref("x"),), (), P),), P))),
    ('"\\n\\r\\t\\"\\\\\\u00e9\\U0001F600"', lit('\n\r\t"\\é😀')),
    ('"$${a} %%{b} $$${c}"', lit("${a} %{b} $${c}")),
    ('"a$b%c$"', lit("a$b%c$")),
    ('"${ {a = 1} }"', wrap(obj(("a", lit(1))))),
    ('"${\n  a\n}"', wrap(ref("a"))),
])
def test_quoted_templates(source: str, tree: Any) -> None:
    assert expr(source) == tree


@pytest.mark.parametrize(("source", "tree"), [
    ('"x ${~"a"~} y"', tpl("x", lit("a"), "y")),
    ('"x ${~"a"} y"', tpl("x", lit("a"), " y")),
    ('"a %{~ if c ~} b %{~ else ~} c %{~ endif ~} d"', tpl("a", ast.TemplateIf(ref("c"), ("b",), ("c",), P), "d")),
    ('"\\n ${~a~} \\n"', tpl(ref("a"))),
])
def test_strip_markers_trim_the_neighbouring_literal(source: str, tree: Any) -> None:
    assert expr(source) == tree


@pytest.mark.parametrize(("source", "summary"), [
    ('"a\\qb"', "Invalid escape sequence"), ('"\\u00e"', "Invalid escape sequence"),
    ('"\\uD800"', "Invalid escape sequence"), ('"\\$"', "Invalid escape sequence"),
    ('"%{if a}"', "Unexpected end of template"), ('"%{endif}"', "Unexpected endif directive"),
    ('"%{if a}%{else}%{else}%{endif}"', "Unexpected else directive"), ('"%{for x in y}%{endif}"',
                                                                         "Unexpected endif directive"),
    ('"%{iff a}"', "Invalid template control keyword"), ('"%{}"', "Invalid template directive"),
    ('"${a b}"', "Extra characters after interpolation expression"), ('"${a"', "Unclosed template interpolation sequence"),
    ('"abc', "Unterminated template string"), ('"a\nb"', "Invalid multi-line string"),
    ('"%{ else x }"', "Extra characters in else marker"),
])
def test_rejected_templates(source: str, summary: str) -> None:
    assert error(source).summary == summary


# -- heredocs ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "tree"), [
    ("<<EOT\nhello\nworld\nEOT\n", lit("hello\nworld\n")),
    ("<<EOT\nEOT\n", lit("")),
    ("<<EOT\n  indented\n  EOT\n", lit("  indented\n")),  # a plain heredoc keeps indentation
    ("<<-EOT\n    a\n      b\n    EOT\n", lit("a\n  b\n")),
    ("<<-EOT\n\ta\n\t\tb\n\tEOT\n", lit("a\n\tb\n")),
    ("<<-EOT\n    a\n      \n    b\n  EOT\n", lit("a\n      \nb\n")),  # a blank line is not counted, nor trimmed
    ("<<-EOT\n    a\n\n    b\nEOT\n", lit("a\n\nb\n")),
    ("<<-EOT\n    a ${x}\n      b\n  EOT\n", tpl("a ", ref("x"), "\n  b\n")),
    ("<<-EOT\n    a\n  ${x}\n    b\nEOT\n", tpl("  a\n", ref("x"), "\n  b\n")),
    ("<<EOT\n${x}\nEOT\n", tpl(ref("x"), "\n")),
    ("<<EOT\n\\n $${x}\nEOT\n", lit("\\n ${x}\n")),  # no backslash escapes in heredocs
    ("<<EOT\r\nx\r\nEOT\r\n", lit("x\r\n")),
    ("<<EOT\n  ${x ~}   \n   foo\nEOT\n", tpl("  ", ref("x"), "   foo\n")),  # "~}" trims only up to the newline
    ("<<EOT\nfoo\n   ${~x}\nEOT\n", tpl("foo\n", ref("x"), "\n")),
    ("<<EOT\n${<<EOX\ninner\nEOX\n}\nEOT\n", tpl(lit("inner\n"), "\n")),
])
def test_heredocs(source: str, tree: Any) -> None:
    assert expr(source) == tree


def test_unterminated_heredoc() -> None:
    assert error("<<EOT\nx\nEOT").summary == "Unterminated template string"  # the marker needs its newline
    assert error("<<EOT x\nEOT\n").summary == "Invalid expression"


# -- comments and newlines ------------------------------------------------------------------------------------

def test_comments_and_newlines() -> None:
    assert expr("[1, # c\n 2, // c\n /* c */ 3]") == tup(lit(1), lit(2), lit(3))
    assert expr("1 /* c */ + 2") == op("+", lit(1), lit(2))
    assert expr('"a # not a comment"') == lit("a # not a comment")
    body = strip(parse_config("locals {\n  a = 1 # c\n  b = 2 // c\n  /* c */ c = 3\n}\n", "t.tf"))
    assert [a.name for a in body.blocks[0].body.attributes] == ["a", "b", "c"]
    assert error("locals {\n  a = 1 /* multi\n line */ b = 2\n}\n", parse_config).summary == \
        "Missing newline after argument"


# -- bodies --------------------------------------------------------------------------------------------------

def test_configuration_structure() -> None:
    source = (
        '# leading comment\n'
        'resource "aws_instance" web {\n'
        '  ami = "ami-1"\n'
        '  tags = {\n    Name = "web"\n  }\n'
        '  lifecycle { create_before_destroy = true }\n'
        '  provisioner "local-exec" {\n    command = "echo"\n  }\n'
        '}\n'
        'locals {}\n'
    )
    body = strip(parse_config(source, "main.tf"))
    assert body == ast.Body((), (
        ast.Block("resource", ("aws_instance", "web"), ast.Body(
            (ast.Attribute("ami", lit("ami-1"), P), ast.Attribute("tags", obj(("Name", lit("web"))), P)),
            (ast.Block("lifecycle", (), ast.Body((ast.Attribute("create_before_destroy", lit(True), P),), (), P), P),
             ast.Block("provisioner", ("local-exec",), ast.Body((ast.Attribute("command", lit("echo"), P),), (), P),
                       P)), P), P),
        ast.Block("locals", (), ast.Body((), (), P), P)), P)


def test_configuration_details() -> None:
    assert strip(parse_config("", "t")) == ast.Body((), (), P)
    assert strip(parse_config('x "a\\u0041" {}', "t")).blocks[0].labels == ("aA",)
    crlf = strip(parse_config("locals {\r\n  a = 1\r\n}\r\n", "t"))
    assert crlf.blocks[0].body.attributes == (ast.Attribute("a", lit(1), P),)
    assert strip(parse_config("\ufeffa = 1\n", "t")).attributes == (ast.Attribute("a", lit(1), P),)
    assert strip(parse_config("a =\t1\n", "t")).attributes == (ast.Attribute("a", lit(1), P),)


@pytest.mark.parametrize(("source", "summary"), [
    ("a = 1 b = 2\n", "Missing newline after argument"),
    ("a = 1, b = 2\n", "Unexpected comma after argument"),
    ("a = 1\na = 2\n", "Attribute redefined"),
    ("b {\n  a = 1\n", "Unclosed configuration block"),
    ("b {\n  a = 1\n}}\n", "Missing newline after block definition"),
    ("b {\n  a = 1\n}\n}\n", "Argument or block definition required"),
    ('b "x"\n{\n}\n', "Invalid block definition"),
    ("b\n{\n}\n", "Argument or block definition required"),
    ("b = {\n}\nb {\n  x\n}\n", "Argument or block definition required"),
    ('"b" {\n}\n', "Invalid argument name"),
    ("b { a = 1, c = 2 }\n", "Invalid single-argument block definition"),
    ("b { c {} }\n", "Argument definition required"),
    ("b {} c {}\n", "Missing newline after block definition"),
    ('b "${x}" {}\n', "Invalid string literal"),
    ("a = <<EOT\nx\nEOT}\n", "Unterminated template string"),
])
def test_rejected_configurations(source: str, summary: str) -> None:
    assert error(source, parse_config).summary == summary


# -- positions ----------------------------------------------------------------------------------------------

def test_positions_are_the_first_character_of_each_node() -> None:
    body = parse_config('locals {\n  x = a.b + f("s", [1, {k = v}])\n}\n', "main.tf")
    attribute = body.blocks[0].body.attributes[0]
    assert body.blocks[0].pos == ast.Pos("main.tf", 1, 1)
    assert body.blocks[0].body.pos == ast.Pos("main.tf", 1, 8)
    assert attribute.pos == ast.Pos("main.tf", 2, 3)
    plus = attribute.expr
    assert isinstance(plus, ast.BinaryOp) and plus.pos == ast.Pos("main.tf", 2, 7)
    assert plus.left.pos == ast.Pos("main.tf", 2, 7)
    call_ = plus.right
    assert isinstance(call_, ast.FunctionCall) and call_.pos == ast.Pos("main.tf", 2, 13)
    assert call_.args[0].pos == ast.Pos("main.tf", 2, 15)
    items = call_.args[1]
    assert isinstance(items, ast.TupleCons) and items.pos == ast.Pos("main.tf", 2, 20)
    inner = items.items[1]
    assert isinstance(inner, ast.ObjectCons) and inner.pos == ast.Pos("main.tf", 2, 24)
    assert inner.items[0].key.pos == ast.Pos("main.tf", 2, 25)
    assert inner.items[0].value.pos == ast.Pos("main.tf", 2, 29)


def test_positions_in_templates_and_heredocs() -> None:
    tree = parse_expression('<<EOT\nab ${x}\n%{if y}z%{endif}\nEOT\n', "t.tf", line=10, column=5)
    assert tree.pos == ast.Pos("t.tf", 10, 5)
    assert isinstance(tree, ast.Template)
    assert tree.parts[1].pos == ast.Pos("t.tf", 11, 6)  # type: ignore[union-attr]
    directive = tree.parts[3]
    assert isinstance(directive, ast.TemplateIf)
    assert directive.pos == ast.Pos("t.tf", 12, 1) and directive.condition.pos == ast.Pos("t.tf", 12, 6)


def test_positions_are_offset_by_the_given_start() -> None:
    tree = parse_template("ab ${x.y}", "main.tf.json", line=7, column=20)
    assert tree == ast.Template(("ab ", ast.ScopeTraversal("x", (ast.GetAttr("y"),), ast.Pos("main.tf.json", 7, 25))),
                                ast.Pos("main.tf.json", 7, 20))
    second_line = parse_template("a\n ${x}", "j", line=3, column=9)
    assert second_line.parts[1].pos == ast.Pos("j", 4, 4)  # type: ignore[attr-defined]
    assert parse_expression("  a", "f", 2, 3).pos == ast.Pos("f", 2, 5)
    assert parse_config("\ufeffa = 1\n", "t").attributes[0].pos == ast.Pos("t", 1, 1)  # a BOM takes no column
    assert parse_expression("é + x", "t").right.pos == ast.Pos("t", 1, 5)  # type: ignore[attr-defined]


def test_errors_name_file_line_and_what_was_found() -> None:
    failure = error("locals {\n  a = 1 b = 2\n}\n", parse_config)
    assert failure.pos == ast.Pos("t.tf", 2, 9)
    assert str(failure) == 't.tf:2: Missing newline after argument: An argument definition must end with a newline, ' \
                           'found "b".'
    assert failure.message.startswith("Missing newline after argument")
    assert error("x = [1, 2\n", parse_config).pos == ast.Pos("t.tf", 1, 5)  # HCL points at the opening bracket
    lex = error("x = 1\ny = 2 & 3\n", parse_config)
    assert (lex.summary, lex.pos.line, lex.pos.column) == ("Unsupported operator", 2, 7)
    dup = error("a = 1\na = 2\n", parse_config)
    assert dup.pos == ast.Pos("t.tf", 2, 1) and "t.tf:1,1" in dup.message
    copy = pickle.loads(pickle.dumps(dup))
    assert (str(copy), copy.pos, copy.summary, copy.message) == (str(dup), dup.pos, dup.summary, dup.message)


# -- JSON-syntax templates and traversals ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "tree"), [
    ("plain", lit("plain")),
    ("", lit("")),
    ("$${x} %%{y}", lit("${x} %{y}")),
    ("a\\n${x}", tpl("a\\n", ref("x"))),  # no backslash escapes in JSON-syntax templates
    ("${x}", wrap(ref("x"))),
    (" ${x}", tpl(" ", ref("x"))),
    ("${x}${y}", tpl(ref("x"), ref("y"))),
    ("%{if a}b%{endif}", tpl(ast.TemplateIf(ref("a"), ("b",), (), P))),
    ("${x ~}  \n  y", tpl(ref("x"), "  y")),
    ("a\rb${x}", lit("a\rb${x}")),  # after a lone CR HCL takes the rest literally
    ("\ufeffabc", lit("abc")),
    ("x$", lit("x$")),
])
def test_parse_template(text: str, tree: Any) -> None:
    assert strip(parse_template(text, "t.tf.json")) == tree


@pytest.mark.parametrize(("text", "tree"), [
    ("aws_instance.web", ref("aws_instance", get("web"))),
    ('module.m["k"][0].out', ref("module", get("m"), key("k"), key(0), get("out"))),
    ("a.b\n.c", ref("a", get("b"), get("c"))),
])
def test_parse_traversal(text: str, tree: Any) -> None:
    assert strip(parse_traversal(text, "t.tf.json")) == tree


@pytest.mark.parametrize(("text", "summary"), [
    ("1", "Variable name required"), ("a.*", "Attribute name required"), ("a[*]", "Attribute name required"),
    ("a[b]", "Index value required"), ("a.0", "Attribute name required"), ("a + 1", "Invalid character"),
    ('a["${b}"]', "Invalid string literal"), ("a[0", "Unclosed index brackets"), ("f(x)", "Invalid character"),
])
def test_rejected_traversals_in_json(text: str, summary: str) -> None:
    assert error(text, parse_traversal).summary == summary


def test_parse_expression_ignores_newlines_and_refuses_leftovers() -> None:
    assert expr("a\n+\nb") == op("+", ref("a"), ref("b"))
    assert error("a b").summary == "Extra characters after expression"


# -- depth -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("opener", "closer"), [("(", ")"), ("[", "]"), ("{a = ", "}"), ('"${', '}"'), ("-", ""),
                                                ("f(", ")"), ("[for x in y: ", "]")])
def test_deep_nesting_parses(opener: str, closer: str) -> None:
    depth = 3000
    tree = parse_expression(opener * depth + "1" + closer * depth, "t")
    levels = 0
    while not isinstance(tree, ast.Literal):
        child = [getattr(tree, name) for name in tree.__struct_fields__ if name in (
            "expr", "items", "operand", "args", "value_expr")][0]
        tree = child[0] if isinstance(child, tuple) else child
        if isinstance(tree, ast.ObjectItem):
            tree = tree.value
        levels += 1
    assert levels >= depth


def test_absurd_nesting_is_a_syntax_error() -> None:
    assert error("(" * 6000 + "1" + ")" * 6000).summary == "Nesting too deep"
    assert error("a { " * 6000 + "}" * 6000, parse_config).summary in ("Nesting too deep", "Argument definition required")
    deep_blocks = "a {\n" * 3000 + "}\n" * 3000
    assert len(parse_config(deep_blocks, "t").blocks) == 1


def test_deep_directives() -> None:
    depth = 2000
    tree = parse_template("%{if a}" * depth + "x" + "%{endif}" * depth, "t")
    assert isinstance(tree, ast.Template)

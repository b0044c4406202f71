"""Template compilation: the fast path for `${a.b.c}` gives exactly what the general parser gives."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from iac.config.expressions import Ref, _compile, template_references
from iac.lang import ast

_NAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,6}", fullmatch=True)


def shape(node: Any) -> Any:
    """A syntax tree without positions (the fast path and the parser place them differently)."""
    if isinstance(node, msgspec.Struct):
        return (type(node).__name__, *(shape(getattr(node, name)) for name in node.__struct_fields__ if name != "pos"))
    if isinstance(node, tuple):
        return tuple(shape(n) for n in node)
    return node


@settings(max_examples=300, deadline=None)
@given(st.lists(_NAME, min_size=2, max_size=4))
def test_a_simple_reference_compiles_as_the_general_parser_compiles_it(names: list[str]) -> None:
    dotted = ".".join(names)
    fast = _compile("${" + dotted + "}")
    general = _compile("${ " + dotted + " }")  # the spaces take it off the fast path
    assert shape(fast) == shape(general)
    assert isinstance(fast, ast.TemplateWrap) and isinstance(fast.expr, ast.ScopeTraversal)
    assert template_references("${" + dotted + "}") == [Ref(names[0], tuple(names[1:]), dotted)]


def test_what_the_fast_path_leaves_to_the_general_parser() -> None:
    assert shape(_compile("${var.list[0]}")) == shape(_compile("${ var.list[0] }"))  # an index step
    assert shape(_compile("${aws_x.a.0}")) == shape(_compile("${ aws_x.a.0 }"))  # a numeric step
    compiled = _compile("pre-${var.x}")
    assert isinstance(compiled, ast.Template) and compiled.parts[0] == "pre-"  # not the whole string


def test_references_skip_symbols_the_expression_binds() -> None:
    refs = template_references('${[for s in var.subnets : s.id if s.public]}')
    assert [r.text for r in refs] == ["var.subnets"]
    dynamic = {"dynamic": {"setting": [{"for_each": "${var.settings}", "content": {"name": "${setting.key}"}}]}}
    assert [r.text for r in template_references(dynamic)] == ["var.settings"]

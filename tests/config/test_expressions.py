"""Template compilation: the fast path for `${a.b.c}` gives exactly what the general parser gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iac.config.expressions import Ref, Template, _compile

_NAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,6}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(_NAME, min_size=2, max_size=4))
def test_a_simple_reference_compiles_as_the_general_parser_compiles_it(names: list[str]) -> None:
    dotted = ".".join(names)
    fast = _compile("${" + dotted + "}")
    general = _compile("${ " + dotted + " }")  # the spaces take it off the fast path
    assert fast == general
    assert fast == Template((Ref(names[0], tuple(names[1:]), dotted),), single=Ref(names[0], tuple(names[1:]), dotted))


def test_what_the_fast_path_leaves_to_the_general_parser() -> None:
    assert _compile("${var.list[0]}") == _compile("${ var.list[0] }")  # an index step
    assert _compile("${aws_x.a.0}") == _compile("${ aws_x.a.0 }")  # a numeric step
    assert _compile("pre-${var.x}") == Template(("pre-", Ref("var", ("x",), "var.x")))  # not the whole string

"""Fuzzing the HCL parser: whatever the input, each entry point returns a tree or raises HclSyntaxError —
never another exception, never a hang (hypothesis' deadline bounds every input), never a RecursionError
however deep the nesting. Trees it returns have positions inside the text they came from.
"""

from __future__ import annotations

import contextlib
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iac.lang import ast
from iac.lang.hcl import HclSyntaxError, parse_config, parse_expression, parse_template, parse_traversal
from tests.lang.hcl_corpus import CONFIGS, EXPRESSIONS, JSON_TEMPLATES, VALUES

FUZZ = settings(deadline=2000, suppress_health_check=[HealthCheck.too_slow], database=None, max_examples=600)
"""2,250 inputs in all (600 + 400 + 600 + 600 + 50); the deadline bounds each one (a hang fails the test)."""

ENTRY_POINTS = (parse_config, parse_expression, parse_template, parse_traversal)

# characters that mean something to HCL, plus a few ordinary and non-ASCII ones
ALPHABET = st.sampled_from(list('{}[]()"$%~\\\n\r\t #/*<>-=.,:?!&|+;\'`_@abcefiorxEOT019') + [
    "${", "%{", "~}", "<<EOT\n", "<<-EOT\n", "EOT\n", "\nEOT\n", "//", "/*", "*/", "...", "=>", "::", "for", "in",
    "if", "endif", "else", "endfor", "\\u00e9", "é", "\u00b7", "\u0301", "½", "\ufeff", "\x00", "\r\n"])

SNIPPETS = [*EXPRESSIONS, *VALUES, *JSON_TEMPLATES, *(c.replace("NN", "1") for c in CONFIGS)]


def check(text: str) -> None:
    lines = text.count("\n") + 1
    for parse in ENTRY_POINTS:
        try:
            tree = parse(text, "fuzz.tf")
        except HclSyntaxError as error:
            assert error.pos.file == "fuzz.tf" and 1 <= error.pos.line <= lines and error.pos.column >= 1
            assert str(error).startswith(f"fuzz.tf:{error.pos.line}: ")
        else:
            for pos in positions(tree):
                assert 1 <= pos.line <= lines and pos.column >= 1, (text, pos)


def positions(tree: Any) -> list[ast.Pos]:
    """Every position in a tree (iteratively: trees can be deep)."""
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Pos):
            found.append(node)
        elif isinstance(node, tuple):
            stack.extend(node)
        elif isinstance(node, msgspec.Struct):
            stack.extend(getattr(node, name) for name in node.__struct_fields__)
    return found


@FUZZ
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_hcl_shaped_noise(text: str) -> None:
    check(text)


@settings(FUZZ, max_examples=400)
@given(st.text(max_size=80))
def test_any_text(text: str) -> None:
    check(text)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A corpus snippet with a few characters inserted, deleted, replaced or a slice duplicated."""
    text = draw(st.sampled_from(SNIPPETS))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "swap"]))
        piece = draw(ALPHABET)
        if action == "insert":
            text = text[:where] + piece + text[where:]
        elif action == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 5)):]
        elif action == "replace":
            text = text[:where] + piece + text[where + 1:]
        elif action == "duplicate":
            end = min(len(text), where + draw(st.integers(1, 12)))
            text = text[:end] + text[where:end] + text[end:]
        else:
            other = draw(st.sampled_from(SNIPPETS))
            text = text[:where] + other + text[where:]
    return text


@FUZZ
@given(mutated())
def test_mutated_snippets(text: str) -> None:
    check(text)


@FUZZ
@given(st.lists(st.sampled_from(["(", "[", "{a = ", '"${', "-", "!", "f(", "[for x in y: ", "{for k, v in m: k => ",
                                 "%{if a}", "a[*]", "<<EOT\n${"]), min_size=1, max_size=8),
       st.integers(1, 700), st.booleans())
def test_deep_nesting(openers: list[str], depth: int, close: bool) -> None:
    closers = {"(": ")", "[": "]", "{a = ": "}", '"${': '}"', "-": "", "!": "", "f(": ")", "[for x in y: ": "]",
               "{for k, v in m: k => ": "}", "%{if a}": "%{endif}", "a[*]": "", "<<EOT\n${": "}\nEOT\n"}
    chain = [openers[i % len(openers)] for i in range(depth)]
    text = "".join(chain) + "1" + ("".join(closers[o] for o in reversed(chain)) if close else "")
    for parse in ENTRY_POINTS:
        with contextlib.suppress(HclSyntaxError):
            parse(text, "deep.tf")


FUZZ_BLOCKS = settings(FUZZ, max_examples=50)


@FUZZ_BLOCKS
@given(st.integers(1, 2000), st.sampled_from(["a {\n", "a b {\n", 'a "b" {\n']))
def test_deep_blocks(depth: int, opener: str) -> None:
    body = parse_config(opener * depth + "}\n" * depth, "deep.tf")
    assert len(body.blocks) == 1

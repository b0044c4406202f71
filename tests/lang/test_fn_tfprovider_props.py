"""Generated values through the built-in provider's functions, compared with Terraform in batched plans:
encode_expr and encode_tfvars of nested values (unicode and template-like keys and strings, big and
fractional numbers, nulls, unknowns, sensitive parts), and decode_tfvars of what they write (a round trip),
plus the round trip itself in iac alone."""

from __future__ import annotations

import unicodedata
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.hcl.lexer import valid_identifier
from tests.lang.expr_oracle import compare, iac_eval
from tests.lang.test_fn_encoding_props import numbers
from tests.lang.tfeval import hcl_literal, plain

SETTINGS = settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck),
                    phases=(Phase.explicit, Phase.reuse, Phase.generate))
TEXT = st.text(st.sampled_from('ab é😀\n\t"\\$%{}\u00a0\u200b\x01'), max_size=12)
KEYS = st.text(st.sampled_from("abé_-1 .$%{\u0301"), max_size=4)
NAMES = st.text(st.sampled_from("abé_-1"), min_size=1, max_size=4).filter(valid_identifier)
PRIMITIVES = st.one_of(TEXT.map(cty.string), numbers(), st.booleans().map(cty.bool_value),
                       st.just(cty.null(cty.STRING)), st.just(cty.null(cty.DYNAMIC)))


def values(unknowns: bool) -> st.SearchStrategy[Value]:
    leaves = st.one_of(PRIMITIVES, st.just(cty.unknown(cty.STRING))) if unknowns else PRIMITIVES

    def extend(children: st.SearchStrategy[Value]) -> st.SearchStrategy[Value]:
        return st.one_of(
            st.lists(children, max_size=3).map(cty.tuple_value),
            st.dictionaries(KEYS, children, max_size=3).map(lambda d: cty.object_value(d) if d else cty.EMPTY_OBJECT),
            st.lists(TEXT.map(cty.string), min_size=1, max_size=3).map(cty.list_value),
            st.lists(numbers(), min_size=1, max_size=3).map(cty.set_value),
            st.dictionaries(KEYS, TEXT.map(cty.string), min_size=1, max_size=3).map(cty.map_value),
        )

    return st.recursive(leaves, extend, max_leaves=8)


@st.composite
def marked(draw: st.DrawFn, value: Value) -> Value:
    """The value, sometimes sensitive as a whole or in one attribute."""
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return value.mark({cty.SENSITIVE})
    if choice == 1 and value.type.kind == "object" and value.v:
        key = draw(st.sampled_from(sorted(value.v)))
        return cty.object_value({**value.v, key: value.v[key].mark({cty.SENSITIVE})})
    return value


def tfvars_objects(unknowns: bool) -> st.SearchStrategy[Value]:
    objects = st.dictionaries(NAMES, values(unknowns), max_size=4)
    return objects.map(lambda d: cty.object_value(d) if d else cty.EMPTY_OBJECT)


@st.composite
def call(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return f"provider::terraform::encode_expr({hcl_literal(draw(values(True).flatmap(marked)))})"
    if kind == 1:  # sometimes with a key that is no identifier
        value = draw(st.one_of(tfvars_objects(True), values(False)).flatmap(marked))
        return f"provider::terraform::encode_tfvars({hcl_literal(value)})"
    if kind == 2:
        inner = hcl_literal(draw(tfvars_objects(False).flatmap(marked)))
        return f"provider::terraform::decode_tfvars(provider::terraform::encode_tfvars({inner}))"
    inner = hcl_literal(draw(values(False)))
    return f'provider::terraform::decode_tfvars("v = ${{provider::terraform::encode_expr({inner})}}")'


@SETTINGS
@given(st.lists(call(), min_size=40, max_size=50))
def test_generated_calls_match_terraform(calls: list[str]) -> None:
    assert not compare(calls, builtin=True, messages=True)


@settings(max_examples=60, deadline=None)
@given(tfvars_objects(False))
def test_decode_tfvars_reads_back_what_encode_tfvars_wrote(value: Value) -> None:
    text = hcl_literal(value)
    decoded = iac_eval(f"provider::terraform::decode_tfvars(provider::terraform::encode_tfvars({text}))", builtin=True)
    assert isinstance(decoded, Value), decoded
    assert plain(decoded) == _nfc(plain(value))


def _nfc(plain_value: Any) -> Any:
    """HCL reads text in normal form C: an "a" and a combining accent come back as one "á"."""
    if isinstance(plain_value, str):
        return unicodedata.normalize("NFC", plain_value)
    if isinstance(plain_value, list):
        return [_nfc(e) for e in plain_value]
    if isinstance(plain_value, dict):
        return {_nfc(k): _nfc(e) for k, e in plain_value.items()}
    return plain_value

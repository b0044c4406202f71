"""The check for repeated keys in a `.tf.json` file (iac.config.duplicates) is exact, and what the loader takes
from it is too: a key repeated anywhere is noticed, however the document is laid out, and the bodies it calls
template-free are exactly those the loader would have found template-free itself.

Why these tests: the loader counts the colons of the document body by body (one encoding serves the count and
the template search), so the count must equal the whole document's, and a dropped key must never go unnoticed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iac._jsonread import decode_deep
from iac.config import load_config, load_document
from iac.config.duplicates import _ENCODE, _kept_colons, holds_duplicate_keys

pytestmark = pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")

# strings that move the count or the template search: colons, template starts, escapes, lone `$`/`%`
_TEXT = st.sampled_from(["a", "b:c", ":", "${x}", "%{ if true }y%{ endif }", "$", "%", "$${x}", "50%", "é:ü",
                         "x\\u003a", '"q":', "\n", ""])
_KEYS = st.sampled_from(["k", "input", "a:b", "", "${k}", "//", "é", '"'])
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), _TEXT)
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(_KEYS, inner, max_size=3)), max_leaves=8)
_NAMES = st.sampled_from(["a", "b", "c_1", "d-2", "r:0", ""])
_BODIES = st.dictionaries(_KEYS, _VALUES, max_size=4)
# a document as a loader sees it: resource/data maps of type -> name -> body, with other shapes mixed in
_NAMED = st.one_of(st.dictionaries(_NAMES, st.one_of(_BODIES, _VALUES), max_size=4), _VALUES)
_TYPES = st.one_of(st.dictionaries(st.sampled_from(["terraform_data", "t:x", "null_resource"]), _NAMED, max_size=3),
                   _VALUES)
_DOCUMENTS = st.one_of(st.dictionaries(st.sampled_from(["resource", "data", "locals", "variable", "//", "r:x"]),
                                       _TYPES, max_size=4), _VALUES)


@settings(max_examples=400, deadline=None)
@given(_DOCUMENTS)
def test_the_colons_counted_body_by_body_are_the_whole_documents(document: Any) -> None:
    plain: dict[int, Any] = {}
    assert _kept_colons(document, plain) == _ENCODE(document).count(b":")
    for named, flags in plain.values():
        assert len(flags) == len(named)
        for body, template_free in zip(named.values(), flags, strict=True):
            text = _ENCODE(body)
            assert not template_free or (b"${" not in text and b"%{" not in text)


def _text(pairs: Any) -> str:
    """JSON text of a document written as nested (key, value) pair lists, repeats included."""
    if isinstance(pairs, _Object):
        return "{" + ", ".join(f"{json.dumps(key)}: {_text(value)}" for key, value in pairs) + "}"
    if isinstance(pairs, list):
        return "[" + ", ".join(_text(item) for item in pairs) + "]"
    return json.dumps(pairs)


class _Object(list[tuple[str, Any]]):
    """An object as written: its pairs in order."""


def _as_pairs(value: Any) -> Any:
    if isinstance(value, dict):
        return _Object((key, _as_pairs(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_as_pairs(item) for item in value]
    return value


def _objects(pairs: Any) -> list[_Object]:
    found = [pairs] if isinstance(pairs, _Object) else []
    for item in ([v for _, v in pairs] if isinstance(pairs, _Object) else pairs if isinstance(pairs, list) else []):
        found += _objects(item)
    return found


@settings(max_examples=400, deadline=None)
@given(_DOCUMENTS, st.data())
def test_a_key_written_twice_anywhere_is_noticed(document: Any, data: st.DataObject) -> None:
    pairs = _as_pairs(document)
    objects = [o for o in _objects(pairs) if o]
    text = _text(pairs).encode()
    if b'\\"' not in text:  # (a string holding `\":` is answered the slow way: "maybe", and read again)
        assert not holds_duplicate_keys(text, decode_deep(text), {})  # each key once: nothing lost
    if not objects:
        return
    target = data.draw(st.sampled_from(objects))
    key, value = data.draw(st.sampled_from(list(target)))
    target.insert(data.draw(st.integers(0, len(target))), (key, data.draw(_VALUES)))  # the same key again
    text = _text(pairs).encode()
    assert holds_duplicate_keys(text, decode_deep(text), {})
    assert holds_duplicate_keys(text, decode_deep(text))


def test_the_loader_finds_the_same_templates_as_each_body_alone(tmp_path: Path) -> None:
    """Bodies with `$` and `%` that are no template, templates written with escapes, meta-arguments, a
    comment: the templates of every resource equal those of the same document loaded without the text."""
    bodies = {
        "plain": {"input": {"price": "$5", "share": "50%", "colon": "a:b"}},
        "dollar": {"input": "${terraform_data.plain.id}"},
        "escaped": {"input": "\\u0024{terraform_data.plain.output}"},
        "directive": {"input": "%{ if true }x%{ endif }"},
        "literal": {"input": "$${not.a.reference}"},
        "counted": {"count": 2, "input": "${count.index}"},
        "commented": {"//": "source: main.py:3", "input": "plain"},
        "nested": {"input": [{"deep": {"deeper": "${terraform_data.dollar.id}"}}]},
    }
    text = json.dumps({"resource": {"terraform_data": bodies}}).replace("\\\\u0024", "\\u0024")
    (tmp_path / "main.tf.json").write_text(text)
    from_file = load_config(tmp_path / "main.tf.json")
    alone = load_document(json.loads(text), file=str(tmp_path / "main.tf.json"), base_dir=tmp_path)
    assert {a: dict(r.templates) for a, r in from_file.resources.items()} == \
        {a: dict(r.templates) for a, r in alone.resources.items()}
    plain: dict[int, Any] = {}  # the flags the loader used: only the comment's body was surely template-free
    assert not holds_duplicate_keys(text.encode(), decode_deep(text.encode()), plain)  # (`\u` escapes: the slow way)
    assert [flags for _, flags in plain.values()] == [[name == "commented" for name in bodies]]
    found = {address for address, resource in from_file.resources.items() if resource.templates}
    assert found == {"terraform_data.dollar", "terraform_data.escaped", "terraform_data.directive",
                     "terraform_data.literal", "terraform_data.counted", "terraform_data.nested"}  # `$${` too

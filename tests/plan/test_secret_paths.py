"""secret_paths: the one-encoding pre-check never hides a secret the walk would find.

The pre-check searches the JSON encoding of a whole value for each secret as JSON escapes it; only when it
finds none is the walk skipped. These tests hold it to the walk on values whose strings need escaping
(quotes, backslashes, control characters, non-ASCII), on secrets that do, and on values msgspec cannot
encode as plain JSON (those always go to the walk).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from iac.plan.jsonplan import _secret_paths, secret_paths
from iac.values import UNKNOWN, Sensitive

_TEXT = st.text(alphabet=st.sampled_from(['a', 'b', '"', '\\', '\n', '\x01', 'é', '€', '😀', '/', ' ']), max_size=8)
_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.decimals(allow_nan=False, allow_infinity=False), _TEXT,
                   st.just(UNKNOWN))
_VALUES = st.recursive(_LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(_TEXT, inner, max_size=4)), max_leaves=20)


@given(_VALUES, st.lists(_TEXT.filter(lambda s: len(s) >= 1), min_size=1, max_size=3))
def test_the_pre_check_finds_every_path_the_walk_finds(value: object, secrets: list[str]) -> None:
    assert secret_paths(value, tuple(secrets)) == _secret_paths(value, tuple(secrets), ())


def test_a_secret_that_needs_escaping_is_found_inside_a_longer_string() -> None:
    secret = 'p"w\\d\n€'
    assert secret_paths({"a": [1, {"b": f"x{secret}y"}]}, (secret,)) == [("a", 1, "b")]


def test_a_secret_only_in_a_key_masks_nothing() -> None:
    assert secret_paths({"hunter22": "plain"}, ("hunter22",)) == []


def test_values_msgspec_cannot_encode_go_to_the_walk() -> None:
    wrapped = Sensitive("hunter22")  # not plain JSON: the walk decides (it looks into str, dict and list only)
    assert secret_paths({"a": wrapped, "b": "hunter22"}, ("hunter22",)) == [("b",)]
    assert secret_paths([Decimal("1.5"), "xx hunter22"], ("hunter22",)) == [(1,)]


def test_unknown_values_hold_no_secret_and_do_not_hide_one() -> None:
    assert secret_paths({"a": UNKNOWN, "b": ["x", UNKNOWN]}, ("hunter22",)) == []
    assert secret_paths({"a": UNKNOWN, "b": ["hunter22!", UNKNOWN]}, ("hunter22",)) == [("b", 0)]

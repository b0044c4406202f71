"""Change records: the leaves a change touches, in path order, masked and unknown leaves marked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from iac.fleet.delta import ABSENT, SENSITIVE, UNKNOWN, change_delta

leaves = st.one_of(st.integers(-3, 3), st.sampled_from(["a", "b", "x y"]), st.booleans())
objects = st.recursive(leaves, lambda inner: st.dictionaries(st.sampled_from(["k", "m", "z", "a_b"]), inner, max_size=3)
                       | st.lists(inner, max_size=3), max_leaves=12)


def _flat(value: object, path: tuple = ()) -> dict:
    if isinstance(value, dict):
        out: dict = {}
        for key, child in value.items():
            out |= _flat(child, (*path, key))
        return out if out or not path else {path: {}}
    if isinstance(value, list):
        out = {}
        for index, child in enumerate(value):
            out |= _flat(child, (*path, index))
        return out if out or not path else {path: []}
    return {path: value}


@given(st.dictionaries(st.sampled_from(["p", "q", "r"]), objects, max_size=3),
       st.dictionaries(st.sampled_from(["p", "q", "r"]), objects, max_size=3))
def test_the_delta_is_exactly_the_changed_leaves_in_path_order(before: dict, after: dict) -> None:
    delta, same = change_delta({"before": before, "after": after}, frozenset())
    old, new = _flat(before), _flat(after)
    expected = {p: (old.get(p, ABSENT), new.get(p, ABSENT)) for p in old.keys() | new.keys() if old.get(p) != new.get(p)
                or (p in old) != (p in new)}
    assert {tuple(path): (b, a) for path, b, a in delta} == expected
    order = [tuple((0, f"{s:012d}") if isinstance(s, int) else (1, s) for s in path) for path, _, _ in delta]
    assert order == sorted(order)
    assert same == len(old.keys() & new.keys()) - sum(1 for p in old.keys() & new.keys() if old[p] != new[p])


def test_masked_and_unknown_leaves_are_marked_and_a_masked_change_needs_its_reason() -> None:
    change = {"before": {"secret": "s1", "id": "1"}, "after": {"secret": "s2", "id": None},
              "before_sensitive": {"secret": True}, "after_sensitive": {"secret": True}, "after_unknown": {"id": True}}
    assert change_delta(change, frozenset()) == ([[["id"], "1", UNKNOWN]], 1)
    assert change_delta(change, frozenset({"secret"}))[0] == [[["id"], "1", UNKNOWN], [["secret"], SENSITIVE, SENSITIVE]]


def test_a_json_document_in_a_string_is_compared_leaf_by_leaf() -> None:
    change = {"before": {"definition": '{"a": {"max": 8}, "b": 1}'}, "after": {"definition": '{"a": {"max": 10}, "b": 1}'}}
    assert change_delta(change, frozenset()) == ([[["definition", "a", "max"], 8, 10]], 1)

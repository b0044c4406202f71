"""The shared renderer vocabulary: actions, symbols, counting rules, change descriptions, masks."""

from __future__ import annotations

from typing import Any

import pytest

from iac.render._common import (
    Action,
    Counts,
    action_of,
    action_symbol,
    action_word,
    describe_change,
    is_sensitive,
    shown_changes,
    summary_counts,
    summary_line,
)


def rc(address: str, actions: list[str], **extra: Any) -> dict[str, Any]:
    kind, name = address.split(".")[-2:]
    change = {"actions": actions, "before": None, "after": None}
    change.update(extra.pop("change", {}))
    return {"address": address, "mode": extra.pop("mode", "managed"), "type": kind, "name": name.split("[")[0],
            "change": change, **extra}


@pytest.mark.parametrize(
    ("actions", "symbol", "word"),
    [
        (["create"], "+", "create"),
        (["update"], "~", "update in-place"),
        (["delete"], "-", "destroy"),
        (["delete", "create"], "-/+", "destroy and then create replacement"),
        (["create", "delete"], "+/-", "create replacement and then destroy"),
        (["read"], "<=", "read (data resources)"),
        (["forget"], ".", "forget (remove from state, keep the object)"),
        (["no-op"], "", "no change"),
    ],
    ids=lambda v: "/".join(v) if isinstance(v, list) else None,
)
def test_action_symbol_and_word(actions: list[str], symbol: str, word: str) -> None:
    assert action_symbol(actions) == symbol
    assert action_word(actions) == word


def test_unknown_actions_list_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown actions list"):
        action_of(["delete", "delete"])


@pytest.mark.parametrize(
    ("changes", "counts", "line"),
    [
        ([], Counts(), "Plan: 0 to add, 0 to change, 0 to destroy."),
        ([rc("t.a", ["delete", "create"]), rc("t.b", ["create", "delete"])], Counts(0, 2, 0, 2),
         "Plan: 2 to add, 0 to change, 2 to destroy."),
        ([rc("t.a", ["create"]), rc("t.b", ["update"]), rc("t.c", ["delete"]), rc("t.d", ["no-op"])], Counts(0, 1, 1, 1),
         "Plan: 1 to add, 1 to change, 1 to destroy."),
        ([rc("t.a", ["no-op"], change={"importing": {"id": "x"}}), rc("t.b", ["update"], change={"importing": {"id": "y"}})],
         Counts(2, 0, 1, 0), "Plan: 2 to import, 0 to add, 1 to change, 0 to destroy."),
        ([rc("t.a", ["forget"]), rc("t.b", ["no-op"], previous_address="t.old"), rc("data.d.x", ["read"], mode="data")],
         Counts(0, 0, 0, 0, to_forget=1, to_move=1), "Plan: 0 to add, 0 to change, 0 to destroy."),
        ([rc("data.d.x", ["delete"], mode="data")], Counts(), "Plan: 0 to add, 0 to change, 0 to destroy."),
    ],
    ids=["empty", "replaces count twice", "one of each", "imports", "forget move read not counted",
         "data source delete hidden"],
)
def test_summary_counts_and_line(changes: list[dict[str, Any]], counts: Counts, line: str) -> None:
    plan = {"resource_changes": changes}
    assert summary_counts(plan) == counts
    assert summary_line(summary_counts(plan)) == line


def test_shown_changes_keep_plan_order_and_skip_plain_noops() -> None:
    plan = {"resource_changes": [rc("t.z", ["create"]), rc("t.a", ["no-op"]), rc("t.m", ["no-op"], previous_address="t.n")]}
    assert [c["address"] for c in shown_changes(plan)] == ["t.z", "t.m"]


@pytest.mark.parametrize(
    ("change", "lines"),
    [
        (rc("t.a", ["delete"], action_reason="delete_because_no_resource_config"),
         ["t.a will be destroyed", "(because t.a is not in configuration)"]),
        (rc("t.n[3]", ["delete"], index=3, action_reason="delete_because_count_index"),
         ["t.n[3] will be destroyed", "(because index [3] is out of range for count)"]),
        (rc('t.e["staging"]', ["delete"], index="staging", action_reason="delete_because_each_key"),
         ['t.e["staging"] will be destroyed', '(because key ["staging"] is not in for_each map)']),
        (rc("t.a", ["delete"]), ["t.a will be destroyed"]),
        (rc("t.a", ["delete", "create"], action_reason="replace_because_tainted"), ["t.a is tainted, so must be replaced"]),
        (rc("t.a", ["create", "delete"], action_reason="replace_by_request"), ["t.a will be replaced, as requested"]),
        (rc("t.a", ["delete", "create"], action_reason="replace_by_triggers"),
         ["t.a will be replaced due to changes in replace_triggered_by"]),
        (rc("t.b", ["no-op"], previous_address="t.a"), ["t.a has moved to t.b"]),
        (rc("t.b", ["update"], previous_address="t.a"), ["t.b will be updated in-place", "(moved from t.a)"]),
        (rc("t.b", ["no-op"], change={"importing": {"id": "i-1"}}), ["t.b will be imported"]),
        (rc("t.b", ["update"], change={"importing": {"id": "i-1"}}), ["t.b will be updated in-place", '(imported from "i-1")']),
        (rc("t.f", ["forget"]), ["t.f will no longer be managed by Terraform, but will not be destroyed",
                                 "(destroy = false is set in the configuration)"]),
    ],
    ids=["not in config", "count index", "for_each key", "destroy mode", "tainted", "requested", "triggers",
         "moved", "moved and updated", "imported", "imported and updated", "forget"],
)
def test_describe_change(change: dict[str, Any], lines: list[str]) -> None:
    assert describe_change(change) == lines


@pytest.mark.parametrize(
    ("mask", "path", "expected"),
    [
        (True, (), True),
        ({"input": True}, ("input", "a", 0), True),
        ({"input": {"a": [False, True]}}, ("input", "a", 1), True),
        ({"input": {"a": [False, True]}}, ("input", "a", 0), False),
        ({}, ("input",), False),
        (False, (), False),
    ],
)
def test_is_sensitive(mask: Any, path: tuple[Any, ...], expected: bool) -> None:
    assert is_sensitive(mask, path) is expected


def test_action_enum_values_match_the_json_words() -> None:
    assert Action.CREATE == "create" and action_of(["no-op"]) is Action.NOOP

from __future__ import annotations

from typing import Any

import pytest

from iac.diagnostics import TerraformError
from iac.terraform.verify import has_changes, verify_plan


def _change(address: str, actions: list[str], replace_paths: list[list[Any]] | None = None,
            mode: str = "managed", deposed: str | None = None) -> dict[str, Any]:
    change: dict[str, Any] = {"actions": actions}
    if replace_paths is not None:
        change["replace_paths"] = replace_paths
    entry = {"address": address, "mode": mode, "change": change}
    if deposed:
        entry["deposed"] = deposed
    return entry


def _plan(*changes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"format_version": "1.2", "resource_changes": list(changes), **extra}


A = "terraform_data.a"
CASES = [
    pytest.param([_change(A, ["create"])], [_change(A, ["create"])], [], id="same create agrees"),
    pytest.param([_change(A, ["update"])], [_change(A, ["delete", "create"], [["triggers_replace"]])],
                 [(A, "action", "update", "replace (delete first)")], id="update vs replace disagrees"),
    pytest.param([_change(A, ["delete", "create"], [["input"]])], [_change(A, ["delete", "create"], [["triggers_replace"]])],
                 [(A, "replace_paths", '[["input"]]', '[["triggers_replace"]]')], id="different replace paths disagree"),
    pytest.param([_change(A, ["delete", "create"], [["b"], ["a"]])], [_change(A, ["delete", "create"], [["a"], ["b"]])],
                 [], id="replace paths compare as a set"),
    pytest.param([_change(A, ["delete", "create"])], [_change(A, ["create", "delete"])],
                 [(A, "action", "replace (delete first)", "replace (create first)")], id="replace order matters"),
    pytest.param([], [_change(A, ["create"])], [(A, "action", "no-op", "create")], id="missing in preview counts as no-op"),
    pytest.param([_change(A, ["delete"])], [], [(A, "action", "delete", "no-op")], id="missing in Terraform counts as no-op"),
    pytest.param([_change(A, ["no-op"])], [], [], id="listed no-op equals absent"),
    pytest.param([], [_change("data.x.y", ["read"], mode="data")], [], id="data sources are ignored"),
    pytest.param([_change(A, ["no-op"])], [_change(A, ["no-op"]), _change(A, ["delete"], deposed="abcd0123")],
                 [(A + " (deposed abcd0123)", "action", "no-op", "delete")], id="deposed objects are their own entry"),
]


@pytest.mark.parametrize(("ours", "theirs", "expected"), CASES)
def test_verify_compares_actions_and_replace_paths(ours: list, theirs: list, expected: list) -> None:
    verification = verify_plan(_plan(*ours), _plan(*theirs))
    assert [(d.address, d.what, d.iac, d.terraform) for d in verification.differences] == expected
    assert verification.agrees is (not expected)


def test_targets_skip_preview_changes_terraform_left_out() -> None:
    ours = _plan(_change("terraform_data.a", ["create"]), _change("terraform_data.b", ["create"]))
    theirs = _plan(_change("terraform_data.a", ["create"]))
    verification = verify_plan(ours, theirs, targets=["terraform_data.a"])
    assert verification.agrees and verification.skipped == ("terraform_data.b",)
    assert not verify_plan(ours, theirs).agrees  # without -target the same gap is a disagreement


def test_disagreement_lists_every_difference_one_line_each() -> None:
    ours = _plan(_change("terraform_data.a", ["create"]), _change("terraform_data.b", ["update"]))
    theirs = _plan(_change("terraform_data.a", ["update"]), _change("terraform_data.b", ["delete"]))
    with pytest.raises(TerraformError) as caught:
        verify_plan(ours, theirs).raise_if_disagreeing("dev")
    lines = [d.format() for d in caught.value.diagnostics]
    assert lines == [
        "[dev] Terraform's plan disagrees with iac's preview at 2 address(es); nothing was applied",
        "[dev] terraform_data.a: iac previewed action create, Terraform plans update",
        "[dev] terraform_data.b: iac previewed action update, Terraform plans delete",
    ]


@pytest.mark.parametrize(("terraform", "message"), [
    ({"format_version": "2.0", "resource_changes": []}, "format_version '2.0'"),
    ({"format_version": "1.2", "resource_changes": [], "errored": True}, "errored"),
], ids=["unknown major format", "errored plan"])
def test_unusable_terraform_plans_stop(terraform: dict, message: str) -> None:
    with pytest.raises(TerraformError, match=message):
        verify_plan(_plan(), terraform)


@pytest.mark.parametrize(("plan", "expected"), [
    (_plan(_change(A, ["no-op"])), False),
    (_plan(_change("data.x.y", ["read"], mode="data")), False),
    (_plan(_change(A, ["create"])), True),
    (_plan(output_changes={"o": {"actions": ["update"]}}), True),
    (_plan(output_changes={"o": {"actions": ["no-op"]}}), False),
], ids=["no-op", "data read", "create", "output change", "output no-op"])
def test_has_changes(plan: dict, expected: bool) -> None:
    assert has_changes(plan) is expected

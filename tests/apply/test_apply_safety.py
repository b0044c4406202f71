"""The stops: disagreement with the preview, stale reviewed plan, denial, approval, lock, --target, prevent_destroy.

Every stop must leave the state as it was and the lock released, and be recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from apply_helpers import ScriptedPreviewer, terraform_data_stack, write_stack

from iac import _jsonio
from iac.policy.engine import apply_to_plan, evaluate
from iac.terraform.audit import read_records
from iac.terraform.lock import environment_lock
from iac.workflows.applying import policy_settings

ENGINE = ("--engine", "embedded")


def _applied(invoke: Callable, stack: Path) -> None:
    result = invoke("apply", "--config-dir", stack, "--auto-approve", *ENGINE)
    assert result.exit_code == 0, result.output


def _state_bytes(stack: Path) -> bytes | None:
    path = stack / "terraform.tfstate"
    return path.read_bytes() if path.exists() else None


def _last_audit(stack: Path) -> dict[str, Any]:
    return read_records(stack / ".iac" / "audit.jsonl")[-1]


def _assert_left_clean(stack: Path) -> None:
    assert not (stack / ".iac" / "lock.json").exists()
    assert not (stack / ".iac" / "run.tfplan").exists()


def test_config_changed_between_preview_and_terraform_plan_applies_nothing(
        tmp_path: Path, invoke: Callable, hook_runner: Callable) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    _applied(invoke, stack)
    before = _state_bytes(stack)
    write_stack(stack, terraform_data_stack({"a": "two"}))
    hook_runner(before={"plan": lambda root: write_stack(root, terraform_data_stack({"a": "three", "b": "new"}))})

    result = invoke("apply", "--config-dir", stack, "--auto-approve", *ENGINE)

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        "Error: [dev] Terraform's plan disagrees with iac's preview at 2 address(es); nothing was applied",
        "Error: [dev] terraform_data.b: iac previewed action no-op, Terraform plans create",
    ]
    previewed = _last_audit(stack)["config_hash"]
    assert lines[2].startswith(f"Error: [dev] main.tf.json: iac previewed configuration {previewed}, Terraform plans sha256:")
    assert len(lines) == 3
    assert _state_bytes(stack) == before
    assert _last_audit(stack)["outcome"] == "disagreement"
    _assert_left_clean(stack)


def test_engine_disagreeing_on_replace_paths_applies_nothing(tmp_path: Path, invoke: Callable,
                                                             previewer: ScriptedPreviewer) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    _applied(invoke, stack)
    before = _state_bytes(stack)
    document = terraform_data_stack({"a": "one"})
    document["resource"]["terraform_data"]["a"]["triggers_replace"] = ["v2"]
    write_stack(stack, document)

    def misreport(plan: dict[str, Any]) -> None:
        for change in plan.get("resource_changes", []):
            if change["change"].get("replace_paths"):
                change["change"]["replace_paths"] = [["input"]]

    previewer.tamper = misreport
    result = invoke("apply", "--config-dir", stack, "--auto-approve", *ENGINE)
    assert result.exit_code == 1
    assert ("Error: [dev] terraform_data.a: iac previewed replace_paths [[\"input\"]], Terraform plans "
            "[[\"triggers_replace\"]]") in result.stderr
    assert _state_bytes(stack) == before
    _assert_left_clean(stack)


def _save_reviewed_plan(invoke: Callable, stack: Path, path: Path) -> Path:
    """What a reviewer saw: `iac plan --config DIR --out plan.json` for the directory as it is now, with the
    checks' verdict in it (added here with the checks' own API while `iac plan --config` does not run them)."""
    result = invoke("plan", "--config", stack, "--out", path)
    assert result.exit_code == 0, result.output
    plan = _jsonio.read_json(path)
    if plan["iac"].get("verdict") is None:
        apply_to_plan(plan, evaluate(plan, policy_settings(None), mode=None))
        path.write_text(_jsonio.dumps(plan))
    return path


def test_reviewed_plan_applies_while_it_still_matches(tmp_path: Path, invoke: Callable) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    reviewed = _save_reviewed_plan(invoke, stack, tmp_path / "plan.json")
    result = invoke("apply", "--config-dir", stack, "--plan", reviewed, "--auto-approve", *ENGINE)
    assert result.exit_code == 0, result.output
    record = _last_audit(stack)
    assert record["outcome"] == "applied" and record["reviewed_plan"] == str(reviewed)
    assert record["plan_hash"] == "sha256:" + __import__("hashlib").sha256(
        _jsonio.canonical_json(_jsonio.read_json(reviewed)).encode()).hexdigest()


@pytest.mark.parametrize("change", ["config", "state"])
def test_stale_reviewed_plan_is_refused(tmp_path: Path, invoke: Callable, change: str) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    _applied(invoke, stack)
    reviewed = _save_reviewed_plan(invoke, stack, tmp_path / "plan.json")
    if change == "config":
        write_stack(stack, terraform_data_stack({"a": "edited after review"}))
    else:
        write_stack(stack, terraform_data_stack({"a": "applied by someone else"}))
        _applied(invoke, stack)
        write_stack(stack, terraform_data_stack({"a": "one"}))
    before = _state_bytes(stack)

    result = invoke("apply", "--config-dir", stack, "--plan", reviewed, "--auto-approve", *ENGINE)

    assert result.exit_code == 1
    expected = {"config": "the configuration changed since the review (reviewed sha256:",
                "state": "the state changed since the review (reviewed serial "}[change]
    assert f"Error: [dev] {reviewed} is stale: {expected}" in result.stderr
    assert "nothing was applied (re-run iac plan and review again)" in result.stderr
    assert _state_bytes(stack) == before
    assert _last_audit(stack)["outcome"] == "stale-plan"
    _assert_left_clean(stack)


def test_denied_plan_exits_3_and_applies_nothing(tmp_path: Path, invoke: Callable, previewer: ScriptedPreviewer) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    previewer.verdict = "deny"
    previewer.findings = [{"check_id": "TAG001", "severity": "error", "address": "terraform_data.a", "message": "no team tag",
                        "waived": None}]
    result = invoke("apply", "--config-dir", stack, "--auto-approve", *ENGINE)
    assert result.exit_code == 3
    assert result.stderr.strip() == "Error: [dev] the checks denied this plan (1 error finding(s)); nothing was applied"
    assert "terraform_data.a" in result.stdout  # the preview is still shown, so the user sees what was denied
    assert _state_bytes(stack) is None
    assert _last_audit(stack)["outcome"] == "denied" and _last_audit(stack)["verdict"] == "deny"
    _assert_left_clean(stack)


def test_without_terminal_nothing_is_applied_without_an_answer(tmp_path: Path, invoke: Callable) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    result = invoke("apply", "--config-dir", stack, *ENGINE)
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Error: [dev] not approved: no answer: input ended before 'yes' was given (stdin is "
                                     "not a terminal: pipe the answer, or use --auto-approve); nothing was applied")
    assert _state_bytes(stack) is None
    assert _last_audit(stack)["outcome"] == "refused"


@pytest.mark.parametrize(("answer", "applied"), [("yes\n", True), ("yes", False), ("y\n", False)],
                         ids=["piped yes", "no newline", "not yes"])
def test_a_piped_yes_applies_as_terraform_accepts_it(tmp_path: Path, invoke: Callable, answer: str,
                                                     applied: bool) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    result = invoke("apply", "--config-dir", stack, *ENGINE, input=answer)
    assert (result.exit_code == 0) is applied, result.output
    assert (_state_bytes(stack) is not None) is applied
    if applied:
        assert _last_audit(stack)["approval"] == "confirmed on stdin (not a terminal) ('yes')"


def test_input_disabled_refuses_without_reading(tmp_path: Path, invoke: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TF_INPUT", "0")
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    result = invoke("apply", "--config-dir", stack, *ENGINE, input="yes\n")
    assert result.exit_code == 1 and "input is disabled (TF_INPUT=0)" in result.stderr
    assert _state_bytes(stack) is None


def test_var_reaches_the_preview_and_terraform_never_its_command_line(tmp_path: Path, invoke: Callable,
                                                                     hook_runner: Callable) -> None:
    document = terraform_data_stack({"a": "${var.who}"})
    document["variable"] = {"who": {"type": "string"}}
    stack = write_stack(tmp_path / "dev", document)
    made = hook_runner()
    result = invoke("apply", "--config-dir", stack, "--auto-approve", "--var", "who=alice-7c1e", *ENGINE)
    assert result.exit_code == 0, result.output
    assert '+ input  = "alice-7c1e"' in result.stdout  # iac's preview saw it
    state = _jsonio.loads(_state_bytes(stack))
    assert state["resources"][0]["instances"][0]["attributes"]["input"]["value"] == "alice-7c1e"  # so did Terraform
    assert made[0].inner.env["TF_VAR_who"] == "alice-7c1e"  # the engine's environment; no runner call takes values


def test_var_for_an_undeclared_variable_is_an_error(tmp_path: Path, invoke: Callable) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    for command in ("apply", "destroy"):
        result = invoke(command, "--config-dir", stack, "--auto-approve", "--var", "whom=x", *ENGINE)
        assert result.exit_code == 1
        assert result.stderr.strip() == "Error: var.whom: --var whom: no variable named 'whom' is declared"


@pytest.mark.parametrize(("answer", "applied"), [("yes", True), ("no", False)], ids=["yes applies", "no refuses"])
def test_terminal_confirmation(tmp_path: Path, invoke: Callable, monkeypatch: pytest.MonkeyPatch,
                               answer: str, applied: bool) -> None:
    monkeypatch.setattr("iac.terraform.approval.stdin_is_terminal", lambda: True)
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    result = invoke("apply", "--config-dir", stack, *ENGINE, input=f"{answer}\n")
    assert ("Apply these changes to environment dev with terraform " in result.stdout
            and "? Only 'yes' is accepted:" in result.stdout)
    assert (result.exit_code == 0) is applied and (_state_bytes(stack) is not None) is applied
    assert _last_audit(stack)["approval"] == ("confirmed interactively ('yes')" if applied else None)


def test_replacement_needs_the_environment_name_typed(tmp_path: Path, invoke: Callable,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("iac.terraform.approval.stdin_is_terminal", lambda: True)
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one", "b": "two"}))
    _applied(invoke, stack)
    write_stack(stack, terraform_data_stack({"a": "one"}))
    refused = invoke("apply", "--config-dir", stack, *ENGINE, input="yes\n")
    assert refused.exit_code == 1 and "the answer did not match the environment name 'dev'" in refused.stderr
    assert ": deletes or replaces 1 resource. Type the environment name (dev) to confirm:" in refused.stdout
    confirmed = invoke("apply", "--config-dir", stack, *ENGINE, input="dev\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert [r["name"] for r in _jsonio.loads(_state_bytes(stack))["resources"]] == ["a"]


def test_second_apply_fails_at_once_while_the_first_holds_the_lock(tmp_path: Path, invoke: Callable,
                                                                    hook_runner: Callable) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    made = hook_runner()
    with environment_lock(stack / ".iac" / "lock.json", command="iac apply dev", environment="dev") as lock:
        holder = lock.holder
        result = invoke("apply", "--config-dir", stack, "--auto-approve", *ENGINE)
    assert result.exit_code == 1
    assert f"[dev] environment is locked by {holder.user} (pid {holder.pid} on {holder.host}, `iac apply dev`) " \
           f"since {holder.since}" in result.stderr
    assert made == []  # refused before any Terraform engine was even started
    assert _last_audit(stack)["outcome"] == "refused"


def test_target_is_passed_to_terraform(tmp_path: Path, invoke: Callable) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one", "b": "two"}))
    result = invoke("apply", "--config-dir", stack, "--target", "terraform_data.a", "--auto-approve", *ENGINE)
    assert result.exit_code == 0, result.output
    assert "The plan was created with the -target option in effect" in result.stdout  # Terraform received it
    assert [r["name"] for r in _jsonio.loads(_state_bytes(stack))["resources"]] == ["a"]
    assert _last_audit(stack)["targets"] == ["terraform_data.a"]


def test_destroy_honours_prevent_destroy(tmp_path: Path, invoke: Callable) -> None:
    document = terraform_data_stack({"keep": "me"})
    document["resource"]["terraform_data"]["keep"]["lifecycle"] = {"prevent_destroy": True}
    stack = write_stack(tmp_path / "dev", document)
    _applied(invoke, stack)
    before = _state_bytes(stack)
    result = invoke("destroy", "--config-dir", stack, "--auto-approve", *ENGINE)
    assert result.exit_code == 1
    assert "terraform_data.keep: instance cannot be destroyed: lifecycle.prevent_destroy is set" in result.stderr
    assert _state_bytes(stack) == before
    _assert_left_clean(stack)


def test_a_variable_without_value_is_named_before_anything_runs(tmp_path: Path, invoke: Callable,
                                                                 hook_runner: Callable) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}, canary=True))
    made = hook_runner()
    result = invoke("apply", "--config-dir", stack, "--auto-approve", *ENGINE)
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Error: [dev] variable canary has no value: set TF_VAR_canary in the environment "
                                     "(the only way values reach Terraform)")
    assert made[0].calls == []  # not even init ran
    assert _state_bytes(stack) is None


def test_many_variables_without_value_are_one_line_naming_the_first_five(tmp_path: Path, invoke: Callable,
                                                                           hook_runner: Callable) -> None:
    document = terraform_data_stack({"a": "one"})
    document["variable"] = {f"secret_{i:02}": {"type": "string", "sensitive": True} for i in range(12)}
    stack = write_stack(tmp_path / "dev", document)
    made = hook_runner()
    result = invoke("apply", "--config-dir", stack, "--auto-approve", *ENGINE)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: [dev] 12 variables have no value (secret_00, secret_01, secret_02, secret_03, secret_04 and 7 more): "
        "set TF_VAR_<name> in the environment for each (the only way values reach Terraform)")
    assert made[0].calls == []


def test_unreadable_reviewed_plan_is_one_clear_error(tmp_path: Path, invoke: Callable) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}))
    missing = tmp_path / "nope.json"
    result = invoke("apply", "--config-dir", stack, "--plan", missing, "--auto-approve", *ENGINE)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: [dev] {missing}: cannot read the reviewed plan: ")
    assert len(result.stderr.splitlines()) == 1 and _state_bytes(stack) is None

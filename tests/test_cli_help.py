"""`iac --help`: what the tool is, its exit codes, and the commands in the order a user needs them."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Run


def test_help_says_what_iac_is_and_lists_commands_in_workflow_order(run_iac: Callable[..., Run]) -> None:
    code, out, _ = run_iac("--help")
    assert code == 0
    assert "Databricks estates as typed Python" in out and "3 denied by policy" in out
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    workflow = ["synth", "plan", "show", "check", "apply", "comment", "version"]
    assert [name for name in listed if name in workflow] == workflow
    assert {"envs", "validate", "destroy", "sandbox"} <= set(listed)


def test_version_prints_one_line(run_iac: Callable[..., Run]) -> None:
    code, out, _ = run_iac("version")
    assert code == 0 and len(out.strip().splitlines()) == 1

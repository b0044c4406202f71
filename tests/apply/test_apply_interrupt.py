"""A real second process: concurrent apply fails fast, Ctrl-C stops Terraform gracefully and releases the lock."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from apply_helpers import terraform_data_stack, write_stack

from iac import _jsonio
from iac.terraform.audit import read_records

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
def _start_apply(stack: Path, engine: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "iac", "apply", "--config-dir", str(stack), "--auto-approve",
                             "--engine", engine], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _wait_for(process: subprocess.Popen[str], text: str) -> list[str]:
    seen: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"{text!r} never appeared; output was:\n{''.join(seen)}{process.stderr.read()}")  # type: ignore[union-attr]


@pytest.mark.parametrize("engine", [
    "embedded",
    pytest.param("binary", marks=pytest.mark.skipif(not (shutil.which("terraform") or shutil.which("tofu")),
                                                    reason="no terraform/tofu on PATH")),
])
def test_interrupted_apply_stops_gracefully_and_a_concurrent_apply_fails_fast(
        tmp_path: Path, invoke: Callable, engine: str) -> None:
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"fast": "x", "slow": "y", "later": "z"}, slow="slow"))
    stack_doc = _jsonio.read_json(stack / "main.tf.json")
    stack_doc["resource"]["terraform_data"]["later"]["depends_on"] = ["terraform_data.slow"]
    write_stack(stack, stack_doc)

    first = _start_apply(stack, engine)
    try:
        _wait_for(first, "terraform_data.slow: Provisioning with 'local-exec'")

        second = invoke("apply", "--config-dir", stack, "--auto-approve", "--engine", "embedded")
        assert second.exit_code == 1
        assert "environment is locked by" in second.stderr and f"(pid {first.pid} on " in second.stderr

        first.send_signal(signal.SIGINT)  # what Ctrl-C in a terminal delivers to iac
        _, stderr = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 1
    assert f"interrupted: {engine} terraform apply was asked to stop" in stderr

    state = _jsonio.read_json(stack / "terraform.tfstate")  # readable, and holds what was finished
    names = {r["name"] for r in state["resources"]}
    assert "fast" in names and "later" not in names
    assert not (stack / ".iac" / "lock.json").exists()
    assert not (stack / ".iac" / "run.tfplan").exists()
    assert [r["outcome"] for r in read_records(stack / ".iac" / "audit.jsonl")] == ["refused", "interrupted"]

    write_stack(stack, terraform_data_stack({"fast": "x", "slow": "y", "later": "z"}))  # no sleep this time
    resumed = invoke("apply", "--config-dir", stack, "--auto-approve", "--engine", engine)
    assert resumed.exit_code == 0, resumed.output


# --- the sandbox provider with a slow API (IAC_SANDBOX_APPLY_DELAY): a resource is in flight for seconds ---

def _chain_stack(directory: Path) -> Path:
    """Three secret scopes created one after the other (a -> b -> c)."""
    return write_stack(directory, {
        "terraform": {"required_providers": {"databricks": {"source": "databricks/databricks", "version": "1.110.0"}}},
        "provider": {"databricks": {"host": "https://example.cloud.databricks.com"}},
        "resource": {"databricks_secret_scope": {
            "a": {"name": "a"},
            "b": {"name": "b", "depends_on": ["databricks_secret_scope.a"]},
            "c": {"name": "c", "depends_on": ["databricks_secret_scope.b"]},
        }},
    })


def _start_sandbox_apply(stack: Path, delay: float) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "iac", "apply", "--config-dir", str(stack), "--sandbox",
                             "--auto-approve", "--engine", "embedded"], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "IAC_SANDBOX_APPLY_DELAY": str(delay)})


def _scopes(stack: Path) -> tuple[set[str], set[str]]:
    """Names of the scopes the state tracks, and of those the simulated workspace holds."""
    sandbox = stack / ".sandbox"
    state = _jsonio.read_json(sandbox / "terraform.tfstate") if (sandbox / "terraform.tfstate").exists() else {}
    tracked = {i["attributes"]["name"] for r in state.get("resources", []) for i in r["instances"]}
    store = _jsonio.read_json(sandbox / "provider" / "store.json")
    stored = {o["name"] for w in store["workspaces"].values() for o in w.get("databricks_secret_scope", {}).values()}
    return tracked, stored


def test_first_interrupt_lets_the_resource_in_flight_finish_and_writes_it_to_the_state(tmp_path: Path) -> None:
    stack = _chain_stack(tmp_path / "dev")
    run = _start_sandbox_apply(stack, delay=3)
    try:
        _wait_for(run, "databricks_secret_scope.a: Creating...")
        run.send_signal(signal.SIGINT)  # one Ctrl-C while `a` is in flight at the (slow) API
        stdout, stderr = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 1
    assert "Interrupt: asking Terraform to stop gracefully" in stderr
    assert "interrupted: embedded terraform apply was asked to stop" in stderr
    assert "Gracefully shutting down..." in stdout  # Terraform's own first-interrupt handling
    tracked, stored = _scopes(stack)
    assert tracked == stored == {"a"}  # what was in flight finished and is in the state; nothing after it started
    assert not list(stack.rglob("*.tfplan"))


def test_second_interrupt_stops_terraform_at_once(tmp_path: Path) -> None:
    stack = _chain_stack(tmp_path / "dev")
    run = _start_sandbox_apply(stack, delay=30)
    try:
        _wait_for(run, "databricks_secret_scope.a: Creating...")
        run.send_signal(signal.SIGINT)
        time.sleep(0.5)
        started = time.monotonic()
        run.send_signal(signal.SIGINT)  # a second Ctrl-C: do not wait for the 30 s API call
        stdout, stderr = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
    assert time.monotonic() - started < 20
    assert run.returncode == 1
    assert "Second interrupt: Terraform stops at once" in stderr
    assert "Terraform stopped at once (second interrupt): the state may miss what was in flight" in stderr
    assert not (stack / ".sandbox" / ".iac" / "lock.json").exists()


def test_killed_mid_apply_terraform_finishes_and_the_next_run_waits_then_converges(
        tmp_path: Path, invoke: Callable) -> None:
    stack = _chain_stack(tmp_path / "dev")
    run = _start_sandbox_apply(stack, delay=1.5)
    try:
        _wait_for(run, "databricks_secret_scope.a: Creating...")
        run.send_signal(signal.SIGKILL)  # iac dies at once; the Terraform it started must go on
        run.wait()
    finally:
        if run.poll() is None:
            run.kill()
    again = invoke("apply", "--config-dir", stack, "--sandbox", "--auto-approve", "--engine", "embedded")
    assert again.exit_code == 0, again.output
    out = again.stdout
    assert "ended without releasing its lock, but the Terraform it started is still running" in out
    assert "\n  databricks_secret_scope." in out  # the dead run's Terraform output, followed while waiting
    assert "Took over the lock of a run that did not finish: `iac apply dev` by" in out
    assert "`terraform apply`, ended with exit code 0: Apply complete! Resources: 3 added" in out
    assert "No changes. Terraform agrees; nothing to apply." in out
    tracked, stored = _scopes(stack)
    assert tracked == stored == {"a", "b", "c"}
    records = read_records(stack / ".sandbox" / ".iac" / "audit.jsonl")
    assert [r["outcome"] for r in records] == ["killed", "no-changes"]
    assert records[0]["terraform_summary"] == "Apply complete! Resources: 3 added, 0 changed, 0 destroyed."
    assert not list(stack.rglob("*.tfplan")) and not any((stack / ".sandbox" / ".iac" / "runs").iterdir())


@pytest.mark.parametrize("after", [0.3, 0.7, 1.1, 1.5])
def test_an_early_interrupt_is_never_swallowed(tmp_path: Path, after: float) -> None:
    """Ctrl-C shortly after start (imports, synth, the sandbox starting, the preview): the run stops."""
    stack = _chain_stack(tmp_path / "dev")
    run = _start_sandbox_apply(stack, delay=2)  # the apply outlasts every `after`, however fast the machine
    time.sleep(after)
    run.send_signal(signal.SIGINT)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode != 0, f"{stdout}\n{stderr}"
    assert "Apply complete!" not in stdout, f"{stdout}\n--- stderr\n{stderr}"  # once seen under load 15: diagnose

"""A real second process: concurrent apply fails fast, Ctrl-C stops Terraform gracefully and releases the lock."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
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

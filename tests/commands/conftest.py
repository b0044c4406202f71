"""Everyday commands through the real entry point (`python -m iac` in a child process), on a project that
`iac init` scaffolded in a temporary directory (so the scaffold is proven to plan, apply and refresh too)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOST = "https://qa.cloud.databricks.com"
ENGINE = ("--engine", "embedded")

Iac = Callable[..., subprocess.CompletedProcess[str]]


def run_iac(*args: str | Path, cwd: Path, input: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`iac ARGS` in `cwd`, in a clean environment (no TF_VAR_*, IAC_USER=alice), stdout and stderr apart."""
    environ = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
               "IAC_USER": "alice", "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "iac", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          input=input, env=environ, timeout=timeout)


def scaffold(project: Path, name: str = "qa", *flags: str) -> None:
    """`iac init NAME` with every required answer given as a flag."""
    project.mkdir(parents=True, exist_ok=True)
    result = run_iac("init", name, "--account-id", "0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0009", "--host", HOST, *flags,
                     cwd=project, input="")
    assert result.returncode == 0, result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A new project with one scaffolded development environment, `qa`."""
    root = tmp_path / "project"
    scaffold(root)
    return root


@pytest.fixture
def iac(project: Path) -> Iac:
    """Run `iac` in the scaffolded project."""

    def call(*args: str | Path, input: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return run_iac(*args, cwd=project, input=input, env=env)

    return call

"""Shared fixtures: a clean environment for every test (no variable the tool reads leaks in)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import settings

# Generated examples are the same on every run (CI must not fail on a draw it never saw before); set
# IAC_HYPOTHESIS=random to explore new examples while developing.
settings.register_profile("iac", derandomize=True)
settings.register_profile("random", derandomize=False)
settings.load_profile("random" if os.environ.get("IAC_HYPOTHESIS") == "random" else "iac")

PROJECT = Path(__file__).resolve().parent.parent

_TOOL_VARIABLES = ("IAC_USER", "IAC_PROJECT", "GITHUB_TOKEN", "TF_CLI_CONFIG_FILE", "TF_REATTACH_PROVIDERS")


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name in _TOOL_VARIABLES or name.startswith("TF_VAR_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IAC_USER", "alice")


@pytest.fixture
def project_dir() -> Path:
    return PROJECT


def update_golden() -> bool:
    return os.environ.get("IAC_UPDATE_GOLDEN") == "1"


class Run(NamedTuple):
    """What one in-process CLI run gave: exit code, stdout and stderr apart."""

    code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_iac(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run the real CLI entry point in-process (`run_iac("plan", "dev")`)."""

    from iac import cli

    def run(*args: str) -> Run:
        monkeypatch.setattr(sys, "argv", ["iac", *args])
        capsys.readouterr()
        try:
            cli.main()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run

"""Shared fixtures: a clean environment for every test (no variable the tool reads leaks in)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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

"""A fleet project in a temporary directory, with the repository's blueprints (`modules/`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.fleet.helpers import write_project

TRICKY = ["fraud", "security", "vision", "identity", "catalog", "search"]
"""Member names that occur inside literals of the blueprint (`data_security_mode`, `provisioning_info`,
`identity`, `databricks_catalog`) next to plain ones: grouping must not split them from the others."""


@pytest.fixture
def fleet_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """`fleet_project(teams)`: a project with `environments/fleet.py`, cwd set to it."""

    def make(teams: list[str], **options: str) -> Path:
        root = tmp_path / "project"
        write_project(root, teams, **options)
        if not (root / "modules").exists():
            (root / "modules").symlink_to(PROJECT / "modules")
        monkeypatch.chdir(root)
        return root

    return make


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], None]:
    """Set every team's secret variables (TF_VAR_*), as a real run would."""
    from tests.fleet.helpers import secrets_env

    def set_for(keys: list[str]) -> None:
        for name, value in secrets_env(keys).items():
            monkeypatch.setenv(name, value)

    return set_for


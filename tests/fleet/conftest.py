"""A fleet project in a temporary directory, with the repository's blueprints (`modules/`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.fleet.helpers import team, write_project

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



@pytest.fixture
def sandbox_fleet(fleet_project: Callable[..., Path]) -> Path:
    """A development fleet of two members (fraud, search) applied into the sandbox with real Terraform."""
    import os
    import subprocess
    import sys

    root = fleet_project([team("fraud", 1), team("search", 2)], mode="development")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    result = subprocess.run([sys.executable, "-m", "iac", "apply", "fleet", "--sandbox", "--auto-approve", "--engine",
                             "embedded"], cwd=root, capture_output=True, text=True, timeout=900,
                            env={**env, "PYTHONPATH": str(PROJECT), "IAC_USER": "alice"})
    assert result.returncode == 0, result.stderr[-3000:]
    return root

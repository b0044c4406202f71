from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from apply_oracle import OraclePreviewer
from typer.testing import CliRunner, Result

from iac.cli import app


@pytest.fixture
def oracle() -> OraclePreviewer:
    return OraclePreviewer()


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch, oracle: OraclePreviewer) -> Callable[..., Result]:
    """Run the CLI in-process with the oracle standing in for iac's plan engine."""
    monkeypatch.setattr("iac.commands.apply.default_previewer", lambda: oracle)

    def run(*args: str | Path, input: str | None = None) -> Result:
        return CliRunner().invoke(app, [str(a) for a in args], input=input)

    return run

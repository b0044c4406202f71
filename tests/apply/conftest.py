from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from apply_helpers import ScriptedPreviewer
from typer.testing import CliRunner, Result

from iac.cli import app, register_commands
from iac.terraform.fake import HookedRunner
from iac.terraform.runner import select_runner

register_commands()  # CliRunner calls `app` directly, not main(): every command registered up front


@pytest.fixture
def previewer() -> ScriptedPreviewer:
    return ScriptedPreviewer()


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch, previewer: ScriptedPreviewer) -> Callable[..., Result]:
    """Run the CLI in-process; iac's real preview, which a test may script to disagree or deny."""
    monkeypatch.setattr("iac.commands.apply.default_previewer", lambda: previewer)

    def run(*args: str | Path, input: str | None = None) -> Result:
        return CliRunner().invoke(app, [str(a) for a in args], input=input)

    return run


@pytest.fixture
def hook_runner(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[HookedRunner]]:
    """Wrap the real engine of the next CLI runs in a HookedRunner (inject a change or a failure)."""

    def install(**hooks: object) -> list[HookedRunner]:
        made: list[HookedRunner] = []

        def factory(engine: str, env: object, **setup: object) -> tuple[HookedRunner, object]:
            runner, version = select_runner(engine, env, **setup)  # type: ignore[arg-type]
            made.append(HookedRunner(runner, **hooks))  # type: ignore[arg-type]
            return made[-1], version

        monkeypatch.setattr("iac.commands.apply.select_runner", factory)
        return made

    return install

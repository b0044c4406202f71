from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from iac import cli
from tests.github.fake_github import FakeGitHub, serve

TOKEN = "ghp_TESTTOKEN0123456789abcdefSECRET"
REPO = "acme/platform"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variables iac comment reads come only from each test."""
    for name in ("GITHUB_TOKEN", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub(token=TOKEN, pulls={(REPO, 7)})
    server, thread = serve(fake)
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_iac(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run the real CLI entry point in-process: exit code, stdout and stderr apart."""

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

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.github.fake_github import FakeGitHub, serve

TOKEN = "ghp_TESTTOKEN0123456789abcdefSECRET"
REPO = "acme/platform"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variables iac comment reads come only from each test."""
    for name in ("GITHUB_TOKEN", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)


@contextmanager
def running(fake: FakeGitHub) -> Iterator[FakeGitHub]:
    """`fake` served on 127.0.0.1 for the block (its `url`), shut down after."""
    server, thread = serve(fake)
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with running(FakeGitHub(token=TOKEN, pulls={(REPO, 7)})) as fake:
        yield fake

"""`skip_teardown`: the executable ends a read-only command without freeing or scanning its objects."""

from __future__ import annotations

import gc

import pytest

from iac import cli


def test_in_process_nothing_is_kept_or_frozen() -> None:
    frozen = gc.get_freeze_count()
    cli.skip_teardown(object())
    assert gc.get_freeze_count() == frozen


def test_the_executable_keeps_the_objects_and_freezes_everything_alive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Frozen objects are never scanned again: re-enabling the collector after a 100k plan would
    otherwise scan the plan's ~1.7 million objects (0.5 s) just before the process ends."""
    kept: list[object] = []
    monkeypatch.setattr(cli, "_kept_until_exit", kept)
    plan = {"resource_changes": [{"address": "a"}]}
    gc.disable()
    try:
        cli.skip_teardown(plan)
        assert kept == [(plan,)]
        assert gc.get_freeze_count() > 0
        assert gc.get_count()[0] == 0  # nothing left for the next collection to scan
    finally:
        gc.unfreeze()
        gc.enable()

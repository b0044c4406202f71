"""Canary: a secret given as TF_VAR_* reaches Terraform and nowhere else (files, argv, output, audit)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from apply_helpers import files_containing, terraform_data_stack, write_stack

from iac.terraform._worker_session import WorkerSession

CANARY = "canary-7f3a91e2-do-not-leak"


def test_secret_canary_reaches_terraform_only_through_the_environment(
        tmp_path: Path, invoke: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TF_VAR_canary", CANARY)
    commands: list[str] = []  # every Terraform command line the embedded worker was asked to run
    real_run = WorkerSession.run

    def recording(self, args, workdir, on_line=None, owns=()):  # type: ignore[no-untyped-def]
        commands.append(" ".join(args))
        return real_run(self, args, workdir, on_line, owns)

    monkeypatch.setattr(WorkerSession, "run", recording)
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}, canary=True))
    outputs = []
    for args in (("apply",), ("destroy",)):
        result = invoke(*args, "--config-dir", stack, "--auto-approve", "--engine", "embedded")
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout + result.stderr)

    # the secret resource really was created with the canary's value: the state backed up before destroy holds it
    assert any(CANARY in p.read_text() for p in (stack / ".iac" / "backups").glob("*.tfstate"))
    assert files_containing(stack, CANARY.encode()) == []
    assert not any(CANARY in text for text in outputs)
    assert not any(CANARY in command for command in commands)
    assert sum(command.startswith("apply ") for command in commands) == 2

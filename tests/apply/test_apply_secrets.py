"""Canary: a secret given as TF_VAR_* reaches Terraform and nowhere else (files, argv, output, audit)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from apply_helpers import terraform_data_stack, write_stack

from iac.terraform._embedded_session import EmbeddedSession

CANARY = "canary-7f3a91e2-do-not-leak"
STATE_SUFFIXES = (".tfstate", ".tfstate.backup")  # Terraform's own state (and iac's copies of it) hold it in clear


def _files_containing(root: Path, needle: bytes) -> list[str]:
    found: list[str] = []
    for path in root.rglob("*"):
        if not path.is_file() or path.name.endswith(STATE_SUFFIXES):
            continue
        data = path.read_bytes()
        if zipfile.is_zipfile(path):  # Terraform plan files are zips: look inside the members too
            with zipfile.ZipFile(path) as archive:
                data += b"".join(archive.read(name) for name in archive.namelist())
        if needle in data:
            found.append(str(path.relative_to(root)))
    return found


def test_secret_canary_reaches_terraform_only_through_the_environment(
        tmp_path: Path, invoke: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TF_VAR_canary", CANARY)
    commands: list[str] = []  # every Terraform command line the embedded worker was asked to run
    real_run = EmbeddedSession.run

    def recording(self, args, workdir, on_line=None):  # type: ignore[no-untyped-def]
        commands.append(" ".join(args))
        return real_run(self, args, workdir, on_line)

    monkeypatch.setattr(EmbeddedSession, "run", recording)
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}, canary=True))
    outputs = []
    for args in (("apply",), ("destroy",)):
        result = invoke(*args, "--config-dir", stack, "--auto-approve", "--engine", "embedded")
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout + result.stderr)

    # the secret resource really was created with the canary's value: the state backed up before destroy holds it
    assert any(CANARY in p.read_text() for p in (stack / ".iac" / "backups").glob("*.tfstate"))
    assert _files_containing(stack, CANARY.encode()) == []
    assert not any(CANARY in text for text in outputs)
    assert not any(CANARY in command for command in commands)
    assert sum(command.startswith("apply ") for command in commands) == 2

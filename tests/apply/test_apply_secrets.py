"""Canary: a secret given as TF_VAR_* reaches Terraform and nowhere else (files, argv, output, audit), and the
plan files that do hold it are owner-only and gone when the run ends, however it ends."""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


def _run_dir_files(root: Path) -> list[tuple[str, int]]:
    """(name, mode) of what the run's own directory holds at this moment, the directory itself first."""
    [run_dir] = (root / ".iac" / "runs").iterdir()
    return [(".", stat.S_IMODE(run_dir.stat().st_mode))] + sorted(
        (p.name, stat.S_IMODE(p.stat().st_mode)) for p in run_dir.iterdir())


def test_the_plan_file_holding_the_canary_is_owner_only_and_gone_after_a_failed_apply(
        tmp_path: Path, invoke: Callable, hook_runner: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TF_VAR_canary", CANARY)
    stack = write_stack(tmp_path / "dev", terraform_data_stack({"a": "one"}, canary=True))
    seen: list[list[tuple[str, int]]] = []
    plan_bytes: list[bytes] = []

    def inspect(root: Path) -> None:
        seen.append(_run_dir_files(root))
        plan_bytes.append(next((root / ".iac" / "runs").iterdir()).joinpath("run.tfplan").read_bytes())

    hook_runner(before={"apply": inspect}, fail={"apply": RuntimeError("the apply failed")})
    result = invoke("apply", "--config-dir", stack, "--auto-approve", "--engine", "embedded")
    assert result.exit_code == 1
    [files] = seen
    assert files[0] == (".", 0o700)
    assert ("run.tfplan", 0o600) in files and all(mode == 0o600 for _, mode in files[1:]), files
    assert plan_bytes[0]  # Terraform wrote the plan (and the canary in it) into the owner-only file
    assert not list(stack.rglob("*.tfplan")) and not any((stack / ".iac" / "runs").iterdir())
    assert files_containing(stack, CANARY.encode()) == []


def test_iac_sandbox_apply_leaves_no_plan_file_and_no_canary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              invoke: Callable) -> None:
    """`iac sandbox apply` writes its plan file outside the work directory, owner-only, and removes it."""
    from iac.sandbox import session

    monkeypatch.setenv("TF_VAR_canary", CANARY)
    config = write_stack(tmp_path / "build", terraform_data_stack({"a": "one"}, canary=True))
    modes: list[int] = []
    real_planfile = session.Sandbox.planfile

    @contextmanager
    def watched(self: session.Sandbox) -> Iterator[Path]:
        with real_planfile(self) as planfile:
            yield planfile
            modes.append(stat.S_IMODE(planfile.stat().st_mode))  # after Terraform wrote and applied it
            assert planfile.stat().st_size > 0 and CANARY.encode() in _zip_text(planfile)

    monkeypatch.setattr(session.Sandbox, "planfile", watched)
    result = invoke("sandbox", "apply", "--config-dir", config, "--sandbox-dir", tmp_path / "sandbox")
    assert result.exit_code == 0, result.output
    assert modes == [0o600]
    assert not list(tmp_path.rglob("*.tfplan")) and not list((tmp_path / "sandbox").glob(".plan-*"))
    assert files_containing(tmp_path, CANARY.encode()) == []
    assert CANARY not in result.output


def _zip_text(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())

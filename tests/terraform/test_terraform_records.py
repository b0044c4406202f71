"""The working directory's files: atomic config, plan file lifetime, owner-only backups, append-only audit."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from iac.terraform.audit import AuditRecord, append_record, read_records
from iac.terraform.workdir import Workdir, config_hash


def test_write_config_returns_the_hash_of_exactly_the_bytes_written(tmp_path: Path) -> None:
    workdir = Workdir(tmp_path / "dev")
    digest = workdir.write_config('{"resource": {}}\n')
    assert digest == config_hash(workdir.config.read_bytes()) == workdir.current_config_hash()
    assert [p.name for p in workdir.root.iterdir()] == ["main.tf.json"]  # no temporary file left behind


def test_an_unchanged_config_is_not_rewritten(tmp_path: Path) -> None:
    workdir = Workdir(tmp_path)
    workdir.write_config("{}\n")
    before = workdir.config.stat().st_mtime_ns
    workdir.write_config("{}\n")
    assert workdir.config.stat().st_mtime_ns == before


def test_planfile_is_owner_only_and_removed_however_the_block_ends(tmp_path: Path) -> None:
    workdir = Workdir(tmp_path)
    with pytest.raises(RuntimeError), workdir.run_files("token") as run_dir, workdir.planfile(run_dir) as planfile:
        assert stat.S_IMODE(run_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE(planfile.stat().st_mode) == 0o600 and planfile.stat().st_size == 0
        planfile.write_bytes(b"plan with secrets")
        raise RuntimeError
    assert not planfile.exists() and not run_dir.exists()


def test_terraform_keeps_the_mode_of_the_plan_file_it_writes_into(tmp_path: Path) -> None:
    """Why pre-creating the plan file works: Terraform 1.15 opens an existing plan file, truncates it and keeps
    its mode; a plan file it creates itself is 0644."""
    from iac.terraform.runner import EmbeddedRunner

    (tmp_path / "main.tf.json").write_text('{"resource": {"terraform_data": {"a": {"input": "x"}}}}')
    runner = EmbeddedRunner()
    try:
        runner.init(tmp_path)
        with Workdir(tmp_path).run_files("t") as run_dir, Workdir.planfile(run_dir) as planfile:
            runner.plan(tmp_path, planfile)
            assert planfile.stat().st_size > 0 and stat.S_IMODE(planfile.stat().st_mode) == 0o600
        runner.plan(tmp_path, tmp_path / "fresh.tfplan")
        umask = os.umask(0)
        os.umask(umask)
        assert stat.S_IMODE((tmp_path / "fresh.tfplan").stat().st_mode) == 0o666 & ~umask
    finally:
        runner.close()


def test_state_backups_are_owner_only(tmp_path: Path) -> None:
    backup = Workdir(tmp_path).backup_state('{"serial": 7}', 7)
    assert backup.name.endswith("-serial7.tfstate") and backup.read_text() == '{"serial": 7}'
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700


def test_audit_appends_whole_lines_from_concurrent_writers(tmp_path: Path) -> None:
    log = tmp_path / ".iac" / "audit.jsonl"
    append_record(log, AuditRecord(environment="dev", command="apply", outcome="applied"))

    def write(n: int) -> None:
        for i in range(20):
            append_record(log, AuditRecord(environment="dev", command="apply", outcome=f"run-{n}-{i}"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = read_records(log)
    assert len(records) == 81 and records[0]["outcome"] == "applied"  # the first line was never rewritten
    assert sorted(r["outcome"] for r in records[1:]) == sorted(f"run-{n}-{i}" for n in range(4) for i in range(20))
    assert set(records[0]) >= {"time", "user", "environment", "config_hash", "plan_hash", "verdict", "cost_delta",
                               "approval", "outcome", "terraform_summary"}
    assert stat.S_IMODE(log.stat().st_mode) == 0o600

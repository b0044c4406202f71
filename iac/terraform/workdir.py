"""The environment's working directory: where the configuration, Terraform's files and iac's records live.

    <workdir>/main.tf.json            the synthesized configuration (written atomically, whole or not at all)
    <workdir>/terraform.tfstate       Terraform's state (local backend)
    <workdir>/.terraform/             Terraform's plugins and backend settings
    <workdir>/.iac/lock.json          who is applying right now (iac/terraform/lock.py)
    <workdir>/.iac/audit.jsonl        one line per apply/destroy run (iac/terraform/audit.py)
    <workdir>/.iac/backups/           the state as it was before each apply, readable by its owner only
    <workdir>/.iac/runs/<token>/      one run's own files (owner-only, 0700), only while the run lives:
                                      run.tfplan (0600), Terraform's output while iac reads it, the
                                      worker's journal (iac/terraform/_worker.py)
    <workdir>/.sandbox/               the same layout again, for `--sandbox` runs (never the real state)

The run directory is deleted as soon as the run ends, whatever the outcome: Terraform stores the values of
variables, sensitive ones included, in the plan file and in `show -json` output, and an old plan file must
never be mistaken for a reviewed one. If iac itself is killed, its Terraform worker removes the plan file
when it finishes, and the next run removes the rest (iac/apply/recovery.py).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from iac._jsonio import atomic_write

__all__ = ["CONFIG_FILE", "Workdir", "config_hash"]

CONFIG_FILE = "main.tf.json"


def config_hash(data: bytes) -> str:
    """`sha256:<hex>` of the configuration bytes, as in the plan JSON's `iac.config_hash`."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Workdir:
    """Paths inside one environment's working directory. Creating the object touches nothing."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def meta(self) -> Path:
        return self.root / ".iac"

    @property
    def lockfile(self) -> Path:
        return self.meta / "lock.json"

    @property
    def audit_log(self) -> Path:
        return self.meta / "audit.jsonl"

    @property
    def backups(self) -> Path:
        return self.meta / "backups"

    @property
    def sandbox(self) -> Workdir:
        return Workdir(self.root / ".sandbox")

    def write_config(self, text: str) -> str:
        """Write main.tf.json atomically unless it already holds exactly `text`; return its hash."""
        data = text.encode("utf-8")
        if not (self.config.is_file() and self.config.read_bytes() == data):
            atomic_write(self.config, data)
        return config_hash(data)

    def current_config_hash(self) -> str | None:
        return config_hash(self.config.read_bytes()) if self.config.is_file() else None

    def backup_state(self, state_text: str, serial: int | None) -> Path:
        """Keep a copy of the state before an apply changes it (owner-only: state holds secrets)."""
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        name = f"{stamp}-serial{serial if serial is not None else 0}.tfstate"
        self.backups.mkdir(parents=True, exist_ok=True)
        self.backups.chmod(0o700)
        return atomic_write(self.backups / name, state_text, mode=0o600)

    @property
    def runs(self) -> Path:
        return self.meta / "runs"

    def run_dir(self, token: str) -> Path:
        return self.runs / token

    @contextmanager
    def run_files(self, token: str) -> Iterator[Path]:
        """The run's own owner-only directory, removed with everything in it when the run leaves this block."""
        path = self.run_dir(token)
        path.mkdir(parents=True, mode=0o700)
        path.chmod(0o700)
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    @staticmethod
    @contextmanager
    def planfile(run_dir: Path) -> Iterator[Path]:
        """A path for Terraform's plan file, created empty and owner-only first (Terraform writes into an
        existing plan file and keeps its mode; a new one would be 0644), removed when the block ends."""
        path = run_dir / "run.tfplan"
        path.unlink(missing_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            yield path
        finally:
            path.unlink(missing_ok=True)

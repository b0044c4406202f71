"""Helpers for the apply tests: terraform_data stacks, and a previewer that can be made to disagree.

`ScriptedPreviewer` wraps iac's real previewer (diff engine + checks) and can override the verdict or
tamper with the plan JSON afterwards, to simulate an engine that disagrees with Terraform or checks that deny.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from iac import _jsonio
from iac.apply.preview import PreviewRequest
from iac.workflows.applying import EnginePreviewer

__all__ = ["ScriptedPreviewer", "dev_project_with_canaries", "files_containing", "terraform_data_stack", "write_stack"]

REPO = Path(__file__).resolve().parents[2]

STATE_SUFFIXES = (".tfstate", ".tfstate.backup")  # Terraform's own state (and iac's copies of it) hold secrets in clear


class ScriptedPreviewer:
    """The real preview, then optional overrides (`verdict`, `findings`, `tamper`)."""

    def __init__(self) -> None:
        self.inner = EnginePreviewer()
        self.verdict: str | None = None
        self.findings: list[dict[str, Any]] | None = None
        self.tamper: Callable[[dict[str, Any]], None] | None = None
        self.requests: list[PreviewRequest] = []

    def preview(self, request: PreviewRequest) -> dict[str, Any]:
        self.requests.append(request)
        plan = self.inner.preview(request)
        if self.verdict is not None:
            plan["iac"]["verdict"] = self.verdict
        if self.findings is not None:
            plan["iac"]["findings"] = self.findings
        if self.tamper is not None:
            self.tamper(plan)
        return plan


def terraform_data_stack(inputs: dict[str, Any], *, slow: str | None = None, canary: bool = False) -> dict[str, Any]:
    """A main.tf.json document of terraform_data resources: `{name: input}`; `slow` sleeps on create."""
    resources: dict[str, Any] = {name: {"input": value} for name, value in inputs.items()}
    if slow is not None:
        resources[slow]["provisioner"] = [{"local-exec": {"command": "sleep 20"}}]
    document: dict[str, Any] = {"resource": {"terraform_data": resources}}
    if canary:
        document["variable"] = {"canary": {"type": "string", "sensitive": True}}
        resources["secret"] = {"input": "${var.canary}"}
    return document


def write_stack(directory: Path, document: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.tf.json").write_text(_jsonio.dumps(document), encoding="utf-8")
    return directory


def files_containing(root: Path, needle: bytes) -> list[str]:
    """Files under `root` (state files excepted) whose bytes, or zip members, contain `needle`."""
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


@contextmanager
def dev_project_with_canaries(project: Path, canary: Callable[[int, str], str]) -> Iterator[dict[str, str]]:
    """Copy the example project into `project`; for the block, IAC_USER=alice and every variable of dev given as
    `TF_VAR_<name>` = `canary(index, name)` (secrets no file or output may show). Yields name -> canary."""
    import pytest

    from iac.synth import synthesize

    for part in ("environments", "modules"):
        shutil.copytree(REPO / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IAC_USER", "alice")
        variables = synthesize("dev", project).document.get("variable", {})
        canaries = {name: canary(index, name) for index, name in enumerate(sorted(variables))}
        for name, value in canaries.items():
            patch.setenv(f"TF_VAR_{name}", value)
        yield canaries

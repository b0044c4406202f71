"""Test doubles for the apply flow: a previewer backed by real Terraform, and helpers to build stacks.

`OraclePreviewer` stands in for iac's diff engine in tests of the Terraform side: it plans the same
configuration and state with real Terraform in a scratch directory and adds the `iac` key, so the preview
agrees with Terraform unless a test makes them disagree (`tamper`) or sets a verdict.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from iac import _jsonio
from iac.apply.preview import PreviewRequest, state_identity
from iac.terraform.runner import EmbeddedRunner
from iac.terraform.workdir import config_hash

__all__ = ["OraclePreviewer", "terraform_data_stack", "write_stack"]


class OraclePreviewer:
    """Previews with real Terraform (embedded engine) in a scratch copy; never touches the real workdir."""

    def __init__(self, *, verdict: str = "pass", findings: list[dict[str, Any]] | None = None,
                 tamper: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.verdict = verdict
        self.findings = findings or []
        self.tamper = tamper
        self.requests: list[PreviewRequest] = []

    def preview(self, request: PreviewRequest) -> dict[str, Any]:
        self.requests.append(request)
        runner = EmbeddedRunner()
        with tempfile.TemporaryDirectory(prefix="iac-oracle-") as scratch:
            root = Path(scratch)
            (root / "main.tf.json").write_text(request.config_text, encoding="utf-8")
            if request.state_text is not None:
                (root / "terraform.tfstate").write_text(request.state_text, encoding="utf-8")
            runner.init(root)
            runner.plan(root, root / "p.tfplan", destroy=request.destroy, targets=request.targets)
            plan = runner.show_plan_json(root, root / "p.tfplan")
        plan.pop("variables", None)  # like iac's plan JSON, the preview carries no secret in clear
        plan.pop("prior_state", None)
        state = state_identity(request.state_text)
        plan["iac"] = {
            "format_version": "1.0", "environment": request.environment, "mode": request.mode,
            "config_hash": config_hash(request.config_text.encode("utf-8")),
            "state": state.to_json() if state else None,
            "plan_mode": "destroy" if request.destroy else "normal",
            "sources": {}, "reasons": {}, "findings": self.findings, "verdict": self.verdict,
            "cost": {"currency": "USD", "delta": "0", "resources": []},
        }
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

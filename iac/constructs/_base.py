"""The base of every construct: a typed Terraform resource that knows where it was made.

A construct is a pydantic model of one Terraform resource. Its Terraform local name is the first,
positional argument (`Cluster("shared", cluster_name=...)`), kept apart from the attributes because
Databricks resources have attributes called `name`, `key` and `id`. Typed fields cover what a
platform team sets every day; any other attribute of the provider schema may be passed as a keyword
too, and is checked against the schema like the typed ones (unknown name, wrong type, missing
required attribute: a one-line error naming file:line, environment, address and attribute).

Reading an attribute the construct does not hold (a computed one such as `policy.id` or
`workspace.workspace_url`) yields a `Ref`, which synthesizes to `${type.name.attr}`; synth
derives dependencies from those references, as Terraform does.
"""

from __future__ import annotations

import contextvars
import os
import re
import sys
from collections.abc import Iterator, Mapping
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError
from pydantic_core import core_schema

from iac.constructs._levels import Level
from iac.constructs._validate import terraform_wording, validate_body
from iac.diagnostics import ConfigError, Diagnostic
from iac.schema import ResourceSchema, load_schemas

__all__ = ["Block", "Construct", "Level", "Lifecycle", "Ref", "SecretValue", "current_environment", "environment_context", "relative_source", "to_json"]

_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)
_SKIP_PREFIXES = (_PACKAGE_DIR, str(Path(BaseModel.__module__ and sys.modules["pydantic"].__file__ or "").parent))

_environment: contextvars.ContextVar[str | None] = contextvars.ContextVar("iac_environment", default=None)


def current_environment() -> str | None:
    """Name of the environment being built, for error messages (None outside a build)."""
    return _environment.get()


class environment_context:  # noqa: N801 - used as a context manager
    """Marks constructs created inside the block as belonging to environment `name`."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self._token = _environment.set(self.name)

    def __exit__(self, *exc: object) -> None:
        _environment.reset(self._token)


def _creation_site() -> str:
    """`file:line` (absolute file) of the first caller outside iac and pydantic."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_SKIP_PREFIXES) and not filename.startswith("<frozen"):
            break
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return "<unknown>:0"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def relative_source(source: str, base: str | os.PathLike[str] | None = None) -> str:
    """`file:line` with the file relative to `base` (default: the working directory) when inside it."""
    path, _, line = source.rpartition(":")
    if not os.path.isabs(path):
        return source
    relative = os.path.relpath(path, base) if base is not None else os.path.relpath(path)
    if relative.startswith(".."):
        relative = path
    return f"{Path(relative).as_posix()}:{line}"


class Ref:
    """A reference to another construct's attribute; `str(ref)` is the Terraform interpolation.

    A plain class (not a dataclass or model) so pydantic passes it through untouched."""

    __slots__ = ("attribute", "target")

    def __init__(self, target: Construct, attribute: str) -> None:
        self.target = target
        self.attribute = attribute

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and other.target is self.target and other.attribute == self.attribute

    def __hash__(self) -> int:
        return hash((id(self.target), self.attribute))

    def __repr__(self) -> str:
        return f"Ref({self.expression})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        return core_schema.is_instance_schema(cls)

    @property
    def expression(self) -> str:
        return f"{self.target.address}.{self.attribute}"

    def __str__(self) -> str:
        return "${" + self.expression + "}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class SecretValue:
    """A secret's value: always a sensitive Terraform variable, fed from `TF_VAR_<variable>` at apply.

    iac never sees the value; synth declares the variable (`sensitive = true`) and refers to it."""

    __slots__ = ("description", "variable")

    def __init__(self, variable: str, description: str | None = None) -> None:
        if not _LOCAL_NAME.match(variable):
            raise ValueError(f"invalid variable name {variable!r}")
        self.variable = variable
        self.description = description

    def __str__(self) -> str:
        return "${var." + self.variable + "}"

    def __repr__(self) -> str:
        return f"SecretValue({self.variable!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        return core_schema.is_instance_schema(cls)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretValue) and other.variable == self.variable

    def __hash__(self) -> int:
        return hash(self.variable)


class Block(BaseModel):
    """A nested block (autoscale, task, grant...). Unmodelled schema attributes may be passed as keywords;
    they are checked against the schema when the resource that holds the block is built."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, arbitrary_types_allowed=True, populate_by_name=True)

    def __init__(self, **attributes: Any) -> None:
        if isinstance(self, Construct):  # a resource sharing a block's fields: it reports its own errors
            super().__init__(**attributes)
            return
        try:
            super().__init__(**attributes)
        except ValidationError as error:
            # The resource is not built yet: name the block, its file:line and environment.
            raise ConfigError(*_pydantic_diagnostics(error, relative_source(_creation_site()), current_environment(),
                                                     type(self).__name__)) from None


class Lifecycle(BaseModel):
    """Terraform's `lifecycle` meta-argument."""

    model_config = ConfigDict(extra="forbid")

    create_before_destroy: bool | None = None
    prevent_destroy: bool | None = None
    ignore_changes: list[str] | Literal["all"] | None = None
    replace_triggered_by: list[Ref | str] | None = None


class Construct(BaseModel):
    """One Terraform resource. Subclasses set `TF_TYPE` and declare typed fields."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, arbitrary_types_allowed=True,
                              protected_namespaces=(), populate_by_name=True)

    TF_TYPE: ClassVar[str] = ""
    LEVEL: ClassVar[Level] = "workspace"
    """Which provider configuration serves it: the account provider, a workspace alias, or a cloud provider."""
    TAGS_FIELD: ClassVar[str | None] = None
    """Attribute that holds this resource's tags, if any (environment default tags are merged into it)."""
    DISPLAY_NAME_FIELDS: ClassVar[tuple[str, ...]] = ()
    """Human-facing names; development mode prefixes them with `[dev <user>] `."""
    IDENTIFIER_FIELDS: ClassVar[tuple[str, ...]] = ()
    """Names other things refer to; development mode and indirect separation prefix them."""
    ADDRESS_PREFIX: ClassVar[str] = ""
    """`data.` for data sources: what comes before `TYPE.NAME` in the address."""

    depends_on: list[Construct] = Field(default_factory=list)
    lifecycle: Lifecycle | None = None

    _local_name: str = PrivateAttr(default="")
    _source: str = PrivateAttr(default="<unknown>:0")
    _environment: str | None = PrivateAttr(default=None)
    _provider: str | None = PrivateAttr(default=None)

    _type: str = PrivateAttr(default="")

    def __init__(self, local_name: str, /, **attributes: Any) -> None:
        self._construct(local_name, type(self).TF_TYPE, attributes)

    def _construct(self, local_name: str, resource_type: str, attributes: dict[str, Any]) -> None:
        source = _creation_site()
        environment = current_environment()
        address = f"{self.ADDRESS_PREFIX}{resource_type}.{local_name}"
        if not isinstance(local_name, str) or not _LOCAL_NAME.match(local_name):
            raise ConfigError(Diagnostic(
                f"invalid Terraform name {local_name!r}: use letters, digits, '_' and '-', starting with a letter or '_'",
                source=relative_source(source), environment=environment, address=address))
        try:
            super(Construct, self).__init__(**attributes)  # noqa: UP008 - skip Block.__init__'s error wrapping
        except ValidationError as error:
            raise ConfigError(*_pydantic_diagnostics(error, relative_source(source), environment, address)) from None
        self._type = resource_type
        self._local_name = local_name
        self._source = source
        self._environment = environment
        self.check()

    # -- identity -------------------------------------------------------------------------------
    # Private attributes are read straight from pydantic's private dict: going through the
    # instance `__getattr__` costs ~20x more and these are read for every resource on every run.
    @property
    def resource_type(self) -> str:
        return self.__pydantic_private__["_type"]  # type: ignore[index]

    @property
    def level(self) -> Level:
        return self.LEVEL

    @property
    def local_name(self) -> str:
        return self.__pydantic_private__["_local_name"]  # type: ignore[index]

    @property
    def address(self) -> str:
        private = self.__pydantic_private__
        return f"{private['_type']}.{private['_local_name']}"  # type: ignore[index]

    @property
    def source(self) -> str:
        """`file:line` of the Python that created this construct (file relative to the working directory)."""
        return relative_source(self._source)

    @property
    def source_location(self) -> str:
        """`file:line` with the absolute file name."""
        return self._source

    @property
    def provider_schema(self) -> ResourceSchema | None:
        return load_schemas().get(self.resource_type)

    # -- references -----------------------------------------------------------------------------
    def ref(self, attribute: str) -> Ref:
        """A reference to `attribute` of this resource (`${type.name.attribute}`)."""
        schema = self.provider_schema
        if schema is not None and attribute not in schema.block.attributes:
            raise ConfigError(self.diagnostic(f"no attribute '{attribute}' to refer to on {self.resource_type}",
                                              attribute=attribute))
        return Ref(self, attribute)

    def __getattr__(self, item: str) -> Any:
        try:
            return super().__getattr__(item)  # type: ignore[misc]
        except AttributeError:
            if item.startswith("_"):
                raise
            schema = self.provider_schema  # a resource's or a data source's
            if schema is not None and item in schema.block.attributes:
                return Ref(self, item)
            raise

    # -- errors ---------------------------------------------------------------------------------
    def diagnostic(self, summary: str, *, attribute: str | None = None) -> Diagnostic:
        return Diagnostic(summary, source=self.source, environment=self._environment,
                          address=self.address, attribute=attribute)

    def check(self) -> None:
        """Raise ConfigError listing every schema problem of this construct's body."""
        problems = self.schema_problems()
        if problems:
            raise ConfigError(*problems)

    def schema_problems(self, body: dict[str, Any] | None = None) -> list[Diagnostic]:
        """Schema problems of `body` (default: this construct's current body)."""
        schema = self.provider_schema
        if schema is None:
            return []
        checked = self.body() if body is None else body
        return [self.diagnostic(message, attribute=path) for path, message in validate_body(schema, checked)]

    # -- Terraform JSON -------------------------------------------------------------------------
    def body(self) -> dict[str, Any]:
        """The resource's attributes as Terraform JSON (no meta-arguments, no nulls)."""
        data = {field.alias or name: getattr(self, name) for name, field in type(self).model_fields.items()
                if name not in ("depends_on", "lifecycle")}
        data.update(self.__pydantic_extra__ or {})
        return {k: v for k, v in ((k, to_json(v)) for k, v in data.items()) if v is not None}

    def references(self) -> Iterator[Ref]:
        """Every Ref held anywhere in this construct (fields, blocks, lifecycle)."""
        yield from _refs(self.__dict__)
        yield from _refs(self.__pydantic_extra__ or {})


def to_json(value: Any) -> Any:
    """Python construct values -> Terraform JSON values (Refs become `${...}`, floats exact decimals).

    Hot path of synth (every attribute of every resource): dispatch on the type, and look methods up
    on the class, never through pydantic's instance `__getattr__`."""
    kind = type(value)
    if value is None or kind in (str, bool, int, Decimal):
        return value
    if kind is dict:
        return {str(k): to_json(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [to_json(v) for v in value]
    if kind is float:
        return Decimal(repr(value))
    if kind is Ref or kind is SecretValue:
        return str(value)
    if isinstance(value, Construct):
        raise TypeError(f"use a reference such as {value.address}.id, not the resource itself")
    if isinstance(value, BaseModel):
        to_body = getattr(kind, "to_body", None)
        if to_body is not None:
            dumped = to_body(value)
        else:
            fields = kind.model_fields
            dumped = {(fields[k].alias or k) if k in fields else k: v for k, v in value.__dict__.items()}
            if value.__pydantic_extra__:
                dumped.update(value.__pydantic_extra__)
        return {k: v for k, v in ((k, to_json(v)) for k, v in dumped.items()) if v is not None}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json(v) for v in value]
    return value


def _refs(value: Any) -> Iterator[Ref]:
    if isinstance(value, Ref):
        yield value
    elif isinstance(value, BaseModel) and not isinstance(value, Construct):
        yield from _refs(value.__dict__)
        yield from _refs(value.__pydantic_extra__ or {})
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _refs(item)


_UNION_TAGS = {"int": "number", "decimal": "number", "float": "number", "str": "string", "bool": "bool",
               "is-instance[Ref]": "a reference", "is-instance[SecretValue]": "a SecretValue", "list": "list",
               "dict": "map", "none": "null"}


def _is_tag(step: object) -> bool:
    """Union-member and validator labels pydantic puts in error locations; not attribute names."""
    return isinstance(step, str) and (step in _UNION_TAGS or "[" in step or step.startswith(("function-", "constrained-")))


def _pydantic_diagnostics(error: ValidationError, source: str, environment: str | None, address: str) -> list[Diagnostic]:
    """One diagnostic per attribute path: the failed members of a union become one 'expected X or Y'."""
    grouped: dict[str, list[Any]] = {}
    for item in error.errors():
        path = ".".join(str(p) for p in item["loc"] if not _is_tag(p))
        grouped.setdefault(path, []).append(item)
    diagnostics = []
    for path, items in grouped.items():
        first = items[0]
        if first["type"] == "missing":
            message = terraform_wording().missing_argument(str(first["loc"][-1]))
        elif len(items) > 1 and "input" in first:
            kinds = sorted({_UNION_TAGS.get(str(i["loc"][-1]), "number") for i in items if i["loc"] and _is_tag(i["loc"][-1])})
            # Name the type, never echo the value: it may be a secret.
            message = f"expected {' or '.join(kinds) or 'another type'}, got {type(first['input']).__name__}"
        elif first["type"] == "value_error":
            message = first["msg"].removeprefix("Value error, ")
        elif "input" in first:
            message = f"{first['msg']}, got {type(first['input']).__name__}"
        else:
            message = first["msg"]
        diagnostics.append(Diagnostic(message, source=source, environment=environment, address=address, attribute=path or None))
    return diagnostics

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

import contextlib
import contextvars
import functools
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, ClassVar, Literal, get_args

import msgspec
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError
from pydantic_core import core_schema

from iac._jsonio import canonical_bytes
from iac.constructs._levels import Level
from iac.constructs._validate import changed_paths, enum_message, terraform_wording, validate_body
from iac.diagnostics import ConfigError, Diagnostic, did_you_mean
from iac.schema import ResourceSchema, load_schemas
from iac.values import format_path

__all__ = ["Block", "Construct", "Level", "Lifecycle", "Ref", "SecretValue", "UnknownAttribute", "current_environment",
           "environment_context", "pydantic_diagnostics", "relative_source", "to_json"]

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
    return _relative_source(source, os.fspath(base) if base is not None else os.getcwd())


@functools.lru_cache(maxsize=8192)
def _relative_source(source: str, base: str) -> str:
    # cached: a fleet synthesizes the same blueprint lines once per member (relpath is a third of synth's own time)
    path, _, line = source.rpartition(":")
    if not os.path.isabs(path):
        return source
    relative = os.path.relpath(path, base)
    if relative.startswith(".."):
        relative = path
    return f"{Path(relative).as_posix()}:{line}"


class UnknownAttribute(ConfigError, AttributeError):
    """Reading an attribute a construct or block does not have (`policy.polcy_id`): a one-line ConfigError
    for the command line, and still an AttributeError, so `hasattr` and `getattr(x, name, default)` keep
    working. The line (with its suggestion) is made only when shown: `getattr(x, name, None)` is common
    in hot paths, and a suggestion compares the name with every attribute."""

    def __init__(self, make: Callable[[], Diagnostic]) -> None:  # noqa: D107 - see the class
        Exception.__init__(self)
        self._make = make
        self._made: tuple[Diagnostic, ...] | None = None

    @property  # type: ignore[override]
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        if self._made is None:
            self._made = (self._make(),)
        return self._made

    @diagnostics.setter
    def diagnostics(self, value: tuple[Diagnostic, ...]) -> None:
        self._made = value

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


def _typo(owner: str, item: str, candidates: Callable[[], Any], *, address: str | None,
          environment: str | None) -> UnknownAttribute:
    site = _creation_site()  # now: the reading line is still on the stack
    return UnknownAttribute(lambda: Diagnostic(
        f"no attribute '{item}' on {owner}{did_you_mean(item, [c for c in candidates() if not c.startswith('_')])}",
        source=relative_source(site), environment=environment, address=address, attribute=item))


def _public_names(model: BaseModel) -> set[str]:
    """What can be read on a model: its fields (and aliases), extras, methods and properties."""
    cls = type(model)
    names = {*cls.model_fields, *(f.alias for f in cls.model_fields.values() if f.alias), *dir(cls)}
    return names | set(model.__pydantic_extra__ or {})


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

    def __getitem__(self, step: int | str) -> Ref:
        """A value inside the referenced one: `connector.ref("identity")[0]["principal_id"]` is
        `${azurerm_databricks_access_connector.x.identity[0].principal_id}`."""
        if isinstance(step, int):
            return Ref(self.target, f"{self.attribute}[{step}]")
        if _LOCAL_NAME.match(step):
            return Ref(self.target, f"{self.attribute}.{step}")
        return Ref(self.target, f'{self.attribute}["{step}"]')

    __iter__ = None  # indexing builds a path: a reference is not a sequence (Python would loop over 0, 1, 2...)


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


class _Attributes:
    """`__getattr__` for constructs and blocks: pydantic's lookup (extras, private attributes) first, then
    `_missing_attribute` (a reference to a computed attribute, or a one-line typo error)."""

    def __getattr__(self, item: str) -> Any:
        try:
            return super().__getattr__(item)  # type: ignore[misc]
        except AttributeError:
            if item.startswith("_"):
                raise
        return self._missing_attribute(item)

    def _missing_attribute(self, item: str) -> Any:
        raise AttributeError(item)


class Block(_Attributes, BaseModel):
    """A nested block (autoscale, task, grant...). Unmodelled schema attributes may be passed as keywords;
    they are checked against the schema when the resource that holds the block is built."""

    model_config = ConfigDict(defer_build=True, extra="allow", validate_assignment=True, arbitrary_types_allowed=True, populate_by_name=True)

    def __init__(self, **attributes: Any) -> None:
        if isinstance(self, Construct):  # a resource sharing a block's fields: it reports its own errors
            super().__init__(**attributes)
            return
        try:
            super().__init__(**attributes)
        except ValidationError as error:
            # The resource is not built yet: name the block, its file:line and environment.
            raise ConfigError(*pydantic_diagnostics(error, relative_source(_creation_site()), current_environment(),
                                                    type(self).__name__, given=attributes)) from None

    def _missing_attribute(self, item: str) -> Any:
        raise _typo(type(self).__name__, item, lambda: _public_names(self), address=type(self).__name__,
                    environment=current_environment())


class Lifecycle(BaseModel):
    """Terraform's `lifecycle` meta-argument."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    create_before_destroy: bool | None = None
    prevent_destroy: bool | None = None
    ignore_changes: list[str] | Literal["all"] | None = None
    replace_triggered_by: list[Ref | str] | None = None


class Construct(_Attributes, BaseModel):
    """One Terraform resource. Subclasses set `TF_TYPE` and declare typed fields."""

    model_config = ConfigDict(defer_build=True, extra="allow", validate_assignment=True, arbitrary_types_allowed=True,
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

    depends_on: list[Construct] = []  # pydantic copies it per instance
    lifecycle: Lifecycle | None = None

    _local_name: str = PrivateAttr(default="")
    _source: str = PrivateAttr(default="<unknown>:0")
    _environment: str | None = PrivateAttr(default=None)
    _provider: str | None = PrivateAttr(default=None)
    _origins: dict[str, str] = PrivateAttr(default_factory=dict)

    _type: str = PrivateAttr(default="")
    _valid_json: bytes | None = PrivateAttr(default=None)
    """The canonical JSON of the body `check` found valid: a body that encodes the same needs no second check
    (bytes, not the dict: Python's `==` takes `True` for `1`, which the schema does not)."""

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
            raise ConfigError(*pydantic_diagnostics(error, relative_source(source), environment, address,
                                                    given=attributes)) from None
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
        """A reference to `attribute` (or nested block) of this resource (`${type.name.attribute}`); index the
        reference for a value inside it (`ref("identity")[0]["principal_id"]`)."""
        schema = self.provider_schema
        if schema is not None and attribute not in schema.block.attributes and attribute not in schema.block.block_types:
            names = did_you_mean(attribute, [*schema.block.attributes, *schema.block.block_types])
            raise ConfigError(Diagnostic(f"no attribute '{attribute}' to refer to on {self.resource_type}{names}",
                                         source=relative_source(_creation_site()), environment=self._environment,
                                         address=self.address, attribute=attribute))
        return Ref(self, attribute)

    def _missing_attribute(self, item: str) -> Any:
        """A computed attribute of the schema reads as a reference (`policy.id`); anything else is a typo."""
        private = self.__pydantic_private__ or {}
        schema = self.provider_schema if private.get("_type") else None  # a resource's or a data source's
        if schema is not None and item in schema.block.attributes:
            return Ref(self, item)
        if not private.get("_type"):  # not built yet (pydantic is still initialising it)
            raise AttributeError(item)
        names = [*schema.block.attributes, *schema.block.block_types] if schema is not None else []
        raise _typo(self.resource_type, item, lambda: [*_public_names(self), *names], address=self.address,
                    environment=self._environment)

    # -- where values come from -----------------------------------------------------------------
    @property
    def origins(self) -> dict[str, str]:
        """Attribute path (as the plan spells it) -> who set it other than the construct's own line: a resolve
        step (`default_tags of environment dev`, a development preset). What the renderers' notes and
        `iac explain` show; anything not listed was set where the construct was made (`source`)."""
        return self.__pydantic_private__["_origins"]  # type: ignore[index]

    @contextlib.contextmanager
    def recording(self, origin: str) -> Iterator[None]:
        """Attribute every value the block sets on this construct to `origin` (compared body before and after)."""
        schema = self.provider_schema
        before = self.body() if schema is not None else None
        yield
        if schema is not None and before is not None:
            for path in changed_paths(schema.block, before, self.body()):
                self.origins[format_path(path)] = origin

    # -- errors ---------------------------------------------------------------------------------
    def diagnostic(self, summary: str, *, attribute: str | None = None) -> Diagnostic:
        return Diagnostic(summary, source=self.source, environment=self._environment,
                          address=self.address, attribute=attribute)

    def check(self) -> None:
        """Raise ConfigError listing every schema problem of this construct's body."""
        body = self.body()
        problems = self.schema_problems(body)
        if problems:
            raise ConfigError(*problems)
        self.__pydantic_private__["_valid_json"] = _canonical(body)  # type: ignore[index]

    def schema_problems(self, body: dict[str, Any] | None = None) -> list[Diagnostic]:
        """Schema problems of `body` (default: this construct's current body)."""
        schema = self.provider_schema
        if schema is None:
            return []
        checked = self.body() if body is None else body
        valid = self.__pydantic_private__.get("_valid_json")  # type: ignore[union-attr]
        if valid is not None and _canonical(checked) == valid:
            return []  # synth checks the final bodies again: most are the body checked when the construct was made
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


def _canonical(body: dict[str, Any]) -> bytes | None:
    """`body` as canonical JSON; None for a value that is not plain JSON (then it is simply checked)."""
    try:
        return canonical_bytes(body)
    except (TypeError, msgspec.EncodeError):
        return None


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


def pydantic_diagnostics(error: ValidationError, source: str, environment: str | None, address: str,
                         given: Mapping[str, Any] | None = None) -> list[Diagnostic]:
    """One diagnostic per attribute path: the failed members of a union become one 'expected X or Y', an
    enum value gets the closest allowed one, and a required attribute missing next to a keyword that is
    close to its name is reported as that keyword's typo. `given` is the keyword arguments of the call."""
    grouped: dict[str, list[Any]] = {}
    for item in error.errors():
        path = ".".join(str(p) for p in item["loc"] if not _is_tag(p))
        grouped.setdefault(path, []).append(item)
    unused = [k for k in given or () if k not in grouped and "." not in k]
    diagnostics = []
    for path, items in grouped.items():
        first = items[0]
        choice = next((i for i in items if i["type"] in ("literal_error", "enum")), None)
        if first["type"] == "missing" and len(first["loc"]) == 1 and (typo := did_you_mean(path, unused)):
            typed = typo.split("'")[1]
            message = terraform_wording().unsupported_argument(typed, [path], json_syntax=False)
            diagnostics.append(Diagnostic(message, source=source, environment=environment, address=address,
                                          attribute=typed))
            continue
        if first["type"] == "missing":
            message = terraform_wording().missing_argument(str(first["loc"][-1]))
        elif first["type"] == "extra_forbidden":
            name = str(first["loc"][-1])
            message = f"unknown attribute '{name}'{did_you_mean(name, _field_names(error.title, first['loc'][:-1]))}"
        elif choice is not None:
            message = enum_message(choice["ctx"]["expected"], choice["input"])
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


def _field_names(title: str, loc: tuple[Any, ...]) -> list[str]:
    """The field names (for suggestions) of the model found at `loc` inside iac's model class `title`."""
    model = next((cls for cls in _models(BaseModel) if cls.__name__ == title), None)
    for step in loc:
        if model is None or isinstance(step, int):
            continue
        field = model.model_fields.get(str(step))
        model = _model_in(field.annotation) if field is not None else None
    if model is None:
        return []
    return [*model.model_fields, *(f.alias for f in model.model_fields.values() if f.alias)]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (`X`, `X | None`, `list[X]`, `dict[str, X]`), if one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _models(base: type[BaseModel]) -> Iterator[type[BaseModel]]:
    for cls in base.__subclasses__():
        if cls.__module__.startswith("iac."):
            yield cls
        yield from _models(cls)

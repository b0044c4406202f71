"""Data sources, planned as Terraform plans them, by a planner that cannot call the provider.

Terraform reads a data source while planning when its configuration is wholly known and nothing it
`depends_on` has changes pending; otherwise it plans a `read` during apply (`action_reason`
read_because_config_unknown / read_because_dependency_pending), with the configuration as the planned
value and every computed attribute known after apply. A read during plan shows no resource change: its
result is in `prior_state` and in what references see.

iac, offline, decides per instance (`DataPlanner.plan`):
* `computed` — the provider computes this data source locally, from its configuration alone (policy
  documents: iac.diff.datasources.aws, .databricks_aws): iac computes it exactly, as Terraform's read would;
* `state` — another data source whose configuration is unchanged since the last read: its value in state
  is used (iac says it was not re-read: the remote may have changed since);
* `apply` — a data source iac cannot read (no value in state, or its configuration changed): planned as a
  `read` during apply, known after apply, without a Terraform action_reason (Terraform would read it now);
* Terraform's own deferrals, as Terraform plans them.

The readers (`LOCAL_READERS`, `READ_ERRORS`) are shared with the sandbox provider, which answers Terraform's
reads of the same data sources: one implementation of what the providers compute, checked against both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from iac.diff.datasources.aws import PolicyError, read_policy_document
from iac.diff.datasources.databricks_aws import READERS, DataSourceError
from iac.diff.datasources.remote_state import RemoteStateError, read_remote_state
from iac.diff.providers import TypePlanner
from iac.lang import cty
from iac.lang.plain import from_plain
from iac.schema import ResourceSchema, SchemaSet
from iac.values import UNKNOWN, UNKNOWN_MAP, UNKNOWN_SEQ, Unknown, strict_equal

__all__ = ["DataRead", "DataPlanner", "LOCAL_READERS", "READ_ERRORS", "ReadError", "data_planner", "unknown_computed"]


class ReadError(ValueError):
    """The provider refuses the configuration while reading (its own message); `attribute` the argument it
    names, when it names one."""

    def __init__(self, message: str, attribute: str | None = None) -> None:
        super().__init__(message)
        self.attribute = attribute


LOCAL_READERS: Mapping[str, Callable[[dict[str, Any], ResourceSchema], dict[str, Any]]] = {
    "aws_iam_policy_document": read_policy_document,
    **READERS,
}
"""Data sources whose provider computes them locally, without an API call: `reader(config, schema)` is the
state the provider writes for that configuration (iac computes them exactly, the sandbox answers with them)."""

READ_ERRORS = (PolicyError, DataSourceError)
"""What a reader raises, with the provider's own message, for a configuration the provider refuses."""


class DataRead(NamedTuple):
    """How one data source instance is planned: `how` is "computed", "state", "apply", or Terraform's
    "read_because_config_unknown" / "read_because_dependency_pending"; `value` what references see."""

    how: str
    value: Any
    typed: Any = None
    """What references see when it is not `value` (a value typed beyond what plain values say)."""
    secrets: tuple[str, ...] = ()
    """Strings the read value holds that its source keeps secret (`Plan.read_secrets`)."""


class DataPlanner:
    """The planner of one data source type (with or without a schema)."""

    def __init__(self, data_type: str, schema: ResourceSchema | None, managed: TypePlanner) -> None:
        self.type = data_type
        self.schema = schema
        self._shaper = managed
        self._reader = LOCAL_READERS.get(data_type) if schema is not None else None
        self.warning = None if schema is not None else (
            f"no schema for data source {data_type}: its configured arguments are planned as written, every "
            "other attribute is known after apply")

    @property
    def schema_version(self) -> int:
        return self.schema.version if self.schema is not None else 0

    def shape(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._shaper.shape(body)

    def unwrap_state(self, attributes: dict[str, Any]) -> dict[str, Any]:
        """State attributes -> planner values (sets in cty's order)."""
        return self._shaper.unwrap(attributes)

    def stored(self, attributes: dict[str, Any]) -> dict[str, Any]:
        """What references see of the value a data source's state stores (a destroy plan reads none): its
        attributes, each dynamic one typed as the state types it (`{"value": ..., "type": ...}`)."""
        value = dict(self.unwrap_state(attributes))
        for name, attribute in self.schema.block.attributes.items() if self.schema is not None else ():
            held = value.get(name)
            if attribute.type == "dynamic" and isinstance(held, dict) and held.keys() == {"value", "type"}:
                value[name] = from_plain(held["value"], cty.type_from_json(held["type"]))
        return value

    def sensitive(self, value: Any, marks: Any = ()) -> tuple[Any, ...]:
        return self._shaper.sensitive(value, marks) if isinstance(value, dict) else tuple(marks)

    def planned(self, config: dict[str, Any]) -> dict[str, Any]:
        """Terraform's PlannedDataResourceObject: the configuration, with every computed attribute the
        configuration leaves null unknown."""
        if self.schema is None:
            return dict(config)
        return unknown_computed(self.schema.block, config)

    def plan(self, config: dict[str, Any], prior: dict[str, Any] | None, pending: bool,
             root: Path | None = None) -> DataRead:
        """`root`: the directory Terraform runs in (the root module's), where a local remote state is read."""
        if _holds_unknown(config):
            return DataRead("read_because_config_unknown", self.planned(config))
        if pending:
            return DataRead("read_because_dependency_pending", self.planned(config))
        if self.type == "terraform_remote_state" and root is not None:
            try:
                remote = read_remote_state(config, root)
            except RemoteStateError as error:
                raise ReadError(str(error), error.attribute) from error
            if not remote.unread:
                return DataRead("computed", remote.value, remote.typed, remote.secrets)
        if self._reader is not None and self.schema is not None:
            try:
                return DataRead("computed", self._reader(config, self.schema))
            except READ_ERRORS as error:
                raise ReadError(str(error)) from error
        if prior is not None and _same(config, prior):
            return DataRead("state", prior)
        return DataRead("apply", self.planned(config))


def _same(config: Any, stored: Any) -> bool:
    """Is every configured value what the last read stored? An argument the configuration leaves null is
    not compared: the provider may have stored its default there (schemas carry no data-source defaults),
    so an argument removed from the configuration is not noticed. No block (`[]`) is not compared either."""
    if config is None or config == []:
        return True
    if isinstance(config, dict):
        return isinstance(stored, dict) and all(_same(v, stored.get(k)) for k, v in config.items())
    if isinstance(config, list) and config and isinstance(config[0], dict):
        return isinstance(stored, list) and len(config) == len(stored) and all(
            _same(a, b) for a, b in zip(config, stored, strict=True))
    return strict_equal(config, stored)


def _holds_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(_holds_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_unknown(v) for v in value)
    return False


def unknown_computed(block: Any, config: dict[str, Any]) -> dict[str, Any]:
    """`config` with every computed attribute it leaves null unknown, nested blocks included (Terraform's
    planned object of a data source, an ephemeral resource's value before it is opened)."""
    out = dict(config)
    for name, attribute in block.attributes.items():
        if attribute.computed and out.get(name) is None:
            kind = attribute.type[0] if isinstance(attribute.type, list) else None
            out[name] = UNKNOWN_MAP if kind in ("map", "object") else UNKNOWN_SEQ if kind else UNKNOWN
    for name, nested in block.block_types.items():
        value = out.get(name)
        if isinstance(value, list):
            out[name] = [unknown_computed(nested.block, v) if isinstance(v, dict) else v for v in value]
        elif isinstance(value, dict):
            out[name] = unknown_computed(nested.block, value)
    return out


_PLANNERS: dict[tuple[str, int], DataPlanner] = {}


def data_planner(data_type: str, schemas: SchemaSet) -> DataPlanner:
    """The planner of a data source type, built once per (type, schema set)."""
    key = (data_type, id(schemas))
    found = _PLANNERS.get(key)
    if found is None:
        schema = schemas.data(data_type)
        shaper = _shaper(data_type, schema)
        found = _PLANNERS[key] = DataPlanner(data_type, schema, shaper)
    return found


def _shaper(data_type: str, schema: ResourceSchema | None) -> TypePlanner:
    from iac.diff.providers import SchemalessPlanner
    from iac.diff.sdkv2 import SchemaPlanner

    if schema is None:
        return SchemalessPlanner(data_type, "", True)
    return SchemaPlanner(schema)


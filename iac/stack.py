"""Stack: the resources of one deployment, which provider serves each, and the outputs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from iac.constructs import AzureWorkspace, Construct, DataSource, MwsWorkspace
from iac.constructs._base import _creation_site, relative_source
from iac.diagnostics import ConfigError, Diagnostic

if TYPE_CHECKING:
    from iac.environment import Environment

__all__ = ["ExistingWorkspace", "Output", "Stack", "WorkspaceBinding"]

C = TypeVar("C", bound=Construct)
D = TypeVar("D", bound=DataSource)

ACCOUNT_PROVIDER = "databricks.account"


class ExistingWorkspace(msgspec.Struct, frozen=True):
    """A workspace this stack does not create (indirect separation's shared workspace)."""

    alias: str
    host: str


class WorkspaceBinding(msgspec.Struct, frozen=True):
    """A workspace-level provider alias and the workspace it talks to."""

    alias: str
    workspace: MwsWorkspace | AzureWorkspace | ExistingWorkspace

    def provider_block(self) -> dict[str, Any]:
        ws = self.workspace
        if isinstance(ws, ExistingWorkspace):
            return {"alias": self.alias, "host": ws.host}
        if isinstance(ws, AzureWorkspace):
            return {"alias": self.alias, "host": f"https://{ws.ref('workspace_url')}",
                    "azure_workspace_resource_id": str(ws.ref("id"))}
        return {"alias": self.alias, "host": str(ws.ref("workspace_url"))}


class Output(msgspec.Struct, frozen=True):
    name: str
    value: Any
    sensitive: bool = False
    description: str | None = None


class Moved(msgspec.Struct, frozen=True):
    """A resource renamed in Python: Terraform moves its object instead of destroying and creating it."""

    from_address: str
    to_address: str
    source: str
    """`file:line` (absolute file) of the `stack.moved(...)` call."""


class Stack:
    """Collects constructs: resources (`add`) and data sources (`data`). Both reject duplicate addresses and wire
    each construct to its provider: account-level ones to `databricks.account`, workspace-level ones to the alias
    of the `with stack.workspace(ws):` block they were added in, others (aws, azurerm...) to their provider's
    default configuration."""

    def __init__(self, environment: Environment | None = None) -> None:
        self.environment = environment
        """The environment being built: blueprints read its name, mode, cloud, region and account id."""
        self.environment_name = environment.name if environment is not None else None
        self._resources: dict[str, Construct] = {}
        self._data: dict[str, DataSource] = {}
        self._workspaces: dict[str, WorkspaceBinding] = {}
        self._outputs: dict[str, Output] = {}
        self._moves: dict[str, Moved] = {}
        self._scope: WorkspaceBinding | None = None
        self._bodies: dict[str, dict[str, Any]] | None = None

    def add(self, construct: C) -> C:
        """Add a construct and return it (so `x = stack.add(Cluster(...))` reads naturally)."""
        if isinstance(construct, DataSource):
            raise ConfigError(construct.diagnostic("a data source: add it with stack.data(...)"))
        self._wire(construct, self._resources)
        return construct

    def data(self, source: D) -> D:
        """Add a data source and return it; its computed attributes read as references
        (`policy = stack.data(DataAwsAssumeRolePolicy("this", external_id=...))`, then `policy.json`)."""
        if not isinstance(source, DataSource):
            raise ConfigError(source.diagnostic("not a data source: add it with stack.add(...)"))
        self._wire(source, self._data)
        return source

    def _wire(self, construct: Construct, into: dict[str, Any]) -> None:
        """Reject a duplicate address and set the provider configuration the construct's level asks for."""
        kind = "data source" if isinstance(construct, DataSource) else "resource"
        existing = into.get(construct.address)
        if existing is not None:
            raise ConfigError(construct.diagnostic(f"duplicate {kind} address (first defined at {existing.source})"))
        level = construct.level
        if level == "workspace":
            if self._scope is None:
                raise ConfigError(construct.diagnostic(
                    f"workspace-level {kind} added outside a workspace: use `with stack.workspace(ws):`"))
            construct._provider = f"databricks.{self._scope.alias}"
        elif level == "account":
            construct._provider = ACCOUNT_PROVIDER
        into[construct.address] = construct
        self._bodies = None

    @contextlib.contextmanager
    def workspace(self, workspace: MwsWorkspace | AzureWorkspace | ExistingWorkspace) -> Iterator[WorkspaceBinding]:
        """Resources added inside the block are created in `workspace` (through its provider alias)."""
        alias = workspace.alias if isinstance(workspace, ExistingWorkspace) else workspace.local_name
        binding = self._workspaces.get(alias)
        if binding is None:
            binding = self._workspaces[alias] = WorkspaceBinding(alias, workspace)
        elif binding.workspace is not workspace:
            raise ConfigError(Diagnostic(f"two workspaces share the provider alias {alias!r}",
                                         environment=self.environment_name))
        outer, self._scope = self._scope, binding
        try:
            yield binding
        finally:
            self._scope = outer

    def output(self, name: str, value: Any, *, sensitive: bool = False, description: str | None = None) -> None:
        if name in self._outputs:
            raise ConfigError(Diagnostic(f"duplicate output {name!r}", environment=self.environment_name))
        self._outputs[name] = Output(name, value, sensitive, description)

    def moved(self, from_address: str, to: Construct | str) -> None:
        """Record a rename: the object at `from_address` in the state now belongs to `to` (a construct or
        its address). Synth checks that `to` is in the stack and `from_address` no longer is."""
        to_address = to if isinstance(to, str) else to.address
        source = _creation_site()
        if from_address in self._moves:
            earlier = relative_source(self._moves[from_address].source)
            raise ConfigError(Diagnostic(f"{from_address} is already moved (at {earlier})", source=relative_source(source),
                                         environment=self.environment_name, address=from_address))
        self._moves[from_address] = Moved(from_address, to_address, source)

    def moves(self) -> list[Moved]:
        return [self._moves[a] for a in sorted(self._moves)]

    # -- read access, always in address order so output never depends on construction order ---------
    def resources(self) -> list[Construct]:
        return [self._resources[a] for a in sorted(self._resources)]

    def data_sources(self) -> list[DataSource]:
        return [self._data[a] for a in sorted(self._data)]

    def get(self, address: str) -> Construct | None:
        """The resource or data source (`data.TYPE.NAME`) at `address`, if it was added."""
        return self._data.get(address) if address.startswith("data.") else self._resources.get(address)

    def workspaces(self) -> list[WorkspaceBinding]:
        return [self._workspaces[a] for a in sorted(self._workspaces)]

    def outputs(self) -> list[Output]:
        return [self._outputs[n] for n in sorted(self._outputs)]

    def bodies(self) -> dict[str, dict[str, Any]]:
        """Every resource's Terraform JSON body by address, computed once.

        Only for the validation steps and synth, which run after every step that changes constructs:
        computing bodies is the most expensive part of synth, so it happens once per resource."""
        if self._bodies is None:
            self._bodies = {c.address: c.body() for c in [*self.resources(), *self.data_sources()]}
        return self._bodies

    def __len__(self) -> int:
        return len(self._resources)

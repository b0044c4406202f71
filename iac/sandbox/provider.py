"""The tfplugin6 Provider service of the sandbox: schema, validation, plan, apply, read, import, data sources.

One `SandboxProvider` serves one provider name (databricks, aws, azurerm, google, random, time or null) with
every resource type and data source the schema data lists for it. Planning is `planner.plan_change` (plus the
provider's configuration-dependent `customize_plan`), computed values come from `computed` (and what the API
adds on its own from `api.server_additions`), reads go through `reads.read_back` as the provider's Read
would, data sources are `datasources.read_data_source`, and objects live in a `store.Store` — except for
random, time and null, whose resources exist only in Terraform's state.

An object's key in the store is its `id`; types without an `id` attribute (plugin-framework resources) get a
generated key, kept in the instance's private state. Secrets never reach the store: sensitive attributes (and
the generated keys the approximate azurerm schema does not mark sensitive) are stripped, and a read takes them
back from Terraform's state. Every RPC turns an unexpected exception into an error diagnostic (and a traceback
on stderr) rather than killing the plugin, so Terraform reports it as a normal provider error.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import traceback
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import grpc
from tf.gen import tfplugin_pb2 as pb
from tf.gen import tfplugin_pb2_grpc as rpc

from iac.sandbox.api import SECRET_LIKE, Context, server_additions
from iac.sandbox.computed import fill_unknowns
from iac.sandbox.customize import customize_plan
from iac.sandbox.datasources import DataSourceRefused, Where, read_data_source
from iac.sandbox.planner import Path as AttrPath
from iac.sandbox.planner import plan_change
from iac.sandbox.reads import read_back
from iac.sandbox.schema import LOCAL_PROVIDERS, STORE_PATH_ARGUMENT, provider_schema_response, served_names
from iac.sandbox.settings import STORE_ENV, Settings, configure
from iac.sandbox.store import Store
from iac.sandbox.values import UNKNOWN, conform_block, decode_json, decode_msgpack, encode_object
from iac.schema import Block, ResourceSchema, load_schemas

__all__ = ["SandboxProvider"]

log = logging.getLogger("iac.sandbox")
_Response = TypeVar("_Response")


class _ProviderError(Exception):
    """An error reported to Terraform as a diagnostic (bad store, object missing...)."""


def _rpc(response_type: Callable[..., _Response]) -> Callable[..., Callable[..., _Response]]:
    """Wrap an RPC: log it, turn exceptions into error diagnostics of `response_type`."""

    def decorate(method: Callable[..., _Response]) -> Callable[..., _Response]:
        @functools.wraps(method)
        def wrapper(self: SandboxProvider, request: Any, context: grpc.ServicerContext) -> _Response:
            log.debug("%s %s", method.__name__, getattr(request, "type_name", ""))
            try:
                return method(self, request, context)
            except (_ProviderError, DataSourceRefused) as error:
                return response_type(diagnostics=[_error(str(error))])
            except Exception as error:  # noqa: BLE001 - a provider must answer, never crash mid-apply
                traceback.print_exc()
                return response_type(diagnostics=[_error(f"sandbox provider bug: {type(error).__name__}: {error}")])

        return wrapper

    return decorate


def _error(summary: str, detail: str = "") -> pb.Diagnostic:
    return pb.Diagnostic(severity=pb.Diagnostic.ERROR, summary=summary, detail=detail)


def _decode(value: pb.DynamicValue) -> Any:
    if value.json:
        return decode_json(value.json)
    return decode_msgpack(value.msgpack)


def _decode_object(value: pb.DynamicValue, block: Block) -> dict[str, Any] | None:
    """Decode a resource object and conform it (numbers sent as decimal strings become numbers...)."""
    decoded = _decode(value)
    return conform_block(decoded, block) if decoded is not None else None


def _dynamic(value: Any, block: Block) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=encode_object(value, block))


def _attribute_path(path: AttrPath) -> pb.AttributePath:
    steps = [
        pb.AttributePath.Step(element_key_int=step) if isinstance(step, int) else pb.AttributePath.Step(attribute_name=step)
        for step in path
    ]
    return pb.AttributePath(steps=steps)


def _secret(name: str, sensitive: bool) -> bool:
    return sensitive or name.endswith(SECRET_LIKE)


def _without_secrets(block: Block, value: dict[str, Any]) -> dict[str, Any]:
    """A copy with every secret nulled: the store, like the API, never holds secrets."""
    copy = dict(value)
    for name, attribute in block.attributes.items():
        if _secret(name, attribute.sensitive):
            copy[name] = None
    for name, block_type in block.block_types.items():
        nested = value.get(name)
        if isinstance(nested, dict):
            copy[name] = _without_secrets(block_type.block, nested)
        elif isinstance(nested, list):
            copy[name] = [_without_secrets(block_type.block, item) for item in nested]
    return copy


def _with_secrets_from(block: Block, remote: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    """The remote object with secrets taken from Terraform's state (they cannot be read back)."""
    merged = dict(remote)
    for name, attribute in block.attributes.items():
        if _secret(name, attribute.sensitive):
            merged[name] = state.get(name)
    for name, block_type in block.block_types.items():
        ours, theirs = remote.get(name), state.get(name)
        if isinstance(ours, dict) and isinstance(theirs, dict):
            merged[name] = _with_secrets_from(block_type.block, ours, theirs)
        elif isinstance(ours, list) and isinstance(theirs, list):
            merged[name] = [
                _with_secrets_from(block_type.block, o, t) if isinstance(t, dict) else o
                for o, t in zip(ours, theirs + [{}] * (len(ours) - len(theirs)), strict=False)
            ]
    return merged


def _key_private(key: str) -> bytes:
    return json.dumps({"sandbox_key": key}).encode()


def _key(state: dict[str, Any] | None, private: bytes) -> str | None:
    """The object's key in the store: the one kept in private state, else its id."""
    if private:
        try:
            found = json.loads(private).get("sandbox_key")
        except (ValueError, AttributeError):
            found = None
        if isinstance(found, str):
            return found
    identity = (state or {}).get("id")
    return str(identity) if identity not in (None, UNKNOWN) else None


class SandboxProvider(rpc.ProviderServicer):
    """A provider whose "cloud" is a JSON file (see the module docstring)."""

    def __init__(self, name: str, store_path: str | Path | None = None) -> None:
        self.name = name
        self.local = name in LOCAL_PROVIDERS
        self._base = Settings(store_path=Path(store_path) if store_path else None)
        self._by_peer: dict[str, Settings] = {}  # one entry per provider configuration (gRPC connection)
        self._schema_response: pb.GetProviderSchema.Response | None = None
        self._schema_lock = threading.Lock()

    @functools.cached_property
    def types(self) -> frozenset[str]:
        """The resource types served; each schema is built the first time a request needs it."""
        return served_names(self.name)

    @functools.cached_property
    def data_types(self) -> frozenset[str]:
        return served_names(self.name, "data")

    # --- configuration ----------------------------------------------------------------------------------

    def _settings(self, context: Any) -> Settings:
        return self._by_peer.get(context.peer(), self._base)

    def _store(self, settings: Settings) -> Store:
        path = settings.store_file()
        if path is None:
            raise _ProviderError(
                f"no sandbox store: set {STORE_PATH_ARGUMENT} in the provider block or {STORE_ENV} in the environment"
            )
        return Store(path)

    def _schema(self, type_name: str) -> ResourceSchema:
        schema = load_schemas().get(type_name) if type_name in self.types else None
        if schema is None:
            raise _ProviderError(f"the {self.name} sandbox provider has no resource type {type_name}")
        return schema

    def _data_schema(self, type_name: str) -> ResourceSchema:
        schema = load_schemas().data(type_name) if type_name in self.data_types else None
        if schema is None:
            raise _ProviderError(f"the {self.name} sandbox provider has no data source {type_name}")
        return schema

    @_rpc(pb.GetMetadata.Response)
    def GetMetadata(self, request: Any, context: Any) -> pb.GetMetadata.Response:
        return pb.GetMetadata.Response(
            server_capabilities=pb.ServerCapabilities(plan_destroy=True, get_provider_schema_optional=True),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=t) for t in sorted(self.types)],
            data_sources=[pb.GetMetadata.DataSourceMetadata(type_name=t) for t in sorted(self.data_types)],
        )

    def schema_response(self) -> pb.GetProviderSchema.Response:
        """Every schema this provider serves, built once (a long-lived server builds it ahead, see server.py)."""
        with self._schema_lock:
            if self._schema_response is None:
                self._schema_response = provider_schema_response(self.name)
            return self._schema_response

    @_rpc(pb.GetProviderSchema.Response)
    def GetProviderSchema(self, request: Any, context: Any) -> pb.GetProviderSchema.Response:
        return self.schema_response()

    @_rpc(pb.ValidateProviderConfig.Response)
    def ValidateProviderConfig(self, request: Any, context: Any) -> pb.ValidateProviderConfig.Response:
        return pb.ValidateProviderConfig.Response()

    @_rpc(pb.ConfigureProvider.Response)
    def ConfigureProvider(self, request: Any, context: Any) -> pb.ConfigureProvider.Response:
        self._by_peer[context.peer()] = configure(self.name, _decode(request.config) or {}, self._base)
        return pb.ConfigureProvider.Response()

    @_rpc(pb.ValidateResourceConfig.Response)
    def ValidateResourceConfig(self, request: Any, context: Any) -> pb.ValidateResourceConfig.Response:
        self._schema(request.type_name)  # Terraform itself checks the config against the served schema
        return pb.ValidateResourceConfig.Response()

    @_rpc(pb.ValidateDataResourceConfig.Response)
    def ValidateDataResourceConfig(self, request: Any, context: Any) -> pb.ValidateDataResourceConfig.Response:
        self._data_schema(request.type_name)
        return pb.ValidateDataResourceConfig.Response()

    @_rpc(pb.ReadDataSource.Response)
    def ReadDataSource(self, request: Any, context: Any) -> pb.ReadDataSource.Response:
        schema, settings = self._data_schema(request.type_name), self._settings(context)
        config = _decode_object(request.config, schema.block) or {}
        where = Where(settings, lambda resource_type: self._objects(settings, resource_type))
        return pb.ReadDataSource.Response(state=_dynamic(read_data_source(schema, config, where), schema.block))

    def _objects(self, settings: Settings, resource_type: str) -> Iterator[dict[str, Any]]:
        if self.local or settings.store_file() is None or resource_type not in self.types:
            return iter(())
        workspace = self._store(settings).snapshot()["workspaces"].get(settings.scope, {})
        return iter([objects[k] for objects in [workspace.get(resource_type, {})] for k in sorted(objects)])

    @_rpc(pb.UpgradeResourceState.Response)
    def UpgradeResourceState(self, request: Any, context: Any) -> pb.UpgradeResourceState.Response:
        schema = self._schema(request.type_name)
        if request.raw_state.flatmap:
            raise _ProviderError("flatmap state (Terraform < 0.12) is not supported by the sandbox")
        state = conform_block(decode_json(request.raw_state.json), schema.block)
        return pb.UpgradeResourceState.Response(upgraded_state=_dynamic(state, schema.block))

    # --- resource lifecycle ------------------------------------------------------------------------------

    @_rpc(pb.ReadResource.Response)
    def ReadResource(self, request: Any, context: Any) -> pb.ReadResource.Response:
        schema, settings = self._schema(request.type_name), self._settings(context)
        state = _decode_object(request.current_state, schema.block)
        if self.local:  # nothing remote: the state is the object
            return pb.ReadResource.Response(new_state=_dynamic(state, schema.block), private=request.private)
        key = _key(state, request.private)
        remote = self._store(settings).get(settings.scope, request.type_name, key) if state and key else None
        if state is None or remote is None:
            log.info("%s %s is gone from %s: Terraform will plan to create it", request.type_name, key, settings.scope)
            return pb.ReadResource.Response(new_state=_dynamic(None, schema.block), private=request.private)
        merged = _with_secrets_from(schema.block, read_back(schema.type, remote), state)
        return pb.ReadResource.Response(new_state=_dynamic(conform_block(merged, schema.block), schema.block), private=request.private)

    @_rpc(pb.PlanResourceChange.Response)
    def PlanResourceChange(self, request: Any, context: Any) -> pb.PlanResourceChange.Response:
        schema = self._schema(request.type_name)
        prior = _decode_object(request.prior_state, schema.block)
        proposed = _decode_object(request.proposed_new_state, schema.block)
        result = plan_change(schema, prior, proposed)
        planned = result.planned
        if planned is not None:
            default_tags = dict(self._settings(context).default_tags)
            planned = customize_plan(schema, prior, planned, default_tags)
        return pb.PlanResourceChange.Response(
            planned_state=_dynamic(conform_block(planned, schema.block), schema.block),
            requires_replace=[_attribute_path(p) for p in result.requires_replace],
            planned_private=request.prior_private,
            legacy_type_system=True,
        )

    @_rpc(pb.ApplyResourceChange.Response)
    def ApplyResourceChange(self, request: Any, context: Any) -> pb.ApplyResourceChange.Response:
        schema, settings = self._schema(request.type_name), self._settings(context)
        prior = _decode_object(request.prior_state, schema.block)
        planned = _decode_object(request.planned_state, schema.block)
        if planned is None:
            assert prior is not None, "Terraform never applies null to null"
            key = _key(prior, request.planned_private)
            if not self.local and key is not None:
                self._store(settings).delete(request.type_name, key, scope=settings.scope)
            return pb.ApplyResourceChange.Response(new_state=_dynamic(None, schema.block), legacy_type_system=True)
        if self.local:
            state, private = self._compute_locally(schema, settings, prior, planned), request.planned_private
        elif prior is None:
            state, private = self._create(schema, settings, planned)
        else:
            private = request.planned_private
            state = self._update(schema, settings, prior, planned, _key(prior, private))
        return pb.ApplyResourceChange.Response(
            new_state=_dynamic(conform_block(state, schema.block), schema.block), private=private, legacy_type_system=True,
        )

    @staticmethod
    def _context(resource_type: str, serial: int, settings: Settings, workspace: dict[str, Any]) -> Context:
        return Context(resource_type, serial, host=settings.host, account_id=settings.account_id,
                       subscription_id=settings.subscription_id, region=settings.region, project=settings.project,
                       default_tags=dict(settings.default_tags),
                       lookup=lambda other_type, object_id: workspace.get(other_type, {}).get(object_id))

    def _compute_locally(self, schema: ResourceSchema, settings: Settings, prior: dict[str, Any] | None,
                         planned: dict[str, Any]) -> dict[str, Any]:
        """random, time, null: the values are made here; the state's id (or a fresh counter) seeds them."""
        if prior is not None:
            seed = zlib.crc32(json.dumps(prior, sort_keys=True, default=str).encode())
        else:
            with self._store(settings).transaction() as data:  # the store's counter keeps fresh sandboxes deterministic
                data["serial"] = seed = int(data.get("serial", 0)) + 1
        return fill_unknowns(schema.block, planned, self._context(schema.type, seed, settings, {}))

    def _create(self, schema: ResourceSchema, settings: Settings, planned: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        with self._store(settings).transaction() as data:
            data["serial"] = serial = int(data.get("serial", 0)) + 1
            workspace = data["workspaces"].setdefault(settings.scope, {})
            context = self._context(schema.type, serial, settings, workspace)
            state = fill_unknowns(schema.block, planned, context)
            state = {**state, **server_additions(schema.type, state, context)}
            key = str(state["id"]) if "id" in schema.block.attributes else context.uuid()
            objects = workspace.setdefault(schema.type, {})
            if key in objects:
                raise _ProviderError(f"{schema.type} {key!r} already exists in {settings.scope} (create refused)")
            objects[key] = _without_secrets(schema.block, state)
        return read_back(schema.type, state), _key_private(key)

    def _update(self, schema: ResourceSchema, settings: Settings, prior: dict[str, Any], planned: dict[str, Any],
                key: str | None) -> dict[str, Any]:
        if "id" in schema.block.attributes and planned.get("id") is UNKNOWN:
            planned = {**planned, "id": prior.get("id")}
        with self._store(settings).transaction() as data:
            workspace = data["workspaces"].get(settings.scope, {})
            objects = workspace.get(schema.type, {})
            if key is None or key not in objects:
                raise _ProviderError(f"{schema.type} {key!r} does not exist in {settings.scope} "
                                     "(deleted outside Terraform?)")
            context = self._context(schema.type, int(data.get("serial", 0)), settings, workspace)
            state = fill_unknowns(schema.block, planned, context)
            state = {**state, **server_additions(schema.type, state, context)}
            objects[key] = _without_secrets(schema.block, state)
        return read_back(schema.type, state)

    @_rpc(pb.ImportResourceState.Response)
    def ImportResourceState(self, request: Any, context: Any) -> pb.ImportResourceState.Response:
        schema, settings = self._schema(request.type_name), self._settings(context)
        if self.local:
            raise _ProviderError(f"{request.type_name} has no remote object to import in the sandbox")
        remote = self._store(settings).get(settings.scope, request.type_name, request.id)
        if remote is None:
            raise _ProviderError(f"cannot import {request.type_name} {request.id!r}: not in {settings.scope}")
        state = conform_block(read_back(schema.type, remote), schema.block)
        imported = pb.ImportResourceState.ImportedResource(type_name=request.type_name, state=_dynamic(state, schema.block),
                                                           private=_key_private(request.id))
        return pb.ImportResourceState.Response(imported_resources=[imported])

    @_rpc(pb.MoveResourceState.Response)
    def MoveResourceState(self, request: Any, context: Any) -> pb.MoveResourceState.Response:
        raise _ProviderError("moving resources between types is not supported by the sandbox")

    @_rpc(pb.GetFunctions.Response)
    def GetFunctions(self, request: Any, context: Any) -> pb.GetFunctions.Response:
        return pb.GetFunctions.Response()

    @_rpc(pb.StopProvider.Response)
    def StopProvider(self, request: Any, context: Any) -> pb.StopProvider.Response:
        return pb.StopProvider.Response()  # nothing long-running to interrupt

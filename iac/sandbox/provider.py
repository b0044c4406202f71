"""The tfplugin6 Provider service of the sandbox: schema, validation, plan, apply, read, import.

One `SandboxProvider` serves one provider name (`databricks` or `azurerm`) with every resource type the
schema data lists for it. Planning is `planner.plan_change`, computed values come from `computed`, and
objects live in a `store.Store`. Every RPC turns an unexpected exception into an error diagnostic (and a
traceback on stderr) rather than killing the plugin, so Terraform reports it as a normal provider error.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import grpc
from tf.gen import tfplugin_pb2 as pb
from tf.gen import tfplugin_pb2_grpc as rpc

from iac.sandbox.computed import Context, fill_unknowns
from iac.sandbox.planner import Path as AttrPath
from iac.sandbox.planner import plan_change
from iac.sandbox.schema import STORE_PATH_ARGUMENT, provider_config_block, resource_schemas, to_pb_schema
from iac.sandbox.settings import STORE_ENV, Settings, configure
from iac.sandbox.store import Store
from iac.sandbox.values import UNKNOWN, conform_block, decode_json, decode_msgpack, encode_msgpack
from iac.schema import Block, ResourceSchema

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
            except _ProviderError as error:
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


def _dynamic(value: Any) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=encode_msgpack(value))


def _attribute_path(path: AttrPath) -> pb.AttributePath:
    steps = [
        pb.AttributePath.Step(element_key_int=step) if isinstance(step, int) else pb.AttributePath.Step(attribute_name=step)
        for step in path
    ]
    return pb.AttributePath(steps=steps)


def _without_sensitive(block: Block, value: dict[str, Any]) -> dict[str, Any]:
    """A copy with every sensitive attribute nulled: the store, like the API, never holds secrets."""
    copy = dict(value)
    for name, attribute in block.attributes.items():
        if attribute.sensitive:
            copy[name] = None
    for name, block_type in block.block_types.items():
        nested = value.get(name)
        if isinstance(nested, dict):
            copy[name] = _without_sensitive(block_type.block, nested)
        elif isinstance(nested, list):
            copy[name] = [_without_sensitive(block_type.block, item) for item in nested]
    return copy


def _with_sensitive_from(block: Block, remote: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    """The remote object with sensitive values taken from Terraform's state (they cannot be read back)."""
    merged = dict(remote)
    for name, attribute in block.attributes.items():
        if attribute.sensitive:
            merged[name] = state.get(name)
    for name, block_type in block.block_types.items():
        ours, theirs = remote.get(name), state.get(name)
        if isinstance(ours, dict) and isinstance(theirs, dict):
            merged[name] = _with_sensitive_from(block_type.block, ours, theirs)
        elif isinstance(ours, list) and isinstance(theirs, list):
            merged[name] = [
                _with_sensitive_from(block_type.block, o, t) if isinstance(t, dict) else o
                for o, t in zip(ours, theirs + [{}] * (len(ours) - len(theirs)), strict=False)
            ]
    return merged


class SandboxProvider(rpc.ProviderServicer):
    """A Databricks-compatible provider whose "cloud" is a JSON file (see the package docstring)."""

    def __init__(self, name: str, store_path: str | Path | None = None) -> None:
        self.name = name
        self.schemas: dict[str, ResourceSchema] = resource_schemas(name)
        self._base = Settings(store_path=Path(store_path) if store_path else None)
        self._by_peer: dict[str, Settings] = {}  # one entry per provider configuration (gRPC connection)
        self._schema_response: pb.GetProviderSchema.Response | None = None

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
        schema = self.schemas.get(type_name)
        if schema is None:
            raise _ProviderError(f"the {self.name} sandbox provider has no resource type {type_name}")
        return schema

    @_rpc(pb.GetMetadata.Response)
    def GetMetadata(self, request: Any, context: Any) -> pb.GetMetadata.Response:
        return pb.GetMetadata.Response(
            server_capabilities=pb.ServerCapabilities(plan_destroy=True, get_provider_schema_optional=True),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=t) for t in self.schemas],
        )

    @_rpc(pb.GetProviderSchema.Response)
    def GetProviderSchema(self, request: Any, context: Any) -> pb.GetProviderSchema.Response:
        if self._schema_response is None:
            self._schema_response = pb.GetProviderSchema.Response(
                provider=to_pb_schema(provider_config_block(self.name)),
                resource_schemas={t: to_pb_schema(s.block, s.version) for t, s in self.schemas.items()},
                provider_meta=to_pb_schema(Block()),
                server_capabilities=pb.ServerCapabilities(plan_destroy=True, get_provider_schema_optional=True),
            )
        return self._schema_response

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
        raise _ProviderError(f"the sandbox provider has no data sources ({request.type_name})")

    @_rpc(pb.ReadDataSource.Response)
    def ReadDataSource(self, request: Any, context: Any) -> pb.ReadDataSource.Response:
        raise _ProviderError(f"the sandbox provider has no data sources ({request.type_name})")

    @_rpc(pb.UpgradeResourceState.Response)
    def UpgradeResourceState(self, request: Any, context: Any) -> pb.UpgradeResourceState.Response:
        schema = self._schema(request.type_name)
        if request.raw_state.flatmap:
            raise _ProviderError("flatmap state (Terraform < 0.12) is not supported by the sandbox")
        state = conform_block(decode_json(request.raw_state.json), schema.block)
        return pb.UpgradeResourceState.Response(upgraded_state=_dynamic(state))

    # --- resource lifecycle ------------------------------------------------------------------------------

    @_rpc(pb.ReadResource.Response)
    def ReadResource(self, request: Any, context: Any) -> pb.ReadResource.Response:
        schema, settings = self._schema(request.type_name), self._settings(context)
        state = _decode_object(request.current_state, schema.block)
        remote = self._store(settings).get(settings.scope, request.type_name, str(state.get("id"))) if state else None
        if state is None or remote is None:
            log.info("%s %s is gone from %s: Terraform will plan to create it", request.type_name,
                     state and state.get("id"), settings.scope)
            return pb.ReadResource.Response(new_state=_dynamic(None), private=request.private)
        merged = conform_block(_with_sensitive_from(schema.block, remote, state), schema.block)
        return pb.ReadResource.Response(new_state=_dynamic(merged), private=request.private)

    @_rpc(pb.PlanResourceChange.Response)
    def PlanResourceChange(self, request: Any, context: Any) -> pb.PlanResourceChange.Response:
        schema = self._schema(request.type_name)
        prior = _decode_object(request.prior_state, schema.block)
        proposed = _decode_object(request.proposed_new_state, schema.block)
        result = plan_change(schema, prior, proposed)
        planned = conform_block(result.planned, schema.block)
        return pb.PlanResourceChange.Response(
            planned_state=_dynamic(planned),
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
            self._store(settings).delete(request.type_name, str(prior.get("id")), scope=settings.scope)
            return pb.ApplyResourceChange.Response(new_state=_dynamic(None), legacy_type_system=True)
        if prior is None:
            new_state = self._create(schema, settings, planned)
        else:
            new_state = self._update(schema, settings, prior, planned)
        return pb.ApplyResourceChange.Response(
            new_state=_dynamic(conform_block(new_state, schema.block)), private=request.planned_private,
            legacy_type_system=True,
        )

    @staticmethod
    def _context(resource_type: str, serial: int, settings: Settings, data: dict[str, Any]) -> Context:
        workspace = data["workspaces"].get(settings.scope, {})
        return Context(resource_type, serial, host=settings.host, account_id=settings.account_id,
                       subscription_id=settings.subscription_id,
                       lookup=lambda other_type, object_id: workspace.get(other_type, {}).get(object_id))

    def _create(self, schema: ResourceSchema, settings: Settings, planned: dict[str, Any]) -> dict[str, Any]:
        with self._store(settings).transaction() as data:
            data["serial"] = serial = int(data.get("serial", 0)) + 1
            state = fill_unknowns(schema.block, planned, self._context(schema.type, serial, settings, data))
            object_id = str(state.get("id"))
            objects = data["workspaces"].setdefault(settings.scope, {}).setdefault(schema.type, {})
            if object_id in objects:
                raise _ProviderError(f"{schema.type} {object_id!r} already exists in {settings.scope} (create refused)")
            objects[object_id] = _without_sensitive(schema.block, state)
        return state

    def _update(self, schema: ResourceSchema, settings: Settings, prior: dict[str, Any],
                planned: dict[str, Any]) -> dict[str, Any]:
        object_id = str(prior.get("id"))
        planned = {**planned, "id": object_id} if planned.get("id") is UNKNOWN else planned
        with self._store(settings).transaction() as data:
            objects = data["workspaces"].get(settings.scope, {}).get(schema.type, {})
            if object_id not in objects:
                raise _ProviderError(f"{schema.type} {object_id!r} does not exist in {settings.scope} "
                                     "(deleted outside Terraform?)")
            context = self._context(schema.type, int(data.get("serial", 0)), settings, data)
            state = fill_unknowns(schema.block, planned, context)
            objects[object_id] = _without_sensitive(schema.block, state)
        return state

    @_rpc(pb.ImportResourceState.Response)
    def ImportResourceState(self, request: Any, context: Any) -> pb.ImportResourceState.Response:
        schema, settings = self._schema(request.type_name), self._settings(context)
        remote = self._store(settings).get(settings.scope, request.type_name, request.id)
        if remote is None:
            raise _ProviderError(f"cannot import {request.type_name} {request.id!r}: not in {settings.scope}")
        state = conform_block(remote, schema.block)
        imported = pb.ImportResourceState.ImportedResource(type_name=request.type_name, state=_dynamic(state))
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

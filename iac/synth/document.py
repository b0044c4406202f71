"""The whole `main.tf.json`: pinned providers, backend, provider configurations, variables, resources, outputs.

Empty sections are left out (Terraform rejects an empty `resource` block). Everything is keyed and
sorted, so construction order never changes a byte of the output.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from iac._jsonio import atomic_write, dumps
from iac.constructs import Construct, Ref, SecretValue
from iac.constructs._base import relative_source, to_json
from iac.diagnostics import ConfigError, Diagnostic
from iac.environment import Environment
from iac.project import build_stack, find_project, load_environment
from iac.resolve.pipeline import resolve
from iac.schema import DATABRICKS_PROVIDER_SOURCE, DATABRICKS_PROVIDER_VERSION, load_schemas, provider_local_name
from iac.stack import Moved, Stack
from iac.state.address import AddressError, parse_address
from iac.synth.imports import import_blocks

__all__ = ["Synthesized", "document", "synthesize", "synthesize_environment", "write_synthesized"]

REQUIRED_TERRAFORM = ">= 1.5.0"
_CLOUD_CONFIGURATION: dict[str, Callable[[Environment], dict[str, Any]]] = {
    "aws": lambda environment: {"region": environment.region},
    "azurerm": lambda environment: {"features": {}},  # the block azurerm requires, empty: its defaults
    "google": lambda environment: {"region": environment.region},
}
"""The default configuration of a cloud provider the stack uses (random, time and null need none)."""
ACCOUNT_HOSTS = {
    "aws": "https://accounts.cloud.databricks.com",
    "azure": "https://accounts.azuredatabricks.net",
    "gcp": "https://accounts.gcp.databricks.com",
}


@dataclass
class Synthesized:
    """The result of synth: the environment, its resolved stack, the document and its exact text."""

    environment: Environment
    stack: Stack
    document: dict[str, Any]
    text: str
    project_dir: Path
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def workdir(self) -> Path:
        return self.environment.working_directory(self.project_dir)

    @property
    def origins(self) -> dict[str, dict[str, str]]:
        """Address -> attribute path -> the resolve step that set it (`Construct.origins`); every other value
        was set at the construct's own line (its `"//"` source comment)."""
        return {c.address: dict(c.origins) for c in self.stack.resources() if c.origins}


def synthesize(env_name: str, project_dir: Path | None = None) -> Synthesized:
    """Load, build, resolve and synthesize one environment."""
    project = project_dir or find_project()
    return synthesize_environment(load_environment(project, env_name), project)


def synthesize_environment(environment: Environment, project_dir: Path) -> Synthesized:
    """Build, resolve and synthesize an environment already loaded (a fleet's parts are derived ones)."""
    stack = build_stack(environment)
    warnings = resolve(environment, stack)
    doc = document(environment, stack, project_dir)
    return Synthesized(environment, stack, doc, dumps(doc), project_dir, warnings)


def write_synthesized(synthesized: Synthesized, out_dir: Path | None = None) -> Path:
    """Write `main.tf.json` atomically into `out_dir` (default: the environment's working directory)."""
    return atomic_write((out_dir or synthesized.workdir) / "main.tf.json", synthesized.text)


def document(environment: Environment, stack: Stack, project_dir: Path | None = None) -> dict[str, Any]:
    resources = stack.resources()
    data_sources: list[Construct] = list(stack.data_sources())
    everything = [*resources, *data_sources]
    sections: dict[str, Any] = {
        "terraform": _terraform_block(environment, everything),
        "provider": _providers(environment, stack, everything),
        "variable": _variables(environment, everything),
        "data": _blocks(data_sources, stack.bodies(), project_dir),
        "resource": _blocks(resources, stack.bodies(), project_dir),
        "output": {o.name: _drop_none({"value": to_json(o.value), "sensitive": o.sensitive or None,
                                       "description": o.description}) for o in stack.outputs()},
        "moved": _moved_blocks(environment, stack, project_dir),
        "import": import_blocks(environment, stack, project_dir),  # `iac import` (iac/synth/imports.py)
    }
    return {k: v for k, v in sections.items() if v}


def _moved_blocks(environment: Environment, stack: Stack, project_dir: Path | None) -> list[dict[str, str]]:
    """`moved` blocks (Terraform JSON: plain address strings), each checked against the stack."""
    blocks = []
    for move in stack.moves():
        problem = _move_problem(stack, move)
        if problem:
            raise ConfigError(Diagnostic(problem, source=relative_source(move.source, project_dir),
                                         environment=environment.name, address=move.from_address))
        blocks.append({"from": move.from_address, "to": move.to_address})
    return blocks


def _move_problem(stack: Stack, move: Moved) -> str | None:
    if stack.get(move.to_address) is None:
        return f"moved to {move.to_address}, which is not in the stack"
    if stack.get(move.from_address) is not None:
        return f"moved from {move.from_address}, which is still in the stack"
    try:
        parsed = parse_address(move.from_address)
    except AddressError:
        parsed = None
    if parsed is None or parsed.resource is None or parsed.resource[0] != "managed":
        return f"moved from {move.from_address}: not a resource address"
    return None


def _terraform_block(environment: Environment, constructs: list[Construct]) -> dict[str, Any]:
    """Every provider the constructs use, pinned to the version of the schema iac checked them against."""
    providers: dict[str, Any] = {"databricks": {"source": DATABRICKS_PROVIDER_SOURCE, "version": DATABRICKS_PROVIDER_VERSION}}
    pinned = _pinned_cloud_providers()
    for local in _cloud_providers(constructs):
        providers[local] = pinned[local]
    return {"required_version": REQUIRED_TERRAFORM, "required_providers": providers,
            "backend": environment.backend.terraform_block()}


def _cloud_providers(constructs: list[Construct]) -> list[str]:
    """The other providers (aws, azurerm...) the constructs use, sorted; `terraform_data` is built in."""
    used = {provider_local_name(c.resource_type) for c in constructs}
    return sorted(used & set(_pinned_cloud_providers()))


@functools.cache
def _pinned_cloud_providers() -> dict[str, dict[str, str]]:
    """hashicorp/aws, azurerm, google, random, time and null, each pinned to the version of its schema in iac/data."""
    pinned = {}
    for source, info in load_schemas().providers.items():
        if source.startswith("registry.terraform.io/hashicorp/"):
            pinned[source.rsplit("/", 1)[1]] = {"source": source.removeprefix("registry.terraform.io/"),
                                                "version": info.version}
    return pinned


def _providers(environment: Environment, stack: Stack, constructs: list[Construct]) -> dict[str, Any]:
    databricks = [{"alias": "account", "host": ACCOUNT_HOSTS[environment.cloud], "account_id": environment.account_id}]
    databricks += [binding.provider_block() for binding in stack.workspaces()]
    providers: dict[str, Any] = {"databricks": databricks}
    for local in _cloud_providers(constructs):
        configuration = _CLOUD_CONFIGURATION.get(local)
        if configuration is not None:
            providers[local] = [configuration(environment)]
    return providers


def _variables(environment: Environment, resources: list[Construct]) -> dict[str, Any]:
    variables = {v.name: _drop_none({"type": v.type, "default": v.default, "description": v.description,
                                     "sensitive": v.sensitive or None}) for v in environment.variables}
    for construct in resources:
        for secret in _secret_values(construct):
            declared = variables.get(secret.variable)
            if declared is not None and not declared.get("sensitive"):
                raise ConfigError(construct.diagnostic(
                    f"secret variable {secret.variable!r} is also declared as a non-sensitive environment variable"))
            variables[secret.variable] = _drop_none({"type": "string", "sensitive": True,
                                                     "description": secret.description})
    return variables


def _secret_values(construct: Construct) -> list[SecretValue]:
    found: list[SecretValue] = []

    def walk(value: Any) -> None:
        if isinstance(value, SecretValue):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, BaseModel) and not isinstance(value, Construct):
            walk(dict(value.__dict__) | (value.__pydantic_extra__ or {}))

    walk(dict(construct.__dict__) | (construct.__pydantic_extra__ or {}))
    return found


def _blocks(constructs: list[Construct], bodies: dict[str, dict[str, Any]], project_dir: Path | None) -> dict[str, Any]:
    """The `resource` (or `data`) section: type -> local name -> body with its meta-arguments."""
    out: dict[str, dict[str, Any]] = {}
    for construct in constructs:
        body = dict(bodies[construct.address])
        body["//"] = "source: " + relative_source(construct.source_location, project_dir)
        if construct._provider:
            body["provider"] = construct._provider
        if construct.depends_on:
            body["depends_on"] = sorted({d.address for d in construct.depends_on})
        if construct.lifecycle is not None:
            body["lifecycle"] = _lifecycle(construct)
        out.setdefault(construct.resource_type, {})[construct.local_name] = body
    return out


def _lifecycle(construct: Construct) -> dict[str, Any]:
    lifecycle = construct.lifecycle
    assert lifecycle is not None
    triggers = lifecycle.replace_triggered_by
    return _drop_none({
        "create_before_destroy": lifecycle.create_before_destroy,
        "prevent_destroy": lifecycle.prevent_destroy,
        "ignore_changes": lifecycle.ignore_changes,
        # Bare references: Terraform rejects "${...}" here.
        "replace_triggered_by": [t.expression if isinstance(t, Ref) else t for t in triggers] if triggers else None,
    })


def _drop_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None}

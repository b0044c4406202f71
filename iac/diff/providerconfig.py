"""Provider configurations: what a resource's provider block refers to, and whether a prior object can still
be read through it.

Terraform reads (refreshes) every object through its provider configuration before planning it. When that
configuration is not wholly known at plan time (`host = databricks_mws_workspaces.team.workspace_url` of a
workspace being replaced) or evaluates differently than it did for the prior state (the host changes), the
object is read from a workspace that does not hold it: the refresh finds it gone, Terraform records that as
drift and plans to create it. So everything inside a replaced workspace is created again in the new one, and
the old objects are lost with the old workspace. iac has no provider and does not refresh, but this follows
from the plan itself, so iac plans it the same way: such an object is planned as a create and named in the
plan's `iac.gone` (the checks' SEC008 names what that loses). Verified against Terraform through the sandbox
provider (tests/fleet/test_workspace_replacement.py).

Known limits, said rather than guessed: a literal setting edited in place (a host typed differently) is not
seen, since a state does not record what a provider was configured with; an object removed from the
configuration under such a provider is still planned for deletion (Terraform's refresh would find it gone).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iac.config.evaluate import EvaluationError, evaluate
from iac.config.expressions import Ref, UnsupportedExpression, template_references
from iac.config.model import Module, ResourceConfig
from iac.config.providermap import configuration_of
from iac.diff.scope import EngineScope, Values
from iac.state.address import InstanceAddress, ModuleInstance
from iac.values import contains_unknown, strict_equal

__all__ = ["ProviderCheck", "provider_blocks", "provider_key", "provider_references"]


def provider_key(res: ResourceConfig) -> str:
    """The provider configuration a resource uses: its `provider` argument, else the default one of its type's
    provider (the type's first word: `databricks_cluster` -> `databricks`)."""
    return res.provider or res.type.split("_", 1)[0]


def provider_blocks(module: Module) -> dict[str, dict[str, Any]]:
    """`name` / `name.alias` -> the block's arguments (alias removed), for the blocks that refer to something."""
    out: dict[str, dict[str, Any]] = {}
    for name, raw in module.provider_configs.items():
        for block in raw if isinstance(raw, list) else [raw]:
            if not isinstance(block, Mapping):
                continue
            body = {k: v for k, v in block.items() if k not in ("alias", "//")}
            if any(_has_template(v) for v in body.values()):
                out[f"{name}.{block['alias']}" if block.get("alias") else name] = body
    return out


def provider_references(module: Module) -> dict[str, list[Ref]]:
    """The references of each provider block that has any (what the graph orders before its resources)."""
    out: dict[str, list[Ref]] = {}
    for key, body in provider_blocks(module).items():
        refs: list[Ref] = []
        for value in body.values():
            try:
                refs.extend(template_references(value))
            except UnsupportedExpression:
                continue  # an expression iac cannot read: the block is then never judged unreadable
        out[key] = refs
    return out


def _has_template(value: Any) -> bool:
    if isinstance(value, str):
        return "${" in value
    if isinstance(value, Mapping):
        return any(_has_template(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_template(v) for v in value)
    return False


class ProviderCheck:
    """Per module instance and provider configuration: why its prior objects cannot be read, or None.

    `planned(scope)` evaluates a block with the values planned so far; `prior(scope)` with every referenced
    resource at its prior value (the changes planned before: the graph orders provider references first)."""

    def __init__(self, modules: Mapping[tuple[str, ...], Module]) -> None:
        self._modules = modules
        self._blocks = {path: provider_blocks(module) for path, module in modules.items()}
        self._verdicts: dict[tuple[ModuleInstance, str], str | None] = {}

    def __bool__(self) -> bool:
        return any(self._blocks.values())

    def unreadable(self, instance: ModuleInstance, res: ResourceConfig, values: Values,
                   changes: Mapping[InstanceAddress, Any]) -> str | None:
        """Why `res`'s prior objects in `instance` cannot be read through their provider configuration."""
        key = provider_key(res)
        cache_key = (instance, key)
        if cache_key in self._verdicts:
            return self._verdicts[cache_key]
        found = configuration_of(self._modules, tuple(name for name, _ in instance), key)
        body = None if found is None else self._blocks[found[0]].get(found[1])
        holder = instance if found is None else instance[:len(found[0])]  # the block's own module instance
        verdict = None if body is None else self._judge(
            key, body, EngineScope(values, holder), _PriorScope(values, holder, changes))
        self._verdicts[cache_key] = verdict
        return verdict

    @staticmethod
    def _judge(key: str, body: Mapping[str, Any], planned_scope: Any, prior_scope: Any) -> str | None:
        for name, value in sorted(body.items()):
            if not _has_template(value):
                continue
            try:
                now = evaluate(value, planned_scope)
                before = evaluate(value, prior_scope)
            except EvaluationError:
                return None  # cannot tell: plan as if readable (Terraform would report the error itself)
            if contains_unknown(now):
                return f"provider {key}'s {name} is known only after apply: the object is read from a workspace that does not hold it"
            if not strict_equal(now, before):
                return f"provider {key}'s {name} changes: the object is read from a workspace that does not hold it"
        return None


class _PriorScope(EngineScope):
    """References to a (single-instance) managed resource see its value before this plan."""

    def __init__(self, values: Values, module: ModuleInstance, changes: Mapping[InstanceAddress, Any]) -> None:
        super().__init__(values, module)
        self._changes = changes

    def resource(self, mode: str, rtype: str, name: str) -> Any:
        current = super().resource(mode, rtype, name)
        change = self._changes.get(InstanceAddress(self._module, mode, rtype, name, None)) if mode == "managed" else None
        return current if change is None or change.before is None else change.before

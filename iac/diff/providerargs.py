"""The provider configuration arguments a provider's plan-time rules read (iac.diff.customize), evaluated
for the configuration a resource uses: the aws provider's `default_tags` and `ignore_tags`.

A resource uses its `provider` argument's configuration (`aws.east`), else the default one of its type's
provider (`aws`): the one its module's caller passed under that address (a `providers` map), else its
module's own block, else the nearest module above that has one (iac.config.providermap.configuration_of).
Expressions in a block are evaluated in the module instance that holds it (the graph orders what they
refer to before the resources the block serves, iac.diff.graph); a value not known while planning makes
`default_tags` unknown, so every `tags_all` is known after apply, as with the real provider.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iac.config.evaluate import EvaluationError, evaluate
from iac.config.model import Module, ResourceConfig
from iac.config.providermap import configuration_of
from iac.diagnostics import ConfigError, Diagnostic
from iac.diff.customize import NO_ARGUMENTS, ProviderArguments
from iac.diff.providerconfig import provider_key
from iac.diff.scope import EngineScope, Values
from iac.state.address import ModuleInstance, format_module
from iac.values import Unknown, contains_unknown

__all__ = ["ProviderArgumentsOf"]


class ProviderArgumentsOf:
    """Per module instance and provider configuration: the arguments the rules read (cached)."""

    def __init__(self, modules: Mapping[tuple[str, ...], Module]) -> None:
        self._modules = modules
        self._found: dict[tuple[ModuleInstance, str], ProviderArguments] = {}

    def of(self, instance: ModuleInstance, res: ResourceConfig, values: Values) -> ProviderArguments:
        key = provider_key(res)
        cache_key = (instance, key)
        found = self._found.get(cache_key)
        if found is None:
            found = self._found[cache_key] = self._evaluate(instance, key, res, values)
        return found

    def _evaluate(self, instance: ModuleInstance, key: str, res: ResourceConfig, values: Values) -> ProviderArguments:
        found = configuration_of(self._modules, tuple(name for name, _ in instance), key)
        if found is None:
            return NO_ARGUMENTS
        path, address = found
        holder = instance[:len(path)]
        block = _block(self._modules[path].provider_configs, address)
        assert block is not None  # configuration_of found it
        try:
            return _arguments(evaluate(_wanted(block), EngineScope(values, holder)))
        except EvaluationError as error:
            label = ".".join(p for p in (format_module(holder), f"provider.{address}") if p)
            raise ConfigError(Diagnostic(error.message, source=error.source(res.file), address=label,
                                         attribute="default_tags")) from error


def _block(configs: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    name, _, alias = key.partition(".")
    raw = configs.get(name)
    for block in raw if isinstance(raw, list) else [raw]:
        if isinstance(block, Mapping) and (block.get("alias") or "") == alias:
            return block
    return None


def _wanted(block: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _single(block.get(name)) for name in ("default_tags", "ignore_tags")}


def _single(value: Any) -> Any:
    """A nested block as JSON writes it: one object, or a list holding at most one."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _arguments(evaluated: Mapping[str, Any]) -> ProviderArguments:
    default_tags = evaluated.get("default_tags")
    ignore = evaluated.get("ignore_tags")
    tags = default_tags.get("tags") if isinstance(default_tags, Mapping) else None
    if isinstance(default_tags, Unknown) or isinstance(tags, Unknown) or contains_unknown(tags):
        defaults: tuple[tuple[str, str], ...] | None = None
    else:
        defaults = tuple(sorted((str(k), _string(v)) for k, v in (tags or {}).items() if v is not None))
    keys = ignore.get("keys") if isinstance(ignore, Mapping) else None
    prefixes = ignore.get("key_prefixes") if isinstance(ignore, Mapping) else None
    return ProviderArguments(defaults, _strings(keys), _strings(prefixes))


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(sorted(str(v) for v in value if isinstance(v, str))) if isinstance(value, list) else ()


def _string(value: Any) -> str:
    """A tag value as the provider's map(string) holds it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

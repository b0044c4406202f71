"""A module call's `providers` map, as Terraform 1.15 reads it: which provider configuration a module's
resources use, and the maps Terraform refuses.

A child module uses, for a configuration address `aws` or `aws.x`, what its caller passed under that
address (`providers = { aws = aws.west }`: the caller's `aws.west`); else its own `provider` block; else,
walking up, the same address in its caller (a default configuration is inherited implicitly, with or
without a map). So does Terraform: a map entry is a proxy to the caller's configuration of the child's
provider type with the entry's alias (`aws = var.x` is the caller's `aws.x`), and a configuration not found
in a module is looked for in each module above it (terraform's ProviderTransformer). Verified against
Terraform with the aws provider (tests/providers/test_provider_map_oracle.py).

The refusals are Terraform's, in its words (internal/configs/provider_validation.go and the plan's
"missing provider" for an alias the caller does not have). Terraform only warns about an aliased entry the
child does not declare in `configuration_aliases` (and still passes it), so iac reads it too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from iac.config.model import Module, ModuleCall
from iac.diagnostics import ConfigError, Diagnostic

__all__ = ["check_provider_maps", "configuration_of", "passed_providers", "proxied", "read_requirements"]

_REFERENCE = re.compile(r"[^\W\d][\w-]*(?:\.[^\W\d][\w-]*)?")
"""`NAME` or `NAME.ALIAS`: the JSON form of a provider configuration reference (no template)."""
_INVALID_REFERENCE = ("Invalid provider configuration reference: The providers argument requires a provider type "
                      "name, optionally followed by a period and then a configuration alias.")


def passed_providers(value: Any, file: str, address: str) -> dict[str, str]:
    """A `providers` argument: a map of configuration references (a `.tf` file's already checked in
    iac.config.hcl); anything else is Terraform's error."""
    if not isinstance(value, dict):
        raise _error(file, "Invalid expression: A static map expression is required.", address)
    for key, passed in value.items():
        if not (isinstance(passed, str) and _REFERENCE.fullmatch(key) and _REFERENCE.fullmatch(passed)):
            raise _error(file, _INVALID_REFERENCE, address)
    return value


def read_requirements(module: Module, required: Any) -> None:
    """`terraform.required_providers` into `module.required_providers` and `module.configuration_aliases`
    (entries that are not objects are an old-style version string: no source, no aliases)."""
    if not isinstance(required, dict):
        return
    aliases = list(module.configuration_aliases)
    for name, entry in required.items():
        entry = entry if isinstance(entry, dict) else {}
        source = entry.get("source")
        module.required_providers[name] = source if isinstance(source, str) else ""
        listed = entry.get("configuration_aliases")
        aliases.extend(a for a in (listed if isinstance(listed, list) else []) if isinstance(a, str) and "." in a)
    module.configuration_aliases = tuple(aliases)


def configuration_of(modules: Mapping[tuple[str, ...], Module], path: tuple[str, ...],
                     key: str) -> tuple[tuple[str, ...], str] | None:
    """Where the configuration `key` (`aws`, `aws.x`) of the module at `path` is declared: the path of the
    module holding its `provider` block and its address there; None when no block declares it (the
    provider's defaults). What a caller passes replaces the child's own block (an empty one: any other is
    refused at load)."""
    while True:
        passed = _caller(modules, path).providers.get(key) if path else None
        if passed is None and _has_block(modules[path], key):
            return path, key
        if not path:
            return None
        if passed is not None:
            key = proxied(key, passed)
        path = path[:-1]


def check_provider_maps(root: Module) -> None:
    """Terraform's refusals of the provider configurations module calls pass (or fail to pass), deepest
    module first, as Terraform reports them."""
    modules: dict[tuple[str, ...], Module] = {}
    _collect(root, (), modules)
    calls = sorted((path for path in modules if path), key=len, reverse=True)
    for path in calls:
        _check_call(modules, path)
    for path in calls:  # Terraform's plan, once the configuration is valid
        _check_targets(modules, path)


def _collect(module: Module, path: tuple[str, ...], into: dict[tuple[str, ...], Module]) -> None:
    into[path] = module
    for name, call in module.module_calls.items():
        _collect(call.module, (*path, name), into)


def _check_call(modules: Mapping[tuple[str, ...], Module], path: tuple[str, ...]) -> None:
    call = _caller(modules, path)
    parent_path = path[:-1]
    parent = modules[parent_path]
    parent_text = _module_text(parent_path) if parent_path else "the root module"
    child = call.module
    for key in call.providers:
        if _configured(child, key):
            raise _call_error(call, f"Cannot override provider configuration: The configuration of "
                                    f"{_module_text(path)} has its own local configuration for {key}, and so it "
                                    f"cannot accept an overridden configuration provided by {parent_text}.")
    for alias in child.configuration_aliases:
        if alias not in call.providers and not _configured(child, alias):
            raise _call_error(call, "Missing required provider configuration: The child module requires an "
                                    f"additional configuration for provider {_provider_type(child, alias)}, with "
                                    f'the local name "{alias}". Add an entry for {alias} in the "providers" '
                                    "meta-argument in the module block.")
    for key, passed in call.providers.items():
        _check_types(parent, call, key, passed, parent_path)


def _check_targets(modules: Mapping[tuple[str, ...], Module], path: tuple[str, ...]) -> None:
    """An aliased entry names a configuration the caller has: declared, required of its own caller, or
    passed to it."""
    call = _caller(modules, path)
    parent_path = path[:-1]
    for key, passed in call.providers.items():
        target = proxied(key, passed)
        if "." in target and not _has_alias(modules, parent_path, target):  # Terraform's plan: no such proxy
            prefix = f"{_module_text(parent_path)}." if parent_path else ""
            raise _call_error(call, f'missing provider {prefix}provider["{_qualified(call.module, key)}"].'
                                    f"{target.partition('.')[2]}")


def _check_types(parent: Module, call: ModuleCall, key: str, passed: str, parent_path: tuple[str, ...]) -> None:
    """Terraform refuses an entry whose caller's name stands for another provider than the child's name
    (only when the caller declares that name in required_providers: an undeclared one is a warning)."""
    passed_name = passed.partition(".")[0]
    if passed_name not in parent.required_providers:
        return
    theirs = _provider_type(parent, passed_name)
    ours = _provider_type(call.module, key)
    if theirs == ours:
        return
    child_name = key.partition(".")[0]
    parent_text = _module_text(parent_path) if parent_path else "the root module"
    other = next((name for name in call.module.required_providers if _provider_type(call.module, name) == theirs),
                 None)
    if other is not None:
        detail = (f'The assigned configuration is for provider "{theirs}", but local name "{child_name}" in '
                  f'{parent_text} represents "{ours}". To pass this configuration to the child module, use the '
                  f'local name "{other}" instead.')
    else:
        where = _module_text((*parent_path, call.name))
        detail = (f'The local name "{passed}" in {parent_text} represents provider "{theirs}", but "{key}" in '
                  f'{where} represents "{ours}". Each provider has its own distinct configuration schema and '
                  f'provider types, so this module\'s "{key}" can be assigned only a configuration for {ours}, '
                  f"which is not required by {where}.")
    raise _call_error(call, f"Provider type mismatch: {detail}")


def _has_alias(modules: Mapping[tuple[str, ...], Module], path: tuple[str, ...], target: str) -> bool:
    module = modules[path]
    return (_has_block(module, target) or target in module.configuration_aliases
            or (bool(path) and target in _caller(modules, path).providers))


def _caller(modules: Mapping[tuple[str, ...], Module], path: tuple[str, ...]) -> ModuleCall:
    return modules[path[:-1]].module_calls[path[-1]]


def proxied(key: str, passed: str) -> str:
    """The caller's address an entry stands for: the child's provider name, the entry's alias (Terraform
    proxies to the caller's configuration of the child's provider type)."""
    alias = passed.partition(".")[2]
    return f"{key.partition('.')[0]}.{alias}" if alias else key.partition(".")[0]


def _blocks(module: Module, key: str) -> list[Mapping[str, Any]]:
    name, _, alias = key.partition(".")
    raw = module.provider_configs.get(name)
    return [b for b in (raw if isinstance(raw, list) else [raw])
            if isinstance(b, Mapping) and (b.get("alias") or "") == alias]


def _has_block(module: Module, key: str) -> bool:
    return bool(module.provider_configs) and bool(_blocks(module, key))


def _configured(module: Module, key: str) -> bool:
    """A block with settings (an empty one, or one with only `alias`/`version`, is a legacy proxy)."""
    return any(set(block) - {"alias", "version", "//"} for block in _blocks(module, key))


def _provider_type(module: Module, key: str) -> str:
    """The provider a local name stands for, as Terraform displays it (`hashicorp/aws`)."""
    name = key.partition(".")[0]
    source = (module.required_providers.get(name) or (
        "terraform.io/builtin/terraform" if name == "terraform" else f"hashicorp/{name}")).lower()
    return source.removeprefix("registry.terraform.io/")


def _qualified(module: Module, key: str) -> str:
    display = _provider_type(module, key)
    return display if display.count("/") == 2 else f"registry.terraform.io/{display}"


def _module_text(path: tuple[str, ...]) -> str:
    return ".".join(f"module.{name}" for name in path)


def _call_error(call: ModuleCall, summary: str) -> ConfigError:
    return _error(call.site or call.file, summary, f"module.{call.name}")


def _error(file: str, summary: str, address: str) -> ConfigError:
    return ConfigError(Diagnostic(summary, source=file, address=address, attribute="providers"))

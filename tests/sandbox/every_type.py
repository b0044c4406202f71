"""Generated configurations: one instance of every resource type (or data source) of a provider, from its schema.

Each instance sets exactly its required arguments and the blocks it must have (`min_items`), with a sample value of
the declared type; that is what Terraform checks before any provider sees the configuration, and enough for
the sandbox to create, read back and re-plan every type.
"""

from __future__ import annotations

from typing import Any

from iac.sandbox.schema import PROVIDERS, data_source_schemas, provider_config_block, resource_schemas
from iac.schema import Attribute, Block

__all__ = ["every_type_config", "required_arguments", "sample"]


def sample(type_: Any, name: str = "x") -> Any:
    """A value of Terraform type JSON `type_` (one element for collections)."""
    if type_ == "number":
        return 2
    if type_ == "bool":
        return True
    if type_ == "string":
        return f"sample-{name}"
    if isinstance(type_, list):
        kind, inner = type_[0], type_[1]
        if kind in ("list", "set"):
            return [sample(inner, name)]
        if kind == "map":
            return {"k": sample(inner, name)}
        if kind == "object":
            return {key: sample(t, key) for key, t in inner.items()}
    return f"sample-{name}"


def _nested_value(attribute: Attribute) -> Any:
    assert attribute.nested is not None
    element = required_arguments(attribute.nested)
    if attribute.nesting in (None, "single"):
        return element
    return {"k": element} if attribute.nesting == "map" else [element]


def required_arguments(block: Block) -> dict[str, Any]:
    """The required arguments and blocks of a schema block, each with a sample value."""
    body: dict[str, Any] = {}
    for name, attribute in sorted(block.attributes.items()):
        if attribute.required:
            body[name] = _nested_value(attribute) if attribute.nested is not None else sample(attribute.type, name)
    for name, block_type in sorted(block.block_types.items()):
        if block_type.min_items > 0:
            element = required_arguments(block_type.block)
            body[name] = element if block_type.nesting == "single" else [element] * block_type.min_items
    return body


def every_type_config(provider: str, mode: str = "managed") -> dict[str, Any]:
    """A `*.tf.json` document with one instance of every resource type (`managed`) or data source (`data`)."""
    schemas = resource_schemas(provider) if mode == "managed" else data_source_schemas(provider)
    source = PROVIDERS[provider].split("/", 1)[1]
    section = "resource" if mode == "managed" else "data"
    document: dict[str, Any] = {
        "terraform": {"required_providers": {provider: {"source": source}}},
        section: {type_name: {"one": required_arguments(schema.block)} for type_name, schema in schemas.items()},
    }
    if "features" in provider_config_block(provider).block_types:
        document["provider"] = {provider: [{"features": {}}]}
    return document

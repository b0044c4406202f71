"""Check a resource body (Terraform JSON) against its provider schema.

Returns (attribute path, message) pairs; the caller adds file:line, environment and address.
References (`${...}`) are accepted for any type: Terraform checks them once they are known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from iac.diagnostics import did_you_mean
from iac.schema import Block, BlockType, ResourceSchema

__all__ = ["META_ARGUMENTS", "changed_paths", "enum_message", "terraform_wording", "validate_body"]

# Terraform meta-arguments: never attributes of a schema.
META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection", "//"})

Problem = tuple[str, str]
Path = tuple[str | int, ...]

# The provider marks account ids sensitive to keep them out of logs; they are identifiers, not credentials.
_IDENTIFIERS_MARKED_SENSITIVE = frozenset({"account_id"})


def _is_literal_secret(value: Any) -> bool:
    """A sensitive value written in the code rather than referenced (`${var.x}`, `${resource.attr}`)."""
    return value is not None and not (isinstance(value, str) and value.startswith("${") and value.endswith("}"))


def validate_body(schema: ResourceSchema, body: Mapping[str, Any]) -> list[Problem]:
    """Every problem in `body`: unknown or computed-only attributes, missing required ones, wrong types."""
    return list(_check_block(schema.type, schema.block, body, "", top=True))


_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def enum_message(expected: str, given: Any) -> str:
    """pydantic's literal/enum error (`expected` is its `'A', 'B' or 'C'` text) as one line with a
    suggestion. The given value is never echoed (it could be a secret); only the allowed ones are."""
    if not isinstance(given, str):
        return f"expected {expected}, got {_kind(given)}"
    return f"expected {expected}{did_you_mean(given, _QUOTED.findall(expected))}"


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _check_block(rtype: str, block: Block, body: Mapping[str, Any], prefix: str, *, top: bool = False) -> Iterator[Problem]:
    for key, value in body.items():
        if top and key in META_ARGUMENTS or key == "//":
            continue
        path = _join(prefix, key)
        if key in block.attributes:
            attribute = block.attributes[key]
            if attribute.computed_only:
                yield path, f"'{key}' is computed by the provider and cannot be set"
            elif attribute.sensitive and key not in _IDENTIFIERS_MARKED_SENSITIVE and _is_literal_secret(value):
                yield path, f"literal value for sensitive attribute '{key}': pass a SecretValue (a sensitive variable fed from TF_VAR_*)"
            elif value is not None:
                yield from _check_type(attribute.type, value, path)
        elif key in block.block_types:
            yield from _check_nested(rtype, block.block_types[key], value, path)
        else:  # a keyword argument, as Terraform words an argument its native syntax does not expect
            yield path, terraform_wording().unsupported_argument(key, _candidates(block), json_syntax=False)
    for name, attribute in block.attributes.items():
        if attribute.required and body.get(name) is None:
            yield _join(prefix, name), terraform_wording().missing_argument(name)
    for name, nested in block.block_types.items():
        if nested.min_items and body.get(name) in (None, []):  # `{}` is one block with nothing set
            yield _join(prefix, name), (f'Insufficient {name} blocks: At least {nested.min_items} "{name}" blocks '
                                        "are required.")


def terraform_wording() -> Any:
    """Terraform's sentences (iac.config.schemacheck), imported only when a problem is found: the configuration
    package brings the whole language with it, which checking a construct does not need."""
    import iac.config.schemacheck

    return iac.config.schemacheck


def _candidates(block: Block) -> list[str]:
    """Names to suggest, in Terraform's order: the arguments (sorted), then the block types (sorted)."""
    return [*sorted(n for n, a in block.attributes.items() if not a.computed_only), *sorted(block.block_types)]


def _check_nested(rtype: str, nested: BlockType, value: Any, path: str) -> Iterator[Problem]:
    if _is_reference(value):
        return
    items = [value] if isinstance(value, Mapping) else value
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        yield path, f"block '{nested.name}' must be an object or a list of objects, got {_kind(value)}"
        return
    if nested.max_items is not None and len(items) > nested.max_items:
        yield path, f"block '{nested.name}' allows at most {nested.max_items} item(s), got {len(items)}"
    for index, item in enumerate(items):
        item_path = path if len(items) == 1 else f"{path}[{index}]"
        yield from _check_block(rtype, nested.block, item, item_path)


def _is_reference(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, (list, tuple)):
        return "list"
    return type(value).__name__


def _check_type(type_: Any, value: Any, path: str) -> Iterator[Problem]:
    if value is None or _is_reference(value) or type_ == "dynamic":
        return
    if isinstance(type_, str):
        ok = {
            "string": isinstance(value, str),
            "number": isinstance(value, (int, float, Decimal)) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
        }.get(type_, True)
        if not ok:
            yield path, f"expected {type_}, got {_kind(value)}"  # never echo values: they may be secrets
        return
    kind, inner = type_[0], type_[1]
    if kind in ("list", "set"):
        if not isinstance(value, (list, tuple)):
            yield path, f"expected {kind} of {inner if isinstance(inner, str) else inner[0]}, got {_kind(value)}"
            return
        for index, item in enumerate(value):
            yield from _check_type(inner, item, f"{path}[{index}]")
    elif kind == "map":
        if not isinstance(value, Mapping):
            yield path, f"expected map of {inner if isinstance(inner, str) else inner[0]}, got {_kind(value)}"
            return
        for key, item in value.items():
            yield from _check_type(inner, item, f"{path}.{key}")
    elif kind == "object":
        if not isinstance(value, Mapping):
            yield path, f"expected object, got {_kind(value)}"
            return
        for key, item in value.items():
            if key not in inner:
                yield f"{path}.{key}", f"unknown attribute '{key}'{did_you_mean(key, sorted(inner))}"
            else:
                yield from _check_type(inner[key], item, f"{path}.{key}")


def changed_paths(block: Block, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Path]:
    """The attribute paths (as the plan spells them: a nested block is a list, `autoscale[0].max_workers`) whose
    value `after` sets that `before` did not have. A list element counts as set when it was not in the list
    before (a tag block re-sorted among new ones stays the resource's own)."""
    return list(_changed_block(block, before, after, ()))


def _changed_block(block: Block, before: Mapping[str, Any], after: Mapping[str, Any], prefix: Path) -> Iterator[Path]:
    for key, new in after.items():
        old = before.get(key)
        if new == old or key == "//":
            continue
        nested = block.block_types.get(key)
        if nested is None:
            yield from _changed_value(new, old, (*prefix, key))
            continue
        olds = old if isinstance(old, list) else [old] if isinstance(old, Mapping) else []
        news = new if isinstance(new, list) else [new] if isinstance(new, Mapping) else []
        for index, item in enumerate(news):
            if item in olds:
                continue  # the same block as before, perhaps moved by sorting: not set by this step
            was = olds[index] if index < len(olds) else {}
            if isinstance(item, Mapping):
                yield from _changed_block(nested.block, was if isinstance(was, Mapping) else {}, item, (*prefix, key, index))


def _changed_value(new: Any, old: Any, path: Path) -> Iterator[Path]:
    if isinstance(new, Mapping) and isinstance(old, Mapping):
        for key, value in new.items():
            if value != old.get(key):
                yield from _changed_value(value, old.get(key), (*path, key))
    elif isinstance(new, list) and isinstance(old, list):
        for index, item in enumerate(new):
            if item not in old:
                yield from _changed_value(item, None, (*path, index))
    else:
        yield path

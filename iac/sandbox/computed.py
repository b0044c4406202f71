"""Apply-time values: every attribute the plan left unknown gets what the simulated API computes.

First the type's rule (iac.sandbox.api: shapes as the real APIs return them), then a rule by attribute name
(`id`, `*_id`, `*_time`, `etag`, `created_by`...), else null; nested blocks and nested attributes are filled
the same way, element by element. Values derive from a seeded generator per (resource type, store serial),
so a fresh store yields the same ids on every run: sandbox plans can be compared byte for byte.
"""

from __future__ import annotations

from typing import Any

from iac.sandbox.api import DEFAULT_HOST, RULES, SANDBOX_USER, Context, Values
from iac.sandbox.values import UNKNOWN, conform_type, contains_unknown
from iac.schema import Attribute, Block

__all__ = ["Context", "DEFAULT_HOST", "SANDBOX_USER", "fill_unknowns"]

_TIMES_MS = ("created_at", "updated_at", "creation_time", "last_modified", "updated_time", "create_time", "update_time",
             "created_time", "last_updated_timestamp", "creation_timestamp", "modification_time")
_PEOPLE = ("created_by", "updated_by", "owner", "creator", "creator_name", "creator_user_name", "updater",
           "last_modified_by", "last_updated_user", "effective_owner")


def _by_name(name: str, type_: Any, c: Context) -> Any:
    """Fallback for computed attributes no per-type rule covers."""
    if type_ == "number":
        if name in _TIMES_MS:
            return c.now_ms
        if name.endswith("_id") or name == "id":
            return int(c.digits(15))
        return None
    if type_ != "string":
        return None
    if name in _TIMES_MS:
        return c.rfc3339()
    if name in _PEOPLE:
        return SANDBOX_USER
    if name == "metastore_id":
        return c.stable_uuid("metastore")
    if name == "etag":
        return c.hex(16)
    if name in ("id", "uid") or name.endswith("_id"):
        return c.uuid()
    return None


def fill_unknowns(block: Block, state: dict[str, Any], context: Context) -> dict[str, Any]:
    """The state with every unknown value replaced by what the simulated API computes (or null)."""
    rule = RULES.get(context.resource_type)
    known = {k: v for k, v in state.items() if not contains_unknown(v)}
    values = rule(known, context) if rule else {}
    if "id" in block.attributes and values.get("id") in (None, ""):
        values["id"] = context.uuid()  # e.g. a name-keyed object created without a name: still needs an identity
    return _fill_block(block, state, context, values)


def _fill_block(block: Block, state: dict[str, Any], c: Context, values: Values) -> dict[str, Any]:
    filled = dict(state)
    for name, attribute in block.attributes.items():
        value = state.get(name)
        if value is UNKNOWN:
            computed = values[name] if name in values else _by_name(name, attribute.type, c)
            filled[name] = conform_type(computed, attribute.type)
        elif contains_unknown(value):
            filled[name] = _fill_nested_attribute(attribute, value, c)
    for name, block_type in block.block_types.items():
        value = state.get(name)
        if value is UNKNOWN:
            filled[name] = None if block_type.nesting == "single" else []
        elif isinstance(value, dict):
            filled[name] = _fill_block(block_type.block, value, c, _sibling_values(value))
        elif isinstance(value, list):
            filled[name] = [_fill_block(block_type.block, item, c, _sibling_values(item)) for item in value]
    return filled


def _fill_nested_attribute(attribute: Attribute, value: Any, c: Context) -> Any:
    """Known containers holding unknowns: a nested attribute's objects are filled like blocks, anything else
    gets null where it is unknown."""
    if attribute.nested is None:
        return _null_unknowns(value)
    if isinstance(value, dict) and attribute.nesting in (None, "single"):
        return _fill_block(attribute.nested, value, c, {})
    if isinstance(value, dict):  # map nesting
        return {k: _fill_block(attribute.nested, v, c, {}) if isinstance(v, dict) else _null_unknowns(v)
                for k, v in value.items()}
    return [_fill_block(attribute.nested, v, c, {}) if isinstance(v, dict) else _null_unknowns(v) for v in value]


# The API fills a driver like its workers when none is given (job clusters' new_cluster blocks too):
# a made-up id here would be an unknown node type to the cost checks.
_DRIVER_FROM_WORKERS = {"driver_node_type_id": "node_type_id", "driver_instance_pool_id": "instance_pool_id"}


def _sibling_values(block_state: Any) -> Values:
    if not isinstance(block_state, dict):
        return {}
    return {driver: block_state.get(worker) for driver, worker in _DRIVER_FROM_WORKERS.items()
            if driver in block_state and not contains_unknown(block_state.get(worker))}


def _null_unknowns(value: Any) -> Any:
    if value is UNKNOWN:
        return None
    if isinstance(value, dict):
        return {k: _null_unknowns(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_null_unknowns(v) for v in value]
    return value

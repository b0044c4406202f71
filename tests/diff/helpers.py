"""Helpers for engine tests: plan a config against a state built from plain attribute values, and
"apply" a plan offline (unknowns filled with stand-ins) to get the state a provider would write."""

from __future__ import annotations

import zlib
from typing import Any

from iac._jsonio import dumps
from iac.config import load_document
from iac.diff.engine import PlanOptions, plan
from iac.plan.model import Plan
from iac.schema import MISSING, Block, load_schemas, provider_source
from iac.state import State
from iac.state.tfstate import parse_state
from iac.values import Unknown

__all__ = ["fake_apply", "fake_apply_text", "plan_config", "state_of"]


def _resource_entry(address: str, attributes: dict[str, Any], **instance: Any) -> dict[str, Any]:
    mode = "data" if address.startswith("data.") else "managed"
    rtype, name = address.removeprefix("data.").split(".")
    return {"mode": mode, "type": rtype, "name": name,
            "provider": f'provider["{provider_source(rtype)}"]',
            "instances": [{"schema_version": 0, "attributes": attributes, "sensitive_attributes": [], **instance}]}


def full_attributes(rtype: str, values: dict[str, Any]) -> dict[str, Any]:
    """Every schema attribute present, as state holds them (null, [] for blocks, nested blocks filled
    the same way), overlaid with `values`."""
    schema = load_schemas().get(rtype)
    assert schema is not None, rtype
    return _full(schema.block, values)


def _full(block: Block, values: dict[str, Any]) -> dict[str, Any]:
    # as a provider writes state: schema defaults for attributes never set
    out: dict[str, Any] = {name: None if a.default is MISSING else a.default for name, a in block.attributes.items()}
    for name, nested in block.block_types.items():
        given = values.get(name)
        if nested.nesting == "single":
            out[name] = _full(nested.block, given) if isinstance(given, dict) else None
        else:
            out[name] = [_full(nested.block, item) for item in given or []]
    out.update({k: v for k, v in values.items() if k not in block.block_types})
    return out


def state_of(resources: dict[str, dict[str, Any]], *, full: bool = True) -> State:
    """A state with one instance per `TYPE.NAME: attributes` entry."""
    entries = [_resource_entry(a, full_attributes(a.split(".")[0], v) if full else v) for a, v in resources.items()]
    return parse_state(dumps({"version": 4, "terraform_version": "1.15.5", "serial": 1, "lineage": "t",
                              "outputs": {}, "resources": entries, "check_results": None}))


def plan_config(document: dict[str, Any], state: State | None = None, **options: Any) -> Plan:
    module = load_document(document, file="main.tf.json", base_dir=".")
    return plan(module, state or State.empty(), load_schemas(), PlanOptions(**options))


def _fill(value: Any, path: str, type_: Any = None) -> Any:
    """`type_` is the schema type (or Block) of `value` when known: a bool stand-in must be a bool, as a
    provider writes it (Terraform cannot read a state with a string there)."""
    if isinstance(value, Unknown):
        if type_ == "bool":
            return False
        # digits, so a stand-in converts to whatever type the referring attribute has (ids are numbers too)
        return {} if value.kind == "map" else [] if value.kind == "seq" else str(zlib.crc32(path.encode()))
    if isinstance(value, dict):
        return {k: _fill(v, f"{path}.{k}", _child_type(type_, k)) for k, v in value.items()}
    if isinstance(value, list):
        inner = type_ if isinstance(type_, Block) else type_[1] if isinstance(type_, list) else None
        return [_fill(v, f"{path}[{i}]", inner) for i, v in enumerate(value)]
    return value


def _child_type(type_: Any, key: str) -> Any:
    if isinstance(type_, Block):
        if key in type_.attributes:
            return type_.attributes[key].type
        return type_.block_types[key].block if key in type_.block_types else None
    if isinstance(type_, list) and type_[0] == "map":
        return type_[1]
    if isinstance(type_, list) and type_[0] == "object":
        return type_[1].get(key)
    return None


def fake_apply(result: Plan) -> State:
    """The state after applying `result`, with every unknown replaced by a stand-in value derived
    from its address (so a re-created object gets the same stand-ins)."""
    return parse_state(fake_apply_text(result))


def fake_apply_text(result: Plan) -> str:
    """`fake_apply`'s state as the text a state file holds."""
    entries = []
    for rc in result.resource_changes:
        if rc.after is None:
            continue
        address = str(rc.address)
        schemas = load_schemas()
        schema = schemas.data(rc.address.type) if rc.address.mode == "data" else schemas.get(rc.address.type)
        attributes = _fill(rc.after, address, schema.block if schema is not None else None)
        if rc.address.type == "terraform_data":
            attributes = {k: ({"value": v, "type": "dynamic"} if k != "id" and v is not None else v)
                          for k, v in attributes.items()}
        entry = _resource_entry(rc.address.resource, attributes)
        instance = entry["instances"][0]
        if rc.address.key is not None:
            instance["index_key"] = rc.address.key
        marks = [p for p in rc.after_sensitive if p and p[0] != "output"]  # as Terraform stores them
        instance["sensitive_attributes"] = [[_step(s) for s in path] for path in marks]
        entries.append(entry)
    outputs = {name: {"value": _fill(oc.after, f"output.{name}"), "type": "dynamic",
                      **({"sensitive": True} if oc.after_sensitive else {})}
               for name, oc in result.output_changes.items() if oc.after is not None}
    return dumps({"version": 4, "terraform_version": "1.15.5", "serial": 2, "lineage": "t",
                  "outputs": outputs, "resources": entries, "check_results": None})


def _step(step: str | int) -> dict[str, Any]:
    if isinstance(step, int):
        return {"type": "index", "value": {"value": step, "type": "number"}}
    return {"type": "get_attr", "value": step}


def apply_until_stable(plan_with: Any, rounds: int = 8) -> tuple[State, Plan]:
    """Offline "apply": plan, write the planned values (stand-ins for unknowns) as state, and plan
    again until nothing changes — what a provider's apply converges to, one dependency level a round."""
    state = State.empty()
    result = plan_with(state)
    for _ in range(rounds):
        state = fake_apply(result)
        result = plan_with(state)
        if not result.has_changes:
            break
    return state, result

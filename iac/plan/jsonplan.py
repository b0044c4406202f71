"""Plan -> Terraform's machine-readable plan (format 1.2) plus the `iac` extension key.

Shape and ordering follow `terraform show -json` (see docs/architecture.md and the reference notes),
with two deliberate differences: every sensitive leaf is replaced by "(sensitive value)" wherever a
value appears (masks are kept), and the top-level `iac` key. No `timestamp`: the same plan gives the
same bytes.

Safety net for secrets: a string anywhere in the document that contains a value that is or was
sensitive anywhere (4 characters or more) is masked, and marked sensitive where the document keeps a
mask, even where Terraform would not mark it: a state written before the variable became sensitive, a
provider copying a value into a computed attribute, a rotated secret's old value that another resource
still holds in its prior state (Terraform does not mark a copy made through `terraform_data.output`).
"Sensitive anywhere": the value of a sensitive variable, every value marked sensitive in a prior or
planned object (schema-sensitive attributes and state `sensitive_attributes` included), a sensitive
output's value, and whatever a check recognises as a secret (`mask_secrets`, after the checks ran).
Terraform prints those in clear; iac never prints a secret.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

import msgspec

from iac._jsonio import compact
from iac.config.coreversion import TERRAFORM_VERSION
from iac.plan.jsonchecks import checks_json
from iac.plan.jsonconfig import configuration
from iac.plan.jsonvalues import SENSITIVE, has_true, infer_type, masked, sensitive_mask, shape_of, split_unknowns
from iac.plan.model import Action, Mode, OutputChange, Plan, ResourceChange, StateSource
from iac.plan.relevance import relevant_attributes
from iac.schema import SchemaSet, load_schemas, provider_source
from iac.state.address import format_module
from iac.state.model import OutputState
from iac.values import Unknown, contains_unknown, format_path, get_path, strings_in

__all__ = ["FORMAT_VERSION", "IAC_FORMAT_VERSION", "TERRAFORM_VERSION", "config_hash", "iter_json", "mask_secrets",
           "to_json", "write_json"]

FORMAT_VERSION = "1.2"
IAC_FORMAT_VERSION = "1.0"


_EMPTY: dict[str, Any] = {}
"""One shared empty object for the thousands of `{}` masks (never mutated: the document is read-only)."""


def config_hash(text: str | bytes) -> str:
    """`sha256:<hex>` of the main.tf.json bytes planned."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return "sha256:" + hashlib.sha256(data).hexdigest()


def to_json(plan: Plan, schemas: SchemaSet | None = None) -> dict[str, Any]:
    """The plan JSON document as a dict (serialise with `iac._jsonio.dumps`)."""
    secrets = _secrets(plan)
    changes = [_scrubbed(rc, secrets) for rc in plan.resource_changes] if secrets else plan.resource_changes
    entries = _Entries(changes, plan.mode is Mode.DESTROY)
    doc: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": _planned_values(plan, entries),
        **({"resource_changes": entries.changes} if entries.changes else {}),  # Terraform omits an empty list
        "applyable": plan.applyable,
        "complete": not plan.errored,
        "errored": plan.errored,
    }
    if plan.variables:
        # a variable without a value (planned as unknown, see iac.config.variables) has nothing to write:
        # Terraform's format has no unknown variable values
        doc["variables"] = {n: {"value": SENSITIVE if s and v is not None else v} for n, (v, s) in plan.variables.items()
                            if not isinstance(v, Unknown)}
    if plan.output_changes:
        doc["output_changes"] = {n: _output_change(_scrubbed_output(oc, secrets)) for n, oc in plan.output_changes.items()}
    refreshed_outputs = _refreshed_outputs(plan)
    if not plan.prior_state.is_empty or entries.prior or refreshed_outputs or any(
            how in ("computed", "failed") for how, _ in plan.data_reads.values()):
        doc["prior_state"] = _prior_state(plan, entries, secrets, refreshed_outputs)
    if plan.configuration is not None:
        schemas = schemas or load_schemas()
        doc["configuration"] = configuration(plan.configuration, schemas)
        relevant = relevant_attributes(plan, schemas)
        if relevant:
            doc["relevant_attributes"] = relevant
    if plan.checks:
        doc["checks"] = checks_json(plan.checks)
    source = plan.meta.state_source
    if source is not None and source.drift:
        doc["resource_drift"] = [_drift_entry(entry, secrets) for entry in source.drift]
    doc["iac"] = _extension(plan)
    if secrets:  # what the resource changes cannot mark: data sources, variables, configuration constants
        mask_secrets(doc, secrets)
    return doc


def _drift_entry(entry: Mapping[str, Any], secrets: tuple[str, ...]) -> dict[str, Any]:
    """One of Terraform's `resource_drift` entries as iac writes it: values masked (Terraform writes them in
    clear), strings holding a sensitive variable's value too."""
    change = dict(entry.get("change") or {})
    for side in ("before", "after"):
        value, mask = change.get(side), change.get(f"{side}_sensitive")
        paths = secret_paths(value, secrets) if secrets else []
        if paths:
            mask = sensitive_mask(mask if isinstance(mask, dict | list) else {}, paths)
            change[f"{side}_sensitive"] = mask
        change[side] = masked(value, mask)
    return {**entry, "change": change}


_MIN_SECRET = 4


def _secrets(plan: Plan) -> tuple[str, ...]:
    """Strings that are or were sensitive anywhere in the plan (long enough to recognise without false
    positives): sensitive variables' values, values marked sensitive in any prior or planned object, and
    sensitive outputs' values, before and after, and the sensitive outputs data sources read from other states."""
    found: list[str] = []
    for value, sensitive in plan.variables.values():
        if sensitive:
            strings_in(value, found)
    for rc in plan.resource_changes:
        if rc.before_sensitive or rc.after_sensitive:
            for path in rc.before_sensitive:
                strings_in(get_path(rc.before, path), found)
            for path in rc.after_sensitive:
                strings_in(get_path(rc.after, path), found)
    for oc in plan.output_changes.values():
        if oc.before_sensitive or oc.after_sensitive:
            strings_in(oc.before, found)
            strings_in(oc.after, found)
    for output in plan.prior_state.outputs.values():
        if output.sensitive:
            strings_in(output.value, found)
    found.extend(plan.read_secrets)
    return tuple(sorted({s for s in found if len(s) >= _MIN_SECRET and s != SENSITIVE}))


def mask_secrets(document: dict[str, Any], secrets: tuple[str, ...] | list[str]) -> None:
    """Mask, in place, every string of a plan JSON document that contains one of `secrets`: in values
    (resource changes, planned values, prior state, outputs, variables), marking them sensitive where the
    document keeps a mask, and in configuration constants. Substrings of the `iac` key's messages are
    replaced. Nothing is mutated that another part of the document shares: masked parts are new objects."""
    secrets = tuple(s for s in secrets if len(s) >= _MIN_SECRET and s != SENSITIVE)
    if not secrets:
        return
    for rc in document.get("resource_changes") or []:
        change = rc.get("change")
        if isinstance(change, dict):
            change = rc["change"] = dict(change)
            for side in ("before", "after"):
                change[side], change[f"{side}_sensitive"] = _masked_pair(change.get(side),
                                                                          change.get(f"{side}_sensitive"), secrets)
    for section in (document.get("planned_values"), (document.get("prior_state") or {}).get("values")):
        if isinstance(section, dict):
            _mask_module(section.get("root_module"), secrets)
            outputs = section.get("outputs")
            if isinstance(outputs, dict):
                for name, output in list(outputs.items()):
                    if isinstance(output, dict) and secret_paths(output.get("value"), secrets):
                        outputs[name] = {**output, "sensitive": True, "value": SENSITIVE}
    for name, oc in list((document.get("output_changes") or {}).items()):
        if isinstance(oc, dict) and (secret_paths(oc.get("before"), secrets) or secret_paths(oc.get("after"), secrets)):
            document["output_changes"][name] = {**oc, "before_sensitive": True, "after_sensitive": True,
                                                **{k: SENSITIVE for k in ("before", "after") if oc.get(k) is not None}}
    for name, variable in list((document.get("variables") or {}).items()):
        if isinstance(variable, dict) and secret_paths(variable.get("value"), secrets):
            document["variables"][name] = {**variable, "value": SENSITIVE}
    if "configuration" in document and _may_hold(document["configuration"], secrets):
        document["configuration"] = _mask_constants(document["configuration"], secrets)
    if "iac" in document and _may_hold(document["iac"], secrets):
        document["iac"] = _replace_substrings(document["iac"], secrets)


def _masked_pair(value: Any, mask: Any, secrets: tuple[str, ...]) -> tuple[Any, Any]:
    """(value, mask) with every string leaf holding a secret masked and marked; unchanged when none does."""
    paths = secret_paths(value, secrets)
    if not paths:
        return value, mask
    start = mask if isinstance(mask, (dict, list)) else shape_of(value) if mask is not True else True
    new_mask = sensitive_mask(start, paths) if start is not True else True
    return masked(value, new_mask), new_mask


def _mask_module(module: Any, secrets: tuple[str, ...]) -> None:
    if not isinstance(module, dict):
        return
    resources = module.get("resources")
    if isinstance(resources, list):
        for index, entry in enumerate(resources):
            if isinstance(entry, dict) and "values" in entry:
                values, mask = _masked_pair(entry["values"], entry.get("sensitive_values"), secrets)
                if values is not entry["values"]:
                    resources[index] = {**entry, "values": values, "sensitive_values": mask}
    for child in module.get("child_modules") or []:
        _mask_module(child, secrets)


def _mask_constants(value: Any, secrets: tuple[str, ...]) -> Any:
    """The configuration section with every string holding a secret replaced (it keeps no masks)."""
    if isinstance(value, str):
        return SENSITIVE if any(s in value for s in secrets) else value
    if isinstance(value, dict):
        return {k: _mask_constants(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_constants(v, secrets) for v in value]
    return value


def _replace_substrings(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, SENSITIVE)
        return value
    if isinstance(value, dict):
        return {k: _replace_substrings(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_substrings(v, secrets) for v in value]
    return value


def secret_paths(value: Any, secrets: tuple[str, ...], path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of string leaves of `value` that contain one of `secrets`."""
    if not path and not isinstance(value, str) and not _may_hold(value, secrets):
        return []
    return _secret_paths(value, secrets, path)


def _may_hold(value: Any, secrets: tuple[str, ...]) -> bool:
    """False only when no string of `value` can hold a secret: one C encoding searched for each secret as JSON
    escapes it (escaping maps each character on its own, so a leaf holding a secret holds its escaped form;
    a match elsewhere, in a key say, only sends the value to the walk). Values msgspec cannot encode go there too."""
    try:
        blob = _ENCODE_PLAIN(value)
    except (TypeError, msgspec.EncodeError, OverflowError):
        return True
    return any(escaped in blob for escaped in _escaped(secrets))


def _refuse(obj: Any) -> Any:
    if type(obj) is Unknown:  # holds no string
        return None
    raise TypeError(type(obj).__name__)  # anything else not plain JSON may wrap a string (Sensitive): the walk decides


_ENCODE_PLAIN = msgspec.json.Encoder(enc_hook=_refuse).encode


@functools.lru_cache(maxsize=64)
def _escaped(secrets: tuple[str, ...]) -> tuple[bytes, ...]:
    return tuple(msgspec.json.encode(secret)[1:-1] for secret in secrets)


def _secret_paths(value: Any, secrets: tuple[str, ...], path: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [path] if any(s in value for s in secrets) else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _secret_paths(v, secrets, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _secret_paths(v, secrets, (*path, i))]
    return []


def _scrubbed(rc: ResourceChange, secrets: tuple[str, ...]) -> ResourceChange:
    before, after = secret_paths(rc.before, secrets), secret_paths(rc.after, secrets)
    if not before and not after:
        return rc
    return rc._replace(before_sensitive=(*rc.before_sensitive, *before), after_sensitive=(*rc.after_sensitive, *after))


def _scrubbed_output(oc: OutputChange, secrets: tuple[str, ...]) -> OutputChange:
    if secrets and (secret_paths(oc.before, secrets) or secret_paths(oc.after, secrets)):
        return msgspec.structs.replace(oc, before_sensitive=True, after_sensitive=True)
    return oc


class _Entries:
    """The three per-instance lists of the document, built in one pass over the changes: each
    change's before/after JSON forms are computed once and shared by resource_changes,
    planned_values and prior_state (at 100,000 instances, separate passes cost a third more)."""

    def __init__(self, changes: Any, destroy: bool) -> None:
        self.changes: list[dict[str, Any]] = []
        self.planned: list[tuple[Any, dict[str, Any]]] = []
        """(module instance, planned_values entry) of every current instance with an after value."""
        self.prior: list[tuple[Any, dict[str, Any]]] = []
        """(module instance, prior_state entry) of every instance with a before value (imports too)."""
        self._recent_shapes: list[Any] = []
        for rc in changes:
            self._add(rc, destroy)

    def _shared(self, shape: Any) -> Any:
        """An equal mask seen among the last few, else `shape`: the instances of a large estate mostly
        have a handful of value shapes, so their masks become a handful of objects, not one per
        instance (~40 MB at 100,000). Masks are read-only (`sensitive_mask` copies), so sharing is safe."""
        if type(shape) is not dict or not shape:
            return shape
        recent = self._recent_shapes
        for seen in recent:
            if seen == shape:
                return seen
        recent.insert(0, shape)
        del recent[_RECENT_SHAPES:]
        return shape

    def _add(self, rc: ResourceChange, destroy: bool) -> None:
        module, mode, rtype, name, key = rc.address
        # what a planned_values / prior_state entry names the object by; a resource change adds module_address
        identity: dict[str, Any] = {"address": str(rc.address), "mode": mode, "type": rtype, "name": name,
                                    "provider_name": rc.provider_name}
        if key is not None:
            identity["index"] = key
        before, before_sensitive, before_shape, prior_entry = self._before(rc, module, identity)
        planned = False
        after_unknown: Any
        if rc.after is None:
            after, after_unknown, after_sensitive = None, _EMPTY, False
            if rc.action is Action.FORGET and rc.deposed is None and not destroy:
                # Terraform lists a forgotten object in planned_values, with no values
                self.planned.append((module, {**identity, "schema_version": rc.schema_version, "sensitive_values": False}))
        else:
            if rc.action is Action.NOOP and rc.after is rc.before and rc.after_sensitive is rc.before_sensitive:
                # fast path: the prior object itself, known, marked as before: the before forms serve,
                # and its planned_values entry is its prior_state entry (the document is read-only)
                after, after_unknown, after_sensitive = before, _EMPTY, before_sensitive
                if rc.deposed is None and not destroy and prior_entry is not None:
                    self.planned.append((module, prior_entry))
                    planned = True
            else:
                if rc.action is Action.NOOP:  # a no-op's after equals its before and is known
                    known, after_unknown, shape = rc.after, _EMPTY, before_shape
                else:
                    known, unknown, shape = split_unknowns(rc.after)
                    # Terraform writes `{}` for a wholly known value, the full mask only when something is unknown.
                    after_unknown = unknown if known is not rc.after else _EMPTY
                after_sensitive = sensitive_mask(shape, rc.after_sensitive)
                after = masked(known, after_sensitive) if rc.after_sensitive else known
            if rc.deposed is None and not destroy and not planned:
                self.planned.append((module, _value_entry(identity, rc, after, after_sensitive)))
        change: dict[str, Any] = {
            "actions": rc.action.actions, "before": before, "after": after,
            "after_unknown": after_unknown, "before_sensitive": before_sensitive, "after_sensitive": after_sensitive,
        }
        if rc.replace_paths:
            change["replace_paths"] = [list(p) for p in rc.replace_paths]
        if rc.importing is not None:
            change["importing"] = dict(rc.importing)
        if module:
            identity["module_address"] = format_module(module)
        identity["change"] = change
        if rc.previous_address is not None and rc.previous_address != rc.address:
            identity["previous_address"] = str(rc.previous_address)
        if rc.deposed:
            identity["deposed"] = rc.deposed
        if rc.action_reason is not None:
            identity["action_reason"] = rc.action_reason.value
        self.changes.append(identity)

    def _before(self, rc: ResourceChange, module: Any, identity: dict[str, Any]) -> tuple[Any, Any, Any, Any]:
        """(masked before, before_sensitive, the all-false mask of before, its prior_state entry)."""
        if rc.before is None:
            return None, False, False, None
        shape = self._shared(shape_of(rc.before))
        sensitive = sensitive_mask(shape, rc.before_sensitive)
        before = masked(rc.before, sensitive) if rc.before_sensitive else rc.before
        # an imported object too: Terraform reads it while planning, into its prior state
        entry = _value_entry(identity, rc, before, sensitive)
        if rc.deposed:
            entry["deposed_key"] = rc.deposed
        prior = entry
        if rc.prior_dependencies or rc.prior_tainted:  # the prior state's own copy: a no-op's planned_values shares `entry`
            prior = dict(entry)
            if rc.prior_dependencies:
                prior["depends_on"] = list(rc.prior_dependencies)
            if rc.prior_tainted:
                prior["tainted"] = True
        self.prior.append((module, prior))
        return before, sensitive, shape, entry


_RECENT_SHAPES = 4


def _value_entry(identity: dict[str, Any], rc: ResourceChange, values: Any, sensitive: Any) -> dict[str, Any]:
    """A resource of planned_values or prior_state: the identity keys plus values and their mask."""
    return {**identity, "schema_version": rc.schema_version, "values": values,
            "sensitive_values": sensitive if sensitive is not False else _EMPTY}


def _module_tree(resources: list[tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
    """Nest resources into root_module/child_modules, resources sorted by address string."""
    root: dict[str, Any] = {}
    nodes: dict[tuple[Any, ...], dict[str, Any]] = {(): root}
    for module, entry in sorted(resources, key=lambda item: item[1]["address"]):
        for depth in range(1, len(module) + 1):
            prefix = module[:depth]
            if prefix not in nodes:
                child = {"address": format_module(prefix)}
                nodes[prefix] = child
                nodes[prefix[:-1]].setdefault("child_modules", []).append(child)
        nodes[module].setdefault("resources", []).append(entry)
    for node in nodes.values():
        if "child_modules" in node:
            node["child_modules"].sort(key=lambda c: c["address"])
    return root


def _planned_values(plan: Plan, entries: _Entries) -> dict[str, Any]:
    if plan.mode is Mode.DESTROY:
        return {"root_module": {}}
    resources = entries.planned
    result: dict[str, Any] = {}
    outputs = {n: _output_value(oc.after, oc.after_sensitive, oc.after_type) for n, oc in plan.output_changes.items()
               if oc.after is not None or oc.action.value != "delete"}
    if outputs:
        result["outputs"] = outputs
    result["root_module"] = _module_tree(resources)
    return result


def _output_value(value: Any, sensitive: bool, type_: Any = None) -> dict[str, Any]:
    known, unknown, _ = split_unknowns(value)
    entry: dict[str, Any] = {"sensitive": sensitive}
    if unknown is True or has_true(unknown):
        return entry
    entry["type"] = type_ if type_ is not None else infer_type(known)
    entry["value"] = SENSITIVE if sensitive and known is not None else known
    return entry


def _refreshed_outputs(plan: Plan) -> dict[str, OutputState]:
    """The root outputs of Terraform's prior state: as stored, each one the plan knows wholly replaced by its
    new value (Terraform writes a wholly known output into the refreshed state while planning), a null one
    removed. Not in a destroy plan, which evaluates none."""
    outputs = dict(plan.prior_state.outputs)
    if plan.mode is Mode.DESTROY:
        return outputs
    configured = plan.configuration.outputs if plan.configuration is not None else plan.output_changes
    for name, oc in plan.output_changes.items():
        if name not in configured:
            continue  # gone from the configuration: the refreshed state still holds it
        if oc.after is None:
            outputs.pop(name, None)
        elif not contains_unknown(oc.after):
            after_type = oc.after_type if oc.after_type is not None else infer_type(oc.after)
            outputs[name] = OutputState(oc.after, after_type, oc.after_sensitive)
    return outputs


def _prior_state(plan: Plan, entries: _Entries, secrets: tuple[str, ...],
                 outputs: Mapping[str, OutputState]) -> dict[str, Any]:
    state = plan.prior_state
    resources = list(entries.prior)
    # read while planning; a check's scoped data source whose read failed is there too, its computed
    # attributes null (Terraform keeps the object it could not complete)
    read_now = {a: v for a, (how, v) in plan.data_reads.items() if how in ("computed", "failed")}
    for resource in state.resources:
        if resource.mode != "data":  # managed objects are in entries.prior already
            continue
        for obj in resource.instances:
            address = resource.address(obj)
            if address in read_now:
                continue  # read while planning: the new value is the prior state's, as in Terraform's plan
            entry: dict[str, Any] = {"address": str(address), "mode": "data", "type": resource.type, "name": resource.name}
            if obj.key is not None:
                entry["index"] = obj.key
            entry.update(provider_name=resource.provider_name, schema_version=obj.schema_version,
                         values=obj.attributes, sensitive_values={})
            resources.append((address.module, entry))
    for address, value in read_now.items():
        _, _, rtype, name, key = address
        entry = {"address": str(address), "mode": "data", "type": rtype, "name": name}
        if key is not None:
            entry["index"] = key
        known = split_unknowns(value)[0]
        entry.update(provider_name=provider_source(rtype), schema_version=0,
                     values={k: known.get(k) for k in value} if known is not value else value,
                     sensitive_values=shape_of(known))
        resources.append((address.module, entry))
    values: dict[str, Any] = {}
    if outputs:
        hidden = {n for n, o in outputs.items() if o.sensitive or secret_paths(o.value, secrets)}
        values["outputs"] = {n: {"sensitive": n in hidden, "type": o.type,
                                 "value": SENSITIVE if n in hidden and o.value is not None else o.value}
                             for n, o in sorted(outputs.items())}
    values["root_module"] = _module_tree(resources)
    return {"format_version": "1.0", "terraform_version": state.terraform_version or TERRAFORM_VERSION,
            "values": values}


def _output_change(oc: OutputChange) -> dict[str, Any]:
    """Terraform's output change: a wholly unknown value is `null` with `after_unknown: true`; a known
    collection holding unknowns is written without them (object attributes left out, list elements null)
    beside their mask (`[true, true]` for a tuple of two unknown ids), as a resource's planned values are."""
    sensitive = oc.before_sensitive or oc.after_sensitive
    known, unknown, _ = split_unknowns(oc.after)
    if unknown is False or not has_true(unknown):
        after, after_unknown = known, False
    elif isinstance(oc.after, Unknown):
        after, after_unknown = None, True
    else:
        after, after_unknown = known, unknown
    change = {
        "actions": oc.action.actions,
        "before": SENSITIVE if sensitive and oc.before is not None else oc.before,
        "after": SENSITIVE if sensitive and after is not None else after,
        "after_unknown": after_unknown,
        "before_sensitive": sensitive,
        "after_sensitive": sensitive,
    }
    if after_unknown is True:  # Terraform writes no `after` for a wholly unknown value
        del change["after"]
    return change


def _extension(plan: Plan) -> dict[str, Any]:
    state = plan.prior_state
    reasons = {str(rc.address): {p: getattr(r, "value", r) for p, r in sorted(rc.reasons.items())}
               for rc in plan.resource_changes if rc.reasons}
    sources = {str(rc.address): rc.source for rc in plan.resource_changes if rc.source}
    gone = {"gone": dict(sorted(plan.gone.items()))} if plan.gone else {}
    extension = {
        **gone,
        "format_version": IAC_FORMAT_VERSION,
        "environment": plan.meta.environment,
        "mode": plan.meta.mode,
        "config_hash": plan.meta.config_hash,
        "state": {"serial": state.serial, "lineage": state.lineage} if state.exists else None,
        "plan_mode": plan.mode.value,
        "sources": sources,
        "reasons": reasons,
        "apply_order": list(plan.apply_order),
        **({"targets": {"addresses": list(plan.meta.targets), "dependencies": list(plan.target_dependencies)}}
           if plan.meta.targets else {}),
        **({"refresh": _refresh(plan.meta.state_source)} if plan.meta.state_source is not None else {}),
    }
    if plan.data_reads:  # how each data source was planned (iac.diff.datasources)
        extension["data_sources"] = {str(a): how for a, (how, _) in sorted(plan.data_reads.items(),
                                                                           key=lambda item: str(item[0]))}
    return extension


def _refresh(source: StateSource) -> dict[str, Any]:
    """Whether the state was refreshed before planning, and how old it is otherwise."""
    if source.refreshed:
        return {"refreshed": True, "engine": source.engine, "drifted": len(source.drift)}
    return {"refreshed": False, "state_written": source.written, "backend": source.backend}


def iter_json(document: Any, depth: int = 0) -> Iterator[str]:
    """The compact, key-sorted JSON text of a plan document in pieces: byte-identical to
    `iac._jsonio.dumps(document, indent=None)`, without ever holding the whole text (at 100,000
    resources the text is ~220 MB). The first levels of objects are walked; a list is encoded
    `_CHUNK` elements per `iac._jsonio.compact` call (one call per element cost more in Python than
    the encoding itself: 0.1 s of a 5,000-resource plan's `--out`)."""
    if isinstance(document, list) and document:
        yield "["
        for start in range(0, len(document), _CHUNK):
            yield ("," if start else "") + compact(document[start:start + _CHUNK])[1:-1]
        yield "]"
    elif isinstance(document, dict) and document and depth < 4:
        yield "{"
        for index, key in enumerate(sorted(document)):
            yield ("," if index else "") + compact(key) + ":"
            yield from iter_json(document[key], depth + 1)
        yield "}"
    else:
        yield compact(document)


_CHUNK = 1000
"""Elements of a list encoded together: a few MB of text at most for the largest resources."""


def write_json(document: Any, stream: TextIO) -> None:
    """Write `iter_json(document)` and a final newline to a text stream, in buffered pieces."""
    buffer: list[str] = []
    size = 0
    for piece in iter_json(document):
        buffer.append(piece)
        size += len(piece)
        if size > 1 << 20:
            stream.write("".join(buffer))
            buffer, size = [], 0
    buffer.append("\n")
    stream.write("".join(buffer))


def path_label(path: tuple[str | int, ...]) -> str:
    """Re-exported for renderers that want the same path spelling as `iac.reasons`."""
    return format_path(path)

"""The plan JSON `configuration` section: the module tree with expressions and their references.

As Terraform reports `.tf.json` sources: an attribute holding `${...}` templates is
`{"constant_value": <raw template>, "references": [...]}`, a plain one `{"constant_value": V}`; and `.tf`
sources: `{"references": [...]}`, or `{"constant_value": V}` for an expression that needs no context.
Literal values of schema-sensitive attributes and defaults of sensitive variables are masked.
"""

from __future__ import annotations

import bisect
from typing import Any

from iac.config.expressions import Ref, is_expression, template_references
from iac.config.model import NOT_SET, Module
from iac.lang.evaluate import EvalError, evaluate_constant
from iac.lang.plain import NotStorable, to_plain
from iac.plan.jsonvalues import SENSITIVE
from iac.schema import SchemaSet, provider_local_name, provider_source
from iac.state.address import format_key

__all__ = ["configuration"]


def configuration(module: Module, schemas: SchemaSet) -> dict[str, Any]:
    """`{"provider_config": …, "root_module": …}` for a loaded module tree."""
    providers: dict[str, Any] = {}
    root = _module(module, schemas, "", providers)
    return {"provider_config": dict(sorted(providers.items())), "root_module": root}


def _module(module: Module, schemas: SchemaSet, prefix: str, providers: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if module.outputs:
        result["outputs"] = {name: _output(out) for name, out in sorted(module.outputs.items())}
    types: dict[str, tuple[str, frozenset[str], int]] = {}
    # managed resources, then data resources, each sorted by address (as Terraform lists them): the data
    # addresses are one run of the sorted list ("data." ... "data/"), moved to the end without a key function
    ordered = sorted(module.resources.items())
    start, end = bisect.bisect_left(ordered, ("data.",)), bisect.bisect_left(ordered, ("data/",))
    if start != end:
        ordered = ordered[:start] + ordered[end:] + ordered[start:end]
    resources = [_resource(res, schemas, prefix, providers, types) for _, res in ordered]
    if resources:
        result["resources"] = resources
    if module.module_calls:
        result["module_calls"] = {
            name: _call(call, schemas, f"{prefix}module.{name}.", providers)
            for name, call in sorted(module.module_calls.items())
        }
    if module.variables:
        result["variables"] = {name: _variable(var) for name, var in sorted(module.variables.items())}
    return result


def _resource(res: Any, schemas: SchemaSet, prefix: str, providers: dict[str, Any],
              types: dict[str, tuple[str, frozenset[str], int]]) -> dict[str, Any]:
    key, sensitive, schema_version = types.get(res.type) or _type_facts(res.type, schemas, prefix, providers, types)
    templates = res.templates
    body = res.body
    if not templates and sensitive.isdisjoint(body):  # constants only (most blocks of a large configuration)
        expressions = {k: {"constant_value": body[k]} for k in sorted(body)}
    else:
        expressions = {k: _expression(body[k], k in sensitive, templates.get(k, ())) if k in sensitive or k in templates
                       else {"constant_value": body[k]} for k in sorted(body)}
    entry: dict[str, Any] = {
        "address": prefix + res.address, "mode": res.mode, "type": res.type, "name": res.name,
        "provider_config_key": key, "expressions": expressions, "schema_version": schema_version,
    }
    if res.count is not NOT_SET:
        entry["count_expression"] = _expression(res.count)
    if res.for_each is not NOT_SET:
        entry["for_each_expression"] = _expression(res.for_each)
    if res.depends_on:
        entry["depends_on"] = list(res.depends_on)
    return entry


def _type_facts(rtype: str, schemas: SchemaSet, prefix: str, providers: dict[str, Any],
                types: dict[str, tuple[str, frozenset[str], int]]) -> tuple[str, frozenset[str], int]:
    """Provider config key, sensitive attribute names and schema version of one resource type in one
    module (registers the provider config on first sight): worked out once, not per resource."""
    local = provider_local_name(rtype)
    key = f"{prefix[:-1]}:{local}" if prefix else local
    if key not in providers:
        providers[key] = {"name": local, "full_name": provider_source(rtype)}
        if prefix:
            providers[key]["module_address"] = prefix[:-1]
    schema = schemas.get(rtype)
    sensitive = frozenset(n for n, a in schema.block.attributes.items() if a.sensitive) if schema else frozenset()
    types[rtype] = facts = (key, sensitive, schema.version if schema else 0)
    return facts


def _call(call: Any, schemas: SchemaSet, prefix: str, providers: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "source": call.source,
        "expressions": {k: _expression(v) for k, v in sorted(call.inputs.items())},
        "module": _module(call.module, schemas, prefix, providers),
    }
    if call.count is not NOT_SET:
        entry["count_expression"] = _expression(call.count)
    if call.for_each is not NOT_SET:
        entry["for_each_expression"] = _expression(call.for_each)
    if call.depends_on:
        entry["depends_on"] = list(call.depends_on)
    return entry


def _output(out: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"expression": _expression(out.value, out.sensitive)}
    if out.sensitive:
        entry["sensitive"] = True
    if out.depends_on:
        entry["depends_on"] = list(out.depends_on)
    if out.description:
        entry["description"] = out.description
    return entry


def _variable(var: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if var.default is not NOT_SET:
        entry["default"] = SENSITIVE if var.sensitive and var.default is not None else var.default
    if var.description:
        entry["description"] = var.description
    if var.sensitive:
        entry["sensitive"] = True
    return entry


def _expression(value: Any, sensitive: bool = False, refs: Any = None) -> dict[str, Any]:
    refs = template_references(value) if refs is None else list(refs)
    if is_expression(value):
        return _native(value, sensitive, refs)
    shown = SENSITIVE if sensitive and value is not None and not refs else value
    if not refs:
        return {"constant_value": shown}
    return {"constant_value": shown, "references": _reference_strings(refs)}


def _native(expr: Any, sensitive: bool, refs: list[Ref]) -> dict[str, Any]:
    """An expression of a `.tf` file, as Terraform reports native syntax: its value when it can be evaluated
    without any context (no reference, no function call), and its references."""
    entry: dict[str, Any] = {}
    try:
        value = to_plain(evaluate_constant(expr))
    except (EvalError, NotStorable):
        pass
    else:
        entry["constant_value"] = SENSITIVE if sensitive and value is not None else value
    if refs:
        entry["references"] = _reference_strings(refs)
    return entry


def _reference_strings(refs: list[Ref]) -> list[str]:
    """Terraform lists each reference with its trailing steps peeled off one by one, then the
    referenced object (e.g. `terraform_data.a.output.x`, `terraform_data.a.output`, `terraform_data.a`)."""
    out: list[str] = []
    for ref in refs:
        subject_len = _subject_length(ref)
        for end in range(len(ref.steps), subject_len - 1, -1):
            text = _ref_text(ref, end)
            if text not in out:
                out.append(text)
    return out


def _subject_length(ref: Ref) -> int:
    return 2 if ref.root == "data" else 1


def _ref_text(ref: Ref, end: int) -> str:
    text = ref.root
    for step in ref.steps[:end]:
        key = getattr(step, "key", None)
        text += format_key(key) if key is not None and not isinstance(step, str) else f".{step}"
    return text

"""`dynamic` blocks: nested blocks generated from a collection, as Terraform's dynblock extension does.

A body holding `"dynamic": {"NAME": [{"for_each": ..., "iterator": ..., "content": {...}}]}` (Terraform
JSON's form, which `.tf` files are converted to) gets one `NAME` block per element of `for_each`, its
content evaluated with the iterator (default: NAME) bound to `{key, value}`; dynamic blocks nest. The
generated blocks follow the body's static `NAME` blocks.
"""

from __future__ import annotations

from typing import Any

from iac.config.evaluate import EvaluationError, Scope, evaluate, evaluate_typed
from iac.lang import cty
from iac.values import UNKNOWN_SEQ

__all__ = ["expand_dynamic"]


def expand_dynamic(body: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """`body` with its dynamic blocks (at any depth) expanded and every expression evaluated."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key == "dynamic" and isinstance(value, dict):
            continue
        try:
            out[key] = _nested(value, scope)
        except EvaluationError as error:
            error.path.insert(0, key)
            raise
    dynamic = body.get("dynamic")
    if not isinstance(dynamic, dict):
        return out
    for name, specs in dynamic.items():
        for spec in specs if isinstance(specs, list) else [specs]:
            try:
                generated = _generate(name, spec, scope)
            except EvaluationError as error:
                error.path[:0] = ["dynamic", name]
                raise
            if generated is UNKNOWN_SEQ:
                out[name] = UNKNOWN_SEQ
            elif out.get(name) is not UNKNOWN_SEQ:
                existing = out.get(name, [])
                out[name] = [*(existing if isinstance(existing, list) else [existing]), *generated]
    return out


def _nested(value: Any, scope: Scope) -> Any:
    """A value evaluated once; blocks inside a body may hold dynamic blocks of their own."""
    if isinstance(value, list) and any(isinstance(v, dict) and "dynamic" in v for v in value):
        return [expand_dynamic(v, scope) if isinstance(v, dict) else evaluate(v, scope) for v in value]
    return evaluate(value, scope)


def _generate(name: str, spec: Any, scope: Scope) -> Any:
    if not isinstance(spec, dict) or "for_each" not in spec or not isinstance(spec.get("content"), dict):
        raise EvaluationError(f'Invalid dynamic block "{name}": it needs "for_each" and a "content" block.')
    iterator = spec.get("iterator", name)
    collection = evaluate_typed(spec["for_each"], scope)
    collection, _marks = collection.unmark()
    if collection.v is None:
        raise EvaluationError("Invalid dynamic for_each value: Cannot use a null value in for_each.")
    if collection.v is cty.UNKNOWN:
        return UNKNOWN_SEQ
    if collection.type.kind not in ("list", "set", "tuple", "map", "object"):
        raise EvaluationError(f"Invalid dynamic for_each value: Cannot use a {collection.type.friendly()} value in "
                              "for_each. An iterable collection is required.")
    blocks = []
    outer = scope.symbols
    for key, element in collection.items():
        scope.symbols = {**(outer or {}), iterator: cty.object_value({"key": key, "value": element})}
        try:
            blocks.append(expand_dynamic(spec["content"], scope))
        finally:
            scope.symbols = outer
    return blocks

"""`lifecycle.replace_triggered_by`, read as Terraform reads it: each item is one reference to a resource, one of
its instances or one of their attributes, whose index steps are constant keys or the instance's own
`count.index` / `each.key` (`terraform_data.a[each.key].output`: the `a` of the same key). Anything else is
refused in Terraform's words. The engine resolves a `RepetitionKey` step per instance (iac.diff.engine).
"""

from __future__ import annotations

from typing import Any

import msgspec

from iac.config.expressions import IndexStep, Ref, UnsupportedExpression, ref_of
from iac.lang import ast
from iac.lang.hcl import HclSyntaxError, parse_expression

__all__ = ["STATIC_REFERENCE_REQUIRED", "RepetitionKey", "trigger_reference"]

STATIC_REFERENCE_REQUIRED = (
    "Invalid expression: A single static variable reference is required: only attribute access and indexing with "
    "constant keys. No calculations, function calls, template expressions, etc are allowed here.")
"""Terraform's words for an expression where a reference is required (also iac.config.hcl's)."""
_ONLY = ("Invalid reference in replace_triggered_by expression: Only resources, count.index, and each.key may be "
         "used in replace_triggered_by.")
_NOT_RESOURCES = frozenset(("var", "local", "module", "each", "count", "path", "terraform", "self"))


class RepetitionKey(msgspec.Struct, frozen=True):
    """An index step that is the planned instance's own key: `count.index` or `each.key`."""

    name: str


def trigger_reference(text: str, repetition: str | None) -> Ref:
    """One item of replace_triggered_by (its text); `repetition`: the resource's `count` or `for_each`, if any."""
    try:
        node = parse_expression(text.strip(), "<replace_triggered_by>")
    except HclSyntaxError as error:
        raise UnsupportedExpression(f"{text}: {error.message}") from error
    root, steps = _flattened(node, repetition)
    if root in _NOT_RESOURCES:
        raise UnsupportedExpression(_ONLY)
    return Ref(root, tuple(steps), text)


def _flattened(node: Any, repetition: str | None) -> tuple[str, list[Any]]:
    if isinstance(node, ast.ScopeTraversal):
        ref = ref_of(node)
        return ref.root, list(ref.steps)
    if isinstance(node, ast.Index):
        root, steps = _flattened(node.collection, repetition)
        return root, [*steps, IndexStep(_key(node.key, repetition))]
    if isinstance(node, ast.RelativeTraversal):
        root, steps = _flattened(node.source, repetition)
        return root, [*steps, *ref_of(ast.ScopeTraversal(root, node.steps, node.pos)).steps]
    raise UnsupportedExpression(STATIC_REFERENCE_REQUIRED)


_REPETITIONS = {
    # root: (its one attribute allowed here, the meta-argument it needs, Terraform's two refusals)
    "each": ("key", "for_each",
             "Invalid each reference in replace_triggered_by expression: Only each.key may be used in "
             "replace_triggered_by.",
             'Reference to "each" in context without for_each: The "each" object can be used only in "resource" '
             'blocks when the "for_each" argument is set.'),
    "count": ("index", "count",
              "Invalid count reference in replace_triggered_by expression: Only count.index may be used in "
              "replace_triggered_by.",
              'Reference to "count" in non-counted context: The "count" object can only be used in "resource" '
              'blocks when the "count" argument is set.'),
}


def _key(node: Any, repetition: str | None) -> Any:
    if isinstance(node, ast.Literal) and isinstance(node.value, (str, int)):
        return node.value
    if not isinstance(node, ast.ScopeTraversal):
        raise UnsupportedExpression(STATIC_REFERENCE_REQUIRED)
    rule = _REPETITIONS.get(node.root)
    if rule is None:
        raise UnsupportedExpression(_ONLY)
    attribute, meta, wrong_attribute, wrong_context = rule
    name = node.steps[0].name if len(node.steps) == 1 and isinstance(node.steps[0], ast.GetAttr) else None
    if name != attribute:
        raise UnsupportedExpression(wrong_attribute)
    if repetition != meta:
        raise UnsupportedExpression(wrong_context)
    return RepetitionKey(f"{node.root}.{attribute}")

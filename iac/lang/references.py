"""The references an expression makes: every `ScopeTraversal` whose root is not a symbol the expression
binds itself (for-expression and template-for variables, a dynamic block's iterator).

Terraform builds its dependency graph from exactly these (`lang.ReferencesInExpr`), statically, before
anything is evaluated.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from iac.lang import ast

__all__ = ["references"]


def references(node: Any, bound: frozenset[str] = frozenset()) -> Iterator[ast.ScopeTraversal]:  # noqa: C901
    """Every reference in `node` (an expression or template part), in source order."""
    if isinstance(node, ast.ScopeTraversal):
        if node.root not in bound:
            yield node
    elif isinstance(node, (ast.Literal, ast.Anon, str)) or node is None:
        return
    elif isinstance(node, ast.ForExpr):
        yield from references(node.collection, bound)
        inner = bound | {node.value_var} | ({node.key_var} if node.key_var else set())
        parts: tuple[Any, ...] = (node.key_expr, node.value_expr, node.condition)
        for part in parts:
            yield from references(part, inner)
    elif isinstance(node, ast.TemplateFor):
        yield from references(node.collection, bound)
        inner = bound | {node.value_var} | ({node.key_var} if node.key_var else set())
        for body_part in node.body:
            yield from references(body_part, inner)
    elif isinstance(node, ast.TemplateIf):
        yield from references(node.condition, bound)
        for branch_part in (*node.true, *node.false):
            yield from references(branch_part, bound)
    elif isinstance(node, ast.Template):
        for template_part in node.parts:
            yield from references(template_part, bound)
    elif isinstance(node, ast.ObjectCons):
        for object_item in node.items:
            if not object_item.bare_key:
                yield from references(object_item.key, bound)
            yield from references(object_item.value, bound)
    elif isinstance(node, ast.TupleCons):
        for item in node.items:
            yield from references(item, bound)
    elif isinstance(node, ast.FunctionCall):
        for arg in node.args:
            yield from references(arg, bound)
    elif isinstance(node, (ast.RelativeTraversal, ast.Parens, ast.TemplateWrap)):
        yield from references(getattr(node, "source", None) or getattr(node, "expr", None), bound)
    elif isinstance(node, ast.Index):
        yield from references(node.collection, bound)
        yield from references(node.key, bound)
    elif isinstance(node, ast.Splat):
        yield from references(node.source, bound)
        yield from references(node.each, bound)
    elif isinstance(node, ast.Conditional):
        for branch in (node.condition, node.true, node.false):
            yield from references(branch, bound)
    elif isinstance(node, ast.BinaryOp):
        yield from references(node.left, bound)
        yield from references(node.right, bound)
    elif isinstance(node, ast.UnaryOp):
        yield from references(node.operand, bound)
    else:
        raise TypeError(f"not an expression: {type(node).__name__}")

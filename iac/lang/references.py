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


def references(node: Any, bound: frozenset[str] = frozenset()) -> Iterator[ast.ScopeTraversal]:
    """Every reference in `node` (an expression or template part), in source order. Walked with a stack,
    not recursion: a 70,000-term `a + b + ...` chain is a tree that deep, which nested generators
    overflowed the C stack on (and made each reference pass through every level above it)."""
    pending: list[tuple[Any, frozenset[str]]] = [(node, bound)]
    while pending:
        item, names = pending.pop()
        if isinstance(item, ast.ScopeTraversal):
            if item.root not in names:
                yield item
            continue
        children = _children(item, names)
        pending.extend(reversed(children))


def _children(node: Any, bound: frozenset[str]) -> list[tuple[Any, frozenset[str]]]:  # noqa: C901
    """The sub-expressions of `node` in source order, each with the names bound where it stands."""
    if isinstance(node, (ast.Literal, ast.Anon, str)) or node is None:
        return []
    if isinstance(node, ast.ForExpr):
        inner = bound | {node.value_var} | ({node.key_var} if node.key_var else set())
        return [(node.collection, bound), (node.key_expr, inner), (node.value_expr, inner), (node.condition, inner)]
    if isinstance(node, ast.TemplateFor):
        inner = bound | {node.value_var} | ({node.key_var} if node.key_var else set())
        return [(node.collection, bound), *((part, inner) for part in node.body)]
    if isinstance(node, ast.TemplateIf):
        return [(node.condition, bound), *((part, bound) for part in (*node.true, *node.false))]
    if isinstance(node, ast.Template):
        return [(part, bound) for part in node.parts]
    if isinstance(node, ast.ObjectCons):
        out: list[tuple[Any, frozenset[str]]] = []
        for item in node.items:
            if not item.bare_key:
                out.append((item.key, bound))
            out.append((item.value, bound))
        return out
    if isinstance(node, ast.TupleCons):
        return [(item, bound) for item in node.items]
    if isinstance(node, ast.FunctionCall):
        return [(arg, bound) for arg in node.args]
    if isinstance(node, (ast.RelativeTraversal, ast.Parens, ast.TemplateWrap)):
        return [(getattr(node, "source", None) or getattr(node, "expr", None), bound)]
    if isinstance(node, ast.Index):
        return [(node.collection, bound), (node.key, bound)]
    if isinstance(node, ast.Splat):
        return [(node.source, bound), (node.each, bound)]
    if isinstance(node, ast.Conditional):
        return [(node.condition, bound), (node.true, bound), (node.false, bound)]
    if isinstance(node, ast.BinaryOp):
        return [(node.left, bound), (node.right, bound)]
    if isinstance(node, ast.UnaryOp):
        return [(node.operand, bound)]
    raise TypeError(f"not an expression: {type(node).__name__}")

"""Expressions in configuration values: JSON-syntax strings compiled once into syntax trees, and the
references every value makes (for the dependency graph and the plan JSON's `configuration`).

Every JSON string in Terraform JSON configuration is a template (`iac.lang.hcl.parse_template`); a `.tf`
file's attribute values arrive already parsed (`iac.lang.ast` nodes). A configuration value is therefore
plain JSON (constants), strings holding `${`/`%{` (JSON templates), or syntax-tree nodes, nested in
dicts and lists.

`Ref` is a reference as the graph sees it: the root name and its static steps (`str` attribute names,
`IndexStep` constant keys) with the source text for messages.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from iac.lang import ast
from iac.lang.hcl import HclSyntaxError, parse_template, parse_traversal
from iac.lang.references import references

__all__ = [
    "EXPRESSION_TYPES",
    "IndexStep",
    "Ref",
    "UnsupportedExpression",
    "compile_string",
    "has_template",
    "is_expression",
    "parse_bare_reference",
    "ref_of",
    "template_references",
]


class UnsupportedExpression(ValueError):
    """An expression Terraform would not parse; the message says what was found, `path` where (attribute
    names and indexes inside the value being read)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.path: list[str | int] = []


class IndexStep(msgspec.Struct, frozen=True):
    """`[key]` after a reference: key is an int or a str."""

    key: Any


class Ref(msgspec.Struct, frozen=True):
    """A reference: `root` and the steps after it (`str` attribute names, `IndexStep` constant keys).
    `text` is the source text, for messages."""

    root: str
    steps: tuple[Any, ...]
    text: str


EXPRESSION_TYPES = (ast.Literal, ast.ScopeTraversal, ast.RelativeTraversal, ast.Index, ast.Splat, ast.FunctionCall,
                    ast.Conditional, ast.BinaryOp, ast.UnaryOp, ast.Parens, ast.TupleCons, ast.ObjectCons,
                    ast.ForExpr, ast.Template, ast.TemplateWrap, ast.Anon)


def is_expression(value: Any) -> bool:
    """A syntax-tree node (from a `.tf` file, or a compiled JSON template)."""
    return isinstance(value, EXPRESSION_TYPES)


def has_template(text: str) -> bool:
    """Cheap test: does this string need compiling at all?"""
    return "${" in text or "%{" in text


_cache: dict[str, Any] = {}
_SIMPLE_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)+)\}")
"""A whole string that is one reference of dotted names (most templates of a generated configuration):
built without the parser, exactly as the parser would build it."""
_NOWHERE = ast.Pos("<string>", 1, 1)


def compile_string(text: str) -> Any:
    """The syntax tree of a JSON-syntax string, or the plain string itself when it holds no template."""
    if not has_template(text):
        return text
    found = _cache.get(text)
    if found is None:
        found = _compile(text)
        if len(_cache) < 200_000:
            _cache[text] = found
    return found


def _compile(text: str) -> Any:
    simple = _SIMPLE_REFERENCE.fullmatch(text)
    if simple:
        names = simple.group(1).split(".")
        pos = ast.Pos("<string>", 1, 3)
        traversal = ast.ScopeTraversal(names[0], tuple(ast.GetAttr(n) for n in names[1:]), pos)
        return ast.TemplateWrap(traversal, _NOWHERE)
    try:
        tree = parse_template(text, "<string>")
    except HclSyntaxError as error:
        raise UnsupportedExpression(error.message) from error
    if isinstance(tree, ast.Literal) and isinstance(tree.value, str):
        return tree.value if not has_template(tree.value) else tree
    return tree


def ref_of(traversal: ast.ScopeTraversal) -> Ref:
    steps: list[Any] = []
    for step in traversal.steps:
        steps.append(step.name if isinstance(step, ast.GetAttr) else IndexStep(step.key))
    return Ref(traversal.root, tuple(steps), _text(traversal))


def _text(traversal: ast.ScopeTraversal) -> str:
    out = [traversal.root]
    for step in traversal.steps:
        if isinstance(step, ast.GetAttr):
            out.append(f".{step.name}")
        elif isinstance(step.key, str):
            out.append(f'["{step.key}"]')
        else:
            out.append(f"[{step.key}]")
    return "".join(out)


def parse_bare_reference(expr: str, *, what: str | None = None, attribute_path: bool = False) -> Ref:
    """A reference written without `${ }` (depends_on, replace_triggered_by, moved/import addresses);
    with `attribute_path`, any name may start it (ignore_changes paths such as `tags["team"]`)."""
    try:
        traversal = parse_traversal(expr.strip(), "<string>")
    except HclSyntaxError as error:
        raise UnsupportedExpression(f"{what or expr}: {error.message}") from error
    ref = ref_of(traversal)
    if not attribute_path and ref.root not in _ROOTS_WITH_NAME and ref.root != "data" and (
            not ref.steps or not isinstance(ref.steps[0], str)):
        raise UnsupportedExpression(f"{what or expr}: {ref.root!r} is not a reference (expected var., local., "
                                    "module., a resource…)")
    return ref


_ROOTS_WITH_NAME = {"var", "local", "module", "each", "count", "path", "terraform", "self"}


def template_references(value: Any, bound: frozenset[str] = frozenset()) -> list[Ref]:
    """Every reference in a configuration value (JSON templates, syntax-tree nodes, dynamic blocks)."""
    found: list[Ref] = []
    _collect(value, found, bound)
    return found


def _collect(value: Any, found: list[Ref], bound: frozenset[str]) -> None:
    if isinstance(value, str):
        if has_template(value):
            compiled = compile_string(value)
            if type(compiled) is ast.TemplateWrap and type(compiled.expr) is ast.ScopeTraversal:
                if compiled.expr.root not in bound:  # "${a.b.c}", most templates: what `references` gives
                    found.append(ref_of(compiled.expr))
            elif not isinstance(compiled, str):
                found.extend(ref_of(t) for t in references(compiled, bound))
    elif isinstance(value, dict):
        for key, item in value.items():
            try:
                if key == "dynamic" and isinstance(item, dict):
                    _collect_dynamic(item, found, bound)
                else:
                    _collect(item, found, bound)
            except UnsupportedExpression as error:
                error.path.insert(0, key)
                raise
    elif isinstance(value, list):
        for index, item in enumerate(value):
            try:
                _collect(item, found, bound)
            except UnsupportedExpression as error:
                error.path.insert(0, index)
                raise
    elif is_expression(value):
        found.extend(ref_of(t) for t in references(value, bound))


def _collect_dynamic(blocks: dict[str, Any], found: list[Ref], bound: frozenset[str]) -> None:
    """`dynamic "NAME" { for_each, iterator, content }`: the iterator (default NAME) is bound in content."""
    for name, specs in blocks.items():
        for spec in specs if isinstance(specs, list) else [specs]:
            if not isinstance(spec, dict):
                continue
            iterator = spec.get("iterator", name)
            iterator = iterator if isinstance(iterator, str) else name
            _collect(spec.get("for_each"), found, bound)
            _collect(spec.get("labels"), found, bound | {iterator})
            _collect(spec.get("content"), found, bound | {iterator})

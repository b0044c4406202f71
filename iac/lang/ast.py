"""The syntax tree of the Terraform language: what the HCL native-syntax parser (`iac.lang.hcl`) and the
JSON-syntax template parser produce, and what the evaluator (`iac.lang.evaluate`) walks.

Shaped after HashiCorp's `hclsyntax` so Terraform's semantics carry over one to one:
- a *traversal* (`var.x`, `aws_iam_role.r.arn`, `each.value.name`, `local.m["k"][0]`) is kept apart from
  other expressions because Terraform analyses references statically (dependency graph, `depends_on`,
  `ignore_changes`); its steps are only names and constant keys;
- `RelativeTraversal` is the same steps applied to any expression (`f(x)[0].y`);
- `Index` is an index by a non-constant key (`var.subnets[count.index]`);
- `Splat` holds the expression evaluated per element over `Anon` (hclsyntax's anonymous symbol);
- templates keep their literal text and directives; strip markers (`~`) are applied by the parser.

Every node carries `pos` (file, line, column of its first character) so any error can name `file:line`.
Nodes are frozen and hashable: a compiled expression is shared wherever the same text appears. They are
msgspec Structs, not dataclasses: 25 node classes cost ~10 ms to create as dataclasses at every start of iac,
well under 1 ms as Structs (built in C), and they are as small and as fast to read.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

__all__ = [
    "Anon",
    "Attribute",
    "BinaryOp",
    "Block",
    "Body",
    "Conditional",
    "Expr",
    "ForExpr",
    "FunctionCall",
    "GetAttr",
    "Index",
    "IndexKey",
    "Literal",
    "ObjectCons",
    "ObjectItem",
    "Parens",
    "Pos",
    "RelativeTraversal",
    "ScopeTraversal",
    "Splat",
    "Step",
    "Template",
    "TemplateFor",
    "TemplateIf",
    "TemplatePart",
    "TemplateWrap",
    "TupleCons",
    "UnaryOp",
]


class Pos(msgspec.Struct, frozen=True):
    """Where a node starts: file name as given to the parser, 1-based line and column (in characters)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


# -- traversal steps -------------------------------------------------------------------------------


class GetAttr(msgspec.Struct, frozen=True):
    """`.name`"""

    name: str


class IndexKey(msgspec.Struct, frozen=True):
    """`[0]`, `["key"]` or legacy `.0`: an index by a constant (int or str as written; the evaluator
    converts the key to the collection's key type as Terraform does)."""

    key: int | str | Decimal | bool | None


Step = GetAttr | IndexKey


# -- expressions ----------------------------------------------------------------------------------


class Literal(msgspec.Struct, frozen=True):
    """A constant: None (null), bool, int/Decimal (numbers, exact as written), str."""

    value: None | bool | int | Decimal | str
    pos: Pos


class ScopeTraversal(msgspec.Struct, frozen=True):
    """A reference: a root name (`var`, `local`, `each`, `count`, `path`, `terraform`, `self`, `module`,
    `data`, a resource type, a for-expression or splat symbol...) followed by steps."""

    root: str
    steps: tuple[Step, ...]
    pos: Pos


class RelativeTraversal(msgspec.Struct, frozen=True):
    """Steps applied to the result of any other expression: `f(x).name`, `(local.a)[0]`."""

    source: Expr
    steps: tuple[Step, ...]
    pos: Pos


class Index(msgspec.Struct, frozen=True):
    """`collection[key]` where key is not a constant."""

    collection: Expr
    key: Expr
    pos: Pos


class Anon(msgspec.Struct, frozen=True):
    """The current element inside a splat's `each` expression."""

    pos: Pos


class Splat(msgspec.Struct, frozen=True):
    """`source[*].a.b` (full splat: attribute *and* index steps belong to `each`) or legacy `source.*.a`
    (attribute splat: only attribute steps belong to `each`; later index steps apply to the result).
    `each` is an expression over `Anon`; `Anon` alone when nothing follows the splat."""

    source: Expr
    each: Expr
    pos: Pos


class FunctionCall(msgspec.Struct, frozen=True):
    """`name(args...)`; `expand_final` for `name(a, list...)`. `namespace` is set for provider-defined
    functions (`provider::aws::arn_parse` -> namespace "provider::aws::", name "arn_parse")."""

    name: str
    args: tuple[Expr, ...]
    expand_final: bool
    pos: Pos
    namespace: str = ""


class Conditional(msgspec.Struct, frozen=True):
    condition: Expr
    true: Expr
    false: Expr
    pos: Pos


class BinaryOp(msgspec.Struct, frozen=True):
    """`op` is one of `|| && == != < > <= >= + - * / %`."""

    op: str
    left: Expr
    right: Expr
    pos: Pos


class UnaryOp(msgspec.Struct, frozen=True):
    """`op` is `-` or `!`."""

    op: str
    operand: Expr
    pos: Pos


class Parens(msgspec.Struct, frozen=True):
    """`(expr)`: kept because parentheses change how an object key is read (`{(a) = 1}` evaluates `a`)."""

    expr: Expr
    pos: Pos


class TupleCons(msgspec.Struct, frozen=True):
    """`[a, b, c]`"""

    items: tuple[Expr, ...]
    pos: Pos


class ObjectItem(msgspec.Struct, frozen=True):
    """One `key = value` (or `key: value`) of an object constructor. `key` is a `Literal` string for a
    bare identifier key (`{name = 1}`: the string "name"), otherwise any expression."""

    key: Expr
    value: Expr
    bare_key: bool


class ObjectCons(msgspec.Struct, frozen=True):
    """`{k = v, ...}`"""

    items: tuple[ObjectItem, ...]
    pos: Pos


class ForExpr(msgspec.Struct, frozen=True):
    """`[for k, v in coll : value if cond]` (key_expr None) or `{for k, v in coll : key => value... if cond}`.
    `key_var` is None when only one symbol is declared (that one is `value_var`)."""

    key_var: str | None
    value_var: str
    collection: Expr
    key_expr: Expr | None
    value_expr: Expr
    condition: Expr | None
    group: bool
    is_object: bool
    pos: Pos


# -- templates ------------------------------------------------------------------------------------


class TemplateIf(msgspec.Struct, frozen=True):
    """`%{if cond}...%{else}...%{endif}`"""

    condition: Expr
    true: tuple[TemplatePart, ...]
    false: tuple[TemplatePart, ...]
    pos: Pos


class TemplateFor(msgspec.Struct, frozen=True):
    """`%{for k, v in coll}...%{endfor}` (key_var None with one symbol)."""

    key_var: str | None
    value_var: str
    collection: Expr
    body: tuple[TemplatePart, ...]
    pos: Pos


TemplatePart = str | TemplateIf | TemplateFor | object
"""Literal text (escapes already decoded, strip markers applied), a directive, or an expression node."""


class Template(msgspec.Struct, frozen=True):
    """A string template with interpolations and/or directives; always gives a string."""

    parts: tuple[TemplatePart, ...]
    pos: Pos


class TemplateWrap(msgspec.Struct, frozen=True):
    """A template that is exactly one interpolation (`"${expr}"`): gives `expr`'s value with its type."""

    expr: Expr
    pos: Pos


Expr = (Literal | ScopeTraversal | RelativeTraversal | Index | Anon | Splat | FunctionCall | Conditional | BinaryOp
        | UnaryOp | Parens | TupleCons | ObjectCons | ForExpr | Template | TemplateWrap)


# -- configuration bodies (native syntax) ---------------------------------------------------------


class Attribute(msgspec.Struct, frozen=True):
    name: str
    expr: Expr
    pos: Pos


class Block(msgspec.Struct, frozen=True):
    type: str
    labels: tuple[str, ...]
    body: Body
    pos: Pos


class Body(msgspec.Struct, frozen=True):
    """Attributes in source order (names unique: a duplicate is a parse error) and blocks in order."""

    attributes: tuple[Attribute, ...]
    blocks: tuple[Block, ...]
    pos: Pos

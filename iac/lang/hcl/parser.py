"""HCL configuration files and static references (hclsyntax's `parser.go` / `parser_traversal.go`), and
the public entry points.

Bodies, attributes, blocks (with quoted or bare labels, and the one-line form `a { b = 1 }`), and the
bare references JSON syntax uses for depends_on and friends. Like the expression parser it follows HCL
decision for decision and raises `HclSyntaxError` at the first diagnostic HCL would report.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

from iac.lang import ast
from iac.lang.hcl.errors import HclSyntaxError, Locator
from iac.lang.hcl.expressions import ExpressionParser
from iac.lang.hcl.lexer import (
    BARE,
    CONTROL,
    CQUOTE,
    EOF,
    IDENT,
    INTERP,
    MAIN,
    NL,
    NUMBER,
    OQUOTE,
    QLIT,
    STR,
    Token,
    tokenize,
)
from iac.lang.hcl.reader import SHALLOW
from iac.lang.hcl.template import decode_quoted

__all__ = ["parse_config", "parse_expression", "parse_template", "parse_traversal"]


class _Parser(ExpressionParser):
    __slots__ = ()

    def body(self, end: str, opener: Token | None) -> ast.Body:
        attrs: dict[str, ast.Attribute] = {}
        blocks: list[ast.Block] = []
        toks = self.toks
        while True:
            tok = toks[self.i]
            kind = tok[0]
            if kind == end:
                self.read()
                break
            if kind == NL:
                self.i += 1
            elif kind == IDENT:
                item = self.body_item()
                if type(item) is ast.Attribute:
                    first = attrs.get(item.name)
                    if first is not None:
                        self.fail("Attribute redefined", f'The argument "{item.name}" was already set at '
                                  f"{first.pos.file}:{first.pos.line},{first.pos.column}. Each argument may be set "
                                  "only once.", item.pos)
                    attrs[item.name] = item
                else:
                    blocks.append(item)  # type: ignore[arg-type]
            elif kind in (OQUOTE, STR):
                self.fail("Invalid argument name", "Argument names must not be quoted.", tok)
            elif kind == EOF:
                if opener is not None:
                    self.fail("Unclosed configuration block", "There is no closing brace for this block before the "
                              "end of the file. This may be caused by incorrect brace nesting elsewhere in this "
                              "file.", opener)
                self.fail("Unclosed configuration body", "Found end of file before the end of this configuration "
                          "body.", tok)
            else:
                self.fail("Argument or block definition required", "An argument or block definition is required "
                          f"here, not {self.describe(tok)}.", tok)
        where = self.loc.pos(opener[1] if opener is not None else 0)
        return ast.Body(tuple(attrs.values()), tuple(blocks), where)

    def body_item(self) -> ast.Attribute | ast.Block:
        ident = self.read()
        kind = self.peek()[0]
        if kind == "=":
            return self.attribute(ident, single_line=False)
        if kind in (OQUOTE, STR, IDENT, "{"):
            return self.block(ident)
        self.fail("Argument or block definition required", "An argument or block definition is required here. To "
                  'set an argument, use the equals sign "=" to introduce the argument value.', ident)

    def attribute(self, ident: Token, single_line: bool) -> ast.Attribute:
        self.read()  # "="
        expr = self.expression()
        if not single_line:
            end = self.peek()
            if end[0] != NL and end[0] != EOF:
                if end[0] == ",":
                    self.fail("Unexpected comma after argument", "Argument definitions must be separated by "
                              "newlines, not commas. An argument definition must end with a newline.", end)
                self.fail("Missing newline after argument", "An argument definition must end with a newline, "
                          f"found {self.describe(end)}.", end)
            self.read()
        return ast.Attribute(self.word(ident), expr, self.pos(ident))

    def block(self, ident: Token) -> ast.Block:
        labels: list[str] = []
        while True:
            tok = self.peek()
            kind = tok[0]
            if kind == "{":
                opener = self.read()
                break
            if kind == STR:
                self.read()
                labels.append(self.text[tok[1] + 1:tok[2] - 1])
            elif kind == OQUOTE:
                labels.append(self.quoted_literal())
            elif kind == IDENT:
                self.read()
                labels.append(self.word(tok))
            elif kind == "=":
                self.fail("Invalid block definition", 'The equals sign "=" indicates an argument definition, and '
                          "must not be used when defining a block.", tok)
            elif kind == NL:
                self.fail("Invalid block definition", 'A block definition must have block content delimited by "{" '
                          'and "}", starting on the same line as the block header.', tok)
            else:
                self.fail("Invalid block definition", 'Either a quoted string block label or an opening brace ("{") '
                          f"is expected here, not {self.describe(tok)}.", tok)
        self.depth += 1
        if self.depth > SHALLOW:
            self.deeper()
        kind = self.peek()[0]
        if kind in (NL, EOF, "}"):
            body = self.body("}", opener)
        else:
            body = self.single_attribute_body(opener)
            tok = self.peek()
            kind = tok[0]
            if kind == "}":
                self.read()
            elif kind == ",":
                self.fail("Invalid single-argument block definition", "Single-line block syntax can include only "
                          "one argument definition. To define multiple arguments, use the multi-line block syntax "
                          "with one argument definition per line.", tok)
            elif kind == NL:
                self.fail("Invalid single-argument block definition", "An argument definition on the same line as "
                          "its containing block creates a single-line block definition, which must also be closed "
                          "on the same line. Place the block's closing brace immediately after the argument "
                          "definition.", tok)
            elif kind == EOF:
                self.fail("Unclosed configuration block", "There is no closing brace for this block before the end "
                          "of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                          opener)
            else:
                self.fail("Invalid single-argument block definition", "A single-line block definition must end "
                          "with a closing brace immediately after its single argument definition.", tok)
        self.depth -= 1
        end = self.peek()
        if end[0] != NL and end[0] != EOF:
            self.fail("Missing newline after block definition", "A block definition must end with a newline, found "
                      f"{self.describe(end)}.", end)
        self.read()
        return ast.Block(self.word(ident), tuple(labels), body, self.pos(ident))

    def single_attribute_body(self, opener: Token) -> ast.Body:
        ident = self.read()
        if ident[0] != IDENT:
            self.fail("Argument or block definition required", "An argument or block definition is required here, "
                      f"not {self.describe(ident)}.", ident)
        kind = self.peek()[0]
        if kind == "=":
            attr = self.attribute(ident, single_line=True)
            return ast.Body((attr,), (), self.pos(opener))
        if kind in (OQUOTE, STR, IDENT, "{"):
            self.fail("Argument definition required", "A single-line block definition can contain only a single "
                      f'argument. If you meant to define argument "{self.word(ident)}", use an equals sign to assign '
                      "it a value. To define a nested block, place it on a line of its own within its parent "
                      "block.", ident)
        self.fail("Argument or block definition required", "An argument or block definition is required here. To "
                  'set an argument, use the equals sign "=" to introduce the argument value.', ident)

    def quoted_literal(self) -> str:
        """A quoted string that may not hold template sequences: block labels, traversal keys."""
        self.read()  # the opening quote
        out: list[str] = []
        while True:
            tok = self.read()
            kind = tok[0]
            if kind == CQUOTE:
                return "".join(out)
            if kind == QLIT:
                out.append(decode_quoted(self.word(tok), tok[1], self.loc))
            elif kind in (INTERP, CONTROL):
                which = "$" if kind == INTERP else "%"
                self.fail("Invalid string literal", "Template sequences are not allowed in this string. To include "
                          f'a literal "{which}", double it (as "{which}{which}") to escape it.', tok)
            elif kind == EOF:
                self.fail("Unterminated string literal", "Unable to find the closing quote mark before the end of "
                          "the file.", tok)
            else:
                self.fail("Invalid string literal", "This item is not valid in a string literal.", tok)

    # -- static traversals -----------------------------------------------------------------------------

    def traversal(self) -> ast.ScopeTraversal:
        """`root.attr[0]["key"]` and nothing else (hclsyntax's ParseTraversalAbs)."""
        root = self.read()
        if root[0] != IDENT:
            self.fail("Variable name required", f"Must begin with a variable name, not {self.describe(root)}.", root)
        steps: list[ast.Step] = []
        while True:
            tok = self.peek()
            kind = tok[0]
            if kind == EOF:
                return ast.ScopeTraversal(self.word(root), tuple(steps), self.pos(root))
            if kind == ".":
                self.read()
                name = self.read()
                if name[0] != IDENT:
                    if name[0] == "*":
                        self.fail("Attribute name required", "Splat expressions (.*) may not be used here.", name)
                    self.fail("Attribute name required", "Dot must be followed by attribute name.", name)
                steps.append(ast.GetAttr(self.word(name)))
            elif kind == "[":
                self.read()
                key = self.peek()
                if key[0] == NUMBER:
                    self.read()
                    steps.append(ast.IndexKey(self.number(key)))
                elif key[0] == STR:
                    self.read()
                    steps.append(ast.IndexKey(self.text[key[1] + 1:key[2] - 1]))
                elif key[0] == OQUOTE:
                    steps.append(ast.IndexKey(self.quoted_literal()))
                elif key[0] == "*":
                    self.fail("Attribute name required", "Splat expressions ([*]) may not be used here.", key)
                else:
                    self.fail("Index value required", "Index brackets must contain either a literal number or a "
                              f"literal string, not {self.describe(key)}.", key)
                close = self.read()
                if close[0] != "]":
                    self.fail("Unclosed index brackets", "Index key must be followed by a closing bracket.", close)
            else:
                self.fail("Invalid character", "Expected an attribute access or an index operator, found "
                          f"{self.describe(tok)}.", tok)


# -- entry points ------------------------------------------------------------------------------------------


def _parse(text: str, file: str, line: int, column: int, mode: int, newlines: bool, action: Any) -> Any:
    """Scan `text` and run `action(parser)`, with the garbage collector paused (a parse creates no reference
    cycles; collecting while a large tree is built only costs time) and Python's stack guarded."""
    if text.startswith("\ufeff"):  # HCL skips a UTF-8 byte order mark (it takes no column)
        text = text[1:]
    loc = Locator(text, file, line, column)
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    parser: _Parser | None = None
    try:
        parser = _Parser(text, tokenize(text, loc, mode), loc, newlines)
        return action(parser)
    except RecursionError:  # only when the caller itself is already deep in Python's stack
        where = parser.peek()[1] if parser is not None else 0
        raise HclSyntaxError("Nesting too deep", "This text nests too deeply to be parsed here.",
                             loc.pos(where)) from None
    finally:
        if collecting:
            gc.enable()
        if parser is not None and parser.old_limit is not None:
            sys.setrecursionlimit(parser.old_limit)


def parse_config(text: str, file: str) -> ast.Body:
    """A whole `.tf` file: attributes and blocks."""
    body: ast.Body = _parse(text, file, 1, 1, MAIN, True, lambda parser: parser.body(EOF, None))
    return body


def _whole_expression(parser: _Parser) -> ast.Expr:
    expr = parser.expression()
    tok = parser.peek()
    if tok[0] != EOF:
        parser.fail("Extra characters after expression", "An expression was successfully parsed, but extra "
                    f"characters were found after it: {parser.describe(tok)}.", tok)
    return expr


def parse_expression(text: str, file: str, line: int = 1, column: int = 1) -> ast.Expr:
    """One standalone expression (newlines do not matter, as if it were in parentheses)."""
    expr: ast.Expr = _parse(text, file, line, column, MAIN, False, _whole_expression)
    return expr


def parse_template(text: str, file: str, line: int = 1, column: int = 1) -> ast.Expr:
    """A JSON-syntax string read as a template: no backslash escapes (JSON decoded them already), but
    `$${` and `%%{` are. Literal when there is no sequence, TemplateWrap for exactly one `${...}`."""
    if "${" not in text and "%{" not in text:  # no sequence, hence no escape either: the text as it is
        return ast.Literal(text[1:] if text.startswith("\ufeff") else text, ast.Pos(file, line, column))
    expr: ast.Expr = _parse(text, file, line, column, BARE, False, lambda parser: parser.template_node(
        parser.pieces(EOF), False, parser.loc.pos(0)))
    return expr


def parse_traversal(text: str, file: str, line: int = 1, column: int = 1) -> ast.ScopeTraversal:
    """A bare static reference: a name, then `.attr`, `[0]` or `["key"]` steps only."""
    traversal: ast.ScopeTraversal = _parse(text, file, line, column, MAIN, False, _Parser.traversal)
    return traversal

"""Recursive-descent parser for HCL native syntax: bodies, expressions, templates, static traversals.

It follows hclsyntax's `parser.go` / `parser_template.go` / `parser_traversal.go` decision for decision —
which token is looked at next, whether newlines count there, which message an unexpected token gets — so
that a text is accepted exactly when Terraform accepts it. Where HCL records a diagnostic and carries on,
this parser raises `HclSyntaxError` at that first diagnostic.

Newlines end attributes, so they are significant in bodies and object constructors but not inside
parentheses, brackets, function calls, `for` expressions or template sequences; like HCL's token reader,
`peek`/`read` skip newline tokens while the innermost of those contexts says so.

Nesting depth is bounded (`MAX_DEPTH` levels of brackets, operators, blocks or template directives):
deeper input raises HclSyntaxError instead of overflowing Python's stack; the recursion limit is raised
only while an unusually deep text is being parsed.
"""

from __future__ import annotations

import gc
import re
import sys
from decimal import Decimal
from typing import Any, NoReturn

from iac.lang import ast
from iac.lang.hcl.errors import HclSyntaxError, Locator
from iac.lang.hcl.lexer import (
    BARE,
    CHEREDOC,
    CONTROL,
    CQUOTE,
    EOF,
    GO_SPACE,
    IDENT,
    INTERP,
    MAIN,
    NL,
    NUMBER,
    OHEREDOC,
    OQUOTE,
    QLIT,
    SEQEND,
    SLIT,
    STR,
    Token,
    tokenize,
)
from iac.lang.hcl.template import Piece, build, decode_quoted, decode_unquoted, flush_heredoc, meld

__all__ = ["MAX_DEPTH", "parse_config", "parse_expression", "parse_template", "parse_traversal"]

MAX_DEPTH = 5000
"""Deepest nesting accepted (Terraform's Go parser has no practical limit; this is far beyond real use)."""

_SHALLOW = 16  # below this depth the default recursion limit is plenty
_FRAMES_PER_LEVEL = 8

_PRECEDENCE = {"||": 0, "&&": 1, "==": 2, "!=": 2, "<": 3, ">": 3, "<=": 3, ">=": 3, "+": 4, "-": 4,
               "*": 5, "/": 5, "%": 5}
_NUMBER = re.compile(r"([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")
_INT32 = 2**31
_INT64 = 2**63
_KEYWORDS = {True: "true", False: "false", None: "null"}
_DIRECTIVES = ("if", "for", "else", "endif", "endfor")


class _Parser:
    __slots__ = ("depth", "i", "loc", "nl", "nl_stack", "old_limit", "text", "toks")

    def __init__(self, text: str, toks: list[Token], loc: Locator, newlines: bool) -> None:
        self.text = text
        self.toks = toks
        self.loc = loc
        self.i = 0
        self.nl = newlines
        self.nl_stack: list[bool] = []
        self.depth = 0
        self.old_limit: int | None = None

    # -- token reader ---------------------------------------------------------------------------------

    def peek(self) -> Token:
        toks = self.toks
        tok = toks[self.i]
        if tok[0] is NL and not self.nl:
            i = self.i + 1
            while toks[i][0] is NL:
                i += 1
            return toks[i]
        return tok

    def read(self) -> Token:
        toks = self.toks
        i = self.i
        tok = toks[i]
        if tok[0] is NL and not self.nl:
            i += 1
            while toks[i][0] is NL:
                i += 1
            tok = toks[i]
        if tok[0] is not EOF:
            self.i = i + 1
        return tok

    def push(self, newlines: bool) -> None:
        self.nl_stack.append(self.nl)
        self.nl = newlines

    def pop(self) -> None:
        self.nl = self.nl_stack.pop()

    def word(self, tok: Token) -> str:
        return self.text[tok[1]:tok[2]]

    def is_keyword(self, tok: Token, keyword: str) -> bool:
        return tok[0] == IDENT and self.text[tok[1]:tok[2]] == keyword

    def fail(self, summary: str, detail: str, where: Token | ast.Pos) -> NoReturn:
        if isinstance(where, ast.Pos):
            raise HclSyntaxError(summary, detail, where)
        raise self.loc.error(summary, detail, where[1])

    def describe(self, tok: Token) -> str:
        kind = tok[0]
        if kind == EOF:
            return "the end of the input"
        if kind == NL:
            return "a newline"
        if kind == IDENT:
            return f'"{self.word(tok)}"'
        if kind == NUMBER:
            return f"the number {self.word(tok)}"
        if kind in (OQUOTE, STR):
            return "a quoted string"
        if kind == OHEREDOC:
            return "a heredoc"
        if kind in (QLIT, SLIT):
            return "string text"
        return f'"{self.word(tok)}"'

    def deeper(self, depth: int = 0) -> None:
        """Called when nesting gets deep: make room on Python's stack, and refuse absurd depths."""
        if max(depth, self.depth) > MAX_DEPTH:
            raise HclSyntaxError("Nesting too deep", f"This text nests more than {MAX_DEPTH} levels deep.",
                                 self.loc.pos(self.peek()[1]))
        if self.old_limit is None:
            self.old_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(self.old_limit + _FRAMES_PER_LEVEL * MAX_DEPTH + 200)

    def recovered(self, opener: str, closer: str) -> Token:
        """Where HCL's error recovery stops: the `closer` matching the current nesting, or the end. (For a
        missing "]" HCL reports that position: its diagnostic points at the token variable it then reuses.)"""
        nest = 0
        for tok in self.toks[self.i:]:
            kind = tok[0]
            if kind == opener:
                nest += 1
            elif kind == closer:
                if nest < 1:
                    return tok
                nest -= 1
        return self.toks[-1]

    def pos(self, tok: Token) -> ast.Pos:
        return self.loc.pos(tok[1])

    # -- bodies ----------------------------------------------------------------------------------------

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
        if self.depth > _SHALLOW:
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

    # -- expressions -----------------------------------------------------------------------------------

    def expression(self) -> ast.Expr:
        """A whole expression: binary operators, then an optional conditional (`c ? a : b`)."""
        self.depth += 1
        if self.depth > _SHALLOW:
            self.deeper()
        cond = self.binary(0)
        tok = self.toks[self.i]
        if (tok[0] if tok[0] is not NL or self.nl else self.peek()[0]) != "?":
            self.depth -= 1
            return cond
        self.read()
        true = self.expression()
        colon = self.peek()
        if colon[0] != ":":
            self.fail("Missing false expression in conditional", "The conditional operator (...?...:...) requires a "
                      f"false expression, delimited by a colon; found {self.describe(colon)}.", colon)
        self.read()
        false = self.expression()
        self.depth -= 1
        return ast.Conditional(cond, true, false, cond.pos)

    def binary(self, lowest: int) -> ast.Expr:
        """Operators of precedence `lowest` and above, each level left-associative (precedence climbing:
        the same trees as hclsyntax's one-function-per-level descent)."""
        left = self.operand()
        toks = self.toks
        while True:
            op = toks[self.i][0]
            if op is NL and not self.nl:
                op = self.peek()[0]
            level = _PRECEDENCE.get(op)
            if level is None or level < lowest:
                return left
            self.read()
            right = self.binary(level + 1)
            left = ast.BinaryOp(op, left, right, left.pos)

    def operand(self) -> ast.Expr:
        term = self.term()
        kind = self.toks[self.i][0]
        if kind is NL and not self.nl:
            kind = self.peek()[0]
        if kind == "." or kind == "[":
            return self.traversals(term)
        return term

    def term(self) -> ast.Expr:
        tok = self.toks[self.i]
        if tok[0] is NL and not self.nl:
            tok = self.peek()
        kind = tok[0]
        if kind == IDENT:
            self.read()
            after = self.toks[self.i][0]
            if after is NL and not self.nl:
                after = self.peek()[0]
            if after == "(" or after == "::":
                return self.call(tok)
            name = self.word(tok)
            if name == "true":
                return ast.Literal(True, self.pos(tok))
            if name == "false":
                return ast.Literal(False, self.pos(tok))
            if name == "null":
                return ast.Literal(None, self.pos(tok))
            return ast.ScopeTraversal(name, (), self.pos(tok))
        if kind == STR:
            self.read()
            return ast.Literal(self.text[tok[1] + 1:tok[2] - 1], self.pos(tok))
        if kind == NUMBER:
            self.read()
            return ast.Literal(self.number(tok), self.pos(tok))
        if kind in (OQUOTE, OHEREDOC):
            return self.template_expression()
        if kind == "(":
            self.read()
            self.push(False)
            inner = self.expression()
            close = self.peek()
            if close[0] != ")":
                self.fail("Unbalanced parentheses", "Expected a closing parenthesis to terminate the expression, "
                          f"found {self.describe(close)}.", close)
            self.read()
            self.pop()
            return ast.Parens(inner, self.pos(tok))
        if kind == "[":
            return self.tuple_cons()
        if kind == "{":
            return self.object_cons()
        if kind == "-" or kind == "!":
            self.read()
            self.depth += 1
            if self.depth > _SHALLOW:
                self.deeper()
            operand = self.operand()  # binds tighter than any binary operator: -1 + 2 is (-1) + 2
            self.depth -= 1
            return ast.UnaryOp(kind, operand, self.pos(tok))
        if kind == EOF:
            self.fail("Missing expression", "Expected the start of an expression, but found the end of the file.", tok)
        self.fail("Invalid expression", f"Expected the start of an expression, but found {self.describe(tok)}.", tok)

    def number(self, tok: Token) -> int | Decimal:
        """A number literal, exact as written; refused where Go's big.ParseFloat (HCL's reader) refuses it."""
        raw = self.word(tok)
        m = _NUMBER.fullmatch(raw)
        if m is not None:
            whole, fraction, exponent = m.groups()
            exp = int(exponent) if exponent else 0
            if -_INT64 <= exp < _INT64:
                mantissa = int(whole + (fraction or ""))
                binary_exponent = mantissa.bit_length() - len(fraction or "") + exp
                if mantissa == 0 or -_INT32 <= binary_exponent < _INT32:
                    if fraction is None and exponent is None:
                        return mantissa
                    return Decimal(raw)
        self.fail("Invalid number literal", f"Failed to recognize the value of this number literal ({raw}).", tok)

    def traversals(self, expr: ast.Expr) -> ast.Expr:
        """Attribute access, indexing and splats after a term (hclsyntax's parseExpressionTraversals).
        Constant steps accumulate into one ScopeTraversal / RelativeTraversal."""
        steps: list[ast.Step] = []
        while True:
            tok = self.peek()
            kind = tok[0]
            if kind == ".":
                self.read()
                name = self.peek()
                kind = name[0]
                if kind == IDENT:
                    self.read()
                    steps.append(ast.GetAttr(self.word(name)))
                elif kind == NUMBER:  # legacy index: a.0
                    self.read()
                    steps.append(ast.IndexKey(self.legacy_index(name, splat=False)))
                elif kind == "*":  # attribute-only splat: only attribute steps go into "each"
                    marker = self.read()
                    each_steps: list[ast.Step] = []
                    while self.peek()[0] == ".":
                        self.read()
                        step = self.peek()
                        if step[0] == NUMBER:
                            self.read()
                            each_steps.append(ast.IndexKey(self.legacy_index(step, splat=True, marker=marker)))
                            continue
                        if step[0] != IDENT:
                            if step[0] == "*":
                                self.fail("Nested splat expression not allowed", "A splat expression (*) cannot be "
                                          "used inside another attribute-only splat expression.", step)
                            self.fail("Invalid attribute name", "An attribute name is required after a dot.", marker)
                        self.read()
                        each_steps.append(ast.GetAttr(self.word(step)))
                    expr = _with_steps(expr, steps)
                    steps = []
                    anon = ast.Anon(self.pos(tok))
                    each: ast.Expr = ast.RelativeTraversal(anon, tuple(each_steps), anon.pos) if each_steps else anon
                    expr = ast.Splat(expr, each, expr.pos)
                else:
                    self.fail("Invalid attribute name", f"An attribute name is required after a dot, not "
                              f"{self.describe(name)}.", name)
            elif kind == "[":
                self.read()
                if self.peek()[0] == "*":  # full splat: everything that follows goes into "each"
                    self.read()
                    close = self.read()
                    if close[0] != "]":
                        self.fail("Missing close bracket on splat index", "The star for a full splat operator must "
                                  'be immediately followed by a closing bracket ("]").', self.recovered("[", "]"))
                    expr = _with_steps(expr, steps)
                    steps = []
                    self.depth += 1
                    if self.depth > _SHALLOW:
                        self.deeper()
                    each = self.traversals(ast.Anon(self.pos(tok)))
                    self.depth -= 1
                    return ast.Splat(expr, each, expr.pos)
                self.push(False)
                key = self.expression()
                close = self.read()
                if close[0] != "]":
                    self.fail("Missing close bracket on index", 'The index operator must end with a closing bracket '
                              f'("]"), found {self.describe(close)}.', self.recovered("[", "]"))
                self.pop()
                if type(key) is ast.Literal:
                    steps.append(ast.IndexKey(key.value))
                else:
                    expr = ast.Index(_with_steps(expr, steps), key, expr.pos)
                    steps = []
            else:
                return _with_steps(expr, steps)

    def legacy_index(self, tok: Token, splat: bool, marker: Token | None = None) -> int | Decimal:
        raw = self.word(tok)
        if "." in raw:
            first, _, second = raw.partition(".")
            if splat:
                self.fail("Invalid legacy index syntax", "When using the legacy index syntax, chaining two indexes "
                          "together is not permitted. Use the proper index syntax with a full splat expression [*] "
                          f"instead, like [{first}][{second}].", marker or tok)
            self.fail("Invalid legacy index syntax", "When using the legacy index syntax, chaining two indexes "
                      f"together is not permitted. Use the proper index syntax instead, like [{first}][{second}].",
                      tok)
        return self.number(tok)

    def call(self, name_tok: Token) -> ast.FunctionCall:
        opener = self.read()  # "(" or "::"
        name = self.word(name_tok)
        while opener[0] == "::":
            part = self.read()
            if part[0] != IDENT:
                self.fail("Missing function name", "Function scope resolution symbol :: must be followed by a "
                          "function name in this scope.", part)
            name += "::" + self.word(part)
            opener = self.read()
        if opener[0] != "(":
            self.fail("Missing open parenthesis", "Function selector must be followed by an open parenthesis to "
                      "begin the function call.", opener)
        self.push(False)
        args: list[ast.Expr] = []
        expand = False
        while True:
            if self.peek()[0] == ")":
                self.read()
                break
            args.append(self.expression())
            sep = self.read()
            kind = sep[0]
            if kind == ")":
                break
            if kind == "...":
                expand = True
                if self.peek()[0] != ")":
                    self.fail("Missing closing parenthesis", "An expanded function argument (with ...) must be "
                              "immediately followed by closing parentheses.", sep)
                self.read()
                break
            if kind != ",":
                if kind == EOF:
                    self.fail("Unterminated function call", "There is no closing parenthesis for this function "
                              "call before the end of the file. This may be caused by incorrect parenthesis nesting "
                              "elsewhere in this file.", name_tok)
                self.fail("Missing argument separator", "A comma is required to separate each function argument "
                          f"from the next, found {self.describe(sep)}.", sep)
            if self.peek()[0] == ")":  # trailing comma
                self.read()
                break
        self.pop()
        namespace, _, short = name.rpartition("::")
        return ast.FunctionCall(short, tuple(args), expand, self.pos(name_tok), namespace + "::" if namespace else "")

    def tuple_cons(self) -> ast.Expr:
        opener = self.read()
        self.push(False)
        if self.is_keyword(self.peek(), "for"):
            result = self.for_expression(opener, "]")
            self.pop()
            return result
        items: list[ast.Expr] = []
        while True:
            if self.peek()[0] == "]":
                self.read()
                break
            items.append(self.expression())
            tok = self.peek()
            kind = tok[0]
            if kind == "]":
                self.read()
                break
            if kind != ",":
                if kind == EOF:
                    self.fail("Unterminated tuple constructor expression", "There is no corresponding closing "
                              "bracket before the end of the file. This may be caused by incorrect bracket nesting "
                              "elsewhere in this file.", opener)
                self.fail("Missing item separator", "Expected a comma to mark the beginning of the next item, found "
                          f"{self.describe(tok)}.", tok)
            self.read()
        self.pop()
        return ast.TupleCons(tuple(items), self.pos(opener))

    def object_cons(self) -> ast.Expr:
        opener = self.read()
        self.push(False)
        is_for = self.is_keyword(self.peek(), "for")
        self.pop()
        if is_for:
            return self.for_expression(opener, "}")
        self.push(True)
        items: list[ast.ObjectItem] = []
        while True:
            tok = self.peek()
            kind = tok[0]
            if kind == NL:
                self.read()
                continue
            if kind == "}":
                self.read()
                break
            key = self.expression()
            tok = self.peek()
            kind = tok[0]
            if kind != "=" and kind != ":":
                if kind == NL or kind == ",":
                    self.fail("Missing attribute value", 'Expected an attribute value, introduced by an equals sign '
                              '("=").', tok)
                if kind == IDENT:
                    self.fail("Missing key/value separator", 'Expected an equals sign ("=") to mark the beginning '
                              "of the attribute value. If you intended to given an attribute name containing periods "
                              "or spaces, write the name in quotes to create a string literal.", tok)
                if kind == EOF:
                    self.fail("Unterminated object constructor expression", "There is no corresponding closing "
                              "brace before the end of the file. This may be caused by incorrect brace nesting "
                              "elsewhere in this file.", opener)
                self.fail("Missing key/value separator", 'Expected an equals sign ("=") to mark the beginning of the '
                          f"attribute value, found {self.describe(tok)}.", tok)
            self.read()
            value = self.expression()
            items.append(_object_item(key, value))
            tok = self.peek()
            kind = tok[0]
            if kind == "}":
                self.read()
                break
            if kind != "," and kind != NL:
                if kind == EOF:
                    self.fail("Unterminated object constructor expression", "There is no corresponding closing "
                              "brace before the end of the file. This may be caused by incorrect brace nesting "
                              "elsewhere in this file.", opener)
                self.fail("Missing attribute separator", "Expected a newline or comma to mark the beginning of the "
                          f"next attribute, found {self.describe(tok)}.", tok)
            self.read()
        self.pop()
        return ast.ObjectCons(tuple(items), self.pos(opener))

    def for_expression(self, opener: Token, close: str) -> ast.ForExpr:
        self.push(False)
        self.read()  # "for"
        tok = self.peek()
        if tok[0] != IDENT:
            self.fail("Invalid 'for' expression", "For expression requires variable name after 'for'.", tok)
        value_var = self.word(self.read())
        key_var: str | None = None
        if self.peek()[0] == ",":
            self.read()
            key_var = value_var
            tok = self.peek()
            if tok[0] != IDENT:
                self.fail("Invalid 'for' expression", "For expression requires value variable name after comma.", tok)
            value_var = self.word(self.read())
        tok = self.peek()
        if not self.is_keyword(tok, "in"):
            self.fail("Invalid 'for' expression", "For expression requires the 'in' keyword after its name "
                      "declarations.", tok)
        self.read()
        collection = self.expression()
        tok = self.peek()
        if tok[0] != ":":
            self.fail("Invalid 'for' expression", "For expression requires a colon after the collection expression.",
                      tok)
        self.read()
        value = self.expression()
        key: ast.Expr | None = None
        if self.peek()[0] == "=>":
            self.read()
            key = value
            value = self.expression()
        ellipsis = None
        if self.peek()[0] == "...":
            ellipsis = self.read()
        condition = None
        if self.is_keyword(self.peek(), "if"):
            self.read()
            condition = self.expression()
        tok = self.peek()
        if tok[0] != close:
            self.fail("Invalid 'for' expression", "Extra characters after the end of the 'for' expression: found "
                      f"{self.describe(tok)}.", tok)
        self.read()
        if close == "]":
            if key is not None:
                self.fail("Invalid 'for' expression", "Key expression is not valid when building a tuple.", key.pos)
            if ellipsis is not None:
                self.fail("Invalid 'for' expression", "Grouping ellipsis (...) cannot be used when building a tuple.",
                          ellipsis)
        elif key is None:
            self.fail("Invalid 'for' expression", "Key expression is required when building an object.", value.pos)
        self.pop()
        return ast.ForExpr(key_var, value_var, collection, key, value, condition, ellipsis is not None, close == "}",
                           self.pos(opener))

    # -- templates -------------------------------------------------------------------------------------

    def template_expression(self) -> ast.Expr:
        opener = self.read()
        if opener[0] == OQUOTE:
            pieces = self.pieces(CQUOTE)
            return self.template_node(pieces, False, self.pos(opener))
        pieces = self.pieces(CHEREDOC)
        return self.template_node(pieces, opener[3][1], self.pos(opener))

    def template_node(self, pieces: list[Piece], flush: bool, where: ast.Pos) -> ast.Expr:
        """Literal for text without sequences, TemplateWrap for exactly one interpolation, else Template."""
        if flush:
            flush_heredoc(pieces)
        pieces = meld(pieces)
        if len(pieces) == 2:
            first = pieces[0]
            if first[0] == "lit":
                return ast.Literal(first[1], where)
            if first[0] == "interp":
                return ast.TemplateWrap(first[1], where)
        return ast.Template(build(pieces, self.loc), where)

    def pieces(self, end: str) -> list[Piece]:
        """A template's tokens up to `end` as flat pieces, strip markers applied (parseTemplateParts)."""
        first = self.peek()
        out: list[Piece] = []
        trim_next = False  # the previous sequence ended with "~}"
        literal_before = False  # the previous token was literal text ("${~" may trim it)
        open_directives = 0
        while True:
            tok = self.read()
            kind = tok[0]
            if kind == end:
                break
            trim = trim_next
            trim_next = False
            after_literal = literal_before
            literal_before = False
            if kind in (QLIT, SLIT):
                raw = self.word(tok)
                text = decode_quoted(raw, tok[1], self.loc) if kind == QLIT else decode_unquoted(raw, tok[3] == "rest")
                if trim:
                    text = text.lstrip(GO_SPACE)
                out.append(["lit", text, tok[1]])
                literal_before = True
            elif kind == INTERP:
                if after_literal and tok[3] and out and out[-1][0] == "lit":
                    out[-1][1] = out[-1][1].rstrip(GO_SPACE)
                self.push(False)
                expr = self.expression()
                close = self.peek()
                if close[0] != SEQEND:
                    self.unclosed_interpolation(close, first, end)
                self.read()
                trim_next = close[3]
                self.pop()
                out.append(["interp", expr, tok[1]])
            elif kind == CONTROL:
                if after_literal and tok[3] and out and out[-1][0] == "lit":
                    out[-1][1] = out[-1][1].rstrip(GO_SPACE)
                self.push(False)
                word_tok = self.peek()
                if word_tok[0] != IDENT:
                    self.fail("Invalid template directive", 'A template directive keyword ("if", "for", etc) is '
                              "expected at the beginning of a %{ sequence.", word_tok)
                self.read()
                word = self.word(word_tok)
                if word == "if":
                    out.append(["if", self.expression(), tok[1]])
                    open_directives += 1
                elif word == "for":
                    out.append(["for", self.for_directive(), tok[1]])
                    open_directives += 1
                elif word in ("else", "endif", "endfor"):
                    out.append([word, None, tok[1]])
                    open_directives -= word != "else"
                else:
                    self.fail("Invalid template control keyword", f'"{word}" is not a valid template control '
                              f"keyword.{_suggestion(word)}", word_tok)
                if open_directives > _SHALLOW:
                    self.deeper(open_directives)
                close = self.peek()
                if close[0] != SEQEND:
                    self.fail(f"Extra characters in {word} marker", "Expected a closing brace to end the sequence, "
                              f"but found {self.describe(close)}.", close)
                self.read()
                trim_next = close[3]
                self.pop()
            else:
                self.fail("Unterminated template string", "No closing marker was found for the string.", tok)
        if not out:
            out.append(["lit", "", first[1]])
        out.append(["end", None, tok[1]])
        return out

    def unclosed_interpolation(self, close: Token, first: Token, end: str) -> NoReturn:
        kind = close[0]
        if kind == EOF:
            self.fail("Unclosed template interpolation sequence", "There is no closing brace for this interpolation "
                      "sequence before the end of the file. This might be caused by incorrect nesting inside the "
                      "given expression.", first)
        if kind == ":":
            self.fail("Extra characters after interpolation expression", "Template interpolation doesn't expect a "
                      "colon at this location. Did you intend this to be a literal sequence to be processed as part "
                      'of another language? If so, you can escape it by starting with "$${" instead of just "${".',
                      close)
        if kind in (CQUOTE, OQUOTE, STR) and end == CQUOTE:
            self.fail("Unclosed template interpolation sequence", "There is no closing brace for this interpolation "
                      "sequence before the end of the quoted template. This might be caused by incorrect nesting "
                      "inside the given expression.", first)
        self.fail("Extra characters after interpolation expression", "Expected a closing brace to end the "
                  f"interpolation expression, but found {self.describe(close)}. If this is an embedded sequence for "
                  'another language, escape it by starting with "$${" instead of just "${".', close)

    def for_directive(self) -> tuple[str | None, str, ast.Expr]:
        tok = self.peek()
        if tok[0] != IDENT:
            self.fail("Invalid 'for' directive", "For directive requires variable name after 'for'.", tok)
        value_var = self.word(self.read())
        key_var: str | None = None
        if self.peek()[0] == ",":
            self.read()
            key_var = value_var
            tok = self.peek()
            if tok[0] != IDENT:
                self.fail("Invalid 'for' directive", "For directive requires value variable name after comma.", tok)
            value_var = self.word(self.read())
        tok = self.peek()
        if not self.is_keyword(tok, "in"):
            self.fail("Invalid 'for' directive", "For directive requires 'in' keyword after names.", tok)
        self.read()
        return key_var, value_var, self.expression()

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


def _with_steps(expr: ast.Expr, steps: list[ast.Step]) -> ast.Expr:
    """`expr` followed by constant steps: a reference grows, anything else becomes a RelativeTraversal."""
    if not steps:
        return expr
    if type(expr) is ast.ScopeTraversal:
        return ast.ScopeTraversal(expr.root, expr.steps + tuple(steps), expr.pos)
    if type(expr) is ast.RelativeTraversal:
        return ast.RelativeTraversal(expr.source, expr.steps + tuple(steps), expr.pos)
    return ast.RelativeTraversal(expr, tuple(steps), expr.pos)


def _object_item(key: ast.Expr, value: ast.Expr) -> ast.ObjectItem:
    """A bare name key (`{name = 1}`, also `{null = 1}` / `{true = 1}`) is the literal string, as in HCL;
    anything else — `(name)`, `"name"`, `a.b` (which the evaluator must refuse as ambiguous) — is evaluated."""
    if type(key) is ast.ScopeTraversal:
        if not key.steps:
            return ast.ObjectItem(ast.Literal(key.root, key.pos), value, True)
    elif type(key) is ast.Literal and (key.value is None or key.value is True or key.value is False):
        return ast.ObjectItem(ast.Literal(_KEYWORDS[key.value], key.pos), value, True)
    return ast.ObjectItem(key, value, False)


def _suggestion(given: str) -> str:
    """HCL's "Did you mean ...?" for a misspelt directive keyword (edit distance below 3)."""
    for candidate in _DIRECTIVES:
        if _distance(given, candidate) < 3:
            return f' Did you mean "{candidate}"?'
    return ""


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[len(b)]


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

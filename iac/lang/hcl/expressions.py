"""HCL expressions and the templates inside them (hclsyntax's `parser.go` and `parser_template.go`).

Decision for decision as HCL takes them — which token is looked at next, whether newlines count there,
which message an unexpected token gets — so that an expression is accepted exactly when Terraform accepts
it. Where HCL records a diagnostic and carries on, this raises `HclSyntaxError` at that first diagnostic.

Templates live here too because the two nest in each other: a `${...}` holds an expression, and a quoted
string or heredoc is an expression. The flat pieces of a template are nested into directives by
`template.py`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NoReturn

from iac.lang import ast
from iac.lang.hcl.lexer import (
    CHEREDOC,
    CONTROL,
    CQUOTE,
    EOF,
    GO_SPACE,
    IDENT,
    INTERP,
    NL,
    NUMBER,
    OHEREDOC,
    OQUOTE,
    QLIT,
    SEQEND,
    SLIT,
    STR,
    Token,
)
from iac.lang.hcl.reader import SHALLOW, TokenReader
from iac.lang.hcl.template import Piece, build, decode_quoted, decode_unquoted, flush_heredoc, meld

__all__ = ["ExpressionParser"]

_PRECEDENCE = {"||": 0, "&&": 1, "==": 2, "!=": 2, "<": 3, ">": 3, "<=": 3, ">=": 3, "+": 4, "-": 4,
               "*": 5, "/": 5, "%": 5}
_NUMBER = re.compile(r"([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")
_INT32 = 2**31
_INT64 = 2**63
_KEYWORDS = {True: "true", False: "false", None: "null"}
_DIRECTIVES = ("if", "for", "else", "endif", "endfor")


class ExpressionParser(TokenReader):
    __slots__ = ()

    def expression(self) -> ast.Expr:
        """A whole expression: binary operators, then an optional conditional (`c ? a : b`)."""
        self.depth += 1
        if self.depth > SHALLOW:
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
        chain = 0  # a chain of n operators is a tree n deep: it counts as nesting (MAX_DEPTH)
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
            chain += 1
            if self.depth + chain > SHALLOW:
                self.deeper(self.depth + chain)

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
            if self.depth > SHALLOW:
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
            exp = int(exponent) if exponent and len(exponent) < 30 else _INT64 if exponent else 0
            if -_INT64 <= exp < _INT64:
                digits = whole + (fraction or "")
                # Python converts at most 4,300 digits to an int; past that, a Decimal holds the literal exactly
                mantissa = int(digits) if len(digits) <= 4_000 else None
                bits = mantissa.bit_length() if mantissa is not None else int(len(digits.lstrip("0")) * 3.33) + 1
                binary_exponent = bits - len(fraction or "") + exp
                if (mantissa == 0 if mantissa is not None else not digits.strip("0")) or \
                        -_INT32 <= binary_exponent < _INT32:
                    if fraction is None and exponent is None and mantissa is not None:
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
                    if self.depth > SHALLOW:
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
                if open_directives > SHALLOW:
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

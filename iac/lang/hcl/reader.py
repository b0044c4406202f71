"""The parser's cursor over the scanner's tokens: peeking and reading with HCL's newline rules, error
helpers, and the guard against unbounded nesting. Shared by the expression and configuration parsers.

Newlines end attributes, so they are significant in bodies and object constructors but not inside
parentheses, brackets, function calls, `for` expressions or template sequences; like HCL's token reader,
`peek`/`read` skip newline tokens while the innermost of those contexts (`push`/`pop`) says so.

Nesting depth is bounded (`MAX_DEPTH` levels of brackets, operators, blocks or template directives):
deeper input raises HclSyntaxError instead of overflowing Python's stack; the recursion limit is raised
only while an unusually deep text is being parsed (and restored by the entry point).
"""

from __future__ import annotations

import sys
from typing import NoReturn

from iac.lang import ast
from iac.lang.hcl.errors import HclSyntaxError, Locator
from iac.lang.hcl.lexer import EOF, IDENT, NL, NUMBER, OHEREDOC, OQUOTE, QLIT, SLIT, STR, Token

__all__ = ["MAX_DEPTH", "SHALLOW", "TokenReader"]

MAX_DEPTH = 5000
"""Deepest nesting accepted (Terraform's Go parser has no practical limit; this is far beyond real use)."""

SHALLOW = 16
"""Below this depth the default recursion limit is plenty."""

_FRAMES_PER_LEVEL = 8


class TokenReader:
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

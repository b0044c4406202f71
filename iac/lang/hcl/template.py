"""Templates after scanning: string escapes, heredoc indentation, and the directive tree.

The parser (`parser.py`) reads a template's tokens into a flat list of *pieces* — literal text,
interpolations, and the directive markers `if`, `else`, `endif`, `for`, `endfor` — applying strip markers
as it goes, exactly where hclsyntax's `parseTemplateParts` does (a `~` trims only the neighbouring literal
*token*, which is why the scanner's token boundaries matter). This module then does what hclsyntax does
next, in the same order: strip the common indentation of a `<<-` heredoc (on the pieces, so interpolated
values cannot change it), join adjacent literals, and nest the directives into `TemplateIf` /
`TemplateFor` nodes, refusing unbalanced ones with HCL's messages.
"""

from __future__ import annotations

import json
import re
from typing import Any

from iac.lang import ast
from iac.lang.hcl.errors import Locator
from iac.lang.hcl.lexer import GO_SPACE

__all__ = ["Piece", "build", "decode_quoted", "decode_unquoted", "flush_heredoc", "meld"]

# A piece: [kind, value, start offset]. kinds: "lit" (value: text), "interp" (value: expression),
# "if" (value: condition), "for" (value: (key_var, value_var, collection)), "else", "endif", "endfor",
# and "end" (the closing quote, heredoc marker or end of text).
Piece = list[Any]

_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{0,4}|U[0-9A-Fa-f]{0,8}|.)", re.S)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_TEMPLATE_ESCAPE = re.compile(r"\$\$\{?|%%\{?")


def decode_quoted(raw: str, start: int, loc: Locator) -> str:
    """The text of one quoted-string literal token: backslash escapes and `$${` / `%%{` decoded."""
    if raw[:3] == "$${" or raw[:3] == "%%{":
        return raw[1:]
    if "\\" not in raw:
        return raw

    def one(m: re.Match[str]) -> str:
        escape = m.group()
        selector = escape[1]
        simple = _SIMPLE.get(selector)
        if simple is not None:
            return simple
        where = start + m.start()
        if selector == "u" or selector == "U":
            if selector == "u" and len(escape) != 6:
                raise loc.error("Invalid escape sequence",
                                "The \\u escape sequence must be followed by four hexadecimal digits.", where)
            if selector == "U" and len(escape) != 10:
                raise loc.error("Invalid escape sequence",
                                "The \\U escape sequence must be followed by eight hexadecimal digits.", where)
            code = int(escape[2:], 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise loc.error("Invalid escape sequence", f"Cannot encode character U+{code:04x} in UTF-8.", where)
            return chr(code)
        raise loc.error("Invalid escape sequence",
                        f"The symbol {json.dumps(escape[1:], ensure_ascii=False)} is not a valid escape sequence "
                        "selector.", where)

    return _ESCAPE.sub(one, raw)


def decode_unquoted(raw: str, rest: bool = False) -> str:
    """The text of a heredoc or bare-template literal token: only `$${` and `%%{` are escapes. `rest` is
    the tail HCL keeps verbatim after a character its template scanner cannot place (a lone CR)."""
    if rest:
        return _TEMPLATE_ESCAPE.sub(lambda m: m.group()[1:] if len(m.group()) == 3 else m.group(), raw)
    if raw[:3] == "$${" or raw[:3] == "%%{":
        return raw[1:]
    return raw


def flush_heredoc(pieces: list[Piece]) -> None:
    """`<<-`: remove from every line-leading literal the smallest indentation found among them. A line
    holding only whitespace is not counted (and keeps its whitespace); a line that starts with an
    interpolation or directive counts as not indented at all."""
    smallest = -1
    at_line_start = True
    adjust: list[Piece] = []
    for piece in pieces:
        kind = piece[0]
        if at_line_start:
            at_line_start = False
            if kind == "lit":
                text = piece[1]
                rest = text.lstrip(GO_SPACE)
                if not (not rest and text.endswith("\n")):
                    spaces = len(text) - len(rest)
                    adjust.append(piece)
                    if smallest < 0 or spaces < smallest:
                        smallest = spaces
            elif kind == "end":
                break
            else:
                smallest = 0
        if kind == "lit" and piece[1].endswith("\n"):
            at_line_start = True
    if smallest > 0:
        for piece in adjust:
            piece[1] = piece[1][smallest:]


def meld(pieces: list[Piece]) -> list[Piece]:
    """Join adjacent literal pieces (after trimming and indentation removal, as HCL does)."""
    out: list[Piece] = []
    run: list[str] = []  # texts of the literal pieces being joined (one join: no quadratic concatenation)
    for piece in pieces:
        if piece[0] == "lit":
            if run:
                run.append(piece[1])
                continue
            run.append(piece[1])
            out.append(["lit", "", piece[2]])
        else:
            if run:
                out[-1][1] = "".join(run)
                run = []
            out.append(piece)
    if run:
        out[-1][1] = "".join(run)
    return out


_CLOSERS = ("else", "endif", "endfor")


def build(pieces: list[Piece], loc: Locator) -> tuple[Any, ...]:
    """Nest the flat pieces (ending with an "end" piece) into template parts; empty literals are left
    out. Raises HCL's errors for unbalanced directives."""
    parts, index = _sequence(pieces, 0, loc)
    piece = pieces[index]
    if piece[0] != "end":  # a closer with no opener
        raise loc.error(f"Unexpected {piece[0]} directive", "The control directives within this template are "
                        "unbalanced.", piece[2])
    return parts


def _sequence(pieces: list[Piece], index: int, loc: Locator) -> tuple[tuple[Any, ...], int]:
    """Parts from `index` up to the next closer or the end; returns them and the closer's index."""
    parts: list[Any] = []
    while True:
        piece = pieces[index]
        kind = piece[0]
        if kind == "lit":
            if piece[1]:
                parts.append(piece[1])
            index += 1
        elif kind == "interp":
            parts.append(piece[1])
            index += 1
        elif kind == "if":
            branch, index = _if(pieces, index, loc)
            parts.append(branch)
        elif kind == "for":
            loop, index = _for(pieces, index, loc)
            parts.append(loop)
        else:  # "end" or a closer
            return tuple(parts), index


def _if(pieces: list[Piece], index: int, loc: Locator) -> tuple[ast.TemplateIf, int]:
    opener = pieces[index]
    where = loc.pos(opener[2])
    true, index = _sequence(pieces, index + 1, loc)
    false: tuple[Any, ...] = ()
    closer = pieces[index]
    if closer[0] == "else":
        false, index = _sequence(pieces, index + 1, loc)
        closer = pieces[index]
        if closer[0] == "else":
            raise loc.error("Unexpected else directive",
                            f"Already in the else clause for the if started at {where.file}:{where.line}.",
                            closer[2])
    if closer[0] == "end":
        raise loc.error("Unexpected end of template", f"The if directive at {where.file}:{where.line} is missing "
                        "its corresponding endif directive.", closer[2])
    if closer[0] != "endif":
        raise loc.error(f"Unexpected {closer[0]} directive", "Expecting an endif directive for the if started at "
                        f"{where.file}:{where.line}.", closer[2])
    return ast.TemplateIf(opener[1], true, false, where), index + 1


def _for(pieces: list[Piece], index: int, loc: Locator) -> tuple[ast.TemplateFor, int]:
    opener = pieces[index]
    where = loc.pos(opener[2])
    body, index = _sequence(pieces, index + 1, loc)
    closer = pieces[index]
    if closer[0] == "end":
        raise loc.error("Unexpected end of template", f"The for directive at {where.file}:{where.line} is "
                        "missing its corresponding endfor directive.", closer[2])
    if closer[0] == "else":
        raise loc.error("Unexpected else directive", "An else clause is not expected for a for directive.",
                        closer[2])
    if closer[0] != "endfor":
        raise loc.error(f"Unexpected {closer[0]} directive", "Expecting an endfor directive corresponding to the "
                        f"for directive at {where.file}:{where.line}.", closer[2])
    key_var, value_var, collection = opener[1]
    return ast.TemplateFor(key_var, value_var, collection, body, where), index + 1

"""A known value written as HCL, as hashicorp/hcl's `hclwrite.TokensForValue` then `hclwrite.Format` write it.

Terraform's `provider::terraform::encode_expr` and `encode_tfvars` are thin wrappers over these two, so the
output must be theirs byte for byte, including hclwrite's quirks (checked against Terraform 1.15):

- maps and objects are written in key order (bytewise), one `key = value` per line, even when empty of
  nesting; a key that is not an identifier is a quoted string; an empty one is `{}`;
- lists, sets and tuples stay on one line (`[1, 2]`), so an object inside a list opens a block of lines:
  `[{` ... `}, {` ... `}]` where the `}, {` line keeps the deeper indent (hclwrite's bracket-counting
  indenter does not dedent a line whose brackets balance);
- the `=` of consecutive one-line attributes is aligned, the column counted in grapheme clusters;
- numbers in plain positional notation (big.Float `Text('f', -1)`), strings with `\\n`-style escapes, any
  non-printable character as `\\uXXXX`/`\\UXXXXXXXX`, and `${`/`%{` doubled so they stay literal.

Tokens are (kind, text) pairs; formatting follows hclwrite's three passes (indent, spaces, cells) over
lines split at newline tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions._textseg import grapheme_count
from iac.lang.hcl.lexer import valid_identifier
from iac.lang.numbers import format_number

__all__ = ["attributes_text", "value_text"]

_OPEN = frozenset("{[")
_CLOSE = frozenset("}]")


@dataclass
class _Token:
    kind: str
    """"{", "}", "[", "]", ",", "=", "nl", "ident", "number", '"' (open quote), "lit", "cq" (close quote)."""
    text: str
    spaces: int = 0
    """Spaces before the token (hclwrite's SpacesBefore), set by the formatting passes."""


def value_text(value: Value) -> str:
    """`value` (known, unmarked, not null at the top) as one HCL expression."""
    tokens: list[_Token] = []
    _append_value(value, tokens)
    return _format(tokens)


def attributes_text(attrs: dict[str, Value]) -> str:
    """`name = value` lines of a body (hclwrite's `SetAttributeValue` in order), each ending in a newline."""
    tokens: list[_Token] = []
    for name, item in attrs.items():
        tokens += [_Token("ident", name), _Token("=", "=")]
        _append_value(item, tokens)
        tokens.append(_Token("nl", "\n"))
    return _format(tokens)


def _append_value(value: Value, tokens: list[_Token]) -> None:
    kind = value.type.kind
    if value.v is None:
        tokens.append(_Token("ident", "null"))
    elif kind == "string":
        tokens += [_Token('"', '"'), _Token("lit", _escape(value.v)), _Token("cq", '"')]
    elif kind == "number":
        tokens.append(_Token("number", format_number(value.v)))
    elif kind == "bool":
        tokens.append(_Token("ident", "true" if value.v else "false"))
    elif kind in ("list", "set", "tuple"):
        tokens.append(_Token("[", "["))
        for index, element in enumerate(value.v):
            if index:
                tokens.append(_Token(",", ","))
            _append_value(element, tokens)
        tokens.append(_Token("]", "]"))
    else:  # map or object: cty iterates both in key order
        tokens.append(_Token("{", "{"))
        if value.v:
            tokens.append(_Token("nl", "\n"))
        for key in sorted(value.v, key=lambda k: k.encode()):
            if valid_identifier(key):
                tokens.append(_Token("ident", key))
            else:
                _append_value(cty.string(key), tokens)
            tokens.append(_Token("=", "="))
            _append_value(value.v[key], tokens)
            tokens.append(_Token("nl", "\n"))
        tokens.append(_Token("}", "}"))


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}


def _escape(text: str) -> str:
    """hclwrite's escapeQuotedStringLit (Go's unicode.IsPrint is Python's isprintable)."""
    out = []
    for index, char in enumerate(text):
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char in "$%":
            out.append(char * 2 if text.startswith("{", index + 1) else char)
        elif char.isprintable():
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
    return "".join(out)


# -- hclwrite's format: indent, spaces, cells --------------------------------------------------------


@dataclass
class _Line:
    lead: list[_Token]
    assign: list[_Token]


def _format(tokens: list[_Token]) -> str:
    lines = _lines(tokens)
    _indent(lines)
    _spaces(lines)
    _align(lines)
    return "".join(" " * t.spaces + t.text for line in lines for t in (*line.lead, *line.assign))


def _bracket_change(token: _Token) -> int:
    return 1 if token.kind in _OPEN else -1 if token.kind in _CLOSE else 0


def _lines(tokens: list[_Token]) -> list[_Line]:
    """Lines ending at each newline token; a line's `=` and what follows go to its "assign" cell when the
    brackets after it balance (an attribute whose value opens a block of lines is not aligned)."""
    lines: list[_Line] = []
    start = 0
    for index, token in enumerate(tokens):
        if token.kind == "nl":
            lines.append(_Line(tokens[start:index + 1], []))
            start = index + 1
    if start < len(tokens):
        lines.append(_Line(tokens[start:], []))
    for line in lines:
        for index, token in enumerate(line.lead):
            if index > 0 and token.kind == "=":
                if sum(_bracket_change(t) for t in line.lead[index:]) == 0:
                    line.lead, line.assign = line.lead[:index], line.lead[index:]
                break
    return lines


def _indent(lines: list[_Line]) -> None:
    """hclwrite's formatIndent: two spaces per open bracket group still pending before the line."""
    indents: list[int] = []
    for line in lines:
        if line.lead[0].kind == "nl":
            continue
        net = sum(_bracket_change(t) for t in (*line.lead, *line.assign))
        if net > 0:
            line.lead[0].spaces = 2 * len(indents)
            indents.append(net)
            continue
        closed = -net
        while closed > 0 and indents:
            if closed >= indents[-1]:
                closed -= indents.pop()
            else:
                indents[-1] -= closed
                closed = 0
        line.lead[0].spaces = 2 * len(indents)


def _spaces(lines: list[_Line]) -> None:
    for line in lines:
        for cell in (line.lead, line.assign):
            for index in range(len(cell) - 1):
                cell[index + 1].spaces = 1 if _space_after(cell[index], cell[index + 1]) else 0
        if line.assign:
            line.assign[0].spaces = 1


def _space_after(subject: _Token, after: _Token) -> bool:
    """hclwrite's spaceAfterToken, for the tokens a value is written with."""
    if after.kind in ("nl", ","):
        return False
    if subject.kind == ",":
        return True
    if subject.kind in ('"', "lit") or after.kind in ("lit", "cq"):
        return False
    if subject.kind == "{" or after.kind == "}":
        return not (subject.kind == "{" and after.kind == "}")
    return not (subject.kind in _OPEN or after.kind in _CLOSE)


def _align(lines: list[_Line]) -> None:
    """hclwrite's formatCells: the `=` of consecutive lines with an assign cell in one column."""
    chain: list[_Line] = []
    for line in [*lines, _Line([], [])]:
        if line.assign:
            chain.append(line)
            continue
        widest = max((_columns(c.lead) for c in chain), default=0)
        for member in chain:
            member.assign[0].spaces = widest - _columns(member.lead) + 1
        chain = []


def _columns(tokens: list[_Token]) -> int:
    return sum(t.spaces + grapheme_count(t.text) for t in tokens)

"""Markdown validity as GitHub would see it, checked with markdown-it-py (an independent CommonMark parser).

A chunk is valid when every code fence it opens is closed inside it and its `<details>` elements are
balanced (never closed before opened, none left open), counting only HTML the parser saw as HTML, not
text inside code.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
_CLOSING = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*$")


def problems(text: str) -> list[str]:
    """Everything that makes `text` unsafe as one comment; empty when it is fine."""
    lines = text.split("\n")
    found = []
    depth = 0
    for token in _flatten(PARSER.parse(text)):
        if token.type == "fence" and token.map:
            last = lines[token.map[1] - 1] if token.map[1] - 1 < len(lines) else ""
            match = _CLOSING.match(last)
            closed = (token.map[1] - token.map[0] >= 2 and match is not None
                      and match.group(1)[0] == token.markup[0] and len(match.group(1)) >= len(token.markup))
            if not closed:
                found.append(f"code fence opened on line {token.map[0] + 1} is never closed")
        if token.type in ("html_block", "html_inline"):
            for tag in re.findall(r"</?details\b", token.content):
                depth += -1 if tag.startswith("</") else 1
                if depth < 0:
                    found.append("</details> without an open <details>")
                    depth = 0
    if depth:
        found.append(f"{depth} <details> element(s) left open")
    return found


def tables(text: str) -> int:
    return sum(1 for token in PARSER.parse(text) if token.type == "table_open")


def _flatten(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        if token.children:
            out.extend(_flatten(token.children))
    return out

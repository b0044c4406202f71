"""Random HCL for differential testing against Terraform (tests/lang/test_hcl_oracle.py): expressions
built from the grammar with random separators (spaces, newlines, comments, CRLF) so that about half are
valid, templates for JSON syntax, and corpus snippets with random edits. Deterministic for a given
`random.Random`.
"""

from __future__ import annotations

import random

from tests.lang.hcl_corpus import CONFIGS, EXPRESSIONS, VALUES

_SEPARATORS = [" ", " ", "", "\n", " # c\n", " // c\n", " /* c */ ", "\t", "\r\n", " /* a\nb */ "]
_LITERALS = ["1", "0", "1.5", "1e3", "true", "false", "null", '"s"', '""', '"a\\nb"', '"$${x}"', "007"]
_REFERENCES = ["a", "var.x", "a.b[0]", 'a["k"]', "a.0", "a[*].b", "a.*.b", "count.index", "each.value"]
_OPERATORS = ["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"]
_EDITS = list('{}[]()"$%~\\\n\r\t #/*<>-=.,:?!&|+;_abcefiorxEOT019') + [
    "${", "%{", "~}", "<<EOT\n", "<<-EOT\n", "EOT\n", "\nEOT\n", "//", "/*", "*/", "...", "=>", "::", "for", "in",
    "if", "endif", "else", "endfor", "\\u00e9", "é", "\r\n", "\n}\n", "x = ", "[*]", ".*", "\\n", "$${", "%%{"]
_TEMPLATE_TEXT = ["a", " ", "\n", "\r\n", "\r", "$", "%", "$$", "%%", "${", "%{", "}", "~}", "${~", "%{~", "$${",
                  "%%{", "if", "else", "endif", "for", "endfor", " x in [1] ", "1", '"s"', "~", ":", "\t", "é"]


def _sep(r: random.Random) -> str:
    return r.choice(_SEPARATORS) if r.random() < 0.25 else r.choice([" ", ""])


def _join(r: random.Random, *parts: str) -> str:
    out = parts[0]
    for part in parts[1:]:
        out += _sep(r) + part
    return out


def template_body(r: random.Random, depth: int) -> str:
    parts = []
    for _ in range(r.randint(0, 3)):
        c = r.random()
        if c < 0.4:
            parts.append(r.choice(["a", " ", "x y", "$", "%", "\\t", "$${", "%%{"]))
        elif c < 0.75:
            parts.append("${" + r.choice(["", "~"]) + _sep(r) + expression(r, depth + 1) + _sep(r) + r.choice(["", "~"])
                         + "}")
        else:
            parts.append("%{" + r.choice(["", "~"]) + " if " + expression(r, depth + 1) + " " + r.choice(["", "~"]) + "}"
                         + r.choice(["x", ""]) + r.choice(["", "%{else}y"]) + "%{endif}")
    return "".join(parts)


def _heredoc(r: random.Random, depth: int) -> str:
    flush = r.random() < 0.5
    lines = []
    for _ in range(r.randint(0, 3)):
        indent = r.choice(["", "  ", "    ", "\t"])
        lines.append(indent + r.choice(["text", "${" + expression(r, depth + 1) + "}", "a ${x} b", "", "%{if c}z%{endif}"]))
    closing = r.choice(["", "  "]) if flush else ""
    return "<<" + ("-" if flush else "") + "EOT\n" + "".join(line + "\n" for line in lines) + closing + "EOT\n"


def expression(r: random.Random, depth: int = 0) -> str:
    """A random expression; separators are sometimes newlines or comments, so validity varies."""
    if depth > 4:
        return r.choice([r.choice(_LITERALS), "a", "b.c"])
    c = r.random()
    if c < 0.15:
        return r.choice(_LITERALS)
    if c < 0.25:
        return r.choice(_REFERENCES)
    if c < 0.40:
        return _join(r, expression(r, depth + 1), r.choice(_OPERATORS), expression(r, depth + 1))
    if c < 0.45:
        return r.choice(["-", "!"]) + _sep(r) + expression(r, depth + 1)
    if c < 0.50:
        return _join(r, expression(r, depth + 1), "?", expression(r, depth + 1), ":", expression(r, depth + 1))
    if c < 0.56:
        return _join(r, "(", expression(r, depth + 1), ")")
    if c < 0.64:
        items = [expression(r, depth + 1) + r.choice([",", ",", ""]) for _ in range(r.randint(0, 3))]
        return _join(r, "[", *items, "]") if items else "[]"
    if c < 0.72:
        pairs = [_join(r, r.choice(["k", '"k"', "(k)", "for", "if", "null"]) + str(i), r.choice(["=", ":"]),
                       expression(r, depth + 1)) + r.choice([",", "\n", "", ", "]) for i in range(r.randint(0, 3))]
        return _join(r, "{", *pairs, "}")
    if c < 0.78:
        args = [expression(r, depth + 1) + "," for _ in range(r.randint(0, 3))]
        inner = _join(r, *args) + r.choice(["", "..."]) if args else ""
        return _join(r, r.choice(["f", "lookup", "provider::p::f", "core::f"]) + "(", inner, ")")
    if c < 0.84:
        if r.random() < 0.5:
            return _join(r, "[", "for", "x", "in", expression(r, depth + 1), ":", expression(r, depth + 1),
                         r.choice(["", "if " + expression(r, depth + 1)]), "]")
        return _join(r, "{", "for", "k,", "v", "in", expression(r, depth + 1), ":", expression(r, depth + 1), "=>",
                     expression(r, depth + 1), r.choice(["", "..."]), "}")
    if c < 0.94:
        return '"' + template_body(r, depth) + '"'
    return _heredoc(r, depth)


def edited_snippet(r: random.Random) -> str:
    """A corpus snippet (as a file; "NN" still to replace) with one to three random edits."""
    text = r.choice([f"locals {{\n  eNN = {e}\n}}\n" for e in (*EXPRESSIONS, *VALUES)] + CONFIGS)
    for _ in range(r.randint(1, 3)):
        where = r.randint(0, len(text))
        edit = r.choice("irdds")
        if edit == "i":
            text = text[:where] + r.choice(_EDITS) + text[where:]
        elif edit == "r":
            text = text[:where] + r.choice(_EDITS) + text[where + 1:]
        elif edit == "d":
            text = text[:where] + text[where + r.randint(1, 4):]
        else:
            text = text[:where] + r.choice(EXPRESSIONS) + text[where:]
    return text


def json_template(r: random.Random) -> str:
    if r.random() < 0.5:
        return "".join(r.choice(_TEMPLATE_TEXT) for _ in range(r.randint(1, 12)))
    text = template_body(r, 0)
    for _ in range(r.randint(0, 2)):
        where = r.randint(0, len(text))
        text = text[:where] + r.choice(_TEMPLATE_TEXT) + text[where:]
    return text

"""The HCL native-syntax scanner: text -> a flat list of tokens, modelled on hclsyntax's `scan_tokens.rl`.

Why a separate, modal scanner: what a character means depends on where it is — `}` closes an object or
ends a `${...}` interpolation, `"` starts a string or ends one, a heredoc ends at a line holding only its
marker — and HCL decides all of that while scanning, before parsing, by counting braces and keeping a
stack of open templates and heredocs. Reproducing that scanner (rather than guessing in the parser) is
what makes iac accept and reject exactly what Terraform does, down to the token boundaries that decide
how far a strip marker (`~`) reaches.

Speed: each mode is one compiled regular expression whose alternatives take whole runs of characters
(spaces, names, string text) at a time; the loop only dispatches on which alternative matched.

A token is a tuple `(kind, start, end, extra)`: character offsets into the text, and for some kinds a
little more (the strip flag of `${~` / `~}`, a heredoc's marker). Comments disappear, except that a line
comment ends its line: it becomes a newline token, as hclsyntax's token reader does.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from iac.lang.hcl.errors import Locator

__all__ = ["GO_SPACE", "Token", "tokenize", "valid_identifier"]

_INVALID = "This character is not used within the language."

Token = tuple[str, int, int, Any]

# kinds that are not spelled as their own punctuation
IDENT = "IDENT"
NUMBER = "NUMBER"
NL = "NL"
EOF = "EOF"
OQUOTE = "OQUOTE"
CQUOTE = "CQUOTE"
OHEREDOC = "OHEREDOC"
CHEREDOC = "CHEREDOC"
STR = "STR"  # a whole quoted string without escapes or sequences: `"name"` (HCL: OQUOTE, text, CQUOTE)
QLIT = "QLIT"  # literal text of a quoted template: backslash escapes still to decode
SLIT = "SLIT"  # literal text of a heredoc or bare template: no backslash escapes
INTERP = "INTERP"  # "${" (extra: True for "${~")
CONTROL = "CONTROL"  # "%{" (extra: True for "%{~")
SEQEND = "SEQEND"  # the "}" ending an interpolation or directive (extra: True for "~}")
CBRACE = "}"

# scanner modes
MAIN, QUOTED, HEREDOC, BARE = 0, 1, 2, 3

GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
           "\u2028\u2029\u202f\u205f\u3000"
"""What Go's unicode.IsSpace accepts: HCL trims these (strip markers, heredoc indentation, markers)."""

# "any character past ASCII" as a negated class: `[\x80-\U0010ffff]` matches the same, but compiling its
# range costs ~10 ms at every start of iac, this ~0.1 ms
_NON_ASCII = r"[^\x00-\x7f]"
_NAME = rf"(?:[A-Za-z_]|{_NON_ASCII})(?:[A-Za-z0-9_-]|{_NON_ASCII})*"  # a candidate: non-ASCII checked after

_MAIN = re.compile(  # spaces and tabs before a token are taken in the same match
    r"[ \t]*+(?:"
    rf"([A-Za-z_][A-Za-z0-9_-]*+)(?!{_NON_ASCII})"         # 1 identifier (ASCII: the fast, common case)
    r"|((?:#|//)[^\n]*\n?)"                               # 2 line comment (keeps its newline)
    r"|(/\*)"                                             # 3 inline comment (its end is found below)
    rf"|(<<-?{_NAME}\r?\n)"                                # 4 heredoc introducer
    r"|(\.\.\.|==|!=|>=|<=|&&|\|\||::|=>|~\}"             # 5 operators and delimiters
    r"|[\[\]().,*/%+\-=<>!?:{}])"
    r"|(\r?\n)"                                           # 6 newline
    r'|("[^"\\$%\r\n]*")'                                # 7 a quoted string with nothing to decode
    r"|([0-9](?:\.*(?:[0-9]|[eE][+-]?[0-9]))*)"           # 8 number (never ends with a dot)
    r'|(")'                                               # 9 start of a quoted template
    rf"|({_NAME})"                                        # 10 identifier with non-ASCII characters
    r"|([&|~^;`'])"                                       # 11 characters HCL knows only to reject
    r")",
    re.S,
)

_QUOTED = re.compile(
    r'((?:\\[^\r\n]|[^\\$%"\r\n])+)'   # 1 text with escapes
    r"|(\$\{~?|%\{~?)"                 # 2 interpolation or directive
    r"|(\$\$\{~?|%%\{~?|[$%](?=[^{]))"  # 3 "$${" / "%%{" escapes, or a lone "$" / "%"
    r'|(")'                            # 4 end of string
    r"|([\r\n]+)",                     # 5 a newline: not allowed in a quoted string
)

_TEXT = re.compile(  # heredoc and bare template text: runs end after a newline or before "$" / "%"
    r"(\$\{~?|%\{~?)"                                     # 1 interpolation or directive
    r"|(\$\$\{~?(?:\r?\n)?|%%\{~?(?:\r?\n)?|[$%](?=[^{]))"  # 2 escapes, or a lone "$" / "%"
    r"|([^$%\r\n]+(?:\r?\n)?|\r?\n)",                     # 3 text, up to and including a newline
)

_OPS = {op: op for op in ("...", "==", "!=", ">=", "<=", "&&", "||", "::", "=>", "[", "]", "(", ")", ".", ",", "*",
                          "/", "%", "+", "-", "=", "<", ">", "!", "?", ":")}  # one string object per kind

_BITWISE = {"&": 'Did you mean boolean AND ("&&")?', "|": 'Did you mean boolean OR ("||")?',
            "~": 'Did you mean boolean NOT ("!")?', "^": ""}
_BAD_CHARACTER = {
    ";": 'The ";" character is not valid. Use newlines to separate arguments and blocks, and commas to '
         "separate items in collection values.",
    "`": 'The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, '
         'like "<<EOT".',
    "'": 'Single quotes are not valid. Use double quotes (") to enclose strings.',
}


@lru_cache(maxsize=4096)
def _id_start(char: str) -> bool:
    """Unicode ID_Start (UAX #31), as HCL's identifiers use."""
    if char in "\u1885\u1886\u2118\u212e\u309b\u309c":
        return True
    return unicodedata.category(char) in ("Lu", "Ll", "Lt", "Lm", "Lo", "Nl") and char != "\u2e2f"


@lru_cache(maxsize=4096)
def _id_continue(char: str) -> bool:
    if _id_start(char) or char in "\u00b7\u0387\u1369\u136a\u136b\u136c\u136d\u136e\u136f\u1370\u1371\u19da":
        return True
    return unicodedata.category(char) in ("Mn", "Mc", "Nd", "Pc")


def _name_length(name: str) -> int:
    """How much of a candidate name (ASCII fast path, any non-ASCII character allowed) is a real HCL
    identifier: ID_Start or "_", then ID_Continue or "-". 0 when not even its first character is."""
    if name.isascii():
        return len(name)
    if not (name[0] == "_" or name[0].isascii() or _id_start(name[0])):
        return 0
    for i in range(1, len(name)):
        char = name[i]
        if not (char.isascii() or _id_continue(char)):
            return i
    return len(name)


def valid_identifier(name: str) -> bool:
    """hclsyntax.ValidIdentifier: the whole text is one identifier (ID_Start or "_", then ID_Continue or "-")."""
    if not name:
        return False
    first = name[0]
    if not (first == "_" or (first.isascii() and first.isalpha()) or (not first.isascii() and _id_start(first))):
        return False
    return all(c in "_-" or (c.isascii() and c.isalnum()) or (not c.isascii() and _id_continue(c)) for c in name[1:])


def tokenize(text: str, loc: Locator, mode: int = MAIN) -> list[Token]:
    """All tokens of `text` (a configuration or expression in MAIN mode, a JSON string template in BARE
    mode), ending with an EOF token. Raises HclSyntaxError at the first character HCL itself rejects while
    scanning (invalid characters, bitwise operators, newlines inside quoted strings)."""
    toks: list[Token] = []
    add = toks.append
    n = len(text)
    pos = 0
    state = mode
    stack: list[int] = []  # the modes to return to (Ragel's fcall/fret)
    braces = 0  # open braces, counted as HCL's scanner does
    ret_braces: list[int] = []  # brace levels at which a "}" ends an interpolation
    heredocs: list[list[Any]] = []  # [marker, at start of line]
    main_match, quoted_match, text_match = _MAIN.match, _QUOTED.match, _TEXT.match
    unclosed = n + 1  # from here on no "/*" can be closed (saves scanning to the end again)
    while pos < n:
        if state == MAIN:
            m = main_match(text, pos)
            if m is None:
                while pos < n and text[pos] in " \t":
                    pos += 1
                if pos == n:
                    break
                raise loc.error("Invalid character", _INVALID, pos)
            group = m.lastindex or 0  # every alternative is a group: never 0
            start = m.start(group)
            end = m.end()
            if group == 1:
                add((IDENT, start, end, None))
            elif group == 5:
                op = m.group(5)
                if op == "{":
                    braces += 1
                    add(("{", start, end, None))
                elif op == "}" or op == "~}":
                    strip = op == "~}"
                    if ret_braces and ret_braces[-1] == braces:
                        add((SEQEND, start, end, strip))
                        ret_braces.pop()
                        state = stack.pop()
                    elif strip:  # HCL still calls it the end of a sequence: the parser then rejects it
                        add((SEQEND, start, end, strip))
                    else:
                        add((CBRACE, start, end, None))
                    braces -= 1
                else:
                    add((_OPS[op], start, end, None))
            elif group == 6:
                add((NL, start, end, None))
            elif group == 7:
                add((STR, start, end, None))
            elif group == 8:
                add((NUMBER, start, end, None))
            elif group == 2:
                if text[end - 1] == "\n":
                    add((NL, start, end, None))
            elif group == 3:
                close = text.find("*/", end) if end < unclosed else -1
                if close < 0:  # never closed: just "/" (and "*" next), as in HCL
                    unclosed = start
                    add(("/", start, start + 1, None))
                    end = start + 1
                else:
                    end = close + 2
            elif group == 9:
                add((OQUOTE, start, end, None))
                stack.append(MAIN)
                state = QUOTED
            elif group == 4:
                intro = m.group(4)
                marker = intro[3:] if intro[2] == "-" else intro[2:]
                marker = marker.rstrip("\r\n")
                if _name_length(marker) != len(marker):  # not a heredoc after all: just "<"
                    add(("<", start, start + 1, None))
                    end = start + 1
                else:
                    add((OHEREDOC, start, end, (marker, intro[2] == "-")))
                    heredocs.append([marker, True])
                    stack.append(MAIN)
                    state = HEREDOC
            elif group == 10:
                length = _name_length(m.group(10))
                if length == 0:
                    raise loc.error("Invalid character", _INVALID, start)
                end = start + length
                add((IDENT, start, end, None))
            else:
                char = m.group(11)
                if char in _BITWISE:
                    hint = _BITWISE[char]
                    raise loc.error("Unsupported operator", "Bitwise operators are not supported." + (
                        " " + hint if hint else ""), start)
                raise loc.error("Invalid character", _BAD_CHARACTER[char], start)
            pos = end
        elif state == QUOTED:
            m = quoted_match(text, pos)
            if m is None:
                raise loc.error("Invalid character", _INVALID, pos)
            group = m.lastindex or 0
            end = m.end()
            if group == 1 or group == 3:
                add((QLIT, pos, end, None))
            elif group == 2:
                if heredocs:
                    heredocs[-1][1] = False
                add((INTERP if text[pos] == "$" else CONTROL, pos, end, end - pos == 3))
                braces += 1
                ret_braces.append(braces)
                stack.append(QUOTED)
                state = MAIN
            elif group == 4:
                add((CQUOTE, pos, end, None))
                state = stack.pop()
            else:
                raise loc.error("Invalid multi-line string",
                                "Quoted strings may not be split over multiple lines. To produce a multi-line "
                                "string, either use the \\n escape to represent a newline character or use the "
                                '"heredoc" multi-line template syntax.', pos)
            pos = end
        else:  # HEREDOC or BARE
            m = text_match(text, pos)
            if m is None:  # a lone CR, or "$" / "%" as the very last character
                if state == BARE:  # HCL keeps the rest of a bare template as literal text
                    add((SLIT, pos, n, "rest"))
                    pos = n
                    break
                raise loc.error("Invalid character", _INVALID, pos)
            end = m.end()
            if m.lastindex == 1:
                if heredocs:
                    heredocs[-1][1] = False
                add((INTERP if text[pos] == "$" else CONTROL, pos, end, end - pos == 3))
                braces += 1
                ret_braces.append(braces)
                stack.append(state)
                state = MAIN
            elif text[end - 1] == "\n":
                if state == HEREDOC:
                    doc = heredocs[-1]
                    if doc[1] and text[pos:end].strip(GO_SPACE) == doc[0]:
                        newline = end - 2 if text[end - 2] == "\r" else end - 1
                        add((CHEREDOC, pos, newline, None))
                        add((NL, newline, end, None))
                        heredocs.pop()
                        state = stack.pop()
                        pos = end
                        continue
                    doc[1] = True
                add((SLIT, pos, end, None))
            else:
                if state == HEREDOC:
                    heredocs[-1][1] = False
                add((SLIT, pos, end, None))
            pos = end
    add((EOF, n, n, None))
    return toks

"""Go's `regexp` (RE2 syntax, leftmost-first semantics) for Terraform's `regex`, `regexall` and `replace`.

Go's syntax and meaning differ from Python's in many small ways (`$` is end of text, not "before a final
newline"; `\\b`, `\\w`, `\\d`, `\\s` are ASCII; `\\pL`, `\\p{Greek}`, `\\Q..\\E`, `(?U)`, `[[:alpha:]]`,
`\\z`; no backreferences, no `\\Z`; named groups may start with a digit and repeat; `{,3}` is literal
text; repeat counts above 1000 are errors). So a pattern is parsed as Go parses it (`_gosyntax`: same
errors, same wording), and the tree then runs on one of two engines:
- the `regex` module, given an equivalent pattern written out here with every construct explicit (ASCII
  classes as ranges, flags scoped to the single leaf they apply to), so nothing depends on how Python
  reads the same syntax;
- Go's own program and backtracker (`_gobacktrack`), for the patterns where a Perl-style engine answers
  differently: a loop over a body that can match empty (`(a|)+`, `(a*?)*`). `EXACT_ALWAYS` sends every
  pattern there (the differential tests run both engines against Terraform).
`FindAll`'s and `ReplaceAll`'s rules for empty matches (none right after a previous match; advance one
character) are Go's, implemented below, not Python's.

Known gaps, none of which an ordinary pattern meets:
- The `regex` module backtracks: a pathological pattern (`(a|aa)+$` on a long non-match) can take
  exponential time where Go is linear. Such searches fail after about `TIMEOUT` seconds instead of
  hanging (Go's engine, here in Python, is linear but slow on very long texts).
- Unicode tables are the `regex` module's (newer than Go 1.25's Unicode 15.0): characters assigned after
  15.0 answer `\\p{..}` differently. Case-insensitive matching uses the module's simple case folding,
  which agrees with Go's folding orbits (`k`, `K`, `\\u212a`; `s`, `ſ`).
"""

from __future__ import annotations

import functools
import sys
import unicodedata
from dataclasses import dataclass

import regex

from iac.lang.functions._gobacktrack import Program, compile_program
from iac.lang.functions._gosyntax import DOTNL, FOLD, NONGREEDY, GoRegexpError, Node, nullable, parse, simplify

__all__ = ["GoRegexp", "GoRegexpError", "RegexpTimeout", "compile_go"]

TIMEOUT = 10.0
"""Seconds (roughly: the `regex` module checks now and then) one search may take before the call fails."""

EXACT_ALWAYS = False
"""Run every pattern on Go's own engine (`_gobacktrack`), not only those that need it (for tests)."""


class RegexpTimeout(RuntimeError):
    """A search that ran longer than TIMEOUT (a pattern that makes a backtracking engine explode)."""


# -- writing the `regex` pattern -------------------------------------------------------------------

_WORD_CHAR = "[0-9A-Za-z_]"
_EMITTED = {
    "bol": "(?m:^)",
    "eol": "(?m:$)",
    "bot": r"\A",
    "eot": r"\Z",
    "empty": "(?:)",
    "wordb": f"(?:(?<={_WORD_CHAR})(?!{_WORD_CHAR})|(?<!{_WORD_CHAR})(?={_WORD_CHAR}))",
    "nowordb": f"(?:(?<={_WORD_CHAR})(?={_WORD_CHAR})|(?<!{_WORD_CHAR})(?!{_WORD_CHAR}))",
}
_ANY = r"[\U00000000-\U0010ffff]"


def _char(code: int) -> str:
    ch = chr(code)
    return ch if ch.isascii() and (ch.isalnum() or ch == "_") else f"\\U{code:08x}"


def _emit(node: Node) -> str:
    """The `regex` pattern for a tree that has no unbounded loop over a body that can match empty
    (those go to Go's engine). Bounded repetitions of such a body are written out as Go simplifies them,
    since the `regex` module also stops repeating them after an empty iteration."""
    op = node.op
    if op in _EMITTED:
        return _EMITTED[op]
    if op == "lit":
        return _fold(node, _char(node.char))
    if op == "any":
        return _ANY if node.flags & DOTNL else r"[^\n]"
    if op == "class":
        return _fold(node, _class(node))
    if op == "cap":
        return f"(?P<g{node.cap}>{_emit(node.subs[0])})"
    if op == "concat":
        return "".join(_emit(sub) for sub in node.subs)
    if op == "alt":
        return "(?:" + "|".join(_emit(sub) for sub in node.subs) + ")"
    sub = node.subs[0]
    lazy = "?" if node.flags & NONGREEDY else ""
    if op == "repeat" and nullable(sub):
        return _emit(simplify(node))
    count = {"star": "*", "plus": "+", "quest": "?"}.get(op) or (
        f"{{{node.min}}}" if node.min == node.max else f"{{{node.min},}}" if node.max == -1 else
        f"{{{node.min},{node.max}}}")
    return f"(?:{_emit(sub)}){count}{lazy}"


def _needs_go_engine(tree: Node) -> bool:
    """Whether a loop can come back to where it started without consuming (see _gobacktrack)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        loops = node.op in ("star", "plus") or (node.op == "repeat" and node.max == -1)
        if loops and nullable(node.subs[0]):
            return True
        stack.extend(node.subs)
    return False


def _char_pattern(node: object) -> str:
    """The `regex` pattern for one character node (what _gobacktrack tests characters with)."""
    assert isinstance(node, Node)
    return _emit(node)


def _fold(node: Node, text: str) -> str:
    return f"(?i:{text})" if node.flags & FOLD else text


def _class(node: Node) -> str:
    parts = [f"{_char(lo)}-{_char(hi)}" if hi > lo else _char(lo) for lo, hi in node.ranges] + node.props
    if not parts:  # the empty class: nothing, or (negated) anything
        return _ANY if node.negated else "(?!)"
    return "[" + ("^" if node.negated else "") + "".join(parts) + "]"


# -- the compiled expression -----------------------------------------------------------------------


@dataclass(frozen=True)
class GoRegexp:
    """A Go regexp: `names` are Go's SubexpNames without the whole match ("" for unnamed groups)."""

    source: str
    names: tuple[str, ...]
    compiled: regex.Pattern[str] | None
    """The `regex` pattern, or None when the pattern runs on Go's engine (`program`)."""
    program: Program | None = None

    def match_at(self, text: str, pos: int) -> list[tuple[int, int]] | None:
        """The leftmost-first match at or after `pos`: spans of the match and of each group, (-1, -1)
        for a group that did not participate; None when there is no match."""
        if self.program is not None:
            return self.program.search(text, pos)
        assert self.compiled is not None
        try:
            found = self.compiled.search(text, pos, timeout=TIMEOUT)
        except TimeoutError as error:
            raise RegexpTimeout(f"matching the pattern {self.source!r} took more than {TIMEOUT:g} seconds; "
                                "iac's regexp engine backtracks where Terraform's is linear") from error
        if found is None:
            return None
        present = self.compiled.groupindex  # a group under {0} is not in the pattern at all
        return [found.span()] + [found.span(f"g{index}") if f"g{index}" in present else (-1, -1)
                                 for index in range(1, len(self.names) + 1)]

    def find_all(self, text: str) -> list[list[tuple[int, int]]]:
        """Go's FindAllStringSubmatchIndex(text, -1)."""
        out: list[list[tuple[int, int]]] = []
        pos, prev_end = 0, -1
        while pos <= len(text):
            spans = self.match_at(text, pos)
            if spans is None:
                break
            start, end = spans[0]
            accept = True
            if end == pos:  # an empty match: not right after the previous match; step one character
                if start == prev_end:
                    accept = False
                pos += 1
            else:
                pos = end
            prev_end = end
            if accept:
                out.append(spans)
        return out

    def replace_all(self, text: str, template: str) -> str:
        """Go's ReplaceAllString: `$1`, `${name}` and `$$` in `template` expand (Regexp.Expand)."""
        out: list[str] = []
        last_end = search = 0
        while search <= len(text):
            spans = self.match_at(text, search)
            if spans is None:
                break
            start, end = spans[0]
            out.append(text[last_end:start])
            if end > last_end or start == 0:  # no replacement for an empty match right after a match
                out.append(self.expand(template, text, spans))
            last_end = end
            search = search + 1 if search + 1 > end else end
        out.append(text[last_end:])
        return "".join(out)

    def expand(self, template: str, text: str, spans: list[tuple[int, int]]) -> str:
        out: list[str] = []
        i = 0
        while True:
            dollar = template.find("$", i)
            if dollar < 0:
                break
            out.append(template[i:dollar])
            i = dollar + 1
            if template.startswith("$", i):
                out.append("$")
                i += 1
                continue
            extracted = _extract(template, i)
            if extracted is None:
                out.append("$")
                continue
            name, number, i = extracted
            if number >= 0:
                if number < len(spans) and spans[number][0] >= 0:
                    out.append(text[spans[number][0]:spans[number][1]])
                continue
            for index, group_name in enumerate(self.names, start=1):
                if group_name == name and spans[index][0] >= 0:
                    out.append(text[spans[index][0]:spans[index][1]])
                    break
        out.append(template[i:])
        return "".join(out)


def _extract(template: str, i: int) -> tuple[str, int, int] | None:
    """Go's extract: the name after a `$` (`name` or `{name}`), its number (-1 when not a number) and
    the index after it; None when malformed."""
    if i >= len(template):
        return None
    brace = template[i] == "{"
    j = i + 1 if brace else i
    start = j
    while j < len(template) and (template[j].isalpha() or template[j] == "_" or _is_digit(template[j])):
        j += 1
    if j == start:
        return None
    name = template[start:j]
    if brace:
        if j >= len(template) or template[j] != "}":
            return None
        j += 1
    number = 0
    for ch in name:  # Go: ASCII digits only, and nothing from 10^8 on
        if not "0" <= ch <= "9" or number >= 10**8:
            number = -1
            break
        number = number * 10 + ord(ch) - 0x30
    if name[0] == "0" and len(name) > 1:
        number = -1
    return name, number, j


def _is_digit(ch: str) -> bool:
    return unicodedata.category(ch) == "Nd"


@functools.lru_cache(maxsize=256)
def compile_go(pattern: str) -> GoRegexp:
    """Parse `pattern` as Go's regexp.Compile does and prepare the engine that matches it as Go does.
    Raises GoRegexpError with Go's error code and fragment."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 5000))  # trees nest up to 1000 levels
    try:
        tree, names = parse(pattern)
        if EXACT_ALWAYS or _needs_go_engine(tree):
            return GoRegexp(pattern, names, None, compile_program(simplify(tree), len(names), _char_pattern))
        return GoRegexp(pattern, names, regex.compile(_emit(tree)))
    finally:
        sys.setrecursionlimit(limit)

"""Go's `regexp` (RE2 syntax, leftmost-first semantics) on top of the `regex` module.

Terraform's `regex`, `regexall` and `replace("/re/")` use Go's regexp package, whose syntax and meaning
differ from Python's in many small ways (`$` is end of text, not "before a final newline"; `\\b`, `\\w`,
`\\d`, `\\s` are ASCII; `\\pL`, `\\p{Greek}`, `\\Q..\\E`, `(?U)`, `[[:alpha:]]`, `\\z`; no backreferences, no
`\\Z`; named groups may start with a digit and repeat; `{,3}` is literal text; repeat counts above 1000 are
errors). So a pattern is parsed here as Go's `regexp/syntax` parses it — same errors, same order, same
wording (`missing closing ): ...`) — into a small tree, and that tree is written out as an equivalent
pattern for the `regex` module, which does the matching. Every construct is spelled out explicitly (ASCII
classes as ranges, flags scoped to the single leaf they apply to), so nothing depends on how Python reads
the same syntax.

Semantics beyond syntax:
- An unbounded loop whose body can match empty (`(a|)+`, `(a*)*`) never repeats an empty iteration in
  Go (its automaton does not revisit a state at the same position), where a backtracking engine does
  once, changing the captures: `regex("(a|)+", "aa")` is `["a"]` in Terraform, `[""]` in Perl and Python.
  Such loops are written with a position guard (`(?=(?P<m>...))X(?!(?P=m)\\Z)`) that makes every
  iteration after the first consume text, and stops after an empty first one. Bounded repeats of such a
  body are expanded the way Go simplifies them (`x{2,3}` = `xx(x)?`).
- `FindAll`'s and `ReplaceAll`'s rules for empty matches (no empty match right after a previous match;
  advance one character) are Go's, implemented below, not Python's.

Known gaps, none of which an ordinary pattern meets:
- Matching backtracks: a pathological pattern (`(a+)+$` on a long non-match) can take exponential time
  where Go is linear. Searches stop after `TIMEOUT` seconds with an error instead of hanging.
- Unicode tables are the `regex` module's (newer than Go 1.25's Unicode 15.0): characters assigned after
  15.0 answer `\\p{..}` differently. Case-insensitive matching uses the module's simple case folding,
  which agrees with Go's folding orbits (`k`, `K`, `\\u212a`; `s`, `ſ`).
- "expression nests too deeply" is judged on this module's tree, whose height can differ from Go's by a
  level or two near the limit of 1000.
"""

from __future__ import annotations

import functools
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

__all__ = ["GoRegexp", "GoRegexpError", "RegexpTimeout", "compile_go"]

TIMEOUT = 10.0
"""Seconds one search may take before the call fails (Go's engine is linear; this one backtracks)."""

MAX_RUNE = 0x10FFFF
_MAX_REPEAT = 1000
_MAX_HEIGHT = 1000
_MAX_SIZE = (128 << 20) // 40  # Go's maxSize: compiled instructions


class GoRegexpError(ValueError):
    """A pattern Go's regexp/syntax rejects: `code` is Go's ErrorCode text, `expr` the offending part."""

    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"error parsing regexp: {code}: `{expr}`")
        self.code = code
        self.expr = expr


class RegexpTimeout(RuntimeError):
    """A search that ran longer than TIMEOUT (a pattern that makes a backtracking engine explode)."""


# parse flags (Go's syntax.Flags, the ones Perl mode can change)
FOLD, DOTNL, ONELINE, NONGREEDY = 1, 2, 4, 8
_PERL_DEFAULT = ONELINE

# -- the tree --------------------------------------------------------------------------------------


@dataclass
class _Node:
    op: str
    """lit, class, any, bol, eol, bot, eot, wordb, nowordb, empty, cap, concat, alt, star, plus, quest,
    repeat."""
    flags: int = 0
    char: int = 0
    ranges: list[tuple[int, int]] = field(default_factory=list)
    props: list[str] = field(default_factory=list)
    negated: bool = False
    subs: list[_Node] = field(default_factory=list)
    cap: int = 0
    min: int = 0
    max: int = 0


# -- ASCII classes (Go's perl_groups.go) -------------------------------------------------------------

_DIGIT = [(0x30, 0x39)]
_SPACE = [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)]
_WORD = [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]
_PERL_GROUPS = {"d": _DIGIT, "s": _SPACE, "w": _WORD}
_POSIX_GROUPS = {
    "alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
    "alpha": [(0x41, 0x5A), (0x61, 0x7A)],
    "ascii": [(0x00, 0x7F)],
    "blank": [(0x09, 0x09), (0x20, 0x20)],
    "cntrl": [(0x00, 0x1F), (0x7F, 0x7F)],
    "digit": _DIGIT,
    "graph": [(0x21, 0x7E)],
    "lower": [(0x61, 0x7A)],
    "print": [(0x20, 0x7E)],
    "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "space": [(0x09, 0x0D), (0x20, 0x20)],
    "upper": [(0x41, 0x5A)],
    "word": _WORD,
    "xdigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
}


def _clean(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _negate(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    next_lo = 0
    for lo, hi in _clean(ranges):
        if next_lo <= lo - 1:
            out.append((next_lo, lo - 1))
        next_lo = hi + 1
    if next_lo <= MAX_RUNE:
        out.append((next_lo, MAX_RUNE))
    return out


def _fold_ascii(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """An ASCII class closed under Go's case folding (letters both cases; s adds ſ, k adds the Kelvin sign)."""
    out = list(ranges)
    for lo, hi in ranges:
        for c in range(lo, min(hi, 0x7F) + 1):
            ch = chr(c)
            if ch.isalpha():
                other = ord(ch.swapcase())
                out.append((other, other))
                if ch in "sS":
                    out.append((0x17F, 0x17F))
                elif ch in "kK":
                    out.append((0x212A, 0x212A))
    return _clean(out)


def _group(ranges: list[tuple[int, int]], negated: bool, flags: int) -> list[tuple[int, int]]:
    """Go's appendGroup: fold first (under (?i)), then negate."""
    if flags & FOLD:
        ranges = _fold_ascii(ranges)
    return _negate(ranges) if negated else list(ranges)


# -- Unicode classes (Go 1.25's unicodeTable) ---------------------------------------------------------

_CATEGORIES = {"C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
               "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm",
               "So", "Z", "Zl", "Zp", "Zs"}
_CATEGORY_ALIASES = {
    "Cased_Letter": "LC", "Close_Punctuation": "Pe", "Combining_Mark": "M", "Connector_Punctuation": "Pc",
    "Control": "Cc", "Currency_Symbol": "Sc", "Dash_Punctuation": "Pd", "Decimal_Number": "Nd",
    "Enclosing_Mark": "Me", "Final_Punctuation": "Pf", "Format": "Cf", "Initial_Punctuation": "Pi",
    "Letter": "L", "Letter_Number": "Nl", "Line_Separator": "Zl", "Lowercase_Letter": "Ll", "Mark": "M",
    "Math_Symbol": "Sm", "Modifier_Letter": "Lm", "Modifier_Symbol": "Sk", "Nonspacing_Mark": "Mn",
    "Number": "N", "Open_Punctuation": "Ps", "Other": "C", "Other_Letter": "Lo", "Other_Number": "No",
    "Other_Punctuation": "Po", "Other_Symbol": "So", "Paragraph_Separator": "Zp", "Private_Use": "Co",
    "Punctuation": "P", "Separator": "Z", "Space_Separator": "Zs", "Spacing_Mark": "Mc", "Surrogate": "Cs",
    "Symbol": "S", "Titlecase_Letter": "Lt", "Unassigned": "Cn", "Uppercase_Letter": "Lu", "cntrl": "Cc",
    "digit": "Nd", "punct": "P",
}
# Go 1.25 looks scripts up by canonical name (first letter upper, the rest lower, no separators), so only
# the scripts of Unicode 15.0 whose name is one such word are reachable: \p{Old_Italic} is an error in
# Terraform 1.15, as is \p{SignWriting}.
_SCRIPT_NAMES = """
Adlam Ahom Arabic Armenian Avestan Balinese Bamum Batak Bengali Bhaiksuki Bopomofo Brahmi Braille
Buginese Buhid Carian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cyrillic Deseret
Devanagari Dogra Duployan Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati
Gurmukhi Han Hangul Hanunoo Hatran Hebrew Hiragana Inherited Javanese Kaithi Kannada Katakana Kawi
Kharoshthi Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Lisu Lycian Lydian Mahajani Makasar Malayalam
Mandaic Manichaean Marchen Medefaidrin Miao Modi Mongolian Mro Multani Myanmar Nabataean Nandinagari Newa
Nko Nushu Ogham Osage Osmanya Palmyrene Phoenician Rejang Runic Samaritan Saurashtra Sharada Shavian
Siddham Sinhala Sogdian Soyombo Sundanese Syriac Tagalog Tagbanwa Takri Tamil Tangsa Tangut Telugu Thaana
Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Yezidi Yi
"""
_SCRIPTS = frozenset(_SCRIPT_NAMES.split())


def _canonical(name: str) -> str:
    out: list[str] = []
    for ch in name:
        if ch in "_- ":
            continue
        if not out and "a" <= ch <= "z":
            ch = ch.upper()
        elif out and "A" <= ch <= "Z":
            ch = ch.lower()
        out.append(ch)
    return "".join(out)


_ALIASES = {_canonical(k): v for k, v in _CATEGORY_ALIASES.items()}


def _unicode_table(name: str) -> tuple[list[tuple[int, int]], str, int] | None:
    """(explicit ranges, or a `regex` property name, sign) for a Go \\p name; None when Go has none."""
    name = _canonical(name)
    if name == "Any":
        return [(0, MAX_RUNE)], "", 1
    if name == "Assigned":
        return [], "gc=Cn", -1
    if name == "Ascii":
        return [(0, 0x7F)], "", 1
    if name == "Lc":
        return [], "gc=LC", 1
    if name in _CATEGORIES:
        return [], f"gc={name}", 1
    if name in _SCRIPTS:
        return [], f"sc={name}", 1
    alias = _ALIASES.get(name)
    if alias is not None:
        return [], f"gc={alias}", 1
    return None


# -- the parser (Go's regexp/syntax parse, Perl flags) ---------------------------------------------


@dataclass
class _Frame:
    """An open group: its alternatives so far and the items of the current one."""

    flags: int  # the flags in force before the group opened (restored at ')')
    cap: int = 0
    name: str = ""
    is_group: bool = True
    alternatives: list[_Node] = field(default_factory=list)
    items: list[_Node] = field(default_factory=list)


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.s = pattern
        self.flags = _PERL_DEFAULT
        self.frames = [_Frame(self.flags, is_group=False)]
        self.ncap = 0
        self.names: list[str] = []

    @property
    def items(self) -> list[_Node]:
        return self.frames[-1].items

    def push(self, node: _Node) -> None:
        self.items.append(node)

    def parse(self) -> _Node:
        s = self.s
        i = 0
        last_repeat = -1  # start of the previous token when it was a repetition operator
        while i < len(s):
            repeat = -1
            c = s[i]
            if c == "(":
                if i + 1 < len(s) and s[i + 1] == "?":
                    i = self.perl_flags(i)
                else:
                    self.ncap += 1
                    self.names.append("")
                    self.frames.append(_Frame(self.flags, cap=self.ncap))
                    i += 1
            elif c == "|":
                frame = self.frames[-1]
                frame.alternatives.append(_concat(frame.items))
                frame.items = []
                i += 1
            elif c == ")":
                self.right_paren()
                i += 1
            elif c == "^":
                self.push(_Node("bot" if self.flags & ONELINE else "bol"))
                i += 1
            elif c == "$":
                self.push(_Node("eot" if self.flags & ONELINE else "eol"))
                i += 1
            elif c == ".":
                self.push(_Node("any", flags=self.flags))
                i += 1
            elif c == "[":
                i = self.parse_class(i)
            elif c in "*+?":
                after = self.repeat({"*": "star", "+": "plus", "?": "quest"}[c], 0, 0, i, i + 1, last_repeat)
                repeat, i = i, after
            elif c == "{":
                parsed = self.parse_repeat(i)
                if parsed is None:  # not a repetition: a literal {
                    self.literal(ord("{"))
                    i += 1
                else:
                    lo, hi, after = parsed
                    if lo < 0 or lo > _MAX_REPEAT or hi > _MAX_REPEAT or (hi >= 0 and lo > hi):
                        raise GoRegexpError("invalid repeat count", s[i:after])
                    after = self.repeat("repeat", lo, hi, i, after, last_repeat)
                    repeat, i = i, after
            elif c == "\\":
                i = self.backslash(i)
            else:
                self.literal(ord(c))
                i += 1
            last_repeat = repeat
        if len(self.frames) != 1:
            raise GoRegexpError("missing closing )", s)
        root = self.frames[0]
        root.alternatives.append(_concat(root.items))
        return _alternate(root.alternatives)

    def literal(self, char: int) -> None:
        self.push(_Node("lit", flags=self.flags, char=char))

    def repeat(self, op: str, lo: int, hi: int, start: int, after: int, last_repeat: int) -> int:
        flags = self.flags
        if after < len(self.s) and self.s[after] == "?":
            after += 1
            flags ^= NONGREEDY
        if last_repeat >= 0:
            raise GoRegexpError("invalid nested repetition operator", self.s[last_repeat:after])
        if not self.items:
            raise GoRegexpError("missing argument to repetition operator", self.s[start:after])
        node = _Node(op, flags=flags, subs=[self.items[-1]], min=lo, max=hi)
        self.items[-1] = node
        if op == "repeat" and (lo >= 2 or hi >= 2) and not _repeat_valid(node, _MAX_REPEAT):
            raise GoRegexpError("invalid repeat count", self.s[start:after])
        return after

    def parse_repeat(self, i: int) -> tuple[int, int, int] | None:
        """{n}, {n,} or {n,m} at s[i]: (min, max (-1 for none), index after), min -1 when too big."""
        s = self.s
        j = i + 1
        lo, j = _parse_int(s, j)
        if lo is None or j >= len(s):
            return None
        if s[j] != ",":
            hi = lo
        else:
            j += 1
            if j >= len(s):
                return None
            if s[j] == "}":
                hi = -1
            else:
                parsed, j = _parse_int(s, j)
                if parsed is None:
                    return None
                hi = parsed
                if hi < 0:
                    lo = -1
        if j >= len(s) or s[j] != "}":
            return None
        return lo, hi, j + 1

    def perl_flags(self, i: int) -> int:
        s = self.s
        t = s[i:]
        starts_with_p = len(t) > 4 and t[2] == "P" and t[3] == "<"
        starts_with_name = len(t) > 3 and t[2] == "<"
        if starts_with_p or starts_with_name:
            expr_start = 4 if starts_with_p else 3
            end = t.find(">")
            if end < 0:
                raise GoRegexpError("invalid named capture", t)
            name = t[expr_start:end]
            if not name or not all(ch == "_" or ch.isascii() and ch.isalnum() for ch in name):
                raise GoRegexpError("invalid named capture", t[:end + 1])
            self.ncap += 1
            self.names.append(name)
            self.frames.append(_Frame(self.flags, cap=self.ncap, name=name))
            return i + end + 1
        flags = self.flags
        sign = 1
        saw_flag = False
        j = i + 2
        while j < len(s):
            c = s[j]
            j += 1
            if c in "imsU":
                bit = {"i": FOLD, "m": ONELINE, "s": DOTNL, "U": NONGREEDY}[c]
                if (sign > 0) != (c == "m"):
                    flags |= bit
                else:
                    flags &= ~bit
                saw_flag = True
            elif c == "-":
                if sign < 0:
                    break
                sign = -1
                saw_flag = False
            elif c in ":)":
                if sign < 0 and not saw_flag:
                    break
                if c == ":":
                    self.frames.append(_Frame(self.flags, is_group=False))
                self.flags = flags
                return j
            else:
                break
        raise GoRegexpError("invalid or unsupported Perl syntax", s[i:j])

    def right_paren(self) -> None:
        if len(self.frames) < 2:
            raise GoRegexpError("unexpected )", self.s)
        frame = self.frames.pop()
        frame.alternatives.append(_concat(frame.items))
        node = _alternate(frame.alternatives)
        self.flags = frame.flags
        if frame.cap:
            node = _Node("cap", subs=[node], cap=frame.cap)
        self.push(node)

    def backslash(self, i: int) -> int:
        s = self.s
        if i + 1 < len(s):
            c = s[i + 1]
            simple = {"A": "bot", "b": "wordb", "B": "nowordb", "z": "eot"}.get(c)
            if simple:
                self.push(_Node(simple))
                return i + 2
            if c == "C":
                raise GoRegexpError("invalid escape sequence", s[i:i + 2])
            if c == "Q":
                end = s.find("\\E", i + 2)
                literal = s[i + 2:] if end < 0 else s[i + 2:end]
                for ch in literal:
                    self.literal(ord(ch))
                return len(s) if end < 0 else end + 2
            if c in "pP":
                ranges, props, after = self.unicode_class(i)
                self.push(_Node("class", flags=self.flags, ranges=ranges, props=props))
                return after
            if c in "dswDSW":
                ranges = _group(_PERL_GROUPS[c.lower()], c.isupper(), self.flags)
                self.push(_Node("class", flags=self.flags, ranges=ranges))
                return i + 2
        char, after = self.escape(i)
        self.literal(char)
        return after

    def escape(self, i: int) -> tuple[int, int]:
        """Go's parseEscape for the backslash at s[i]: (rune, index after)."""
        s = self.s
        j = i + 1
        if j >= len(s):
            raise GoRegexpError("trailing backslash at end of expression", "")
        c = s[j]
        j += 1
        if c < "\x80" and not c.isalnum():
            return ord(c), j
        if c in "1234567" and j < len(s) and "0" <= s[j] <= "7" or c == "0":
            value = ord(c) - 0x30
            for _ in range(2):
                if j >= len(s) or not "0" <= s[j] <= "7":
                    break
                value = value * 8 + ord(s[j]) - 0x30
                j += 1
            return value, j
        if c == "x" and j < len(s):
            c = s[j]
            j += 1
            if c == "{":
                digits = 0
                value = 0
                while j < len(s):
                    c = s[j]
                    j += 1
                    if c == "}":
                        if digits:
                            return value, j
                        break
                    digit = _unhex(c)
                    if digit < 0:
                        break
                    value = value * 16 + digit
                    if value > MAX_RUNE:
                        break
                    digits += 1
            else:
                high = _unhex(c)
                low = _unhex(s[j]) if j < len(s) else -1
                j = min(j + 1, len(s))
                if high >= 0 and low >= 0:
                    return high * 16 + low, j
        elif c in "afnrtv":
            return ord({"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}[c]), j
        raise GoRegexpError("invalid escape sequence", s[i:j])

    def unicode_class(self, i: int) -> tuple[list[tuple[int, int]], list[str], int]:
        """Go's parseUnicodeClass at s[i] (a \\p or \\P): (ranges, `regex` properties, index after)."""
        s = self.s
        sign = -1 if s[i + 1] == "P" else 1
        j = i + 2
        if j >= len(s):
            raise GoRegexpError("invalid character class range", s[i:])
        if s[j] != "{":
            seq, name, after = s[i:j + 1], s[j], j + 1
        else:
            end = s.find("}", i)
            if end < 0:
                raise GoRegexpError("invalid character class range", s[i:])
            seq, name, after = s[i:end + 1], s[j + 1:end], end + 1
        if name.startswith("^"):
            sign, name = -sign, name[1:]
        table = _unicode_table(name)
        if table is None:
            raise GoRegexpError("invalid character class range", seq)
        ranges, prop, table_sign = table
        if table_sign < 0:
            sign = -sign
        if prop:
            return [], [("\\p{" if sign > 0 else "\\P{") + prop + "}"], after
        return (ranges if sign > 0 else _negate(_group(ranges, False, self.flags))), [], after

    def parse_class(self, i: int) -> int:
        s = self.s
        whole = s[i:]
        j = i + 1
        negated = False
        if j < len(s) and s[j] == "^":
            negated = True
            j += 1
        ranges: list[tuple[int, int]] = []
        props: list[str] = []
        first = True
        while j >= len(s) or s[j] != "]" or first:
            first = False
            if s.startswith("[:", j) and len(s) - j > 2:
                end = s.find(":]", j + 2)
                if end >= 0:
                    name = s[j:end + 2]
                    body = name[2:-2]
                    group_negated = body.startswith("^")
                    group = _POSIX_GROUPS.get(body[1:] if group_negated else body)
                    if group is None:
                        raise GoRegexpError("invalid character class range", name)
                    ranges += _group(group, group_negated, self.flags)
                    j = end + 2
                    continue
            if s.startswith(("\\p", "\\P"), j):
                more, more_props, j = self.unicode_class(j)
                ranges += more
                props += more_props
                continue
            if j + 1 < len(s) and s[j] == "\\" and s[j + 1] in "dswDSW":
                ranges += _group(_PERL_GROUPS[s[j + 1].lower()], s[j + 1].isupper(), self.flags)
                j += 2
                continue
            start = j
            lo, j = self.class_char(j, whole)
            hi = lo
            if j + 1 < len(s) and s[j] == "-" and s[j + 1] != "]":
                hi, j = self.class_char(j + 1, whole)
                if hi < lo:
                    raise GoRegexpError("invalid character class range", s[start:j])
            ranges.append((lo, hi))
        self.push(_Node("class", flags=self.flags, ranges=_clean(ranges), props=props, negated=negated))
        return j + 1

    def class_char(self, j: int, whole: str) -> tuple[int, int]:
        if j >= len(self.s):
            raise GoRegexpError("missing closing ]", whole)
        if self.s[j] == "\\":
            return self.escape(j)
        return ord(self.s[j]), j + 1


def _parse_int(s: str, j: int) -> tuple[int | None, int]:
    """Go's parseInt: digits without a leading zero; -1 for a value of 10^8 or more."""
    if j >= len(s) or not "0" <= s[j] <= "9":
        return None, j
    if s[j] == "0" and j + 1 < len(s) and "0" <= s[j + 1] <= "9":
        return None, j
    start = j
    while j < len(s) and "0" <= s[j] <= "9":
        j += 1
    digits = s[start:j]
    return (int(digits) if len(digits) <= 8 and int(digits) < 10**8 else -1), j


def _unhex(c: str) -> int:
    if "0" <= c <= "9":
        return ord(c) - 0x30
    if "a" <= c <= "f":
        return ord(c) - 0x57
    if "A" <= c <= "F":
        return ord(c) - 0x37
    return -1


def _concat(items: list[_Node]) -> _Node:
    if not items:
        return _Node("empty")
    return items[0] if len(items) == 1 else _Node("concat", subs=list(items))


def _alternate(alternatives: list[_Node]) -> _Node:
    return alternatives[0] if len(alternatives) == 1 else _Node("alt", subs=list(alternatives))


def _repeat_valid(node: _Node, n: int) -> bool:
    """Go's repeatIsValid: nested counted repetitions multiply to at most n copies."""
    if node.op == "repeat":
        m = node.max
        if m == 0:
            return True
        if m < 0:
            m = node.min
        if m > n:
            return False
        if m > 0:
            n //= m
    return all(_repeat_valid(sub, n) for sub in node.subs)


def _walk(node: _Node) -> Iterator[tuple[_Node, int]]:
    """Every node with its depth (1 for the root), without recursion."""
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        yield current, depth
        stack.extend((sub, depth + 1) for sub in current.subs)


def _size(node: _Node) -> int:
    """Go's calcSize: the number of instructions the compiled program would have."""
    if node.op == "lit":
        size = 1
    elif node.op in ("cap", "star"):
        size = 2 + _size(node.subs[0])
    elif node.op in ("plus", "quest"):
        size = 1 + _size(node.subs[0])
    elif node.op == "concat":
        size = sum(_size(sub) for sub in node.subs)
    elif node.op == "alt":
        size = sum(_size(sub) for sub in node.subs) + len(node.subs) - 1
    elif node.op == "repeat":
        sub = _size(node.subs[0])
        if node.max == -1:
            size = 2 + sub if node.min == 0 else 1 + node.min * sub
        else:
            size = node.max * sub + node.max - node.min
    else:
        size = 1
    return max(1, size)


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


class _Emitter:
    def __init__(self) -> None:
        self.guards = 0

    def emit(self, node: _Node) -> str:
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
            return f"(?P<g{node.cap}>{self.emit(node.subs[0])})"
        if op == "concat":
            return "".join(self.emit(sub) for sub in node.subs)
        if op == "alt":
            return "(?:" + "|".join(self.emit(sub) for sub in node.subs) + ")"
        return self.repetition(node)

    def repetition(self, node: _Node) -> str:
        sub = node.subs[0]
        lazy = "?" if node.flags & NONGREEDY else ""
        op, lo, hi = node.op, node.min, node.max
        if op == "repeat" and hi == -1 and lo <= 1:
            op = "star" if lo == 0 else "plus"
        if op == "quest":
            return f"(?:{self.emit(sub)})?{lazy}"
        nullable = _nullable(sub)
        if op in ("star", "plus"):
            if not nullable:
                return f"(?:{self.emit(sub)}){'*' if op == 'star' else '+'}{lazy}"
            plus = self.guarded_plus(sub, lazy)
            return plus if op == "plus" else f"(?:{plus})?{lazy}"
        if lo == 0 and hi == 0:
            return "(?:)"
        if not nullable:
            count = f"{{{lo}}}" if lo == hi else f"{{{lo},}}" if hi == -1 else f"{{{lo},{hi}}}"
            return f"(?:{self.emit(sub)}){count}{lazy}"
        # Go's simplify: x{n,} = x^(n-1) x+, x{n,m} = x^n (x(x(x)?)?)?
        body = self.emit(sub)
        if hi == -1:
            return body * (lo - 1) + self.guarded_plus(sub, lazy)
        suffix = ""
        for _ in range(hi - lo):
            suffix = f"(?:{body}{suffix})?{lazy}"
        return body * lo + suffix

    def guarded_plus(self, sub: _Node, lazy: str) -> str:
        """x+ for a body that can match empty, as Go runs it: iterations after the first must consume
        text, and an empty first iteration ends the loop."""
        self.guards += 1
        mark = f"m{self.guards}"
        body = self.emit(sub)
        start = rf"(?=(?P<{mark}>[\s\S]*))"
        moved = rf"(?!(?P={mark})\Z)"
        return f"{start}{body}(?:{moved}(?:{start}{body}{moved})*{lazy}){'?' + lazy}"


def _fold(node: _Node, text: str) -> str:
    return f"(?i:{text})" if node.flags & FOLD else text


def _class(node: _Node) -> str:
    parts = [f"{_char(lo)}-{_char(hi)}" if hi > lo else _char(lo) for lo, hi in node.ranges] + node.props
    if not parts:  # the empty class: nothing, or (negated) anything
        return _ANY if node.negated else "(?!)"
    return "[" + ("^" if node.negated else "") + "".join(parts) + "]"


def _nullable(node: _Node) -> bool:
    """Whether the node can match the empty string (Go's compiler `frag.nullable`)."""
    op = node.op
    if op in ("lit", "class", "any"):
        return False
    if op in ("cap", "plus"):
        return _nullable(node.subs[0])
    if op == "concat":
        return all(_nullable(sub) for sub in node.subs)
    if op == "alt":
        return any(_nullable(sub) for sub in node.subs)
    if op == "repeat":
        return node.min == 0 or _nullable(node.subs[0])
    return True  # empty, assertions, star, quest


# -- the compiled expression -----------------------------------------------------------------------


@dataclass(frozen=True)
class GoRegexp:
    """A Go regexp: `names` are Go's SubexpNames without the whole match ("" for unnamed groups)."""

    source: str
    names: tuple[str, ...]
    compiled: regex.Pattern[str]

    def match_at(self, text: str, pos: int) -> list[tuple[int, int]] | None:
        """The leftmost-first match at or after `pos`: spans of the match and of each group, (-1, -1)
        for a group that did not participate; None when there is no match."""
        try:
            found = self.compiled.search(text, pos, timeout=TIMEOUT)
        except TimeoutError as error:
            raise RegexpTimeout(f"matching the pattern {self.source!r} took more than {TIMEOUT:g} seconds; "
                                "iac's regexp engine backtracks where Terraform's is linear") from error
        if found is None:
            return None
        return [found.span()] + [found.span(f"g{index}") for index in range(1, len(self.names) + 1)]

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
    """Parse `pattern` as Go's regexp.Compile does and build the `regex` pattern that matches alike.
    Raises GoRegexpError with Go's error code and fragment."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * _MAX_HEIGHT + 200))  # trees nest up to _MAX_HEIGHT levels
    try:
        parser = _Parser(pattern)
        tree = parser.parse()
        if max(depth for _, depth in _walk(tree)) > _MAX_HEIGHT:
            raise GoRegexpError("expression nests too deeply", pattern)
        if _size(tree) > _MAX_SIZE:
            raise GoRegexpError("expression too large", pattern)
        emitted = _Emitter().emit(tree)
    finally:
        sys.setrecursionlimit(limit)
    return GoRegexp(pattern, tuple(parser.names), regex.compile(emitted))

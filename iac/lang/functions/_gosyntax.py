"""Go's regexp/syntax parser (Perl flags, as regexp.Compile uses it), for `_goregexp`.

A pattern is parsed as Go parses it — same errors, in the same order, with Go's wording and fragment
(`missing closing ): ...`) — into a small tree, checked against Go's limits (repeat counts up to 1000,
also multiplied through nesting; nesting depth; program size), and simplified as Go's `Simplify` does
before compiling (`x{2,3}` = `xx(x)?`). Unicode class names follow Go 1.25 (`\\p{Letter}`,
`\\p{greek}`, `\\p{Assigned}`; multi-word scripts such as `\\p{Old_Italic}` are not found by that
version's lookup, so they are errors in Terraform 1.15 and here).

"expression nests too deeply" is judged on this tree, whose height can differ from Go's by a level or two
near the limit of 1000.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["DOTNL", "FOLD", "NONGREEDY", "GoRegexpError", "Node", "nullable", "parse", "simplify"]

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


# parse flags (Go's syntax.Flags, the ones Perl mode can change)
FOLD, DOTNL, ONELINE, NONGREEDY = 1, 2, 4, 8
_PERL_DEFAULT = ONELINE

# -- the tree --------------------------------------------------------------------------------------


@dataclass
class Node:
    op: str
    """lit, class, any, bol, eol, bot, eot, wordb, nowordb, empty, cap, concat, alt, star, plus, quest,
    repeat."""
    flags: int = 0
    char: int = 0
    ranges: list[tuple[int, int]] = field(default_factory=list)
    props: list[str] = field(default_factory=list)
    negated: bool = False
    subs: list[Node] = field(default_factory=list)
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
    alternatives: list[Node] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.s = pattern
        self.flags = _PERL_DEFAULT
        self.frames = [_Frame(self.flags, is_group=False)]
        self.ncap = 0
        self.names: list[str] = []

    @property
    def items(self) -> list[Node]:
        return self.frames[-1].items

    def push(self, node: Node) -> None:
        self.items.append(node)

    def parse(self) -> Node:
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
                self.push(Node("bot" if self.flags & ONELINE else "bol"))
                i += 1
            elif c == "$":
                self.push(Node("eot" if self.flags & ONELINE else "eol"))
                i += 1
            elif c == ".":
                self.push(Node("any", flags=self.flags))
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
        self.push(Node("lit", flags=self.flags, char=char))

    def repeat(self, op: str, lo: int, hi: int, start: int, after: int, last_repeat: int) -> int:
        flags = self.flags
        if after < len(self.s) and self.s[after] == "?":
            after += 1
            flags ^= NONGREEDY
        if last_repeat >= 0:
            raise GoRegexpError("invalid nested repetition operator", self.s[last_repeat:after])
        if not self.items:
            raise GoRegexpError("missing argument to repetition operator", self.s[start:after])
        node = Node(op, flags=flags, subs=[self.items[-1]], min=lo, max=hi)
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
            node = Node("cap", subs=[node], cap=frame.cap)
        self.push(node)

    def backslash(self, i: int) -> int:
        s = self.s
        if i + 1 < len(s):
            c = s[i + 1]
            simple = {"A": "bot", "b": "wordb", "B": "nowordb", "z": "eot"}.get(c)
            if simple:
                self.push(Node(simple))
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
                self.push(Node("class", flags=self.flags, ranges=ranges, props=props))
                return after
            if c in "dswDSW":
                ranges = _group(_PERL_GROUPS[c.lower()], c.isupper(), self.flags)
                self.push(Node("class", flags=self.flags, ranges=ranges))
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
        self.push(Node("class", flags=self.flags, ranges=_clean(ranges), props=props, negated=negated))
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


def _concat(items: list[Node]) -> Node:
    if not items:
        return Node("empty")
    return items[0] if len(items) == 1 else Node("concat", subs=list(items))


def _alternate(alternatives: list[Node]) -> Node:
    return alternatives[0] if len(alternatives) == 1 else Node("alt", subs=list(alternatives))


def _repeat_valid(node: Node, n: int) -> bool:
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


def _walk(node: Node) -> Iterator[tuple[Node, int]]:
    """Every node with its depth (1 for the root), without recursion."""
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        yield current, depth
        stack.extend((sub, depth + 1) for sub in current.subs)


def _size(node: Node) -> int:
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


def nullable(node: Node) -> bool:
    """Whether the node can match the empty string (Go's compiler `frag.nullable`)."""
    op = node.op
    if op in ("lit", "class", "any"):
        return False
    if op in ("cap", "plus"):
        return nullable(node.subs[0])
    if op == "concat":
        return all(nullable(sub) for sub in node.subs)
    if op == "alt":
        return any(nullable(sub) for sub in node.subs)
    if op == "repeat":
        return node.min == 0 or nullable(node.subs[0])
    return True  # empty, assertions, star, quest


def parse(pattern: str) -> tuple[Node, tuple[str, ...]]:
    """The tree of a Go pattern and its group names (Go's SubexpNames without the whole match; "" for
    unnamed groups). Raises GoRegexpError as regexp.Compile fails. Deep trees need a recursion limit of
    a few thousand (the caller raises it)."""
    parser = _Parser(pattern)
    tree = parser.parse()
    if max(depth for _, depth in _walk(tree)) > _MAX_HEIGHT:
        raise GoRegexpError("expression nests too deeply", pattern)
    if _size(tree) > _MAX_SIZE:
        raise GoRegexpError("expression too large", pattern)
    return tree, tuple(parser.names)


def simplify(node: Node) -> Node:
    """Go's Regexp.Simplify: counted repetitions become copies (`x{2,}` = `xx+`, `x{2,4}` =
    `xx(x(x)?)?`), `x**` becomes `x*`; a new tree, the given one is left alone."""
    op = node.op
    if op in ("cap", "concat", "alt"):
        return Node(op, flags=node.flags, subs=[simplify(sub) for sub in node.subs], cap=node.cap)
    if op in ("star", "plus", "quest"):
        return _simplify1(op, node.flags, simplify(node.subs[0]))
    if op != "repeat":
        return node
    if node.min == 0 and node.max == 0:
        return Node("empty")
    sub = simplify(node.subs[0])
    if node.max == -1:
        if node.min == 0:
            return _simplify1("star", node.flags, sub)
        if node.min == 1:
            return _simplify1("plus", node.flags, sub)
        return Node("concat", subs=[sub] * (node.min - 1) + [_simplify1("plus", node.flags, sub)])
    if node.min == 1 and node.max == 1:
        return sub
    prefix = [sub] * node.min
    if node.max > node.min:
        suffix = _simplify1("quest", node.flags, sub)
        for _ in range(node.min + 1, node.max):
            suffix = _simplify1("quest", node.flags, Node("concat", subs=[sub, suffix]))
        prefix.append(suffix)
    return prefix[0] if len(prefix) == 1 else Node("concat", subs=prefix)


def _simplify1(op: str, flags: int, sub: Node) -> Node:
    if sub.op == "empty":  # repeating the empty string matches it once
        return sub
    if sub.op == op and (flags & NONGREEDY) == (sub.flags & NONGREEDY):  # x** is x*
        return sub
    return Node(op, flags=flags, subs=[sub])

"""Extended grapheme clusters as Terraform counts "characters" (go-textseg v15, Unicode 15.0 rules).

`strrev`, `substr`, `format`'s widths and precisions (and `length` of a string) work on grapheme clusters,
not code points: `strrev("🇺🇸🇫🇷")` keeps each flag whole. Terraform scans them with
apparentlymart/go-textseg/v15, which implements UAX #29 of Unicode 15.0 — *without* the Indic conjunct
rule GB9c that Unicode 15.1 added, so `क्ष` is two clusters in Terraform (checked against Terraform 1.15).
That is why this module applies the rules itself instead of using the `regex` module's `\\X`, which
follows a newer Unicode and joins conjuncts.

The properties (Grapheme_Cluster_Break, Extended_Pictographic) come from the `regex` module, whose tables
are newer than Unicode 15.0: characters assigned after 15.0 may segment differently (Terraform sees them
as unassigned, class Other). Python's own `unicodedata` has neither property. Every code point Python
3.11 knows was checked against Terraform's `strrev` next to nine kinds of neighbours; the one property
that changed since 15.0 is pinned below. Not reproduced: go-textseg v15 splits a few sequences inside a
UTF-8 character (U+FFFD, some variation selectors and tags after a lone combining mark), so Terraform's
`strrev` garbles them; iac keeps such characters whole.
"""

from __future__ import annotations

import regex

__all__ = ["grapheme_clusters", "grapheme_count"]

_CR, _LF, _CONTROL, _EXTEND, _ZWJ, _RI, _PREPEND, _SPACING, _L, _V, _T, _LV, _LVT, _OTHER = range(14)

_CLASSES = regex.compile(
    r"(?P<c0>\r)|(?P<c1>\n)|(?P<c2>\p{GCB=Control})|(?P<c3>\p{GCB=Extend})|(?P<c4>\p{GCB=ZWJ})"
    r"|(?P<c5>\p{GCB=Regional_Indicator})|(?P<c6>\p{GCB=Prepend})|(?P<c7>\p{GCB=SpacingMark})"
    r"|(?P<c8>\p{GCB=L})|(?P<c9>\p{GCB=V})|(?P<c10>\p{GCB=T})|(?P<c11>\p{GCB=LV})|(?P<c12>\p{GCB=LVT})")
_PICTOGRAPHIC = regex.compile(r"\p{Extended_Pictographic}")
_CACHE: dict[str, tuple[int, bool]] = {
    "\U00011a3a": (_PREPEND, False),  # Prepend in Unicode 15.0 (and in Terraform); Other in newer tables
}


def _props(char: str) -> tuple[int, bool]:
    found = _CACHE.get(char)
    if found is None:
        match = _CLASSES.match(char)
        kind = int(match.lastgroup[1:]) if match and match.lastgroup else _OTHER
        found = _CACHE[char] = (kind, _PICTOGRAPHIC.match(char) is not None)
    return found


_BREAK_AFTER = (_CONTROL, _CR, _LF)
_HANGUL_AFTER_L = (_L, _V, _LV, _LVT)


def _joined(prev: int, cur: int, cur_pict: bool, emoji_zwj: bool, ri_run: int) -> bool:
    """Whether UAX #29 (15.0) forbids a break between two characters of these classes (GB3-GB13)."""
    if prev == _CR and cur == _LF:  # GB3
        return True
    if prev in _BREAK_AFTER or cur in _BREAK_AFTER:  # GB4, GB5
        return False
    if prev == _L and cur in _HANGUL_AFTER_L:  # GB6
        return True
    if prev in (_LV, _V) and cur in (_V, _T):  # GB7
        return True
    if prev in (_LVT, _T) and cur == _T:  # GB8
        return True
    if cur in (_EXTEND, _ZWJ, _SPACING) or prev == _PREPEND:  # GB9, GB9a, GB9b
        return True
    if prev == _ZWJ and cur_pict and emoji_zwj:  # GB11
        return True
    return prev == _RI and cur == _RI and ri_run % 2 == 1  # GB12, GB13


def grapheme_clusters(text: str) -> list[str]:
    """`text` split into extended grapheme clusters, as go-textseg v15 scans them."""
    if text.isascii():  # every ASCII character is its own cluster, except CR LF
        if "\r\n" not in text:
            return list(text)
        return _ascii_clusters(text)
    clusters: list[str] = []
    start = 0
    prev, prev_pict = _props(text[0])
    pict_run = prev_pict  # inside ExtPict Extend*
    emoji_zwj = False  # the previous character is a ZWJ that follows ExtPict Extend*
    ri_run = 1 if prev == _RI else 0
    for index in range(1, len(text)):
        cur, cur_pict = _props(text[index])
        if not _joined(prev, cur, cur_pict, emoji_zwj, ri_run):
            clusters.append(text[start:index])
            start = index
        emoji_zwj = cur == _ZWJ and pict_run
        pict_run = cur_pict or (pict_run and cur == _EXTEND)
        ri_run = ri_run + 1 if cur == _RI else 0
        prev = cur
    clusters.append(text[start:])
    return clusters


def _ascii_clusters(text: str) -> list[str]:
    out: list[str] = []
    index = 0
    while index < len(text):
        if text.startswith("\r\n", index):
            out.append("\r\n")
            index += 2
        else:
            out.append(text[index])
            index += 1
    return out


def grapheme_count(text: str) -> int:
    """The number of grapheme clusters in `text` (Terraform's `length` of a string)."""
    if text.isascii():
        return len(text) - text.count("\r\n")
    return len(grapheme_clusters(text))

"""The known prefix of a string not known yet, as Terraform keeps it (a cty string-prefix refinement).

A template whose result is unknown (`"arn:aws:s3:::${aws_s3_bucket.b.id}"`) still has a known beginning: HCL
refines the unknown string with the text before its first unknown part (at most 128 bytes), and cty keeps
only the part that text appended later cannot change (`ctystrings.SafeKnownPrefix`): after NFC
normalization, a trailing character that could compose with what follows is cut (`e` may become `é`), and
so is a last grapheme cluster that could still grow, unless it is one of a few delimiters (`-`, `:`, `/`...).
`startswith` and `==` answer from it: `startswith("ab-${x}", "ab")` is a known true, `"ab-${x}" == "zz"` a
known false, as in Terraform.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata

from iac.lang._nfc_data import COMPOSES_BACKWARD, COMPOSES_FORWARD
from iac.lang.functions._textseg import grapheme_clusters

__all__ = ["MAX_PREFIX_BYTES", "safe_known_prefix", "template_prefix"]

MAX_PREFIX_BYTES = 128
"""HCL keeps at most this many bytes of a template's known beginning."""

_DELIMITERS = frozenset("-_:;/\\,.(){}[]|?!~ \t@#$%^&*+\"'")
"""Single characters that always end a grapheme cluster (cty's `sequenceMustEndGraphemeCluster`)."""


def template_prefix(known: str) -> str:
    """The refinement of an unknown template result whose known beginning is `known`."""
    data = known.encode("utf-8")
    if len(data) <= MAX_PREFIX_BYTES:
        return safe_known_prefix(known)
    cut = data[:MAX_PREFIX_BYTES].decode("utf-8", "ignore")
    split_rune = len(cut.encode("utf-8")) < MAX_PREFIX_BYTES
    return safe_known_prefix(cut, ends_mid_character=split_rune)


def safe_known_prefix(prefix: str, *, ends_mid_character: bool = False) -> str:
    """cty's `SafeKnownPrefix`: the part of `prefix` no appended text can change. `ends_mid_character`: the
    prefix was cut inside a character (dropped here), and then only the normalization rule applies."""
    prefix = unicodedata.normalize("NFC", prefix)
    boundary = _last_boundary(prefix)
    if boundary != -1 and (boundary != len(prefix) or ends_mid_character):
        return prefix[:boundary]
    if not prefix:
        return ""
    last = _last_cluster(prefix)
    if len(last) == 1 and last in _DELIMITERS:
        return prefix
    return prefix[:len(prefix) - len(last)]


def _last_cluster(text: str) -> str:
    if text.isascii():  # every ASCII character is a cluster of its own, but CR LF: no list of them all
        return "\r\n" if text.endswith("\r\n") else text[-1]
    return grapheme_clusters(text)[-1]


def _last_boundary(text: str) -> int:
    """Go's `norm.NFC.LastBoundary`: the end when the last character can join nothing after it, else where the
    last starter begins (-1 without one)."""
    if not text:
        return -1
    if _inert(text[-1]):
        return len(text)
    for index in range(len(text) - 1, -1, -1):
        if _starter(text[index]):
            return index
    return -1


@functools.cache
def _inert(char: str) -> bool:
    """Neither combining, nor composing with a neighbour, nor changed by NFC, nor with a canonical
    decomposition (`é`; a Hangul syllable decomposes by rule, which does not count): x/text's `isInert`."""
    code = ord(char)
    decomposition = unicodedata.decomposition(char)
    return (unicodedata.combining(char) == 0 and not _in(code, COMPOSES_FORWARD) and not _in(code, COMPOSES_BACKWARD)
            and not _hangul_composes(code) and unicodedata.normalize("NFC", char) == char
            and (not decomposition or decomposition.startswith("<")))


@functools.cache
def _starter(char: str) -> bool:
    """Its decomposition begins with a character of combining class 0."""
    return unicodedata.combining(unicodedata.normalize("NFD", char)[0]) == 0


def _hangul_composes(code: int) -> bool:
    """Hangul composes by rule: leading consonants and LV syllables with what follows, vowels and trailing
    consonants with what precedes."""
    if 0x1100 <= code <= 0x1112 or 0x1161 <= code <= 0x1175 or 0x11A8 <= code <= 0x11C2:
        return True
    return 0xAC00 <= code <= 0xD7A3 and (code - 0xAC00) % 28 == 0


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    index = bisect.bisect_right(ranges, (code, 0x10FFFF)) - 1
    return index >= 0 and ranges[index][0] <= code <= ranges[index][1]

"""Group identical changes repeated across resources or workspaces: `+ databricks_cluster_policy.*_jobs x50`.

Two changes belong together when they have the same type and actions, their addresses differ only in
one run of words (the workspace or team part, replaced by `*`), and their diffs are identical once that
run is replaced by `*` in the diff text too (`name = "team_07 jobs"` and `name = "team_08 jobs"` both
read `name = "* jobs"`).

How: every change proposes one candidate key per run of up to four consecutive words of its address
outside the resource type; the biggest candidate groups are taken first. Ties prefer a longer run, then
an earlier one, so `team_07_jobs` groups as `*_jobs` rather than `team_*_jobs`; a name replaced whole
(`databricks_catalog.*`, the type stays) comes last among equal groups. A greedy choice is not
always the smallest cover, but it is deterministic and linear in the number of changes.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence

import msgspec

__all__ = ["Entry", "Group", "group_entries"]

_WORD = re.compile(r"[A-Za-z0-9]+")
_MAX_RUN = 4
MIN_GROUP = 2


class Entry(msgspec.Struct, frozen=True):
    """One resource change as the Markdown renderer shows it: header text plus diff lines."""

    address: str
    type: str
    mode: str
    module_address: str
    actions: tuple[str, ...]
    header: str
    lines: tuple[str, ...]


class Group(msgspec.Struct, frozen=True):
    """Changes shown as one: `members` in plan order; `pattern`, `header` and `lines` with `*` substituted.

    A group of one is a plain resource change: its pattern is its address and nothing is substituted.
    """

    members: tuple[Entry, ...]
    pattern: str
    header: str
    lines: tuple[str, ...]


def group_entries(entries: Sequence[Entry]) -> list[Group]:
    """Partition `entries` into groups (singletons included), ordered by their first member."""
    candidates: dict[tuple[str, str, str, str, str], list[int]] = defaultdict(list)
    ranks: dict[tuple[str, str, str, str, str], tuple[int, int, str]] = {}
    for index, entry in enumerate(entries):
        for pattern, value, words, start in _runs(entry):
            key = (entry.type, entry.mode, " ".join(entry.actions), pattern, _digest(entry, value))
            candidates[key].append(index)
            ranks[key] = (words, start, pattern)
    order = sorted(candidates, key=lambda k: (-len(candidates[k]), -ranks[k][0], ranks[k][1], ranks[k][2], k))
    taken: dict[int, Group] = {}
    for key in order:
        free = [i for i in candidates[key] if i not in taken]
        if len(free) < MIN_GROUP:
            continue
        first = entries[free[0]]
        value = _value_of(first, key[3])
        group = Group(
            members=tuple(entries[i] for i in free),
            pattern=key[3],
            header=_substitute(first.header, value),
            lines=tuple(_substitute(line, value) for line in first.lines),
        )
        for i in free:
            taken[i] = group
    out: list[Group] = []
    seen: set[int] = set()
    for index, entry in enumerate(entries):
        group = taken.get(index) or Group((entry,), entry.address, entry.header, entry.lines)
        if id(group) not in seen:
            seen.add(id(group))
            out.append(group)
    return out


def _runs(entry: Entry) -> list[tuple[str, str, int, int]]:
    """(pattern, replaced text, word count, start) for each run of words that may vary."""
    address = entry.address
    fixed = f"{entry.module_address}." if entry.module_address else ""
    fixed += ("data." if entry.mode == "data" else "") + f"{entry.type}."
    if not address.startswith(fixed):
        return []  # not an address we can take apart: shown on its own
    zones = [(0, len(entry.module_address)), (len(fixed), len(address))]
    words = [[m.span() for m in _WORD.finditer(address, lo, hi)] for lo, hi in zones]
    total = sum(len(w) for w in words)
    out = []
    for spans in words:
        for i in range(len(spans)):
            for j in range(i, min(i + _MAX_RUN, len(spans))):
                lo, hi = spans[i][0], spans[j][1]
                # A run that is the whole name (`databricks_catalog.*`) ranks below any that keeps a word.
                weight = 0 if j - i + 1 == total else j - i + 1
                out.append((address[:lo] + "*" + address[hi:], address[lo:hi], weight, lo))
    return out


def _value_of(entry: Entry, pattern: str) -> str:
    star = pattern.index("*")
    return entry.address[star : len(entry.address) - (len(pattern) - star - 1)]


def _variants(value: str) -> list[str]:
    return sorted({value, value.replace("_", "-"), value.replace("_", " "), value.replace("-", "_")}, key=lambda v: (-len(v), v))


def _substitute(text: str, value: str) -> str:
    for variant in _variants(value):
        text = text.replace(variant, "*")
    return text


def _digest(entry: Entry, value: str) -> str:
    text = _substitute("\n".join((entry.header, *entry.lines)), value)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

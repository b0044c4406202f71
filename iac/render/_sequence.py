"""Sequences diffed element by element through their longest common subsequence, exactly as
Terraform's plan renderer pairs list elements and heredoc lines (ties broken the same way)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def longest_common_subsequence(xs: Sequence[T], ys: Sequence[T], equals: Callable[[T, T], bool]) -> list[T]:
    """Terraform's `objchange.LongestCommonSubsequence` (the same table walk, so the same answer
    when several subsequences are longest)."""
    if not xs or not ys:
        return []
    width = len(xs)
    table = [0] * (len(xs) * len(ys))
    eqs = [False] * (len(xs) * len(ys))
    for y in range(len(ys)):
        for x in range(len(xs)):
            cell = width * y + x
            if equals(xs[x], ys[y]):
                eqs[cell] = True
                table[cell] = 1 if x == 0 or y == 0 else table[width * (y - 1) + x - 1] + 1
            else:
                left = table[cell - 1] if x > 0 else 0
                up = table[cell - width] if y > 0 else 0
                table[cell] = left if left > up else up
    seq: list[Any] = [None] * table[-1]
    x, y, i = len(xs) - 1, len(ys) - 1, len(seq) - 1
    while x > -1 and y > -1:
        cell = width * y + x
        if eqs[cell]:
            seq[i] = xs[x]
            x, y, i = x - 1, y - 1, i - 1
        else:
            left = table[cell - 1] if x > 0 else 0
            up = table[cell - width] if y > 0 else 0
            if left > up:
                x -= 1
            else:
                y -= 1
    return seq


def process_slice(
    before: Sequence[T],
    after: Sequence[T],
    process: Callable[[int, int], None],
    is_object: Callable[[T], bool],
    equals: Callable[[T, T], bool],
) -> None:
    """Call `process(before_ix, after_ix)` for every pairing: removed elements get
    `after_ix == len(after)`, added ones `before_ix == len(before)`; a removed object facing an
    added object is paired with it (shown as an update of that element). Sequences of the same
    length that are not a reordering of each other are paired position by position."""
    if len(before) == len(after) and not _is_reorder(before, after, equals):
        for ix in range(len(before)):
            process(ix, ix)
        return
    lcs = longest_common_subsequence(before, after, equals)
    b = a = k = 0
    while b < len(before) or a < len(after) or k < len(lcs):
        while b < len(before) and (k >= len(lcs) or not equals(before[b], lcs[k])):
            paired = is_object(before[b]) and a < len(after) and is_object(after[a]) and (
                k >= len(lcs) or not equals(after[a], lcs[k]))
            if paired:
                process(b, a)
                b, a = b + 1, a + 1
                continue
            process(b, len(after))
            b += 1
        while a < len(after) and (k >= len(lcs) or not equals(after[a], lcs[k])):
            process(len(before), a)
            a += 1
        if k < len(lcs):
            process(b, a)
            b, a, k = b + 1, a + 1, k + 1


def _is_reorder(before: Sequence[T], after: Sequence[T], equals: Callable[[T, T], bool]) -> bool:
    """Every element of `before` is somewhere in `after` (same length assumed)."""
    return all(any(equals(b, a) for a in after) for b in before)

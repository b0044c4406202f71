"""Cut an environment's Markdown section into PR comments that each fit GitHub's 65,536-character limit.

Rules, in priority order:
1. Nothing outside a `<details>` element is ever dropped: the verdict, summary table, destroys and
   findings come first and are kept whole, spread over more comments if they must be.
2. Cuts fall only on safe boundaries: a blank line outside any code fence and outside any `<details>`
   element. Only a block that is itself too big is cut between lines (a fence is then closed and
   reopened around the cut, so every comment is still valid Markdown).
3. At most `max_comments` comments per environment. `<details>` elements that do not fit are left out,
   and the last comment says how many and points at the full plan artifact; so does a single
   `<details>` element too big for any comment (the last resort).

Sizes are counted in UTF-16 code units, which is never less than GitHub's count of characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["COMMENT_LIMIT", "DEFAULT_MAX_COMMENTS", "Block", "blocks", "part_marker", "parse_marker", "size",
           "split_section"]

COMMENT_LIMIT = 65_536
DEFAULT_MAX_COMMENTS = 10
# Room kept in every comment for its marker, continuation heading, footer and the artifact note.
_RESERVE = 1_000
_MARKER = re.compile(r"^<!-- iac:plan env=(?P<env>[^\s>]+)(?: part=(?P<part>\d+))? -->")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def size(text: str) -> int:
    """Length as GitHub may count it: UTF-16 code units (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def part_marker(environment: str, part: int) -> str:
    """The hidden first line of every comment iac owns: environment and part number."""
    return f"<!-- iac:plan env={environment} part={part} -->"


def parse_marker(body: str) -> tuple[str, int] | None:
    """(environment, part) of a comment body written by iac, or None for anybody else's comment."""
    match = _MARKER.match(body)
    if not match:
        return None
    return match["env"], int(match["part"] or 1)


@dataclass(frozen=True)
class Block:
    """Markdown between two safe boundaries. `optional` blocks (`<details>`) may be left out when space ends."""

    text: str
    optional: bool


def blocks(markdown: str) -> list[Block]:
    """Split Markdown at blank lines that are outside code fences and `<details>` elements."""
    out: list[Block] = []
    current: list[str] = []
    fence: str | None = None
    depth = 0
    for line in markdown.split("\n"):
        if fence is None and depth == 0 and not line.strip():
            _flush(current, out)
            continue
        current.append(line)
        fence, depth = _advance(line, fence, depth)
    _flush(current, out)
    return out


def _flush(lines: list[str], out: list[Block]) -> None:
    if lines:
        text = "\n".join(lines)
        out.append(Block(text, text.lstrip().startswith("<details")))
        lines.clear()


def _advance(line: str, fence: str | None, depth: int) -> tuple[str | None, int]:
    """Fence and `<details>` nesting after `line` (CommonMark fences: closing run at least as long)."""
    match = _FENCE.match(line)
    if fence is not None:
        if match and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence) and not match["info"].strip():
            return None, depth
        return fence, depth
    if match and not (match["fence"][0] == "`" and "`" in match["info"]):
        return match["fence"], depth
    return None, max(0, depth + line.count("<details") - line.count("</details>"))


def split_section(section: str, *, environment: str, limit: int = COMMENT_LIMIT,
                  max_comments: int = DEFAULT_MAX_COMMENTS, artifact: str | None = None) -> list[str]:
    """Comment bodies for one environment's section, each at most `limit` characters, in order."""
    body = _MARKER.sub("", section, count=1).strip("\n")
    budget = limit - _RESERVE
    if budget < 1_000:
        raise ValueError(f"comment limit {limit} is too small")
    pieces = [piece for block in blocks(body) for piece in _fit(block, budget, artifact)]
    chunks: list[list[str]] = [[]]
    used = 0
    dropped = 0
    for piece in pieces:
        cost = size(piece.text) + 2
        if piece.optional and dropped:
            dropped += 1  # once one diff is left out, all later ones are too: the order stays the plan's
            continue
        if used + cost > budget and chunks[-1]:
            if piece.optional and len(chunks) >= max_comments:
                dropped += 1
                continue
            chunks.append([])
            used = 0
        chunks[-1].append(piece.text)
        used += cost
    if dropped:
        chunks[-1].append(_dropped_note(dropped, artifact))
    return _decorate(chunks, environment)


def _fit(block: Block, budget: int, artifact: str | None) -> list[Block]:
    """The block itself, or pieces of it when it alone is bigger than a comment."""
    if size(block.text) <= budget:
        return [block]
    if block.optional:
        summary = re.search(r"<summary>(.*?)</summary>", block.text, re.S)
        what = summary.group(1) if summary else "one resource"
        where = f" in the [full plan artifact]({artifact})" if artifact else " in the full plan artifact"
        return [Block(f"> [!NOTE]\n> The diff of {what} is too large for a comment: read it{where}.", True)]
    return [Block(text, False) for text in _cut_lines(block.text, budget)]


def _cut_lines(text: str, budget: int) -> list[str]:
    """Cut between lines; a code fence open at a cut is closed before it and reopened after it."""
    pieces: list[str] = []
    lines: list[str] = []
    used = 0
    fence: str | None = None
    opener = ""
    for line in text.split("\n"):
        for part in _hard_wrap(line, budget // 2):
            if used + size(part) + 1 > budget - 2 * len(opener) - 8 and lines:
                pieces.append("\n".join([*lines, fence] if fence else lines))
                lines, used = ([opener] if fence else []), size(opener)
            lines.append(part)
            used += size(part) + 1
            fence, _ = _advance(part, fence, 0)
            if fence and not opener:
                opener = part
            elif not fence:
                opener = ""
    if lines:
        pieces.append("\n".join(lines))
    return pieces


def _hard_wrap(line: str, width: int) -> list[str]:
    return [line[i : i + width] for i in range(0, len(line), width)] or [""]


def _dropped_note(count: int, artifact: str | None) -> str:
    where = f"[full plan artifact]({artifact})" if artifact else "full plan artifact of this workflow run"
    plural = "s are" if count != 1 else " is"
    return f"> [!NOTE]\n> {count} more resource diff{plural} not shown (comment limit reached): see the {where}."


def _decorate(chunks: list[list[str]], environment: str) -> list[str]:
    total = len(chunks)
    bodies = []
    for number, parts in enumerate(chunks, start=1):
        lines = [part_marker(environment, number)]
        if number > 1:
            lines.append(f"**`{environment}` plan, continued ({number}/{total})**")
        lines.extend(parts)
        if number < total:
            lines.append(f"_Continued in the next comment ({number + 1}/{total})._")
        bodies.append("\n\n".join(lines) + "\n")
    return bodies

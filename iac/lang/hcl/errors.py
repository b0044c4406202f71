"""The one error the HCL parser raises, and how offsets in the source become `file:line:column`.

HashiCorp's parser collects diagnostics and keeps going; Terraform then refuses the file if any of them is
an error. iac stops at the first one instead: whether a text is accepted is the same, and the first error is
the one HCL would list first (lexical errors, then syntax errors in source order).
"""

from __future__ import annotations

from bisect import bisect_right

from iac.lang.ast import Pos

__all__ = ["HclSyntaxError", "Locator"]


class HclSyntaxError(Exception):
    """A text is not valid HCL native syntax. `summary` is HCL's own summary ("Invalid expression",
    "Missing newline after argument" ...), `message` adds what was expected or found, `pos` is where."""

    def __init__(self, summary: str, detail: str, pos: Pos) -> None:
        self.summary = summary
        self.detail = detail
        self.message = f"{summary}: {detail}" if detail else summary
        self.pos = pos
        super().__init__(f"{pos.file}:{pos.line}: {self.message}")

    def __reduce__(self) -> tuple[type[HclSyntaxError], tuple[str, str, Pos]]:
        return type(self), (self.summary, self.detail, self.pos)  # picklable (e.g. from a process pool)


class Locator:
    """Turns character offsets of one text into positions (lines counted by LF, as HCL does: a lone CR does
    not start a line; columns count characters). `line`/`column` say where the text itself starts, so a
    template taken from a JSON string reports positions in the JSON file. Line starts are found on first
    use, and only if the text has more than one line."""

    __slots__ = ("column", "file", "line", "starts", "text")

    def __init__(self, text: str, file: str, line: int = 1, column: int = 1) -> None:
        self.text = text
        self.file = file
        self.line = line
        self.column = column
        self.starts: list[int] | None = None

    def pos(self, offset: int) -> Pos:
        starts = self.starts
        if starts is None:
            starts = self.starts = _line_starts(self.text)
        if len(starts) == 1 or offset < starts[1]:
            return Pos(self.file, self.line, self.column + offset)
        index = bisect_right(starts, offset) - 1
        return Pos(self.file, self.line + index, offset - starts[index] + 1)

    def error(self, summary: str, detail: str, offset: int) -> HclSyntaxError:
        return HclSyntaxError(summary, detail, self.pos(offset))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    if "\n" in text:
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
    return starts

"""Primitive values as text: numbers and bools as written, strings Go-quoted, what a string holds (JSON,
several lines, or neither) and the line-by-line diff of a `<<-EOT` heredoc. `PrimitiveRenderer`
(iac.render._jsondiff) puts them together: it renders a string holding JSON with the JSON differ, which
renders its leaves with it, so the renderer lives with the differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from iac.diagnostics import printable
from iac.render._common import Action
from iac.render._nodes import Opts, pad, symbol
from iac.render._sequence import process_slice
from iac.render._strings import go_quote, go_trim_space, number_text, parse_json_prefix

_NOT_JSON = object()


@dataclass(frozen=True, slots=True)
class Evaluated:
    """A string (or null) as a primitive renderer shows it: its text, and its JSON when it holds JSON."""

    text: str
    json: Any = _NOT_JSON
    multiline: bool = False
    null: bool = False

    @property
    def is_json(self) -> bool:
        return self.json is not _NOT_JSON

    def simple(self) -> str:
        return self.text if self.null else go_quote(self.text)


def evaluate(value: Any, opts: Opts) -> Evaluated:
    if value is None:
        return Evaluated(opts.c("[dark_gray]null[reset]"), null=True)
    text = value if isinstance(value, str) else str(value)
    is_json, decoded = parse_json_prefix(text)
    if is_json:
        return Evaluated(text, json=decoded)
    if "\n" in text:
        # A heredoc shows the text itself, where Terraform lets a terminal escape or a carriage return
        # through: iac shows those as escapes (newlines and tabs stay what they are).
        return Evaluated(printable(go_trim_space(text), keep="\n\t"), multiline=True)
    return Evaluated(text)


def render_plain(value: Any, opts: Opts) -> str:
    """A number, bool or null as Terraform prints it."""
    if value is None:
        return opts.c("[dark_gray]null[reset]")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return go_quote(value)
    return number_text(value)


def heredoc_diff(before: list[str], after: list[str], indent: int, opts: Opts) -> list[str]:
    lines: list[str] = []
    lead = pad(indent + 1)

    def process(b: int, a: int) -> None:
        if not 0 <= b < len(before):
            lines.append(f"{lead}{symbol(Action.CREATE, opts)}{after[a]}")
        elif not 0 <= a < len(after):
            lines.append(f"{lead}{symbol(Action.DELETE, opts)}{before[b]}")
        elif before[b] != after[a]:
            lines.append(f"{lead}{symbol(Action.DELETE, opts)}{before[b]}")
            lines.append(f"{lead}{symbol(Action.CREATE, opts)}{after[a]}")
        else:
            lines.append(f"{lead}{symbol(Action.NOOP, opts)}{before[b]}")

    process_slice(before, after, process, lambda _: False, lambda x, y: x == y)
    return lines

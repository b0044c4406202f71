"""Primitive values: numbers and bools as written, strings Go-quoted, strings holding JSON as a
`jsonencode(...)` structural diff, multi-line strings as `<<-EOT` heredocs diffed line by line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from iac.render._common import Action
from iac.render._nodes import (
    Diff,
    NoWarnings,
    Opts,
    TypeChangeRenderer,
    forces_replacement,
    null_suffix,
    pad,
    symbol,
)
from iac.render._sequence import process_slice
from iac.render._strings import go_quote, go_trim_space, number_text, parse_json_prefix

_NOT_JSON = object()


@dataclass(frozen=True, slots=True)
class _Evaluated:
    text: str
    json: Any = _NOT_JSON
    multiline: bool = False
    null: bool = False

    @property
    def is_json(self) -> bool:
        return self.json is not _NOT_JSON

    def simple(self) -> str:
        return self.text if self.null else go_quote(self.text)


def _evaluate(value: Any, opts: Opts) -> _Evaluated:
    if value is None:
        return _Evaluated(opts.c("[dark_gray]null[reset]"), null=True)
    text = value if isinstance(value, str) else str(value)
    is_json, decoded = parse_json_prefix(text)
    if is_json:
        return _Evaluated(text, json=decoded)
    if "\n" in text:
        return _Evaluated(go_trim_space(text), multiline=True)
    return _Evaluated(text)


def render_plain(value: Any, opts: Opts) -> str:
    """A number, bool or null as Terraform prints it."""
    if value is None:
        return opts.c("[dark_gray]null[reset]")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return go_quote(value)
    return number_text(value)


@dataclass(frozen=True, slots=True)
class PrimitiveRenderer(NoWarnings):
    """`ctype` is "string", "number", "bool", or None for a JSON null."""

    before: Any
    after: Any
    ctype: str | None

    def render(self, diff: Diff, indent: int, opts: Opts) -> str:
        if self.ctype == "string":
            return self._string(diff, indent, opts)
        before, after = render_plain(self.before, opts), render_plain(self.after, opts)
        replace = forces_replacement(diff.replace, opts)
        if diff.action is Action.CREATE:
            return f"{after}{replace}"
        if diff.action is Action.DELETE:
            return f"{before}{null_suffix(diff.action, opts)}{replace}"
        if diff.action is Action.NOOP:
            return f"{before}{replace}"
        return f"{before} {opts.c('[yellow]->[reset]')} {after}{replace}"

    def _string(self, diff: Diff, indent: int, opts: Opts) -> str:
        replace = forces_replacement(diff.replace, opts)
        if diff.action in (Action.CREATE, Action.NOOP, Action.DELETE):
            value = self.before if diff.action is Action.DELETE else self.after
            text = _evaluate(value, opts)
            if diff.action is Action.DELETE and text.null:
                return f"{text.simple()}{replace}"
            if text.is_json:
                before = text if diff.action is not Action.CREATE else None
                after = text if diff.action is not Action.DELETE else None
                return _json_string(diff, indent, opts, before, after)
            if not text.multiline:
                suffix = null_suffix(diff.action, opts) if diff.action is Action.DELETE else ""
                return f"{text.simple()}{suffix}{replace}"
            lead = f"{pad(indent + 1)}{symbol(Action.NOOP, opts)}"
            lines = [lead + line for line in text.text.split("\n")]
        else:
            before, after = _evaluate(self.before, opts), _evaluate(self.after, opts)
            if before.is_json and after.is_json:
                return _json_string(diff, indent, opts, before, after)
            if before.is_json or after.is_json:
                swap = TypeChangeRenderer(Diff(PrimitiveRenderer(self.before, None, "string"), Action.DELETE),
                                          Diff(PrimitiveRenderer(None, self.after, "string"), Action.CREATE))
                return Diff(swap, diff.action, diff.replace).render(indent, opts)
            if not before.multiline and not after.multiline:
                return f"{before.simple()} {opts.c('[yellow]->[reset]')} {after.simple()}{replace}"
            lines = _heredoc_diff(before.text.split("\n"), after.text.split("\n"), indent, opts)
        body = "\n".join(lines)
        return f"<<-EOT{replace}\n{body}\n{pad(indent)}{symbol(Action.NOOP, opts)}EOT{null_suffix(diff.action, opts)}"


def _heredoc_diff(before: list[str], after: list[str], indent: int, opts: Opts) -> list[str]:
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


def _json_string(diff: Diff, indent: int, opts: Opts, before: _Evaluated | None, after: _Evaluated | None) -> str:
    from iac.render._jsondiff import json_diff  # the JSON differ renders primitives with this module

    json_change_diff = json_diff(
        before.json if before else None,
        after.json if after else None,
        before_explicit=diff.action is not Action.CREATE,
        after_explicit=diff.action is not Action.DELETE,
    )
    action = diff.action
    json_opts = opts.clone(override_null_suffix=True)
    whitespace = replace = ""
    if json_change_diff.action is Action.NOOP and diff.action is Action.UPDATE:
        # Only whitespace changed: the JSON diff is empty, so say so and show the whole value.
        whitespace = " # whitespace changes force replacement" if diff.replace else " # whitespace changes"
        json_opts = opts.clone(override_null_suffix=True, show_unchanged_children=True)
        action = Action.NOOP
    else:
        replace = forces_replacement(diff.replace, opts)
    rendered = json_change_diff.render(indent + 1, json_opts)
    if diff.action in (Action.CREATE, Action.DELETE):
        action = Action.NOOP  # no +/- on the JSON body; `~` is kept for updates
    if "\n" in rendered:
        return (f"jsonencode({whitespace}\n{pad(indent + 1)}{symbol(action, opts)}{rendered}{replace}\n"
                f"{pad(indent)}{symbol(Action.NOOP, opts)}){null_suffix(diff.action, opts)}")
    return f"jsonencode({rendered}){whitespace}{replace}"

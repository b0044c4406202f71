"""Computed diff nodes and how each kind prints itself (Terraform's `jsonformat/computed`).

A `Diff` is one value's action plus a renderer; renderers of collections hold their children's
diffs. Rendering is pure string building: every decision about what changed was taken when the
tree was built (iac/render/_differ.py). Lines are indented by 4 per level with a 2-column action
symbol before each key; the first line of a value is never indented (its key line is).

Renderers append their pieces to one list (`write`), and only the top joins them: a renderer that
returned its text would be copied into its parent's, and that one into its parent's, so a value nested
n levels deep cost n times its text (Terraform plans values nested thousands deep).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import msgspec

from iac.render._common import TAGGED_SYMBOLS, Action
from iac.render._strings import colorize, go_quote, quote_key


class Opts(msgspec.Struct, frozen=True):
    """Rendering switches. `force_forces_replacement` / `forbid_forces_replacement` apply to one
    level only: `clone()` (used for children) resets them."""

    color: bool = False
    override_null_suffix: bool = False
    force_forces_replacement: bool = False
    forbid_forces_replacement: bool = False
    show_unchanged_children: bool = False
    hide_diff_action_symbols: bool = False

    def clone(self, **changes: bool) -> Opts:
        fields = {"force_forces_replacement": False, "forbid_forces_replacement": False, **changes}
        return msgspec.structs.replace(self, **fields)

    def c(self, text: str) -> str:
        return colorize(text, self.color)


class Renderer(Protocol):
    def write(self, diff: Diff, indent: int, opts: Opts, out: list[str]) -> None: ...

    def warnings(self, diff: Diff, indent: int, opts: Opts) -> list[str]: ...


class Diff(msgspec.Struct, frozen=True):
    """One value's computed change: how it renders, its action, and whether it forced a replace."""

    renderer: Renderer
    action: Action
    replace: bool = False

    def render(self, indent: int, opts: Opts) -> str:
        out: list[str] = []
        self.renderer.write(self, indent, opts, out)
        return "".join(out)

    def write(self, indent: int, opts: Opts, out: list[str]) -> None:
        self.renderer.write(self, indent, opts, out)

    def warnings(self, indent: int, opts: Opts) -> list[str]:
        return self.renderer.warnings(self, indent, opts)


class NoWarnings:
    __slots__ = ()

    def warnings(self, diff: Diff, indent: int, opts: Opts) -> list[str]:
        return []


# --- shared line pieces ------------------------------------------------------------------------

def null_suffix(action: Action, opts: Opts) -> str:
    return opts.c(" [dark_gray]-> null[reset]") if action is Action.DELETE and not opts.override_null_suffix else ""


def forces_replacement(replace_: bool, opts: Opts) -> str:
    if (replace_ or opts.force_forces_replacement) and not opts.forbid_forces_replacement:
        return opts.c(" [red]# forces replacement[reset]")
    return ""


def pad(level: int) -> str:
    return "    " * level


def symbol(action: Action, opts: Opts) -> str:
    return "" if opts.hide_diff_action_symbols else opts.c(TAGGED_SYMBOLS.get(action, "  ?")) + " "


def unchanged(keyword: str, count: int, opts: Opts) -> str:
    plural = "" if count == 1 else "s"
    return opts.c(f"[dark_gray]# ({count} unchanged {keyword}{plural} hidden)[reset]")


def ljust(key: str, width: int) -> str:
    """Go's `%-*s`: the width counts bytes, not characters."""
    return key + " " * max(0, width - len(key.encode()))


def key_width(keys: Sequence[str]) -> int:
    return max((len(k.encode()) for k in keys), default=0)


IMPORTANT_ATTRIBUTES = ("id", "name", "tags")
"""Always printed, even unchanged (Terraform's heuristic for identifying attributes)."""


# --- renderers ---------------------------------------------------------------------------------

class ObjectRenderer(msgspec.Struct, NoWarnings, frozen=True):
    """An object value (`{ key = value }`); `nested` objects print `-> null` on their own children."""

    attributes: Mapping[str, Diff]
    nested: bool = False

    def write(self, diff: Diff, indent: int, opts: Opts, out: list[str]) -> None:
        if not self.attributes:
            out.append(f"{{}}{null_suffix(diff.action, opts)}{forces_replacement(diff.replace, opts)}")
            return
        child_opts = opts.clone(override_null_suffix=not self.nested)
        keys = sorted(self.attributes)
        escaped = {k: quote_key(k) for k in keys}
        width = key_width(list(escaped.values()))
        out.append(f"{{{forces_replacement(diff.replace, opts)}")
        hidden = 0
        for key in keys:
            attribute = self.attributes[key]
            these = child_opts
            if key in IMPORTANT_ATTRIBUTES:
                these = child_opts.clone(show_unchanged_children=True)
            elif attribute.action is Action.NOOP and not opts.show_unchanged_children:
                hidden += 1
                continue
            out += [f"\n{pad(indent + 1)}{w}" for w in attribute.warnings(indent + 1, these)]
            out.append(f"\n{pad(indent + 1)}{symbol(attribute.action, these)}{ljust(escaped[key], width)} = ")
            attribute.write(indent + 1, these, out)
        if hidden:
            out.append(f"\n{pad(indent + 1)}{symbol(Action.NOOP, opts)}{unchanged('attribute', hidden, opts)}")
        out.append(f"\n{pad(indent)}{symbol(Action.NOOP, opts)}}}{null_suffix(diff.action, opts)}")


class MapRenderer(msgspec.Struct, NoWarnings, frozen=True):
    """A map value: keys always quoted, hidden entries counted as elements."""

    elements: Mapping[str, Diff]
    nested: bool = False  # a nested-attribute map: no key alignment, replace marked on children

    def write(self, diff: Diff, indent: int, opts: Opts, out: list[str]) -> None:
        replace_self = diff.replace and not self.nested
        if not self.elements:
            out.append(f"{{}}{null_suffix(diff.action, opts)}{forces_replacement(replace_self, opts)}")
            return
        keys = sorted(self.elements)
        escaped = {k: go_quote(k) for k in keys}
        width = key_width(list(escaped.values()))
        element_opts = opts.clone(override_null_suffix=diff.action is Action.DELETE or self.nested,
                                  force_forces_replacement=diff.replace and self.nested)
        out.append(f"{{{forces_replacement(replace_self, opts)}")
        hidden = 0
        for key in keys:
            element = self.elements[key]
            if element.action is Action.NOOP and not opts.show_unchanged_children:
                hidden += 1
                continue
            out += [f"\n{pad(indent + 1)}{w}" for w in element.warnings(indent + 1, opts)]
            name = escaped[key] if self.nested else ljust(escaped[key], width)
            out.append(f"\n{pad(indent + 1)}{symbol(element.action, element_opts)}{name} = ")
            element.write(indent + 1, element_opts, out)
            if isinstance(element.renderer, ObjectRenderer):
                out.append(",")
        if hidden:
            out.append(f"\n{pad(indent + 1)}{symbol(Action.NOOP, opts)}{unchanged('element', hidden, opts)}")
        out.append(f"\n{pad(indent)}{symbol(Action.NOOP, opts)}}}{null_suffix(diff.action, opts)}")


class ListRenderer(msgspec.Struct, NoWarnings, frozen=True):
    """A list or tuple; with `context`, the unchanged neighbours of each change are printed."""

    elements: Sequence[Diff]
    context: bool = True

    def write(self, diff: Diff, indent: int, opts: Opts, out: list[str]) -> None:
        if not self.elements:
            out.append(f"[]{null_suffix(diff.action, opts)}{forces_replacement(diff.replace, opts)}")
            return
        element_opts = opts.clone(override_null_suffix=True)
        unchanged_opts = opts.clone(show_unchanged_children=True)
        out.append(f"[{forces_replacement(diff.replace, opts)}")
        waiting: list[Diff] = []
        render_next = False
        for element in self.elements:
            if element.action is Action.NOOP and not render_next and not opts.show_unchanged_children:
                waiting.append(element)
                continue
            render_next = False
            these = element_opts
            if self.context:
                if len(waiting) > 1:
                    out.append(f"\n{pad(indent + 1)}{symbol(Action.NOOP, these)}{unchanged('element', len(waiting) - 1, these)}")
                if waiting:
                    last = waiting[-1]
                    out.append(f"\n{pad(indent + 1)}{symbol(last.action, unchanged_opts)}")
                    last.write(indent + 1, unchanged_opts, out)
                    out.append(",")
                waiting = []
                if element.action is Action.NOOP:
                    these = unchanged_opts
                else:
                    render_next = True
            out += [f"\n{pad(indent + 1)}{w}" for w in element.warnings(indent + 1, these)]
            out.append(f"\n{pad(indent + 1)}{symbol(element.action, these)}")
            element.write(indent + 1, these, out)
            out.append(",")
        if waiting:
            out.append(f"\n{pad(indent + 1)}{symbol(Action.NOOP, opts)}{unchanged('element', len(waiting), opts)}")
        out.append(f"\n{pad(indent)}{symbol(Action.NOOP, opts)}]{null_suffix(diff.action, opts)}")


class SetRenderer(msgspec.Struct, NoWarnings, frozen=True):
    """A set: no context lines; a nested set marks replacement on its elements instead of itself."""

    elements: Sequence[Diff]
    nested: bool = False

    def write(self, diff: Diff, indent: int, opts: Opts, out: list[str]) -> None:
        replace_self = diff.replace and not self.nested
        if not self.elements:
            out.append(f"[]{null_suffix(diff.action, opts)}{forces_replacement(replace_self, opts)}")
            return
        element_opts = opts.clone(override_null_suffix=True, force_forces_replacement=diff.replace and self.nested)
        out.append(f"[{forces_replacement(replace_self, opts)}")
        hidden = 0
        for element in self.elements:
            if element.action is Action.NOOP and not opts.show_unchanged_children:
                hidden += 1
                continue
            out += [f"\n{pad(indent + 1)}{w}" for w in element.warnings(indent + 1, opts)]
            out.append(f"\n{pad(indent + 1)}{symbol(element.action, element_opts)}")
            element.write(indent + 1, element_opts, out)
            out.append(",")
        if hidden:
            out.append(f"\n{pad(indent + 1)}{symbol(Action.NOOP, opts)}{unchanged('element', hidden, opts)}")
        out.append(f"\n{pad(indent)}{symbol(Action.NOOP, opts)}]{null_suffix(diff.action, opts)}")


class SensitiveRenderer(msgspec.Struct, frozen=True):
    """`(sensitive value)`, with a warning when the sensitivity itself changes."""

    inner: Diff
    before_sensitive: bool
    after_sensitive: bool

    def write(self, diff: Diff, indent: int, opts: Opts, out: list[str]) -> None:
        out.append(f"(sensitive value){null_suffix(diff.action, opts)}{forces_replacement(diff.replace, opts)}")

    def warnings(self, diff: Diff, indent: int, opts: Opts) -> list[str]:
        if self.before_sensitive == self.after_sensitive or self.inner.action in (Action.CREATE, Action.DELETE):
            return []
        if self.before_sensitive:
            warning = opts.c(f"  # [yellow]Warning[reset]: this attribute value will no longer be marked as sensitive\n"
                             f"{pad(indent)}  # after applying this change.")
        else:
            warning = opts.c(f"  # [yellow]Warning[reset]: this attribute value will be marked as sensitive and will not\n"
                             f"{pad(indent)}  # display in UI output after applying this change.")
        return [f"{warning} The value is unchanged."] if self.inner.action is Action.NOOP else [warning]


class SensitiveBlockRenderer(msgspec.Struct, frozen=True):
    """A nested block whose content is sensitive: only a note is printed."""

    inner: Diff
    before_sensitive: bool
    after_sensitive: bool

    def write(self, diff: Diff, indent: int, opts: Opts, out: list[str]) -> None:
        prefix = f"{pad(indent)}{symbol(Action.NOOP, opts)}"
        out.append(f"{{{forces_replacement(diff.replace, opts)}\n{prefix}  # At least one attribute in this block is (or was) sensitive,\n"
                   f"{prefix}  # so its contents will not be displayed.\n{prefix}}}")

    def warnings(self, diff: Diff, indent: int, opts: Opts) -> list[str]:
        if self.before_sensitive == self.after_sensitive or self.inner.action in (Action.CREATE, Action.DELETE):
            return []
        if self.before_sensitive:
            return [opts.c(f"  # [yellow]Warning[reset]: this block will no longer be marked as sensitive\n"
                           f"{pad(indent)}  # after applying this change.")]
        return [opts.c(f"  # [yellow]Warning[reset]: this block will be marked as sensitive and will not\n"
                       f"{pad(indent)}  # display in UI output after applying this change.")]


class UnknownRenderer(msgspec.Struct, NoWarnings, frozen=True):
    """`(known after apply)`, after the old value when there was one."""

    before: Diff | None = None

    def write(self, diff: Diff, indent: int, opts: Opts, out: list[str]) -> None:
        if diff.action is Action.CREATE or self.before is None:
            out.append(f"(known after apply){forces_replacement(diff.replace, opts)}")
            return
        before_opts = opts.clone(override_null_suffix=True, forbid_forces_replacement=diff.replace)
        self.before.write(indent, before_opts, out)
        out.append(f" -> (known after apply){forces_replacement(diff.replace, opts)}")


class TypeChangeRenderer(msgspec.Struct, NoWarnings, frozen=True):
    """A value whose JSON type changes: old and new printed whole."""

    before: Diff
    after: Diff

    def write(self, diff: Diff, indent: int, opts: Opts, out: list[str]) -> None:
        opts = msgspec.structs.replace(opts, override_null_suffix=True)
        self.before.write(indent, opts, out)
        out.append(f" {opts.c('[yellow]->[reset]')} ")
        self.after.write(indent, opts, out)


class Blocks(msgspec.Struct):
    """The nested blocks of a block, by block type name, with per-type facts."""

    single: dict[str, Diff] = msgspec.field(default_factory=dict)
    lists: dict[str, list[Diff]] = msgspec.field(default_factory=dict)
    sets: dict[str, list[Diff]] = msgspec.field(default_factory=dict)
    maps: dict[str, dict[str, Diff]] = msgspec.field(default_factory=dict)
    replace: dict[str, bool] = msgspec.field(default_factory=dict)
    before_sensitive: dict[str, bool] = msgspec.field(default_factory=dict)
    after_sensitive: dict[str, bool] = msgspec.field(default_factory=dict)
    unknown: dict[str, bool] = msgspec.field(default_factory=dict)

    def keys(self) -> list[str]:
        return sorted({*self.single, *self.lists, *self.sets, *self.maps})

    def note(self, key: str, replace_: bool, before_sensitive: bool, after_sensitive: bool, unknown: bool) -> None:
        self.replace[key] = replace_
        self.before_sensitive[key] = before_sensitive
        self.after_sensitive[key] = after_sensitive
        self.unknown[key] = unknown

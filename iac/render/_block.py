"""How a resource body or nested block prints: attributes first (`key = value`, aligned), then
nested blocks (`name {`, no `=`), each group of changed blocks after a blank line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from iac.render._common import Action
from iac.render._nodes import (
    IMPORTANT_ATTRIBUTES,
    Blocks,
    Diff,
    NoWarnings,
    Opts,
    SensitiveBlockRenderer,
    UnknownRenderer,
    forces_replacement,
    key_width,
    ljust,
    pad,
    symbol,
    unchanged,
)
from iac.render._strings import go_quote, quote_key


@dataclass(frozen=True, slots=True)
class BlockRenderer(NoWarnings):
    attributes: Mapping[str, Diff]
    blocks: Blocks

    def write(self, diff: Diff, indent: int, opts: Opts, out: list[str]) -> None:
        if not self.attributes and not self.blocks.keys():
            out.append(f"{{}}{forces_replacement(diff.replace, opts)}")
            return
        out.append(f"{{{forces_replacement(diff.replace, opts)}")
        self._write_attributes(indent, opts, out)
        hidden_blocks = 0
        for key in self.blocks.keys():  # noqa: SIM118 (Blocks is not a mapping)
            hidden_blocks += self._write_blocks(key, diff, indent, opts, out, blank_first=bool(self.attributes))
        if hidden_blocks:
            out.append(f"\n\n{pad(indent + 1)}{symbol(Action.NOOP, opts)}{unchanged('block', hidden_blocks, opts)}")
        out.append(f"\n{pad(indent)}{symbol(Action.NOOP, opts)}}}")

    def _write_attributes(self, indent: int, opts: Opts, out: list[str]) -> None:
        keys = sorted(self.attributes)
        escaped = {k: quote_key(k) for k in keys}
        width = key_width(list(escaped.values()))
        important_opts = opts.clone(show_unchanged_children=True)
        attribute_opts = opts.clone()
        hidden = 0
        for key in keys:
            attribute = self.attributes[key]
            if key in IMPORTANT_ATTRIBUTES:
                these, warn_opts, name = important_opts, important_opts, key
            elif attribute.action is Action.NOOP and not opts.show_unchanged_children:
                hidden += 1
                continue
            else:
                these, warn_opts, name = attribute_opts, opts, escaped[key]
            out += [f"\n{pad(indent + 1)}{w}" for w in attribute.warnings(indent + 1, warn_opts)]
            out.append(f"\n{pad(indent + 1)}{symbol(attribute.action, these)}{ljust(name, width)} = ")
            attribute.write(indent + 1, these, out)
        if hidden:
            out.append(f"\n{pad(indent + 1)}{symbol(Action.NOOP, opts)}{unchanged('attribute', hidden, opts)}")

    def _write_blocks(self, key: str, parent: Diff, indent: int, opts: Opts, out: list[str], *,
                      blank_first: bool) -> int:
        """The blocks of one type (a blank line before them when attributes came first); returns how many
        unchanged ones were hidden."""
        blocks = self.blocks
        entries: list[tuple[Diff, str]] = []
        unknown_entry = (Diff(UnknownRenderer(), parent.action), "")
        if key in blocks.single:
            entries.append((blocks.single[key], ""))
        elif key in blocks.maps:
            entries += [unknown_entry] if blocks.unknown.get(key) else []
            entries += [(blocks.maps[key][k], f" {go_quote(k)}") for k in sorted(blocks.maps[key])]
        else:
            entries += [unknown_entry] if blocks.unknown.get(key) else []
            entries += [(d, "") for d in (blocks.sets[key] if key in blocks.sets else blocks.lists[key])]
        hidden = 0
        for entry, map_key in entries:
            entry = self._maybe_sensitive(key, entry)
            if entry.action is Action.NOOP and not opts.show_unchanged_children:
                hidden += 1
                continue
            block_opts = opts.clone(force_forces_replacement=blocks.replace.get(key, False))
            if blank_first:
                out.append("\n")  # a blank line before each group of changed blocks
                blank_first = False
            out += [f"\n{pad(indent + 1)}{w}" for w in entry.warnings(indent + 1, block_opts)]
            out.append(f"\n{pad(indent + 1)}{symbol(entry.action, block_opts)}{quote_key(key)}{map_key} ")
            entry.write(indent + 1, block_opts, out)
        return hidden

    def _maybe_sensitive(self, key: str, entry: Diff) -> Diff:
        """Blocks marked sensitive as a whole group print only a note."""
        before = self.blocks.before_sensitive.get(key, False)
        after = self.blocks.after_sensitive.get(key, False)
        creating = entry.action is Action.CREATE and after
        deleting = entry.action is Action.DELETE and before
        modifying = entry.action in (Action.UPDATE, Action.NOOP) and (before or after)
        if not (creating or deleting or modifying):
            return entry
        action = Action.UPDATE if entry.action is Action.NOOP and before != after else entry.action
        return Diff(SensitiveBlockRenderer(entry, before, after), action, entry.replace)

"""Attribute lines of one resource change, for the Markdown renderer's `<details>` sections.

Each changed leaf prints as one line with its dotted path, action symbol first so GitHub's `diff`
highlighting colours it: `+ custom_tags.team = "a"`, `~ num_workers = 2 -> 4`, `- spark_conf.x = "1"`.
A flat path per leaf (rather than Terraform's nested blocks) keeps a grouped change readable and makes
two resources' diffs comparable line by line.

Masking: a leaf is printed as `(sensitive value)` when its `*_sensitive` mask, or any mask above it,
is `true`. The plan JSON already carries the masked text; the renderer still never prints a masked leaf.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from iac._jsonio import format_decimal, loads
from iac.render._common import MASK

__all__ = ["change_lines"]

SENSITIVE = MASK
UNKNOWN = "(known after apply)"
_ABSENT = object()


def change_lines(change: dict[str, Any], changed: frozenset[str] = frozenset(),
                 masks: tuple[Any, Any] | None = None, may_replace: frozenset[str] = frozenset(),
                 notes: dict[str, str] | None = None) -> list[str]:
    """Diff lines for one `resource_changes[].change` object (symbol first, aligned on `=`).

    `changed` holds the dotted paths the engine reported a reason for (`iac.reasons[address]`): a
    masked leaf reads `(sensitive value)` on both sides, so only this tells that it changed. `masks`
    are the (before, after) sensitivity masks to honour, `_common.sensitivity_masks(rc)` by default in
    the renderer; without them the change's own masks are used. `may_replace`: the `iac.reasons` paths
    of an update that may be a replacement (each line below one says so). `notes` maps a changed path to where
    its value comes from (`_reasons.attribute_notes`), shown at the end of its line and of the lines below it.
    """
    before_mask, after_mask = masks or (change.get("before_sensitive"), change.get("after_sensitive"))
    before = _leaves(change.get("before"), before_mask, None)
    after = _leaves(change.get("after"), after_mask, change.get("after_unknown"))
    forced = {_dotted(path) for path in change.get("replace_paths") or [] if isinstance(path, list)}
    rows: list[tuple[str, str, str]] = []
    unchanged = 0
    for path in sorted(before.keys() | after.keys(), key=_sort_key):
        old, new = before.get(path, _ABSENT), after.get(path, _ABSENT)
        if old == new and not (old == SENSITIVE and path in changed):
            unchanged += 1
            continue
        row = _row(path, old, new)
        if row is not None:
            note = "  # forces replacement" if any(path == f or path.startswith(f + ".") for f in forced) else ""
            if not note and may_replace and _under(path, may_replace):
                note = "  # may replace"
            origin = _note_for(path, notes or {})
            rows.append((row[0], path, row[1] + note + (f"  # {origin}" if origin else "")))
    width = max((len(path) for _, path, _ in rows), default=0)
    lines = [f"{symbol} {path.ljust(width)} = {text}" for symbol, path, text in rows]
    if unchanged:
        plural = "s" if unchanged != 1 else ""
        lines.append(f"  # ({unchanged} unchanged attribute{plural} hidden)")
    return lines


def _under(path: str, roots: frozenset[str]) -> bool:
    """Is `path` (dotted, as the lines show it) one of `roots` (`iac.reasons` paths) or inside one?"""
    return any(path == r or path.startswith(r + ".") or path.startswith(r + "[") for r in roots)


def _note_for(path: str, notes: dict[str, str]) -> str | None:
    """The note of `path`, or of the nearest changed path above it (a block or map that changed whole)."""
    if path in notes:
        return notes[path]
    above = [p for p in notes if path.startswith((p + ".", p + "["))]
    return notes[max(above, key=len)] if above else None


def _row(path: str, old: object, new: object) -> tuple[str, str] | None:
    if old is _ABSENT and new is _ABSENT:
        return None
    if old is _ABSENT:
        return "+", str(new)
    if new is _ABSENT:
        return "-", f"{old} -> null" if "." not in path and "[" not in path else str(old)
    if old == new:
        return "~", str(new)  # a sensitive leaf that changed: both sides print masked
    return "~", f"{old} -> {new}"


def _leaves(value: Any, mask: Any, unknown: Any) -> dict[str, str]:
    """Flatten a value into {dotted path: printed leaf}; unknown leaves print as (known after apply)."""
    out: dict[str, str] = {}
    if isinstance(value, dict) or isinstance(unknown, dict):
        for path, text in _walk(value if isinstance(value, dict) else {}, mask, unknown, ""):
            out[path] = text
    return out


def _walk(value: Any, mask: Any, unknown: Any, path: str) -> Iterator[tuple[str, str]]:
    if mask is True:
        if value is not None:
            yield path, SENSITIVE
        return
    if unknown is True:
        yield path, UNKNOWN
        return
    if isinstance(value, dict):
        if not value and not isinstance(unknown, dict) and path:
            yield path, "{}"
        keys = set(value) | (set(unknown) if isinstance(unknown, dict) else set())
        for key in sorted(keys):
            child = value.get(key)
            if child is None and key not in value and not _child(unknown, key):
                continue
            if child is None and path == "" and not _child(unknown, key):
                continue  # top-level nulls are not shown, as in Terraform
            yield from _walk(child, _child(mask, key), _child(unknown, key), _join(path, key))
    elif isinstance(value, list):
        if not value and path:
            yield path, "[]"
        for index, child in enumerate(value):
            yield from _walk(child, _child(mask, index), _child(unknown, index), f"{path}[{index}]")
    elif isinstance(value, str) and value[:1] in "{[" and isinstance(decoded := _json(value), (dict, list)) and decoded:
        # A JSON document in a string (policy definitions, job settings): one line per leaf, so a change
        # in it shows as the one leaf that changed.
        yield from _walk(decoded, None, None, path)
    else:
        yield path, _scalar(value)


def _json(text: str) -> Any:
    try:
        return loads(text)
    except ValueError:
        return None


def _child(mask: Any, key: str | int) -> Any:
    if isinstance(mask, dict) and isinstance(key, str):
        return mask.get(key)
    if isinstance(mask, list) and isinstance(key, int) and key < len(mask):
        return mask[key]
    return None


def _join(path: str, key: str) -> str:
    plain = key.replace("_", "").isalnum() and not key[:1].isdigit()
    part = key if plain else json.dumps(key, ensure_ascii=False)
    if not path:
        return part
    return f"{path}.{part}" if plain else f"{path}[{part}]"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _dotted(path: list[Any]) -> str:
    out = ""
    for step in path:
        out = f"{out}[{step}]" if isinstance(step, int) else _join(out, str(step))
    return out


def _sort_key(path: str) -> tuple[str, ...]:
    return tuple(path.replace("[", ".[").split("."))

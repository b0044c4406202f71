"""Go's `encoding/json` output, byte for byte, for the values policy data sources marshal.

Providers written in Go build policy documents from structs and maps and write them with `json.Marshal`
or `json.MarshalIndent(v, "", "  ")`. What that means for the bytes:
* a struct's fields in declaration order (here: a `dict`, in insertion order), a map's keys sorted (a
  `GoMap`);
* strings escaped as Go does: `"` `\\` and control characters (`\\n`, `\\r`, `\\t`, `\\b`, `\\f`, else
  `\\u00XX` in lower-case hex), and the HTML-sensitive `<`, `>`, `&` and U+2028/U+2029 as `\\u003c`,
  `\\u003e`, `\\u0026`, `\\u2028`, `\\u2029`; everything else as UTF-8;
* MarshalIndent: one element per line, two spaces per level, `": "` after keys, `[]` and `{}` when
  empty.
Only strings, lists, dicts, bools and integers occur in policy documents; nothing else is supported.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GoMap", "marshal", "marshal_indent"]


class GoMap(dict):  # type: ignore[type-arg]
    """A Go map: encoded with its keys sorted (struct-like dicts keep their insertion order)."""

    __slots__ = ()


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
            "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _string(text: str) -> str:
    out = ['"']
    for char in text:
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif char < " ":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _items(value: dict[str, Any]) -> list[tuple[str, Any]]:
    return sorted(value.items()) if isinstance(value, GoMap) else list(value.items())


def marshal(value: Any) -> str:
    """`json.Marshal(value)`."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ",".join(marshal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_string(k)}:{marshal(v)}" for k, v in _items(value)) + "}"
    raise TypeError(f"cannot marshal {type(value).__name__}")


def marshal_indent(value: Any, indent: str = "  ", level: int = 0) -> str:
    """`json.MarshalIndent(value, "", indent)`."""
    if isinstance(value, list) and value:
        inner = indent * (level + 1)
        items = [inner + marshal_indent(v, indent, level + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent * level + "]"
    if isinstance(value, dict) and value:
        inner = indent * (level + 1)
        items = [f"{inner}{_string(k)}: {marshal_indent(v, indent, level + 1)}" for k, v in _items(value)]
        return "{\n" + ",\n".join(items) + "\n" + indent * level + "}"
    return marshal(value)

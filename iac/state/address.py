"""Resource and module addresses: parsing and formatting exactly as Terraform writes them.

    module.env["dev"].module.net[0].terraform_data.subnet["a"]
    \\_____ module instance path ______/ \\_ resource __/ \\key/

An instance key is `None` (no count/for_each), an `int` (count) or a `str` (for_each). String keys are
written JSON-quoted, as Terraform does.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

__all__ = [
    "NO_KEY",
    "AddressError",
    "InstanceAddress",
    "Key",
    "ModuleInstance",
    "PartialAddress",
    "format_key",
    "format_module",
    "instance_sort_key",
    "parse_address",
    "parse_module",
]

Key = int | str | None
ModuleInstance = tuple[tuple[str, Key], ...]
"""A module instance path from the root: `(("env", "dev"), ("net", 0))`; `()` is the root module."""


class _NoKey:
    def __repr__(self) -> str:
        return "NO_KEY"


NO_KEY = _NoKey()
"""In a parsed address: no `[key]` was written (the whole resource, or every module instance)."""


class AddressError(ValueError):
    """A string that is not a valid address."""


def format_key(key: Key) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return "[" + json.dumps(key, ensure_ascii=False) + "]"


def format_module(module: ModuleInstance) -> str:
    """`(("env", "dev"),)` -> `module.env["dev"]`; the root module is ``."""
    if not module:
        return ""
    return ".".join(f"module.{name}{format_key(key)}" for name, key in module)


class InstanceAddress(NamedTuple):
    """One resource instance: where it lives, what it is, and its key."""

    module: ModuleInstance
    mode: str  # "managed" or "data"
    type: str
    name: str
    key: Key = None

    @property
    def resource(self) -> str:
        """`data.T.N` or `T.N`, without module or key."""
        return f"data.{self.type}.{self.name}" if self.mode == "data" else f"{self.type}.{self.name}"

    def __str__(self) -> str:
        key = self.key
        local = f"{self.type}.{self.name}" if self.mode == "managed" else f"data.{self.type}.{self.name}"
        if key is not None:
            local += f"[{key}]" if isinstance(key, int) else format_key(key)
        return f"{format_module(self.module)}.{local}" if self.module else local

    def resource_address(self) -> str:
        """The resource address without instance key: `module.env["dev"].terraform_data.x`."""
        module = format_module(self.module)
        return f"{module}.{self.resource}" if module else self.resource


def instance_sort_key(address: InstanceAddress) -> tuple[object, ...]:
    """Terraform's order: module instances, then mode (data first), type, name, then keys (no key,
    ints numerically, strings lexicographically)."""
    module, mode, rtype, name, key = address
    return (
        tuple([(step, _key_order(step_key)) for step, step_key in module]) if module else (),
        0 if mode == "data" else 1,
        rtype,
        name,
        _NO_KEY_ORDER if key is None else _key_order(key),
    )


_NO_KEY_ORDER = (0, 0, "")


def _key_order(key: Key) -> tuple[int, int, str]:
    if key is None:
        return (0, 0, "")
    if isinstance(key, int):
        return (1, key, "")
    return (2, 0, key)


_TOKEN = re.compile(r'\s*(?:([A-Za-z_][A-Za-z0-9_-]*)|\[\s*(-?\d+|"(?:[^"\\]|\\.)*"|\*)\s*\]|(\.))')


def _tokens(text: str) -> list[tuple[str, object]]:
    tokens: list[tuple[str, object]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise AddressError(f"invalid address {text!r}")
        ident, index, dot = match.groups()
        if ident is not None:
            tokens.append(("name", ident))
        elif index is not None:
            tokens.append(("key", index if index == "*" else (json.loads(index) if index[0] == '"' else int(index))))
        elif dot:
            tokens.append(("dot", "."))
        pos = match.end()
    return tokens


class PartialAddress(NamedTuple):
    """A parsed address that may stop at a module, or at a resource without key.

    `resource` is `None` for a module address (`module.a` / `module.a[0]`); `key` is `NO_KEY` when no
    instance key was written. The last module step's key may also be `NO_KEY` (`module.a` = every
    instance of the call)."""

    module: tuple[tuple[str, object], ...]
    resource: tuple[str, str, str] | None  # (mode, type, name)
    key: object

    def instance(self) -> InstanceAddress:
        """The instance address this names (no key written = the single instance)."""
        if self.resource is None:
            raise AddressError(f"{self} is a module, not a resource instance")
        module = tuple((n, None if k is NO_KEY else k) for n, k in self.module)
        key = None if self.key is NO_KEY else self.key
        return InstanceAddress(module, *self.resource, key)  # type: ignore[arg-type]

    def __str__(self) -> str:
        parts = [f"module.{n}{'' if k is NO_KEY else format_key(k)}" for n, k in self.module]  # type: ignore[arg-type]
        if self.resource:
            mode, rtype, name = self.resource
            parts.append(f"data.{rtype}.{name}" if mode == "data" else f"{rtype}.{name}")
            if self.key is not NO_KEY:
                parts[-1] += format_key(self.key)  # type: ignore[arg-type]
        return ".".join(parts)


def parse_address(text: str) -> PartialAddress:
    """Parse `module.a[0].T.N["k"]`, `T.N`, `data.T.N`, `module.a` (moved/removed/import/-replace forms)."""
    tokens = _tokens(text.strip())
    names: list[tuple[str, object]] = []  # (name, key)
    expect_name = True
    for kind, value in tokens:
        if kind == "name" and expect_name:
            names.append((str(value), NO_KEY))
            expect_name = False
        elif kind == "dot" and not expect_name:
            expect_name = True
        elif kind == "key" and not expect_name and names[-1][1] is NO_KEY and value != "*":
            names[-1] = (names[-1][0], value)
        else:
            raise AddressError(f"invalid address {text!r}")
    if expect_name:
        raise AddressError(f"invalid address {text!r}")
    module: list[tuple[str, object]] = []
    i = 0
    while i < len(names) and names[i][0] == "module" and names[i][1] is NO_KEY and i + 1 < len(names):
        module.append(names[i + 1])
        i += 2
    rest = names[i:]
    if not rest:
        return PartialAddress(tuple(module), None, NO_KEY)
    if rest[0] == ("data", NO_KEY) and len(rest) == 3 and rest[1][1] is NO_KEY:
        return PartialAddress(tuple(module), ("data", rest[1][0], rest[2][0]), rest[2][1])
    if len(rest) == 2 and rest[0][1] is NO_KEY:
        return PartialAddress(tuple(module), ("managed", rest[0][0], rest[1][0]), rest[1][1])
    raise AddressError(f"invalid address {text!r}")


def parse_module(text: str) -> ModuleInstance:
    """Parse a module instance address as state writes it (`module.env["dev"]`; `` for the root)."""
    if not text:
        return ()
    parsed = parse_address(text)
    if parsed.resource is not None:
        raise AddressError(f"invalid module address {text!r}")
    return tuple((n, None if k is NO_KEY else k) for n, k in parsed.module)  # type: ignore[misc]

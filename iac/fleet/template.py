"""Factor a member's identity out of its plan, so that the same change in two members compares equal.

A member's *identity* is its key and every field of its value that is different in every member (a cost
center, a VPC id): what makes it this member rather than another. Any other field (`max_workers = 8` in 49
teams, 4 in one) is a setting, and a member whose setting differs has a different change.

`template(value, identity)` replaces each occurrence of an identity value inside a string *leaf* with a
placeholder; attribute names, map keys and numbers are never touched. So `data_security_mode` stays
itself for a team called `security`, and a literal that merely contains a key (`provisioning_info` for a
team called `vision`) is compared by instantiation rather than by text: `instantiate(T, identity)` puts a
member's own values back, and a member belongs to the majority's change T exactly when T, instantiated
with its identity, is its change (`matches`). Placeholders are `\\x00<field>\\x01`, which no JSON text
from a plan holds.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iac._jsonio import canonical_json

__all__ = ["KEY_FIELD", "Identity", "canonical", "identities", "instantiate", "placeholder", "template",
           "template_address"]

KEY_FIELD = "key"
_OPEN, _CLOSE = "\x00", "\x01"
_PLACEHOLDER = re.compile("\x00([^\x00\x01]*)\x01")
_MIN_LENGTH = 2
"""Shorter identity values (a one-letter key) are not factored out: they would match inside every word."""


def placeholder(field: str) -> str:
    return f"{_OPEN}{field}{_CLOSE}"


@dataclass(frozen=True)
class Identity:
    """One member's identity: `(field, value)` pairs, longest value first (so `cc-2001` is replaced before
    a shorter value it contains), the key always among them."""

    key: str
    pairs: tuple[tuple[str, str], ...]

    def as_dict(self) -> dict[str, str]:
        return dict(self.pairs)

    def text(self, value: str) -> str:
        """One string with this identity factored out (`template` for a single leaf)."""
        return _template_text(value, self)


def identities(members: Sequence[Any], keys: Sequence[str]) -> list[Identity]:
    """The identity of every member: its key plus the fields whose string values differ in every member."""
    flat = [_fields(member) for member in members]
    names = set().union(*(f.keys() for f in flat)) if flat else set()
    chosen = []
    for name in sorted(names):
        values = [f.get(name) for f in flat]
        strings = [v for v in values if isinstance(v, str) and len(v) >= _MIN_LENGTH]
        if len(strings) == len(values) and len(set(strings)) == len(strings):
            chosen.append(name)
    out = []
    for key, fields in zip(keys, flat, strict=True):
        pairs = {KEY_FIELD: key} if len(key) >= _MIN_LENGTH else {}
        for name in chosen:
            value = fields[name]
            if name != KEY_FIELD and value not in pairs.values():
                pairs[name] = value
        out.append(Identity(key, tuple(sorted(pairs.items(), key=lambda item: (-len(item[1]), item[0])))))
    return out


_DATACLASS_FIELDS: dict[type, tuple[str, ...]] = {}
"""Field names per dataclass: a fleet's members are a thousand values of one class."""


def _fields(member: Any) -> dict[str, Any]:
    """A member value's fields, flattened: `subnet_ids[0]`; dataclasses, pydantic models and plain objects."""
    names = _DATACLASS_FIELDS.get(type(member))
    if names is None and dataclasses.is_dataclass(member) and not isinstance(member, type):
        names = _DATACLASS_FIELDS[type(member)] = tuple(f.name for f in dataclasses.fields(member))
    if names is not None:
        raw = {name: getattr(member, name) for name in names}
    elif hasattr(member, "model_dump"):
        raw = member.model_dump()
    elif isinstance(member, Mapping):
        raw = dict(member)
    else:
        raw = dict(getattr(member, "__dict__", {}))
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                out[f"{name}[{index}]"] = item
        else:
            out[name] = value
    return out


def template(value: Any, identity: Identity) -> Any:
    """`value` with every identity value inside its string leaves replaced by its placeholder."""
    if isinstance(value, str):
        return _template_text(value, identity)
    if isinstance(value, dict):
        return {k: template(v, identity) for k, v in value.items()}
    if isinstance(value, list):
        return [template(v, identity) for v in value]
    return value


def _template_text(text: str, identity: Identity) -> str:
    """One pass, longest value first at each position: a placeholder once written is never searched again
    (`sg-0018` becomes `\x00security_group_ids[0]\x01`, and a key `security` must not match inside it)."""
    if not identity.pairs:
        return text
    pattern, fields = _pattern(identity.pairs)
    return pattern.sub(lambda m: fields[m.group(0)], text)


@functools.lru_cache(maxsize=4096)
def _pattern(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    fields: dict[str, str] = {}
    for field, value in pairs:  # longest first (Identity's order): the alternation prefers the longest match
        fields.setdefault(value, placeholder(field))
    return re.compile("|".join(re.escape(value) for value in fields)), fields


def template_address(address: str, resource_type: str, identity: Identity) -> str:
    """An address with identity values factored out of everything but its resource type."""
    start = address.find(resource_type + ".")
    if start < 0:
        return _template_text(address, identity)
    end = start + len(resource_type) + 1
    return _template_text(address[:start], identity) + address[start:end] + _template_text(address[end:], identity)


def instantiate(value: Any, identity: Identity | Mapping[str, str]) -> Any:
    """The inverse of `template` for one member: placeholders replaced by that member's values."""
    fields = identity.as_dict() if isinstance(identity, Identity) else identity
    if isinstance(value, str):
        if _OPEN not in value:
            return value
        return _PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {k: instantiate(v, fields) for k, v in value.items()}
    if isinstance(value, list):
        return [instantiate(v, fields) for v in value]
    return value


def canonical(value: Any) -> str:
    """The text two templates are compared by (sorted keys, exact numbers)."""
    return canonical_json(value)

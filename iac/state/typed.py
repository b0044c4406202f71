"""State attributes decoded in the state file's own decoding pass, for resource types whose attribute
shape never changes (Terraform's built-in `terraform_data`).

Why: the reader keeps every other object's attributes as raw JSON and a planner decodes them later,
so each object's bytes are parsed twice (a skip, then a decode); for `terraform_data` that second parse
was the largest single cost of planning 100,000 resources. Decoding them typed in the first pass parses
them once, and keeps each dynamic value as compact JSON text until the planner needs it (`Wrapped`).
`DataAttributes` is strict (an unknown key, a non-object value: a validation error): the reader then falls
back to raw attributes, so a state this module does not fully understand is read exactly as before, and
the planner decodes those raw attributes with `decode_data_attributes` (unknown keys ignored, the same
structs otherwise, so both ways share an unchanged `output` and adopt equal configuration values).
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import msgspec

from iac._jsonio import canonical_bytes, format_decimal, infer_type
from iac._jsonread import decode_exact, go_json

__all__ = ["DataAttributes", "Wrapped", "decode_data_attributes", "types_beyond_json_read"]


class _Copy(msgspec.Struct, gc=False):
    """`output` as read: its value only. After an apply it is a copy of `input` (value and type: Terraform
    writes them together) and becomes that very `Wrapped`; one that is not (never written by an apply) is
    kept as a `Wrapped` of its JSON type."""

    held: msgspec.Raw = msgspec.field(default=msgspec.Raw(b"null"), name="value")
    """Decoded as the value's raw JSON, which `DataAttributes` turns into its compact text (bytes: JSON
    never decodes to bytes, so bytes here always mean "not decided yet"); once decided, the value itself
    (one slot, not two)."""


class Wrapped(_Copy, gc=False):
    """A dynamic attribute as state stores it, `{"value": V, "type": T}`, kept as the compact JSON text of
    V and decoded on first use (`value`), or never: `value_like` adopts an equal configuration value.

    Why: at 100,000 resources nearly every value only has to be found equal to its configuration;
    decoding each one built ~10 objects per instance for nothing (a third of the state phase). Equal
    compact texts mean equal values (numbers exact, same spelling), so adopting the configuration's
    object is exact; any other text is decoded as before.

    The type is kept as one shared compact text per distinct type (`type_text`): Terraform compares a
    dynamic value with its type (a list is not a set, a map not an object, whatever their JSON), and a
    reference to the attribute sees that type. Kept as raw JSON it would keep the whole state file's bytes
    alive (217 MB at 100,000 resources); interned, a large state holds a handful of texts."""

    type_text: msgspec.Raw = msgspec.field(default=msgspec.Raw(), name="type")
    """The type's raw JSON from the decoder, then its interned compact text (`_compact`); empty when the
    state has none (then the value's JSON type is assumed)."""

    def _compact(self, attribute: str) -> None:
        # compact, and copied out of the state file's buffer so that the buffer is freed after the read;
        # only raw JSON from the decoder: a copy of a Wrapped (copy, pickle) holds text or a value already
        if type(self.held) is msgspec.Raw:
            self.held = msgspec.json.format(self.held, indent=-1)  # type: ignore[assignment]
        kind = self.type_text
        if type(kind) is msgspec.Raw and kind:  # bytes from here on, one object per distinct type
            self.type_text = _type_text(kind, attribute)  # type: ignore[assignment]

    @property
    def type_beyond_json(self) -> Any:
        """The value's type when its JSON does not give it (a list, set or map inside), else None."""
        text = self.type_text
        return _BEYOND_JSON.get(text) if text else None  # type: ignore[call-overload]

    @property
    def value(self) -> Any:
        held: Any = self.held
        if type(held) is bytes:
            held = self.held = decode_exact(held)
        return held

    def value_like(self, candidate: Any) -> Any:
        """The value, as `candidate` itself when its canonical JSON is this text. The candidate must be
        what the JSON decoder builds (dicts, lists, exact numbers: no Python float, which would encode
        like a Decimal but is not an exact number to `iac.values.strict_equal`)."""
        held: Any = self.held
        if type(held) is not bytes:
            return held
        try:
            same = canonical_bytes(candidate) == held
        except (TypeError, ValueError, OverflowError):  # not plain JSON (an Unknown, say): decode
            same = False
        if same:
            self.held = candidate
            return candidate
        return self.value

    def as_json(self) -> dict[str, Any]:
        kept = self.type_text
        return {"value": self.value, "type": decode_exact(kept) if kept else infer_type(self.value)}


_BEYOND_JSON: dict[bytes, Any] = {}
"""Interned type text -> the type, for the types their JSON does not give (a list, set or map inside)."""


def types_beyond_json_read() -> bool:
    """Whether any state read in this process holds a dynamic value whose type its JSON does not give:
    until one does, no object's type needs looking at (the 100,000 objects of a large state)."""
    return bool(_BEYOND_JSON)


_TYPE_TEXTS: dict[bytes, bytes] = {}
"""Raw type JSON as the state file spells it -> its compact text, one object per distinct type."""


_RECENT_TYPES: list[tuple[msgspec.Raw, bytes]] = []
"""The raw types last interned (copies: the state file's buffer is not kept) with their texts."""


def _type_text(kind: msgspec.Raw, attribute: str) -> bytes:
    """The interned text of a raw type (`attribute` names it in the error for what is no type)."""
    # a state holds few distinct types: compares with the recent ones, not a copy and a lookup
    for index, (seen, text) in enumerate(_RECENT_TYPES):
        if kind == seen:
            if index:  # first from now on: the inline check in `DataAttributes` looks there only
                _RECENT_TYPES.insert(0, _RECENT_TYPES.pop(index))
            return text
    return _interned_type(kind, attribute)


def _interned_type(raw: msgspec.Raw, attribute: str) -> bytes:
    """The shared compact text of a raw type; a ValueError naming `attribute` for what is no type (the state
    is refused, as Terraform refuses it)."""
    key = bytes(raw)
    text = _TYPE_TEXTS.get(key)
    if text is None:
        compact = msgspec.json.format(key, indent=-1)
        try:
            kind = _type_of(compact)  # once per distinct type: is it one?
        except ValueError as error:
            raise ValueError(f"{attribute}: {error}") from None
        text = _TYPE_TEXTS[key] = _TYPE_TEXTS.setdefault(compact, compact)
        from iac.lang.cty import beyond_json

        if beyond_json(kind):
            _BEYOND_JSON[text] = kind
    _RECENT_TYPES.insert(0, (msgspec.Raw(key), text))
    del _RECENT_TYPES[4:]
    return text


@functools.cache
def _type_of(text: bytes) -> Any:
    from iac.lang.cty import type_from_json

    try:
        return type_from_json(decode_exact(text))
    except (ValueError, AttributeError, TypeError) as error:
        raise ValueError(f"the type of its value is invalid ({error})") from None


class DataAttributes(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """The attributes of a `terraform_data` object, decoded by the state reader's own pass: strict (an
    unknown key, a non-object value: a validation error, and the reader falls back to raw attributes).

    `output` is the very object of `input` when their texts are the same. Why: after an apply, `output`
    is a copy of `input`; decoding both built every value twice (about a third of a large state's
    objects at 100,000 resources). Equal text means equal values, so the shared object is exact;
    different text (another value, or only another spelling) is kept apart."""

    id: str | None = None
    input: Wrapped | None = None
    output: _Copy | None = None
    """A `Wrapped` once decoded (`__post_init__`)."""
    triggers_replace: Wrapped | None = None

    def __post_init__(self) -> None:
        # one call per object, not one per value: the decoder calls this for each of 100,000 objects
        source, copy, trigger = self.input, self.output, self.triggers_replace
        if copy is not None:
            if source is not None and type(copy.held) is msgspec.Raw and copy.held == source.held:
                self.output = source  # the texts as stored (both raw), compared before compacting
            elif type(copy) is _Copy:
                self.output = Wrapped(msgspec.json.format(copy.held, indent=-1))  # type: ignore[arg-type]  # text
        if source is not None:  # `_compact`, inline: once per object of a large state
            if type(source.held) is msgspec.Raw:
                source.held = msgspec.json.format(source.held, indent=-1)  # type: ignore[assignment]
            kind = source.type_text
            if kind:
                recent = _RECENT_TYPES[0] if _RECENT_TYPES else None
                source.type_text = recent[1] if recent is not None and kind == recent[0] else _type_text(kind, "input")  # type: ignore[assignment]
        if trigger is not None:
            trigger._compact("triggers_replace")

    def as_json(self) -> dict[str, Any]:
        """The attributes as the state file holds them (dynamic values wrapped with their type)."""
        return {"id": self.id, "input": _json(self.input), "output": _json(self.output),
                "triggers_replace": _json(self.triggers_replace)}


class _LenientDataAttributes(DataAttributes, forbid_unknown_fields=False):
    """The same attributes, unknown keys ignored: what the planner reads from raw state JSON. An `id` written
    as a number or bool is read as its string, as Terraform's state decoder converts it."""

    id: str | bool | int | float | None = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.id is not None and type(self.id) is not str:
            self.id = str(self.id).lower() if isinstance(self.id, bool) else format_decimal(Decimal(str(self.id)))
        super().__post_init__()


_LENIENT = msgspec.json.Decoder(_LenientDataAttributes)


def decode_data_attributes(raw: bytes) -> DataAttributes:
    """`terraform_data` attributes from their raw state JSON (exact numbers, the wrappers' types skipped);
    invalid UTF-8 is read as Go reads it (U+FFFD)."""
    try:
        return _LENIENT.decode(raw)
    except msgspec.ValidationError:
        raise
    except msgspec.DecodeError:
        fixed = go_json(bytes(raw))
        if fixed == bytes(raw):
            raise
        return _LENIENT.decode(fixed)


def _json(wrapped: _Copy | None) -> Any:
    if wrapped is None:
        return None
    assert isinstance(wrapped, Wrapped)  # `DataAttributes.__post_init__` made each one a Wrapped
    return wrapped.as_json()

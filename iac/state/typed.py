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

from decimal import Decimal
from typing import Any

import msgspec

from iac._jsonio import canonical_bytes, format_decimal, infer_type
from iac._jsonread import decode_exact, go_json

__all__ = ["DataAttributes", "Wrapped", "decode_data_attributes"]


class Wrapped(msgspec.Struct, gc=False):
    """A dynamic attribute as state stores it, `{"value": V, "type": T}`, kept as the compact JSON text of
    V and decoded on first use (`value`), or never: `value_like` adopts an equal configuration value.

    Why: at 100,000 resources nearly every value only has to be found equal to its configuration;
    decoding each one built ~10 objects per instance for nothing (a third of the state phase). Equal
    compact texts mean equal values (numbers exact, same spelling), so adopting the configuration's
    object is exact; any other text is decoded as before.

    The type is skipped, not kept: iac never plans with it, and keeping it as raw JSON kept the whole
    state file's bytes alive (217 MB at 100,000 resources). `as_json` infers it from the value, which
    gives what a JSON configuration stores (objects and tuples)."""

    held: msgspec.Raw = msgspec.field(default=msgspec.Raw(b"null"), name="value")
    """Decoded as the value's raw JSON, which `DataAttributes` turns into its compact text (bytes: JSON
    never decodes to bytes, so bytes here always mean "not decided yet"); once decided, the value itself
    (one slot, not two)."""

    def _compact(self) -> None:
        # compact, and copied out of the state file's buffer so that the buffer is freed after the read;
        # only raw JSON from the decoder: a copy of a Wrapped (copy, pickle) holds text or a value already
        if type(self.held) is msgspec.Raw:
            self.held = msgspec.json.format(self.held, indent=-1)  # type: ignore[assignment]

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
        return {"value": self.value, "type": infer_type(self.value)}


class DataAttributes(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """The attributes of a `terraform_data` object, decoded by the state reader's own pass: strict (an
    unknown key, a non-object value: a validation error, and the reader falls back to raw attributes).

    `output` is the very object of `input` when their texts are the same. Why: after an apply, `output`
    is a copy of `input`; decoding both built every value twice (about a third of a large state's
    objects at 100,000 resources). Equal text means equal values, so the shared object is exact;
    different text (another value, or only another spelling) is kept apart."""

    id: str | None = None
    input: Wrapped | None = None
    output: Wrapped | None = None
    triggers_replace: Wrapped | None = None

    def __post_init__(self) -> None:
        # one call per object, not one per value: the decoder calls this for each of 100,000 objects
        source, copy, trigger = self.input, self.output, self.triggers_replace
        if copy is not None:
            if source is not None and type(copy.held) is msgspec.Raw and copy.held == source.held:
                self.output = source  # the texts as stored (both raw), compared before compacting
            else:
                copy._compact()
        if source is not None:
            source._compact()
        if trigger is not None:
            trigger._compact()

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


def _json(wrapped: Wrapped | None) -> Any:
    return None if wrapped is None else wrapped.as_json()

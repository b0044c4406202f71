"""State attributes decoded in the state file's own decoding pass, for resource types whose attribute
shape never changes (Terraform's built-in `terraform_data`).

Why: the reader keeps every other object's attributes as raw JSON and a planner decodes them later,
so each object's bytes are parsed twice (a skip, then a decode); for `terraform_data` that second parse
was the largest single cost of planning 100,000 resources. Decoding them typed in the first pass parses
them once. The structs are strict (unknown keys, a non-object value: a validation error): the reader then
falls back to raw attributes, so a state this module does not fully understand is read exactly as before.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

__all__ = ["DataAttributes", "Wrapped"]


class Wrapped(msgspec.Struct, forbid_unknown_fields=True):
    """A dynamic attribute as state stores it, `{"value": V, "type": T}`: the value decoded, the type
    kept as raw JSON (iac never needs it; `as_json` decodes it for callers that show the state)."""

    value: Any = None
    type: msgspec.Raw = msgspec.Raw()

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "type": _ANY.decode(self.type) if len(self.type) else None}


class DataAttributes(msgspec.Struct, forbid_unknown_fields=True):
    """The attributes of a `terraform_data` object."""

    id: str | None = None
    input: Wrapped | None = None
    output: Wrapped | None = None
    triggers_replace: Wrapped | None = None

    def as_json(self) -> dict[str, Any]:
        """The attributes as the state file holds them (dynamic values wrapped with their type)."""
        return {"id": self.id, "input": _json(self.input), "output": _json(self.output),
                "triggers_replace": _json(self.triggers_replace)}


_ANY = msgspec.json.Decoder(float_hook=Decimal)


def _json(wrapped: Wrapped | None) -> Any:
    return None if wrapped is None else wrapped.as_json()

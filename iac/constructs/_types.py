"""Field types shared by constructs: a value or a reference to one, checked strictly (no "2" -> 2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Strict

from iac.constructs._base import Ref

__all__ = ["Bool", "Num", "Str", "StrMap"]


def _no_float_strings(value: Any) -> Any:
    if isinstance(value, str) and not value.startswith("${"):
        raise ValueError("expected a number, got str")
    return value


Str = Annotated[str, Strict()] | Ref
Num = Annotated[int, Strict()] | Annotated[Decimal, BeforeValidator(_no_float_strings)] | Ref
Bool = Annotated[bool, Strict()] | Ref
StrMap = dict[str, Str]

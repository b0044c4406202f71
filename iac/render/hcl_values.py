"""Values written as Terraform's `output` command writes them (HCL syntax: quoted strings, `"key" = value` maps,
one element per line in lists), for `iac output`."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

__all__ = ["hcl_value"]


def hcl_value(value: Any, indent: int = 0) -> str:
    """`value` (JSON-shaped, numbers exact) as HCL, nested blocks indented by two spaces per level."""
    pad = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = [f"{pad}{json.dumps(str(k), ensure_ascii=False)} = {hcl_value(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + "\n".join(lines) + "\n" + "  " * indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "".join(f"{pad}{hcl_value(v, indent + 1)},\n" for v in value) + "  " * indent + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | float):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    text = str(value)
    if "\n" in text.rstrip("\n"):  # Terraform writes multi-line strings as a heredoc
        return "<<EOT\n" + text.rstrip("\n") + "\nEOT"
    return json.dumps(text, ensure_ascii=False)

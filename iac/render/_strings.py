"""String forms Terraform's plan renderer uses: Go quoting, HCL identifiers, colour tags, wrapping.

Terraform is written in Go and its renderer formats with Go's `%q`, checks keys with HCL's
identifier rule and colours with `colorstring` tags (`[red]`, `[reset]`...). Reproducing those
three exactly is what makes our text byte-identical to `terraform show`.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from iac._go import go_quote
from iac._jsonio import format_decimal

__all__ = ["JsonNumber", "colorize", "go_quote", "go_trim_space", "number_text", "parse_json_prefix", "quote_key", "word_wrap"]

# colorstring's default palette (github.com/mitchellh/colorstring), the names Terraform uses.
_COLOURS = {
    "default": "39", "_default_": "49", "black": "30", "red": "31", "green": "32", "yellow": "33",
    "blue": "34", "magenta": "35", "cyan": "36", "light_gray": "37", "dark_gray": "90",
    "light_red": "91", "light_green": "92", "light_yellow": "93", "light_blue": "94",
    "light_magenta": "95", "light_cyan": "96", "white": "97", "reset": "0", "bold": "1",
    "dim": "2", "underline": "4", "blink_slow": "5", "blink_fast": "6", "invert": "7", "hidden": "8",
}
_TAG = re.compile(r"(?i)\[[a-z0-9_-]+\]")


def colorize(text: str, enabled: bool) -> str:
    """colorstring's `Color`: known tags become ANSI codes (or vanish), and one reset is appended
    after any coloured text. Terraform calls it per fragment, so callers do the same."""
    if "[" not in text:
        return text
    coloured = False

    def replace(match: re.Match[str]) -> str:
        nonlocal coloured
        code = _COLOURS.get(match.group(0)[1:-1])
        if code is None:
            return match.group(0)
        coloured = True
        return f"\033[{code}m" if enabled else ""

    result = _TAG.sub(replace, text)
    return result + "\033[0m" if coloured and enabled else result


def _valid_identifier(name: str) -> bool:
    # HCL: (ID_Start | "_") (ID_Continue | "-")*
    if not name or name[0] == "-":
        return False
    return name.replace("-", "_").isidentifier()


def quote_key(name: str) -> str:
    """An object attribute name as Terraform prints it: bare when it is an HCL identifier."""
    return name if _valid_identifier(name) else go_quote(name)


# Go's unicode.IsSpace (Python's str.strip also strips \x1c-\x1f, which Go keeps).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def go_trim_space(text: str) -> str:
    return text.strip(_GO_SPACE)


class JsonNumber:
    """A number read from a JSON string value, kept as its literal text (Go's `json.Number`):
    Terraform prints embedded JSON numbers exactly as written and compares them as text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"JsonNumber({self.text!r})"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"not JSON: {name}")


_DECODER = json.JSONDecoder(parse_float=JsonNumber, parse_int=JsonNumber, parse_constant=_reject_constant)


def parse_json_prefix(text: str) -> tuple[bool, Any]:
    """Go's `json.Decoder.Decode` on a string starting with `{` or `[`: the first JSON value,
    trailing text ignored. Returns (is_json, value)."""
    if not (text.startswith("{") or text.startswith("[")):
        return False, None
    try:
        value, _ = _DECODER.raw_decode(text)
    except ValueError:
        return False, None
    return True, value


def number_text(value: Any) -> str:
    """A plan number as Terraform prints it: plain positional notation."""
    if isinstance(value, JsonNumber):
        return value.text
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def word_wrap(text: str, width: int = 78) -> str:
    """Terraform's `format.WordWrap`: wrap each line to `width - 1` columns at spaces; lines that
    start with a space are left alone."""
    limit = width - 1
    lines = []
    for line in text.split("\n"):
        if line.startswith(" ") or len(line) <= limit:
            lines.append(line)
            continue
        current = ""
        for word in line.split(" "):
            if current and len(current) + 1 + len(word) > limit:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
    return "\n".join(lines)

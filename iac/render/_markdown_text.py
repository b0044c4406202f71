"""Markdown escaping and number formatting for the Markdown renderer.

Everything that comes from users or providers (messages, fix hints, addresses, values) goes through
one of these before it reaches the comment, so a `|`, a backtick or a `<script>` in a value can never
break the table, the fence or the page. Control, format and bidirectional characters (U+202E turns
`exe.png` into what reads as `gnp.exe`) are shown as escapes, and an `@name` in running text is set as
code, so a value never notifies a person or a team.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from iac._jsonio import format_decimal
from iac.diagnostics import printable

__all__ = ["code", "fence", "html_text", "money", "money_value", "scalar", "signed_money", "sum_money", "text"]

_SPECIAL = re.compile(r"([\\`*_\[\]|~#!])")
_MENTION = re.compile(r"(?<![\w`])@([A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9_.-]+)?)")
_CURRENCY = {"USD": "$", "EUR": "€", "GBP": "£"}


def text(value: str) -> str:
    """Inline text with Markdown, HTML and mentions neutralised, on one line."""
    value = printable(" ".join(value.split()))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub(r"`@\1`", _SPECIAL.sub(r"\\\1", value))


def html_text(value: str, *, in_code: bool = False) -> str:
    """Text for an HTML element (`<summary>`, `<code>`): escaped, printable, and outside code mention-free."""
    escaped = html.escape(printable(value))
    return escaped if in_code else _MENTION.sub(r"<code>@\1</code>", escaped)


def code(value: str, *, in_table: bool = False) -> str:
    """An inline code span that survives backticks (and pipes, inside a table) in `value`."""
    value = printable(" ".join(value.split()))
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if longest or value.startswith("`") or value.endswith("`") else ""
    span = f"{ticks}{pad}{value}{pad}{ticks}"
    return span.replace("|", "\\|") if in_table else span


def fence(info: str, lines: Iterable[str]) -> str:
    """A fenced code block whose fence is longer than any backtick run inside it."""
    body = [printable(line) for line in lines]
    longest = max((len(run) for line in body for run in re.findall(r"`{3,}", line)), default=0)
    ticks = "`" * max(3, longest + 1)
    return "\n".join([f"{ticks}{info}", *body, ticks])


def scalar(value: Any) -> str:
    """A JSON-ish rendering of a plain value for a diff line."""
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=lambda d: format_decimal(d))


def money_value(raw: Any) -> Decimal | None:
    """A money amount from the plan's decimal strings; None when absent or not a number."""
    if raw is None or isinstance(raw, bool):
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def sum_money(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def money(value: Decimal, currency: str = "USD") -> str:
    """`$1,234.50`; currencies without a symbol print their code: `CHF 12.00`."""
    try:
        amount = f"{abs(value).quantize(Decimal('0.01')):,}"
    except InvalidOperation:  # a figure of more digits than a Decimal context holds (a crafted plan file)
        amount = format_decimal(abs(value))
    sign = "-" if value < 0 else ""
    symbol = _CURRENCY.get(currency)
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{currency} {amount}"


def signed_money(value: Decimal, currency: str = "USD") -> str:
    """A delta with an explicit sign: `+$27.50`, `-$3.00`, `$0.00`."""
    if value > 0:
        return "+" + money(value, currency)
    return money(value, currency)

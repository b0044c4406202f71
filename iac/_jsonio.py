"""Deterministic JSON: exact numbers in, byte-identical text out, files written atomically.

Terraform numbers are arbitrary-precision decimals (see the value model in the design notes):
we parse every JSON number that has a fraction or exponent as `Decimal`, never as float, and write
numbers in plain positional notation (`1e21` -> `1000000000000000000000`, `500.0` -> `500`), as
Terraform does. Keys are always sorted so the same value always gives the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

__all__ = ["EXACT_DECODER", "atomic_write", "canonical_bytes", "canonical_json", "compact", "dumps", "format_decimal",
           "holds_float", "infer_type", "loads", "read_json"]

# Decimals are emitted through the C encoder as a marked string, then unquoted: one pass, no copy.
_MARK = "\x00dec:"
_MARKED = re.compile(r'"\\u0000dec:(-?[0-9.]+)"')


def format_decimal(value: Decimal) -> str:
    """Plain positional notation, no exponent, no trailing `.0`, `-0` as `0`."""
    if value.is_nan() or value.is_infinite():
        raise ValueError(f"not a finite number: {value}")
    text = format(value, "f")  # exact: normalize() would round to the context's 28 digits
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        if value.is_finite() and value.adjusted() < 18 and value == value.to_integral_value():  # not abs(): it overflows past 1e999999
            return int(value)
        return _MARK + format_decimal(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: Any, *, indent: int | None = 2, sort_keys: bool = True) -> str:
    """Serialise deterministically. With `indent`, the text ends with a newline."""
    if not sort_keys:
        return _stdlib_dumps(value, indent=indent, sort_keys=False)
    text = compact(value)
    return msgspec.json.format(text, indent=indent) + "\n" if indent is not None else text


def _stdlib_dumps(value: Any, *, indent: int | None, sort_keys: bool = True) -> str:
    """The stdlib writer, for what msgspec cannot write as we want (non-string keys, unknown types:
    it raises the errors callers expect). Decimals go through it as marked strings, then unquoted."""
    separators = (",", ": ") if indent is not None else (",", ":")
    text = json.dumps(value, indent=indent, sort_keys=sort_keys, ensure_ascii=False,
                      separators=separators, default=_default, allow_nan=False)
    if _MARK[0] in text or "\\u0000" in text:
        text = _MARKED.sub(r"\1", text)
    return text + "\n" if indent is not None else text


def canonical_json(value: Any) -> str:
    """Compact, key-sorted JSON: the one canonical string form of a value (policy definitions...)."""
    return compact(value)


def compact(value: Any) -> str:
    """Compact, key-sorted JSON with exact numbers in plain notation, through msgspec's encoder (the
    stdlib one sorts keys through a Python list per object: writing a 220 MB plan JSON took 8 s).
    msgspec writes a Decimal as `str()` gives it (`1.50`, `1E+21`, `-0`), so in a value that holds one,
    every number token is rewritten in our plain notation. Values msgspec would write differently from the
    stdlib (non-string keys, NaN, types it does not know) take the stdlib path, which also raises the
    errors callers expect."""
    try:
        text = _MSGSPEC_ENCODE(value)
        # A Decimal is the one value the two encodings write differently (as a number, as a string):
        # two C-speed encodes are cheaper than scanning the text for number tokens from Python.
        has_decimal = len(text) != len(_MSGSPEC_ENCODE_DECIMAL_AS_STRING(value))
    except (TypeError, ValueError, OverflowError):
        return _stdlib_dumps(value, indent=None)
    if has_decimal:
        if b"NaN" in text or b"Infinity" in text:  # not finite (the stdlib path raises), or in a string
            return _stdlib_dumps(value, indent=None)
        text = _TOKENS.sub(_plain_number, text)
    return text.decode("utf-8")


def _plain_number(match: re.Match[bytes]) -> bytes:
    token = match.group(0)
    if token[0] == 0x22 or (token != b"-0" and not _INEXACT.search(token)):  # a string, or an integer: as written
        return token
    number = Decimal(token.decode("ascii"))
    if number.adjusted() < 18 and number == number.to_integral_value():  # not abs(): it overflows past 1e999999
        return str(int(number)).encode("ascii")
    return format_decimal(number).encode("ascii")


_MSGSPEC_ENCODE = msgspec.json.Encoder(order="sorted", decimal_format="number").encode
_MSGSPEC_ENCODE_DECIMAL_AS_STRING = msgspec.json.Encoder(order="sorted", decimal_format="string").encode
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*')
_INEXACT = re.compile(rb"[.eE]")


def canonical_bytes(value: Any) -> bytes:
    """The compact JSON Terraform's state holds for a plain JSON value: object keys sorted (cty writes
    object attributes and map keys sorted), numbers as spelt (a Decimal as `str` gives it, unlike
    `compact`, which rewrites it in plain notation). Raises TypeError for what is not plain JSON."""
    return _MSGSPEC_ENCODE(value)


def holds_float(value: Any) -> bool:
    """Does a JSON-like value hold a Python float anywhere (never true of what `loads` gives)?"""
    kind = type(value)
    if kind is float:
        return True
    if kind is dict:
        return any(holds_float(item) for item in value.values())
    if kind is list or kind is tuple:
        return any(holds_float(item) for item in value)
    return False


def loads(text: str | bytes) -> Any:
    """Parse JSON keeping numbers exact (`Decimal` for anything that is not a plain integer)."""
    return json.loads(text, parse_float=Decimal)


EXACT_DECODER = msgspec.json.Decoder(float_hook=Decimal)
"""`loads` at C speed (~2x faster), for bytes from files and state: numbers exact (`Decimal`), same values."""


def read_json(path: str | os.PathLike[str]) -> Any:
    with open(path, "rb") as handle:
        return loads(handle.read())


def atomic_write(path: str | os.PathLike[str], text: str | bytes, *, mode: int = 0o644) -> Path:
    """Write a whole file or nothing: temp file in the same directory, fsync, rename over."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def infer_type(value: Any) -> Any:
    """Terraform type JSON of a JSON-shaped value (objects -> object, arrays -> tuple)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return ["object", {k: infer_type(v) for k, v in value.items()}]
    if isinstance(value, list):
        return ["tuple", [infer_type(v) for v in value]]
    return "dynamic"

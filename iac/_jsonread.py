"""Reading JSON a user gave us (state, `*.tf.json`) as Terraform reads it: whatever Go's encoding/json accepts.

msgspec (iac's fast decoder) is stricter than Go in three ways, and each is handled here, on the slow path
only (a decode that succeeds costs nothing more):

* invalid UTF-8, and `\\u` escapes of lone UTF-16 surrogates: Go reads each invalid byte, and each lone
  surrogate, as U+FFFD (`encoding/json`: "replaced by the Unicode replacement character"); msgspec refuses.
* integers longer than Python's 4,300-digit conversion limit: Go's decoder keeps the digits (Terraform
  then reads a 512-bit number); msgspec refuses. They become exact `Decimal`s here.
* nesting: Go's decoder stops at 10,000 levels ("exceeded max depth"), which is Terraform's limit for state;
  Python's recursion limit (1,000 by default) stopped msgspec long before. `allow_depth` raises it for a
  document that needs it; deeper than `MAX_DEPTH` is an error (for configuration too: Terraform has no
  fixed limit there, but plans 800 levels in 30 s and grows quadratically, so 10,000 is far past use).
"""

from __future__ import annotations

import codecs
import json
import re
import resource
import sys
from collections.abc import Callable
from decimal import Decimal
from itertools import accumulate
from typing import Any, TypeVar

import msgspec

from iac._jsonio import EXACT_DECODER

__all__ = ["MAX_DEPTH", "DepthError", "allow_depth", "decode_deep", "decode_exact", "go_json", "json_depth"]

T = TypeVar("T")

MAX_DEPTH = 10_000
"""Go's encoding/json maxNestingDepth: the deepest JSON Terraform reads a state from."""

_FIRST_ATTEMPT = 1_000
"""Levels a document may nest before its depth is measured (`decode_deep`)."""
_FRAMES_PER_LEVEL = 8
"""Python frames one nesting level may take on its way through the planner and the renderers (generous)."""
_STACK_BYTES = 512 << 20
"""The main thread's C stack may grow to this (some of those frames go through C code)."""


class DepthError(ValueError):
    """JSON nested deeper than `MAX_DEPTH`."""

    def __init__(self, depth: int) -> None:
        super().__init__(f"nested {depth:,} levels deep; Terraform reads JSON nested at most {MAX_DEPTH:,} levels")
        self.depth = depth


def _replace_per_byte(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return "\ufffd" * (error.end - error.start), error.end


codecs.register_error("iac-go-utf8", _replace_per_byte)

# A \u escape of a UTF-16 surrogate that is not half of a pair (an odd run of backslashes before it).
_LONE_SURROGATE = re.compile(
    rb"(?<!\\)((?:\\\\)*)\\u(?:(?P<high>[dD][89abAB][0-9a-fA-F]{2})(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?P<low>[dD][c-fC-F][0-9a-fA-F]{2}))")
_PAIR = re.compile(rb"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})")


def go_json(data: bytes) -> bytes:
    """`data` with what Go reads as U+FFFD made U+FFFD: each invalid UTF-8 byte, each lone surrogate escape."""
    text = data.decode("utf-8", "iac-go-utf8").encode("utf-8")
    if b"\\u" not in text and b"\\U" not in text:
        return text
    # a valid pair is protected first (a high surrogate followed by a low one is one character)
    pairs: list[bytes] = []

    def protect(match: re.Match[bytes]) -> bytes:
        pairs.append(match.group(2))
        return match.group(1) + b"\\u\x00%d\x00" % (len(pairs) - 1)

    text = _PAIR.sub(protect, text)
    text = _LONE_SURROGATE.sub(lambda m: m.group(1) + b"\\ufffd", text)
    return re.sub(rb"\\u\x00(\d+)\x00", lambda m: b"\\u" + pairs[int(m.group(1))], text)


def decode_exact(data: bytes) -> Any:
    """`EXACT_DECODER.decode(data)`, reading what Go reads (see the module docstring). Raises
    `msgspec.DecodeError` for text that is not JSON, `RecursionError` for nesting deeper than Python's
    current limit (see `allow_depth`)."""
    try:
        return EXACT_DECODER.decode(data)
    except msgspec.ValidationError:  # an integer beyond 4,300 digits
        pass
    except msgspec.DecodeError:
        data = bytes(data)  # a msgspec.Raw from the state reader
        fixed = go_json(data)
        if fixed == data:
            raise
        data = fixed
        try:
            return EXACT_DECODER.decode(data)
        except msgspec.ValidationError:
            pass
    try:  # (the stdlib reads a lone surrogate escape as a lone surrogate: made U+FFFD first)
        return json.loads(go_json(bytes(data)), parse_float=Decimal, parse_int=_integer, parse_constant=_not_json)
    except ValueError as error:
        raise msgspec.DecodeError(str(error)) from None


def _integer(digits: str) -> int | Decimal:
    return int(digits) if len(digits) <= 4000 else Decimal(digits)


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def json_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON text (strings skipped). Linear, but in Python:
    for a document that failed to decode for its depth, not for every document."""
    brackets = _STRING.sub(b"", data).translate(_OPENS_CLOSES, _NOT_BRACKETS)
    # opens count 1, closes 0: after k brackets, with o opens among them, the depth is 2*o - k
    return max((2 * opens - index for index, opens in enumerate(accumulate(brackets), start=1)), default=0)


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_OPENS_CLOSES = bytes.maketrans(b"[{]}", b"\x01\x01\x00\x00")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[{]}")


def allow_depth(depth: int) -> None:
    """Let the interpreter work with values nested `depth` levels deep (raises only, never lowers: the value
    lives on through planning and rendering). `DepthError` beyond `MAX_DEPTH`. The main thread's C stack
    limit is raised too, but only for a document deeper than a first attempt allows: 8 MB carries the
    ordinary ones, and threads take their stack size from that limit."""
    if depth > MAX_DEPTH:
        raise DepthError(depth)
    needed = 2_000 + _FRAMES_PER_LEVEL * max(depth, _FIRST_ATTEMPT)
    if sys.getrecursionlimit() >= needed:
        return
    if depth > _FIRST_ATTEMPT:
        soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
        wanted = _STACK_BYTES if hard == resource.RLIM_INFINITY else min(hard, _STACK_BYTES)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            resource.setrlimit(resource.RLIMIT_STACK, (wanted, hard))
    sys.setrecursionlimit(needed)


def decode_deep(data: bytes, decode: Callable[[bytes], T] = decode_exact) -> T:  # type: ignore[assignment]
    """`decode(data)` (default `decode_exact`) for a document nested at most `MAX_DEPTH` levels, allowing
    the depth it needs; `DepthError` beyond. A first attempt runs with room for about a thousand levels
    (what any real document needs, at no extra cost); only a document that fails it is measured exactly,
    so a process whose limit a deep document raised still refuses what is deeper than `MAX_DEPTH`."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_depth_now() + _FIRST_ATTEMPT)
    try:
        value = decode(data)
    except RecursionError:
        value = _DEEP
    finally:
        sys.setrecursionlimit(limit)
    if value is not _DEEP:
        allow_depth(_FIRST_ATTEMPT)  # what follows (planning, rendering) takes several frames per level
        return value
    allow_depth(json_depth(data))
    return decode(data)


_DEEP: Any = object()


def _depth_now() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1  # type: ignore[assignment]
    return depth

"""Malformed inputs for the fuzz suites: valid JSON documents (states, configurations, plans) broken the ways
real files and attackers break them, and the one check every entry point must pass.

A mutation works on the decoded document (a value replaced by a hostile one, a key renamed, dropped or
added, a value nested thousands deep) or on its text (truncated, a key repeated, invalid UTF-8 inside a
string, a number of 5,000 digits or 1e400). `check_outcome` runs an entry point and accepts exactly two
outcomes: a result, or an `IacError` whose every diagnostic is one printable line — never another
exception, never a traceback.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from iac.diagnostics import MAX_LINE, IacError

__all__ = ["HOSTILE_STRINGS", "check_outcome", "fuzz_settings", "mutated_text"]


def fuzz_settings(examples: int, *, seconds: int = 10) -> settings:
    """`examples` inputs (times `IAC_FUZZ_SCALE` for a longer hunt; `IAC_HYPOTHESIS=random` for new ones);
    the deadline (`seconds`) bounds each input: a hang fails the test."""
    return settings(deadline=seconds * 1000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                    database=None, max_examples=examples * int(os.environ.get("IAC_FUZZ_SCALE", "1")))

OSC52 = "\x1b]52;c;aGVsbG8=\x07"
HOSTILE_STRINGS = [
    "", " ", "x" * 3000, "${", "${}", "%{", "${var.nope}", "${1 / 0}", "${local.x}", "$${literal}", "%{if true}x%{endif}",
    OSC52, "a\rb", "line\nbreak", "\u202egnp.exe", "@octocat", "```\n## heading", "<script>x</script>", "\x00",
    "\ufffd", "é", "😀", "-1", "1e400", "true", "null", "[]", "{}", "a.b", "a\"b", "\\", "\t",
    "terraform_data.a", "module.", "data.", "*", "0", "9" * 40,
]
_HUGE = ["1e400", "-1e400", "1e-400", "9" * 5000, "-" + "9" * 5000, "1E5", "-0", "0.000000000000000000000001",
         "18446744073709551616", "1e999999"]


def _hostile_value(rng: random.Random) -> Any:
    kind = rng.randrange(9)
    if kind == 0:
        return rng.choice(HOSTILE_STRINGS)
    if kind == 1:
        return rng.choice([None, True, False, 0, -1, 1, 2, 100_001, 10**30, Decimal("1.5"), Decimal("-0.5")])
    if kind == 2:
        return _Number(rng.choice(_HUGE))
    if kind == 3:
        return [rng.choice(HOSTILE_STRINGS) for _ in range(rng.randrange(4))]
    if kind == 4:
        return {rng.choice(HOSTILE_STRINGS): rng.choice(HOSTILE_STRINGS) for _ in range(rng.randrange(4))}
    if kind == 5:  # deep, as deep as Terraform reads (within what a fuzz example may spend)
        depth = rng.choice([50, 300, 1_200])
        value: Any = rng.choice(["x", 1, None])
        for _ in range(depth):
            value = [value] if rng.random() < 0.5 else {"k": value}
        return value
    if kind == 6:
        return [{"a": 1}, "x", 2]  # a list of mixed kinds where blocks are expected
    if kind == 7:
        return {"value": rng.choice(HOSTILE_STRINGS), "type": rng.choice(["string", "number", ["list", "string"], 5])}
    return rng.choice([[], {}, [[]], [{}], {"": None}])


class _Number:
    """A number token written as is (1e400, 5,000 digits), which no Python value encodes to."""

    def __init__(self, text: str) -> None:
        self.text = text


def _paths(value: Any, path: tuple[Any, ...] = (), out: list[tuple[Any, ...]] | None = None,
           limit: int = 400) -> list[tuple[Any, ...]]:
    out = [] if out is None else out
    if len(out) >= limit:
        return out
    out.append(path)
    if isinstance(value, dict):
        for key, item in value.items():
            _paths(item, (*path, key), out, limit)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _paths(item, (*path, index), out, limit)
    return out


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def mutate_document(document: Any, rng: random.Random, rounds: int) -> Any:
    """The document with `rounds` structural mutations (it is copied first)."""
    document = json.loads(json.dumps(document))
    for _ in range(rounds):
        paths = _paths(document)
        path = rng.choice(paths)
        action = rng.randrange(6)
        if not path:
            if action == 0:
                document = _hostile_value(rng)
            continue
        parent, step = _get(document, path[:-1]), path[-1]
        if action <= 1:  # replace the value
            parent[step] = _hostile_value(rng)
        elif action == 2:  # drop it
            del parent[step]
        elif action == 3 and isinstance(parent, dict):  # rename the key
            parent[rng.choice(HOSTILE_STRINGS)] = parent.pop(step)
        elif action == 4 and isinstance(parent, dict):  # add a sibling
            parent[rng.choice(HOSTILE_STRINGS + ["count", "for_each", "provider", "lifecycle", "depends_on",
                                                 "sensitive_attributes", "index_key", "status", "deposed"])] = \
                _hostile_value(rng)
        elif isinstance(parent, list):  # duplicate an element
            parent.insert(step, parent[step])
    return document


def encode(document: Any) -> bytes:
    marks: list[str] = []

    def default(value: Any) -> Any:
        if isinstance(value, _Number):
            marks.append(value.text)
            return f"\x00NUMBER{len(marks) - 1}\x00"
        if isinstance(value, Decimal):
            marks.append(str(value))
            return f"\x00NUMBER{len(marks) - 1}\x00"
        raise TypeError(type(value))

    text = json.dumps(document, default=default, ensure_ascii=False)
    text = re.sub(r'"\\u0000NUMBER(\d+)\\u0000"', lambda m: marks[int(m.group(1))], text)
    return text.encode("utf-8", "surrogatepass")


def mutate_text(data: bytes, rng: random.Random) -> bytes:
    """One mutation of the text itself."""
    action = rng.randrange(5)
    if action == 0 and data:  # truncated
        return data[: rng.randrange(len(data))]
    if action == 1:  # a key repeated: `"k": v` written again after itself
        keys = list(re.finditer(rb'"[^"\\]{1,30}":\s*("[^"\\]*"|-?[0-9.eE+]+|true|false|null|\{\}|\[\])', data))
        if keys:
            match = rng.choice(keys)
            return data[: match.end()] + b", " + match.group(0) + data[match.end():]
    if action == 2:  # invalid UTF-8 inside a string
        strings = list(re.finditer(rb'"[^"\\]+"', data))
        if strings:
            match = rng.choice(strings)
            cut = rng.randrange(match.start() + 1, match.end())
            return data[:cut] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\\ud800", b"\xf8\x88\x80\x80\x80"]) \
                + data[cut:]
    if action == 3:  # a number token replaced
        numbers = list(re.finditer(rb"(?<=[:\[,])\s*-?\d+(\.\d+)?", data))
        if numbers:
            match = rng.choice(numbers)
            return data[: match.start()] + rng.choice(_HUGE).encode() + data[match.end():]
    return data + rng.choice([b"", b"x", b" ", b"\x00", b"}"])  # trailing bytes


@st.composite
def mutated_text(draw: st.DrawFn, seeds: list[Any]) -> bytes:
    """A seed document mutated (structure 0-3 times, then text 0-1 times), as file bytes."""
    seed = draw(st.sampled_from(seeds))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    document = mutate_document(seed, rng, draw(st.integers(0, 3)))
    data = encode(document)
    return mutate_text(data, rng) if draw(st.integers(0, 3)) == 0 else data


def check_outcome(run: Callable[[], Any]) -> Any:
    """`run()`'s result, or None when it raised an `IacError` whose every diagnostic is one printable line."""
    try:
        return run()
    except IacError as error:
        assert error.diagnostics, "an IacError without a diagnostic"
        for diagnostic in error.diagnostics:
            line = diagnostic.format()
            assert "\n" not in line and "\r" not in line and "\x1b" not in line, line
            assert len(line) <= MAX_LINE + 40, line[:200]
        return None

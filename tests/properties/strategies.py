"""Hypothesis strategies: random terraform_data configurations and edits of them.

A configuration has up to five resources `r0..r4`; each may use count or for_each, reference an
earlier resource (`id`, `input`, `output`), a variable or a local, and set lifecycle flags. An edit
changes values, flips references, scales count/for_each, renames with a `moved` block, or removes a
resource — the changes a real estate goes through.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

NAMES = [f"r{i}" for i in range(5)]
_KEYS = st.sampled_from(["a", "b", "c", "team", "x_y"])
_TEXT = st.text(alphabet="abcxyz-_ 019.", max_size=6)
_NUMBERS = st.one_of(
    st.integers(-3, 3),
    st.sampled_from([9007199254740993, 9007199254740992, 10**20]),
    st.sampled_from([Decimal("0.1"), Decimal("0.10000000000000001"), Decimal("1.5"), Decimal("-2.25")]),
)
_SCALARS = st.one_of(st.none(), st.booleans(), _NUMBERS, _TEXT)
VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=6,
)


@st.composite
def _reference(draw: st.DrawFn, earlier: list[str]) -> str:
    choices = ["${var.v}", "${local.l}"] + [f"${{terraform_data.{n}.{a}}}" for n in earlier
                                             for a in ("id", "input", "output")]
    ref = draw(st.sampled_from(choices))
    return ref if draw(st.booleans()) else f"pre-{ref}" if "input" not in ref and "output" not in ref else ref


@st.composite
def resource_body(draw: st.DrawFn, earlier: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if draw(st.booleans()):
        body["input"] = draw(_reference(earlier)) if earlier and draw(st.integers(0, 3)) == 0 else draw(VALUES)
    if draw(st.integers(0, 3)) == 0:
        body["triggers_replace"] = draw(st.one_of(_SCALARS, _reference(earlier))) if earlier else draw(_SCALARS)
    repetition = draw(st.integers(0, 5))
    if repetition == 0:
        body["count"] = draw(st.integers(1, 3))
        if "input" not in body and draw(st.booleans()):
            body["input"] = "i-${count.index}"
    elif repetition == 1:
        body["for_each"] = draw(st.dictionaries(st.sampled_from(["k1", "k2", "k3"]), _TEXT, max_size=3))
        if "input" not in body and draw(st.booleans()):
            body["input"] = "${each.value}"
    lifecycle: dict[str, Any] = {}
    if draw(st.integers(0, 4)) == 0:
        lifecycle["create_before_destroy"] = True
    if draw(st.integers(0, 5)) == 0:
        lifecycle["ignore_changes"] = draw(st.sampled_from([["input"], ["triggers_replace"], "all"]))
    if lifecycle:
        body["lifecycle"] = lifecycle
    return body


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, min_size=1, max_size=5).map(sorted))
    resources: dict[str, Any] = {}
    for index, name in enumerate(names):
        resources[name] = draw(resource_body(_singles(names[:index], resources)))
    doc: dict[str, Any] = {"variable": {"v": {"default": draw(_TEXT), "sensitive": draw(st.booleans())}},
                           "locals": {"l": draw(VALUES)}}
    if resources:
        doc["resource"] = {"terraform_data": resources}
        first = names[0]
        if "count" not in resources[first] and "for_each" not in resources[first] and draw(st.booleans()):
            doc["output"] = {"o": {"value": f"${{terraform_data.{first}.output}}"}}
    return doc


def _singles(names: list[str], resources: dict[str, Any]) -> list[str]:
    """Earlier resources that are single instances (references to them need no index)."""
    return [n for n in names if "count" not in resources[n] and "for_each" not in resources[n]]


@st.composite
def edits(draw: st.DrawFn, before: dict[str, Any]) -> dict[str, Any]:
    """An after-config derived from `before` by a few edits (or a fresh config now and then)."""
    if draw(st.integers(0, 6)) == 0:
        return draw(configs())
    after: dict[str, Any] = {k: v for k, v in before.items() if k != "resource"}
    resources = dict(before.get("resource", {}).get("terraform_data", {}))
    for name in list(resources):
        edit = draw(st.integers(0, 6))
        body = dict(resources[name])
        if edit == 0:
            body["input"] = draw(VALUES)
        elif edit == 1:
            body["triggers_replace"] = draw(_SCALARS)
        elif edit == 2 and "count" in body:
            body["count"] = draw(st.integers(1, 3))
        elif edit == 3 and not _referenced(name, resources):
            del resources[name]
            continue
        elif edit == 4:
            body.pop("count", None) if "count" in body else body.setdefault("count", 1)
            if "count" not in body and "${count.index}" in str(body.get("input")):
                body.pop("input")
        resources[name] = body
    if resources and draw(st.integers(0, 4)) == 0:
        old = draw(st.sampled_from(sorted(resources)))
        new = f"{old}_moved"
        if not _referenced(old, resources) and "count" not in resources[old] and "for_each" not in resources[old]:
            resources[new] = resources.pop(old)
            after["moved"] = [{"from": f"terraform_data.{old}", "to": f"terraform_data.{new}"}]
    after.pop("output", None) if not any(n in resources for n in _outputs_targets(before)) else None
    if resources:
        after["resource"] = {"terraform_data": resources}
    if draw(st.booleans()):
        after["variable"] = {"v": {"default": draw(_TEXT), "sensitive": draw(st.booleans())}}
    return after


def _outputs_targets(doc: dict[str, Any]) -> list[str]:
    return [v["value"].split(".")[1] for v in doc.get("output", {}).values()]


def _referenced(name: str, resources: dict[str, Any]) -> bool:
    return any(f"terraform_data.{name}." in str(body) for other, body in resources.items() if other != name)

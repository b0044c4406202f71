"""A create-everything plan JSON from a Terraform JSON configuration alone (no state, no engine).

`iac check ENV --fresh` and the checks benchmark use it to judge a first deployment: every resource
is a `create` whose after-values are the configuration's literals, and every `${...}` expression is
"known after apply" (the checks then read the configuration for it, as they do on a real plan).
This is deliberately not a planner: no defaults, no state, no references resolved, no `count` or
`for_each` expansion (synth emits neither); nested blocks keep the `.tf.json` object form, which
the plan view reads like Terraform's one-element lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iac.schema import provider_source

__all__ = ["fresh_plan"]


def _is_template(value: Any) -> bool:
    return isinstance(value, str) and "${" in value.replace("$${", "")


def _split(value: Any) -> tuple[Any, Any]:
    """`(after, after_unknown)` of one configuration value, Terraform's way: unknown leaves are
    left out of `after` (list positions become null) and flagged `true` in `after_unknown`."""
    if _is_template(value):
        return None, True
    if isinstance(value, Mapping):
        after: dict[str, Any] = {}
        unknown: dict[str, Any] = {}
        for key, item in value.items():
            if key == "//":
                continue
            known, mask = _split(item)
            if mask is True:
                unknown[key] = True
                continue
            after[key] = known
            if mask:
                unknown[key] = mask
        return after, unknown
    if isinstance(value, list):
        pairs = [_split(item) for item in value]
        masks = [m if m else False for _, m in pairs]
        return [None if m is True else a for a, m in pairs], (masks if any(masks) else [])
    if isinstance(value, str):
        return value.replace("$${", "${"), False  # `$${` is how a literal `${` is written in .tf.json
    return value, False


def fresh_plan(main_tf: Mapping[str, Any], *, environment: str | None = None, mode: str | None = None) -> dict[str, Any]:
    """Plan JSON (format 1.2 shape) creating every resource of `main_tf`."""
    changes: list[dict[str, Any]] = []
    sources: dict[str, str] = {}
    for rtype, named in sorted((main_tf.get("resource") or {}).items()):
        for name, body in sorted(named.items()):
            address = f"{rtype}.{name}"
            comment = body.get("//") if isinstance(body, Mapping) else None
            if isinstance(comment, str) and comment.startswith("source: "):
                sources[address] = comment.removeprefix("source: ")
            meta = {"provider", "depends_on", "lifecycle", "count", "for_each"}
            after, unknown = _split({k: v for k, v in body.items() if k not in meta})
            changes.append({
                "address": address, "mode": "managed", "type": rtype, "name": name,
                "provider_name": provider_source(rtype),
                "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": unknown or {},
                           "before_sensitive": False, "after_sensitive": {}},
            })
    return {
        "format_version": "1.2",
        "resource_changes": changes,
        "iac": {"format_version": "1.0", "environment": environment, "mode": mode, "sources": sources,
                "plan_mode": "normal"},
    }

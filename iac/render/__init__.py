"""Plan renderers: every one reads the plan JSON (never the engine's internals).

`text.render_plan` prints Terraform's human-readable plan; `_common` holds what renderers share
(actions, symbols, counting rules, masks) and is public to the other renderers.

`RENDERERS` maps a `--format` name to a function `plan_json -> str`. Renderer modules are imported on
first use, so a missing or broken renderer never stops `iac plan --format json`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["RENDERERS", "output_format", "render"]

Renderer = Callable[..., str]


def _json(plan: dict[str, Any], *, color: bool = False) -> str:
    from iac._jsonio import dumps

    return dumps(plan)


def _text(plan: dict[str, Any], *, color: bool = False) -> str:
    try:
        from iac.render.text import render_plan
    except ImportError:
        return _summary(plan)
    return str(render_plan(plan, color=color))


def _markdown(plan: dict[str, Any], *, color: bool = False) -> str:
    try:
        markdown = importlib.import_module("iac.render.markdown")
    except ImportError:
        return "```\n" + _summary(plan) + "```\n"
    function = getattr(markdown, "render_plan", None) or getattr(markdown, "render_markdown", None)
    return str(function(plan)) if function else "```\n" + _summary(plan) + "```\n"


def _summary(plan: dict[str, Any]) -> str:
    """Minimal listing used until a full renderer is available: one line per change and the summary."""
    lines: list[str] = []
    counts = {"add": 0, "change": 0, "destroy": 0}
    for rc in plan.get("resource_changes", []):
        actions = rc["change"]["actions"]
        counts["add"] += "create" in actions
        counts["change"] += actions == ["update"]
        counts["destroy"] += "delete" in actions
        if actions != ["no-op"]:
            lines.append(f"  {rc['address']}: {', '.join(actions)}")
    if not lines:
        return "No changes. Your infrastructure matches the configuration.\n"
    lines.append(f"\nPlan: {counts['add']} to add, {counts['change']} to change, {counts['destroy']} to destroy.")
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Renderer] = {"text": _text, "json": _json, "markdown": _markdown}


def render(plan: dict[str, Any], fmt: str, *, color: bool = False) -> str:
    """Render a plan JSON in one of the registered formats."""
    return RENDERERS[fmt](plan, color=color)


def output_format(fmt: str | None, as_json: bool) -> str:
    """The format a command renders in (`fmt` None: not given, text): `--json` is `--format json`, and
    contradicting it is an error (never a silent preference); an unknown name lists the known ones."""
    from iac.diagnostics import ConfigError, Diagnostic

    if fmt is not None and fmt not in RENDERERS:
        raise ConfigError(Diagnostic(f"unknown --format {fmt!r}; choose one of {', '.join(sorted(RENDERERS))}"))
    if as_json and fmt not in (None, "json"):
        raise ConfigError(Diagnostic(f"--json and --format {fmt} contradict each other: give one of them"))
    return "json" if as_json else fmt or "text"

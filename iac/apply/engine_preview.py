"""Adapters from apply/destroy to the other parts of iac: the plan engine, the checks and the renderer.

Kept in one small module so the flow depends only on the Previewer protocol (iac/apply/preview.py)
and a render function, and the wiring to the engine's and checks' APIs is in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iac.apply.preview import Previewer, PreviewRequest
from iac.diagnostics import IacError
from iac.terraform.verify import action_word, planned_actions

__all__ = ["EnginePreviewer", "default_previewer", "renderer"]


class EnginePreviewer:
    """iac's diff engine plus the checks, on the configuration and the state Terraform returned."""

    def preview(self, request: PreviewRequest) -> dict[str, Any]:
        try:
            import iac.plan  # noqa: F401  (the engine; wired here as soon as its API lands on main)
        except ImportError:
            raise IacError("iac's plan engine (iac.plan) is not part of this build yet, so nothing can be "
                           "previewed or applied") from None
        raise IacError("iac's plan engine is present but not wired to apply yet")


def default_previewer() -> Previewer:
    return EnginePreviewer()


def renderer(color: bool) -> Callable[[dict[str, Any]], str]:
    """The text renderer (iac.render.text), or a one-line-per-change listing until it lands."""
    try:
        from iac.render.text import render_plan  # type: ignore[import-not-found]
    except ImportError:
        return _brief

    def render(plan: dict[str, Any]) -> str:
        return str(render_plan(plan, color=color))

    return render


def _brief(plan: dict[str, Any]) -> str:
    lines = [f"  {address}: {action_word(p.actions)}" for address, p in planned_actions(plan).items()
             if p.actions != ("no-op",)]
    return "\n".join(["iac preview:", *lines] if lines else ["iac preview: no changes."])

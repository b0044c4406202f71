"""Adapters from apply/destroy to the other parts of iac: the plan engine, the checks and the renderers.

Kept in one small module so the flow depends only on the Previewer protocol (iac/apply/preview.py)
and a render function, and the wiring to the engine's and checks' APIs sits in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iac import _jsonio
from iac.apply.preview import Previewer, PreviewRequest

__all__ = ["EnginePreviewer", "default_previewer", "policy_settings", "renderer"]


class EnginePreviewer:
    """iac's diff engine plus the checks, on the configuration and the state Terraform returned."""

    def preview(self, request: PreviewRequest) -> dict[str, Any]:
        from iac.plan.service import preview
        from iac.policy.engine import apply_to_plan, evaluate

        document = _jsonio.loads(request.config_text)
        plan = preview(document, request.state_text, config_text=request.config_text,
                       base_dir=request.base_dir, environment=request.environment, mode=request.mode,
                       destroy=request.destroy, env=request.env)
        report = evaluate(plan, policy_settings(request.settings), mode=request.mode, config=document)
        apply_to_plan(plan, report)
        return plan


def policy_settings(environment: Any) -> Any:
    """The checks' settings: the environment's own (as `iac plan`/`iac check` use them), defaults without one."""
    from iac.policy.settings import PolicySettings

    if environment is None:
        return PolicySettings()
    from iac.commands.check import environment_settings

    return environment_settings(environment)


def default_previewer() -> Previewer:
    return EnginePreviewer()


def renderer(color: bool) -> Callable[[dict[str, Any]], str]:
    """Terraform-style text of the plan, then the checks' cost, findings and verdict."""
    from iac.render import render

    def render_with_findings(plan: dict[str, Any]) -> str:
        return render(plan, "text", color=color).rstrip("\n") + _findings_text(plan)

    return render_with_findings


def _findings_text(plan: dict[str, Any]) -> str:
    meta = plan.get("iac") or {}
    findings = [f for f in meta.get("findings") or () if not f.get("waived")]
    lines = [f"  {f.get('severity')}: {f.get('check_id')} {f.get('address')}"
             f"{'.' + f['path'] if f.get('path') else ''}: {f.get('message')}" for f in findings]
    cost = meta.get("cost") or {}
    head = [f"Cost: {cost.get('delta')} {cost.get('currency', 'USD')}/month change"] if cost.get("delta") is not None else []
    verdict = [f"Checks: {meta['verdict']}"] if meta.get("verdict") else []
    body = head + lines + verdict
    return ("\n\n" + "\n".join(body)) if body else ""

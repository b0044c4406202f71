"""The apply workflow: `iac apply` and `iac destroy` run `run`, with iac's own preview and checks in front.

The run itself is iac/apply/flow.py, which depends only on the Previewer protocol (iac/apply/preview.py) and
a render function; this module wires it to the other parts of iac (the planning and checking workflows, the
renderers, the offline sandbox), so that wiring sits in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from typing import Any

from iac import _jsonio
from iac.apply import flow
from iac.apply.preview import Previewer, PreviewRequest
from iac.apply.target import ApplyTarget, sandboxed

__all__ = ["EnginePreviewer", "default_previewer", "policy_settings", "renderer", "run"]


def run(target: ApplyTarget, options: flow.ApplyOptions, services: flow.Services, *, sandbox: bool = False,
        warn: Callable[[str], None], variables: Mapping[str, str] | None = None) -> None:
    """Apply or destroy `target` (`flow.run`); with `sandbox`, against the offline sandbox provider, in the
    sandbox's own working directory and state (what it says about placeholder variables goes to `warn`).
    `variables` (`TF_VAR_NAME: value`, from `--var`) reach iac's preview and Terraform through the engine's
    environment, over the sandbox's placeholders."""
    setup = services.engine_setup
    if sandbox:
        from iac.apply.sandbox import sandbox_engine

        target, setup = sandboxed(target), sandbox_engine(warn, variables)
    flow.run(target, options, replace(services, engine_setup=_with_variables(setup, dict(variables or {}))))


def _with_variables(setup: Callable[[ApplyTarget], AbstractContextManager[flow.EngineSetup]],
                    variables: dict[str, str]) -> Callable[[ApplyTarget], AbstractContextManager[flow.EngineSetup]]:
    if not variables:
        return setup

    @contextmanager
    def merged(target: ApplyTarget) -> Iterator[flow.EngineSetup]:
        with setup(target) as inner:
            yield flow.EngineSetup({**inner.env, **variables}, hold=inner.hold)

    return merged


class EnginePreviewer:
    """iac's diff engine plus the checks, on the configuration and the state Terraform returned."""

    def preview(self, request: PreviewRequest) -> dict[str, Any]:
        from iac.policy.engine import apply_to_plan, evaluate
        from iac.workflows.planning import preview

        document = _jsonio.loads(request.config_text)
        plan = preview(document, request.state_text, config_text=request.config_text,
                       base_dir=request.base_dir, environment=request.environment, mode=request.mode,
                       destroy=request.destroy, env=request.env, targets=request.targets,
                       replace=request.replace)
        report = evaluate(plan, policy_settings(request.settings), mode=request.mode, config=document,
                          baseline=request.settings is not None)  # `--config-dir`: no environment, no baseline
        apply_to_plan(plan, report)
        return plan


def policy_settings(environment: Any) -> Any:
    """The checks' settings: the environment's own (as `iac plan`/`iac check` use them), defaults without one."""
    from iac.policy.settings import PolicySettings

    if environment is None:
        return PolicySettings()
    from iac.workflows.checking import environment_settings

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

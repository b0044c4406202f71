"""Checks that run on every plan: tags, cost guardrails, security; findings, verdict and cost.

Entry points (import them from their modules; this package imports nothing eagerly). Checks read
the plan through `iac.plan.view`, as `iac.cost` does:
    iac.policy.engine.evaluate(plan, settings, mode=..., config=..., today=...) -> PolicyReport
    iac.policy.engine.apply_to_plan(plan_json, report)
    iac.policy.render.render_findings_text(report) -> str
    iac.policy.sarif.to_sarif(report) -> dict
    iac.policy.settings.PolicySettings
"""

__all__: list[str] = []

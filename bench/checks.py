"""Benchmark: what the checks add to `iac plan ENV` (cost estimate, findings, their text).

    python -m bench.checks [ENV ...]        (default: dev prod)

For each environment: synthesize once, then time (median of N runs, in-process) the plan alone
(diff engine + plan JSON + text rendering) and the checks on that plan (evaluate + apply_to_plan +
render_findings_text). The issue's target: the checks add under one second to `iac plan prod`.
"""

from __future__ import annotations

import sys
from typing import Any

from bench.inprocess import median, plan_from_empty_state, run_environments


def bench(env: str) -> str:
    from iac.policy.render import render_findings_text
    from iac.render import RENDERERS
    from iac.synth import synthesize
    from iac.workflows.checking import check_plan

    synthesized = synthesize(env, None)
    environment = synthesized.environment

    def plan_alone() -> dict[str, Any]:
        document = plan_from_empty_state(synthesized)
        RENDERERS["text"](document, color=False)
        return document

    plan_seconds, document = median(plan_alone)

    def checks() -> Any:
        report = check_plan(dict(document), environment, synthesized.document)
        render_findings_text(report)
        return report

    check_seconds, report = median(checks)
    resources = len(document.get("resource_changes", []))
    return (f"{env:8} {resources:6d} resources  plan {plan_seconds:6.3f} s  checks +{check_seconds:6.3f} s "
            f"({100 * check_seconds / plan_seconds:5.1f}% of the plan)  {len(report.findings)} findings, "
            f"{len(report.cost.lines)} priced, verdict {report.verdict.value}")


if __name__ == "__main__":
    run_environments(bench, sys.argv[1:])

"""Benchmark: what the checks add to `iac plan ENV` (cost estimate, findings, their text).

    python -m bench.checks [ENV ...]        (default: dev prod)

For each environment: synthesize once, then time (median of N runs, in-process) the plan alone
(diff engine + plan JSON + text rendering) and the checks on that plan (evaluate + apply_to_plan +
render_findings_text). The issue's target: the checks add under one second to `iac plan prod`.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

RUNS = 5


def _median(action: Callable[[], Any]) -> tuple[float, Any]:
    timings, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), result


def bench(env: str) -> str:
    from iac.commands.check import check_plan
    from iac.config import load_document
    from iac.plan.jsonplan import to_json
    from iac.plan.service import make_plan
    from iac.policy.render import render_findings_text
    from iac.render import RENDERERS
    from iac.state import State
    from iac.synth import synthesize

    synthesized = synthesize(env, None)
    workdir = synthesized.workdir
    environment = synthesized.environment

    def plan_alone() -> dict[str, Any]:
        module = load_document(synthesized.document, file=str(workdir / "main.tf.json"), base_dir=workdir)
        plan = make_plan(module, State.empty(), config_text=synthesized.text,
                         base_dir=workdir, environment=env, mode=environment.mode.value)
        document = to_json(plan)
        RENDERERS["text"](document, color=False)
        return document

    plan_seconds, document = _median(plan_alone)

    def checks() -> Any:
        report = check_plan(dict(document), environment, synthesized.document)
        render_findings_text(report)
        return report

    check_seconds, report = _median(checks)
    resources = len(document.get("resource_changes", []))
    return (f"{env:8} {resources:6d} resources  plan {plan_seconds:6.3f} s  checks +{check_seconds:6.3f} s "
            f"({100 * check_seconds / plan_seconds:5.1f}% of the plan)  {len(report.findings)} findings, "
            f"{len(report.cost.lines)} priced, verdict {report.verdict.value}")


def main(argv: list[str]) -> None:
    for env in argv or ["dev", "prod"]:
        print(bench(env), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

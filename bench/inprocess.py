"""What the in-process benchmarks (bench.checks, bench.markdown) share: median timing and the plan JSON of
an example environment against an empty state (every resource created)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

RUNS = 5


def median(action: Callable[[], Any]) -> tuple[float, Any]:
    """The median wall time of `RUNS` calls of `action`, and its last result."""
    timings, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), result


def plan_from_empty_state(synthesized: Any) -> dict[str, Any]:
    """The plan JSON of a synthesized environment against an empty state."""
    from iac.config import load_document
    from iac.plan.jsonplan import to_json
    from iac.state import State
    from iac.workflows.planning import make_plan

    workdir = synthesized.workdir
    module = load_document(synthesized.document, file=str(workdir / "main.tf.json"), base_dir=workdir)
    plan = make_plan(module, State.empty(), config_text=synthesized.text, base_dir=workdir,
                     environment=synthesized.environment.name, mode=synthesized.environment.mode.value)
    return to_json(plan)


def run_environments(bench: Callable[[str], str], argv: list[str]) -> None:
    """Print `bench(env)` for each environment named (default: dev and prod)."""
    for env in argv or ["dev", "prod"]:
        print(bench(env), flush=True)

"""Benchmark: the PR comment path, plan JSON -> Markdown -> comment bodies, on the example estate.

    python -m bench.markdown [ENV ...]        (default: dev prod)

For each environment: plan once against empty state (every resource created, the checks run), then
time (median of N runs, in-process) `render_markdown` (grouping included) and `split_section` with the
default comment cap, and report the sizes: characters, `<details>` groups against resources, comments.
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


def _plan(env: str) -> dict[str, Any]:
    from iac.commands.check import check_plan
    from iac.config import load_document
    from iac.plan.jsonplan import to_json
    from iac.plan.service import make_plan
    from iac.state import State
    from iac.synth import synthesize

    synthesized = synthesize(env, None)
    workdir = synthesized.workdir
    module = load_document(synthesized.document, file=str(workdir / "main.tf.json"), base_dir=workdir)
    plan = make_plan(module, State.empty(), config_text=synthesized.text, base_dir=workdir, environment=env,
                     mode=synthesized.environment.mode.value)
    document = to_json(plan)
    check_plan(document, synthesized.environment, synthesized.document)
    return document


def bench(env: str) -> str:
    from iac.github.split import split_section
    from iac.render.markdown import render_environment

    document = _plan(env)
    render_seconds, text = _median(lambda: render_environment(document))
    split_seconds, chunks = _median(lambda: split_section(text, environment=env))
    resources = sum(1 for rc in document["resource_changes"] if rc["change"]["actions"] != ["no-op"])
    groups = text.count("\n<details><summary><code>")
    return (f"{env:8} {resources:6d} changes  render {render_seconds:6.3f} s  split {split_seconds:6.3f} s  "
            f"{len(text):9,d} chars  {groups} diff sections  {len(chunks)} comment(s)")


def main(argv: list[str]) -> None:
    for env in argv or ["dev", "prod"]:
        print(bench(env), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

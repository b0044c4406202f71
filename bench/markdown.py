"""Benchmark: the PR comment path, plan JSON -> Markdown -> comment bodies, on the example estate.

    python -m bench.markdown [ENV ...]        (default: dev prod)

For each environment: plan once against empty state (every resource created, the checks run), then
time (median of N runs, in-process) `render_markdown` (grouping included) and `split_section` with the
default comment cap, and report the sizes: characters, `<details>` groups against resources, comments.
"""

from __future__ import annotations

import sys
from typing import Any

from bench.inprocess import median, plan_from_empty_state, run_environments


def _plan(env: str) -> dict[str, Any]:
    from iac.synth import synthesize
    from iac.workflows.checking import check_plan

    synthesized = synthesize(env, None)
    document = plan_from_empty_state(synthesized)
    check_plan(document, synthesized.environment, synthesized.document)
    return document


def bench(env: str) -> str:
    from iac.github.split import split_section
    from iac.render.markdown import render_environment

    document = _plan(env)
    render_seconds, text = median(lambda: render_environment(document))
    split_seconds, chunks = median(lambda: split_section(text, environment=env))
    resources = sum(1 for rc in document["resource_changes"] if rc["change"]["actions"] != ["no-op"])
    groups = text.count("\n<details><summary><code>")
    return (f"{env:8} {resources:6d} changes  render {render_seconds:6.3f} s  split {split_seconds:6.3f} s  "
            f"{len(text):9,d} chars  {groups} diff sections  {len(chunks)} comment(s)")


if __name__ == "__main__":
    run_environments(bench, sys.argv[1:])

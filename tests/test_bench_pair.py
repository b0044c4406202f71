"""bench.pair's verdict: per phase, how many pairs B won and the median paired difference."""

from __future__ import annotations

from bench.pair import PHASES, report


def _run(planned: float, state: float) -> dict[str, float]:
    return {phase: 1.0 for phase in PHASES} | {"planned": planned, "state": state}


def test_the_verdict_is_the_paired_difference_not_the_difference_of_medians() -> None:
    # A minute-to-minute swing moves both sides of a pair: B is 0.1 s faster in every pair.
    results = [(_run(4.0, 1.0), _run(3.9, 1.2)), (_run(6.0, 1.0), _run(5.9, 1.2)), (_run(5.0, 1.0), _run(4.9, 0.8))]
    rows = {line.split(" | ")[0].strip("| "): line for line in report(results).splitlines()[2:]}
    assert rows["planned"].endswith("| 3 of 3 | -0.10 s |")
    assert rows["state"].endswith("| 1 of 3 | +0.20 s |")

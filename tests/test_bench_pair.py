"""bench.pair's verdict: per phase, how many pairs B won and the median paired difference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import bench.pair
from bench.pair import PHASES, pair, report


def _run(planned: float, state: float, cpu: float = 1.0) -> dict[str, float]:
    return ({phase: 1.0 for phase in PHASES} | {f"cpu:{phase}": 1.0 for phase in PHASES}
            | {"planned": planned, "state": state, "cpu:planned": cpu})


def test_the_verdict_is_the_paired_difference_not_the_difference_of_medians() -> None:
    # A minute-to-minute swing moves both sides of a pair: B is 0.1 s faster in every pair.
    results = [(_run(4.0, 1.0), _run(3.9, 1.2)), (_run(6.0, 1.0), _run(5.9, 1.2)), (_run(5.0, 1.0), _run(4.9, 0.8))]
    rows = {line.split(" | ")[0].strip("| "): line for line in report(results).splitlines()[2:]}
    assert rows["planned"].endswith("| 3 of 3 | -0.10 s |")
    assert rows["state"].endswith("| 1 of 3 | +0.20 s |")


def test_cpu_seconds_get_their_own_rows() -> None:
    # Wall time says B is slower (a loaded minute on its side), CPU time says it is faster: both are shown.
    results = [(_run(4.0, 1.0, cpu=2.0), _run(4.5, 1.0, cpu=1.9)), (_run(4.0, 1.0, cpu=2.0), _run(4.4, 1.0, cpu=1.8))]
    rows = {line.split(" | ")[0].strip("| "): line for line in report(results).splitlines()[2:]}
    assert rows["planned"].endswith("| 0 of 2 | +0.45 s |")
    assert rows["cpu:planned"].endswith("| 2 of 2 | -0.15 s |")


def test_an_a_a_run_compares_two_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same checkout as A and B: each pair keeps both slots' results (A in slot 1, then in slot 2).
    monkeypatch.setattr(bench.pair, "_copy", lambda estate, name: Path(name))
    monkeypatch.setattr(bench.pair, "_start", lambda checkout, slot: slot)
    monkeypatch.setattr(bench.pair, "_result", lambda slot, checkout: _run(1.0 if str(slot) == "slot1" else 2.0, 1.0))
    same = Path("checkout")
    results: Any = pair(same, same, Path("estate"), runs=2)
    assert [(a["planned"], b["planned"]) for a, b in results] == [(1.0, 2.0), (2.0, 1.0)]

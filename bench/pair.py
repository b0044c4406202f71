"""Compare two checkouts of iac at 100k (or any estate) on this noisy machine: paired runs, side by side.

    python -m bench.pair ../baseline . --runs 8            # baseline checkout vs this one
    python -m bench.pair A B --size 10000 --runs 12

Why pairs: on this shared VM the same code moves by a third from one minute to the next (fresh memory
costs a host page fault, and the host reclaims idle memory), so runs of A then B compare two minutes,
not two programs. Here each pair runs A and B at the same moment, one per core, and the slots swap every
pair (the second slot ran ~0.2 s faster in an A/A test). The verdict is the paired difference: how many
pairs B won and the median of B - A, per phase; an A/A run shows what "no difference" looks like. The
same table in CPU seconds follows (`cpu:` rows): when the host takes CPU, wall time moves and CPU time
much less.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.run import _estate

PHASES = ("planned", "config", "state", "diff", "plan_json")


def _start(checkout: Path, estate: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    return subprocess.Popen([sys.executable, "-m", "bench.measure", "iac", str(estate)], cwd=checkout, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _result(process: subprocess.Popen[str], checkout: Path) -> dict[str, float]:
    """Wall seconds per phase, and CPU seconds under `cpu:` keys (the steadier figure on a loaded machine)."""
    out, err = process.communicate()
    if process.returncode:
        raise SystemExit(f"bench.measure in {checkout} failed:\n{err[-2000:]}")
    found: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    cpu = {f"cpu:{phase}": seconds for phase, seconds in found["cpu_phases"].items()}
    return {"planned": found["planned"], **found["phases"], "cpu:planned": found["planned_cpu"], **cpu}


def _copy(estate: Path, name: str) -> Path:
    """A private copy of the estate per slot (both runs write plan.json next to it)."""
    target = estate.parent / f"{estate.name}.{name}"
    target.mkdir(exist_ok=True)
    for file in ("main.tf.json", "terraform.tfstate"):
        if not (target / file).exists():
            (target / file).write_bytes((estate / file).read_bytes())
    return target


def pair(a: Path, b: Path, estate: Path, runs: int) -> list[tuple[dict[str, float], dict[str, float]]]:
    slots = (_copy(estate, "slot1"), _copy(estate, "slot2"))
    results = []
    for index in range(runs):
        first, second = (a, b) if index % 2 == 0 else (b, a)
        processes = (_start(first, slots[0]), _start(second, slots[1]))
        done = (_result(processes[0], first), _result(processes[1], second))  # by slot, not by checkout: A/A runs
        ran_a, ran_b = done if index % 2 == 0 else done[::-1]  # (the same checkout twice) keep both results
        results.append((ran_a, ran_b))
        print(f"pair {index + 1}: A {ran_a['planned']:.2f} s, B {ran_b['planned']:.2f} s "
              f"(CPU {ran_a['cpu:planned']:.2f} s, {ran_b['cpu:planned']:.2f} s)", file=sys.stderr)
    return results


def report(results: list[tuple[dict[str, float], dict[str, float]]]) -> str:
    """Wall seconds per phase, then CPU seconds (`cpu:` rows)."""
    lines = ["| phase | A median | B median | B faster in | median B - A |", "| --- | ---: | ---: | ---: | ---: |"]
    for phase in (*PHASES, *(f"cpu:{p}" for p in PHASES)):
        a = [x[phase] for x, _ in results]
        b = [y[phase] for _, y in results]
        wins = sum(y < x for x, y in zip(a, b, strict=True))
        diff = statistics.median(y - x for x, y in zip(a, b, strict=True))
        lines.append(f"| {phase} | {statistics.median(a):.2f} s | {statistics.median(b):.2f} s | "
                     f"{wins} of {len(a)} | {diff:+.2f} s |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="checkout A (e.g. the baseline)")
    parser.add_argument("b", type=Path, help="checkout B")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    print(report(pair(args.a.resolve(), args.b.resolve(), _estate(args.size), args.runs)))


if __name__ == "__main__":
    main()

"""How fast is this machine right now? A 100k plan measured against the CPU calibration loop, interleaved.

    python -m bench.speed                 # 8 rounds at 100,000 resources
    python -m bench.speed --runs 4 --size 10000

Why: on this shared VM the host sometimes takes part of the CPU (the guest does not report it as steal),
and then everything slows by the same factor, the pure-Python calibration loop of `bench.run` included. Each
round times the loop, one fresh-process plan, and the loop again; the plan's cost in loop units is steady
(the median is the figure), so "seconds at the nominal speed" says what the plan takes on this machine when
nobody else is using it, and the table shows what it took in each round.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from bench.run import _calibrate, _estate, _measure

NOMINAL_CALIBRATION_S = 0.17
"""The calibration loop's time in this VM's quiet minutes (2026-11-23: `make bench` runs at 0.17-0.18 s)."""


def rounds(estate: Path, runs: int) -> list[tuple[float, float]]:
    """(calibration loop seconds around the plan, plan seconds) per round."""
    found = []
    for _ in range(runs):
        before = _calibrate()
        planned = float(_measure("iac", str(estate))["planned"])
        found.append(((before + _calibrate()) / 2, planned))
    return found


def report(found: list[tuple[float, float]], size: int) -> str:
    units = statistics.median(planned / loop for loop, planned in found)
    lines = [f"| round | calibration loop | {size:,} resources planned | in loop units |", "| ---: | ---: | ---: | ---: |"]
    lines += [f"| {i} | {loop:.3f} s | {planned:.2f} s | {planned / loop:.1f} |" for i, (loop, planned) in enumerate(found, 1)]
    lines += ["", f"Median: {units:.1f} loop units, i.e. {units * NOMINAL_CALIBRATION_S:.2f} s at the nominal speed "
                  f"(loop {NOMINAL_CALIBRATION_S:.2f} s); measured plans {min(p for _, p in found):.2f}-"
                  f"{max(p for _, p in found):.2f} s."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    print(report(rounds(_estate(args.size), args.runs), args.size))


if __name__ == "__main__":
    main()

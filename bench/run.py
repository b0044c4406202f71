"""`make bench`: iac's planner vs Terraform's `plan -refresh=false`, on the same resources.

    python -m bench.run                      # estates of 1k/10k/100k, Terraform at 1k/5k/10k, prod synth+plan
    python -m bench.run --quick              # 1k only (a minute)
    python -m bench.run --terraform 1000,5000,10000,20000
    python -m bench.run --repeat 1           # one iac run per size (default: the median of 3)

Every measurement runs in a fresh process (peak memory = that run's max RSS). Terraform is too slow
and too big at 100,000 resources on a 2-core machine (20,000 already takes minutes and GBs), so its
100k figure is extrapolated from the largest sizes measured (power law), and the table says so.
Times are wall clock; CPU seconds are shown too, because on a shared machine the load (printed) moves
wall times.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.estate import write_estate

ROOT = Path(__file__).resolve().parent.parent
ESTATES = ROOT / "bench" / ".estates"


def _measure(*args: str) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "bench.measure", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=False)
    if done.returncode:
        raise SystemExit(f"bench.measure {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _estate(count: int) -> Path:
    directory = ESTATES / f"n{count}"
    if not (directory / "terraform.tfstate").exists():
        write_estate(directory, count)
    return directory


def _fit(points: dict[int, float], n: int) -> float:
    """Power-law extrapolation through the two largest measured points."""
    (n1, t1), (n2, t2) = sorted(points.items())[-2:]
    exponent = math.log(t2 / t1) / math.log(n2 / n1)
    return t2 * (n / n2) ** exponent


def _calibrate() -> float:
    """CPU seconds for a fixed pure-Python loop: compares this machine (and its load) with others."""
    import time

    start = time.process_time()
    total = 0
    for i in range(5_000_000):
        total += i
    return round(time.process_time() - start, 3)


def _memory_calibration(megabytes: int = 256) -> float:
    """Seconds to touch `megabytes` of fresh memory, one write per page. On this VM the host reclaims idle
    memory, so a first touch can cost a host fault, and then a 100k plan (which touches about 450 MB) is
    slow although the CPU loop is not; when both are normal and the plan is still slow, the host is taking
    CPU (see `bench.speed`)."""
    import mmap
    import time

    size = megabytes << 20
    region = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        view = memoryview(region)
        start = time.perf_counter()
        for offset in range(0, size, mmap.PAGESIZE):
            view[offset] = 1
        elapsed = time.perf_counter() - start
        view.release()
    finally:
        region.close()
    return round(elapsed, 3)


def _median_run(args: tuple[str, ...], repeat: int) -> dict[str, Any]:
    """`repeat` fresh-process runs: the one with the median plan time, with the range of all of them
    (on a shared machine one run can be a third slower than the next)."""
    runs = sorted((_measure(*args) for _ in range(repeat)), key=lambda r: r["planned"])
    middle = dict(runs[len(runs) // 2])
    if repeat > 1:
        middle["planned_range"] = [runs[0]["planned"], runs[-1]["planned"]]
        middle["runs"] = repeat
    return middle


def run(sizes: list[int], tf_sizes: list[int], environment: str | None, repeat: int = 1) -> dict[str, Any]:
    results: dict[str, Any] = {"load_average": os.getloadavg(), "cpus": os.cpu_count(), "iac": {}, "terraform": {}}
    results["calibration_cpu_s"] = _calibrate()
    results["calibration_memory_s"] = [_memory_calibration()]
    for n in sorted(set(sizes) | set(tf_sizes)):
        directory = _estate(n)
        if n in sizes:
            results["iac"][n] = _median_run(("iac", str(directory)), repeat)
            print(f"iac {n}: {results['iac'][n]}", file=sys.stderr)
        if n in tf_sizes:
            results["terraform"][n] = _measure("terraform", str(directory))
            print(f"terraform {n}: {results['terraform'][n]}", file=sys.stderr)
    if environment:
        results["synth"] = _measure("synth", environment, str(ROOT))
        print(f"synth+plan {environment}: {results['synth']}", file=sys.stderr)
    results["calibration_memory_s"].append(_memory_calibration())
    return results


def _row(n: int, mine: dict[str, Any] | None, theirs: dict[str, Any] | None, tf: dict[int, dict[str, Any]]) -> str:
    note = ""
    if theirs is None and mine is not None and len(tf) >= 2 and n > max(tf):
        points = {k: v for k, v in tf.items()}
        theirs = {key: _fit({k: v[key] for k, v in points.items()}, n) for key in ("planned", "planned_cpu", "peak_mb")}
        note = " *"
    cells = [f"{n:,}"]
    spread = (f" ({mine['planned_range'][0]:.2f}-{mine['planned_range'][1]:.2f})"
              if mine and "planned_range" in mine else "")
    cells += ([f"{mine['planned']:.2f} s{spread}", f"{mine['planned_cpu']:.2f} s", f"{mine.get('planned_peak_mb', mine['peak_mb'])} / {mine['peak_mb']} MB",
               f"{mine['wall']:.2f} s"] if mine else ["—"] * 4)
    cells += ([f"{theirs['planned']:.1f} s{note}", f"{theirs['planned_cpu']:.1f} s{note}",
               f"{theirs['peak_mb']:.0f} MB{note}"] if theirs else ["—"] * 3)
    if mine and theirs:
        cells.append(f"{theirs['planned'] / mine['planned']:.0f}x / {theirs['planned_cpu'] / mine['planned_cpu']:.0f}x{note}")
    else:
        cells.append("—")
    return "| " + " | ".join(cells) + " |"


def report(results: dict[str, Any]) -> str:
    iac = {int(n): r for n, r in results["iac"].items()}
    tf = {int(n): r for n, r in results["terraform"].items()}
    runs = max((r.get("runs", 1) for r in iac.values()), default=1)
    memory = results.get("calibration_memory_s") or []
    lines = [f"Calibration: a 5M-iteration Python loop took {results.get('calibration_cpu_s', 0):.2f} s CPU. "
             f"Machine: {results['cpus']} CPUs, load average {', '.join(f'{x:.1f}' for x in results['load_average'])} "
             "when the run started (other work shares the machine: CPU seconds are the steadier figure).",
             *([f"Fresh memory: touching 256 MB took {memory[0]:.2f} s before the runs and {memory[-1]:.2f} s after "
                "(a 100k plan touches about 450 MB: when this figure is high, large runs are slow)."] if memory else []),
             "",
             *([f"iac: the median of {runs} runs in fresh processes (their range in brackets); Terraform: one run.", ""]
               if runs > 1 else []),
             "| resources, 1% changed | iac plan (wall) | iac plan (CPU) | iac peak memory (plan / + JSON file) | iac + JSON file (wall) "
             "| Terraform plan -refresh=false (wall) | Terraform (CPU) | Terraform peak memory | speed-up wall / CPU |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [_row(n, iac.get(n), tf.get(n), tf) for n in sorted(set(iac) | set(tf))]
    if any(n > max(tf, default=0) for n in iac) and len(tf) >= 2:
        lines += ["", "\\* Terraform not run at this size (minutes and GBs on 2 cores): extrapolated by a power law "
                  "through the two largest sizes measured."]
    if 10_000 in iac and 100_000 in iac:
        wall = iac[100_000]["planned"] / iac[10_000]["planned"]
        cpu = iac[100_000]["planned_cpu"] / iac[10_000]["planned_cpu"]
        lines += ["", f"Linearity: 10k -> 100k took {wall:.1f}x the wall time and {cpu:.1f}x the CPU time (target <= 11x)."]
    if "synth" in results:
        synth = results["synth"]
        lines += ["", f"Synth + plan of the example prod environment ({synth['resources']:,} resources, no state): "
                  f"{synth['planned']:.2f} s wall, {synth['planned_cpu']:.2f} s CPU, {synth['peak_mb']} MB peak."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--terraform", default="1000,5000,10000")
    parser.add_argument("--env", default="prod", help="project environment for synth+plan ('' to skip)")
    parser.add_argument("--quick", action="store_true", help="1,000 resources only")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--repeat", type=int, default=3, help="fresh-process runs per iac size (the median is shown)")
    args = parser.parse_args()
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    tf_sizes = [1000] if args.quick else [int(s) for s in args.terraform.split(",") if s]
    if 5000 in tf_sizes and 5000 not in sizes:
        sizes.append(5000)
    results = run(sizes, tf_sizes, args.env or None, repeat=args.repeat)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(report(results))


if __name__ == "__main__":
    main()

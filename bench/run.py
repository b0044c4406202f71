"""`make bench`: iac's planner vs Terraform's `plan -refresh=false`, on the same resources.

    python -m bench.run                      # estates of 1k/10k/100k, Terraform at 1k/5k/10k, prod synth+plan
    python -m bench.run --quick              # 1k only (a minute)
    python -m bench.run --terraform 1000,5000,10000,20000

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


def run(sizes: list[int], tf_sizes: list[int], environment: str | None) -> dict[str, Any]:
    results: dict[str, Any] = {"load_average": os.getloadavg(), "cpus": os.cpu_count(), "iac": {}, "terraform": {}}
    for n in sorted(set(sizes) | set(tf_sizes)):
        directory = _estate(n)
        if n in sizes:
            results["iac"][n] = _measure("iac", str(directory))
            print(f"iac {n}: {results['iac'][n]}", file=sys.stderr)
        if n in tf_sizes:
            results["terraform"][n] = _measure("terraform", str(directory))
            print(f"terraform {n}: {results['terraform'][n]}", file=sys.stderr)
    if environment:
        results["synth"] = _measure("synth", environment, str(ROOT))
        print(f"synth+plan {environment}: {results['synth']}", file=sys.stderr)
    return results


def report(results: dict[str, Any]) -> str:
    iac, tf = results["iac"], results["terraform"]
    tf_wall = {n: r["wall"] for n, r in tf.items()}
    tf_mem = {n: r["peak_mb"] for n, r in tf.items()}
    lines = [f"Machine: {results['cpus']} CPUs, load average {', '.join(f'{x:.1f}' for x in results['load_average'])} "
             "during the run.", "",
             "| resources (1% changed) | iac plan (wall / CPU) | iac peak memory | iac incl. JSON text | "
             "Terraform plan -refresh=false | Terraform peak memory | speed-up |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n in sorted(set(iac) | set(tf), key=int):
        mine = iac.get(n)
        theirs = tf.get(n)
        if theirs is None and mine is not None and len(tf_wall) >= 2 and n > max(tf_wall):
            t_wall, t_mem, note = _fit(tf_wall, n), _fit(tf_mem, n), " (extrapolated)"
        elif theirs is not None:
            t_wall, t_mem, note = theirs["wall"], theirs["peak_mb"], ""
        else:
            t_wall = t_mem = None
            note = ""
        cells = [f"{int(n):,}"]
        cells += [f"{mine['planned']:.2f} s / {mine['cpu']:.2f} s", f"{mine['peak_mb']} MB",
                  f"{mine['wall']:.2f} s"] if mine else ["—", "—", "—"]
        cells += [f"{t_wall:.1f} s{note}", f"{t_mem:.0f} MB{note}"] if t_wall else ["—", "—"]
        cells.append(f"{t_wall / mine['planned']:.0f}x{note}" if mine and t_wall else "—")
        lines.append("| " + " | ".join(cells) + " |")
    sizes = sorted(int(n) for n in iac)
    if 10_000 in sizes and 100_000 in sizes:
        lines += ["", f"Linearity: 10k -> 100k took {iac[100_000]['planned'] / iac[10_000]['planned']:.1f}x "
                  "the time (target <= 11x)."]
    if "synth" in results:
        synth = results["synth"]
        lines += ["", f"Synth + plan of the example prod environment ({synth['resources']} resources, no state): "
                  f"{synth['planned']:.2f} s wall, {synth['peak_mb']} MB peak."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--terraform", default="1000,5000,10000")
    parser.add_argument("--env", default="prod", help="project environment for synth+plan ('' to skip)")
    parser.add_argument("--quick", action="store_true", help="1,000 resources only")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    tf_sizes = [1000] if args.quick else [int(s) for s in args.terraform.split(",") if s]
    if 5000 in tf_sizes and 5000 not in sizes:
        sizes.append(5000)
    results = run(sizes, tf_sizes, args.env or None)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(report(results))


if __name__ == "__main__":
    main()

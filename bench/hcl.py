"""`python -m bench.hcl`: an estate written in idiomatic HCL (bench/hcl_estate.py, ~10.9k resources, 1% changed),
planned by iac and by Terraform's `plan -refresh=false`, each in a fresh process.

    python -m bench.hcl                 # 100 teams x 99 services (+ endpoints): 10,890 resources
    python -m bench.hcl --teams 10      # a quick run
    python -m bench.hcl --repeat 3      # iac's median of three runs

"iac plan" is what `iac plan --config DIR` does before printing: parse the .tf file and the tfvars, evaluate every
expression, read the state, diff, build the plan JSON document.
"""

from __future__ import annotations

import argparse
import statistics

from bench.hcl_estate import write_hcl_estate
from bench.run import ESTATES, _measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--services", type=int, default=99)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-terraform", action="store_true")
    args = parser.parse_args()
    directory = ESTATES / f"hcl-{args.teams}x{args.services}"
    if not (directory / "terraform.tfstate").exists():
        write_hcl_estate(directory, teams=args.teams, services=args.services)
    runs = [_measure("iac", str(directory)) for _ in range(args.repeat)]
    walls = sorted(r["planned"] for r in runs)
    median = runs[[r["planned"] for r in runs].index(statistics.median_low(walls))]
    resources = args.teams * args.services + args.teams * ((args.services + 9) // 10)
    print(f"resources: {resources:,} (1% changed: {median['changes']})")
    print(f"iac plan: {median['planned']:.2f} s wall ({walls[0]:.2f}-{walls[-1]:.2f}), {median['planned_cpu']:.2f} s CPU, "
          f"{median['planned_peak_mb']} MB peak; phases {median['phases']}")
    if not args.no_terraform:
        terraform = _measure("terraform", str(directory))
        print(f"terraform plan -refresh=false: {terraform['planned']:.2f} s wall, {terraform['planned_cpu']:.2f} s CPU, "
              f"{terraform['peak_mb']} MB peak ({terraform['summary']})")
        print(f"speed-up: {terraform['planned'] / median['planned']:.1f}x wall, "
              f"{terraform['planned_cpu'] / median['planned_cpu']:.1f}x CPU")


if __name__ == "__main__":
    main()

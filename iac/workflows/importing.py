"""Importing workflow: `iac import ENV ADDRESS ID` records that the existing object ID belongs to the construct at
ADDRESS (in `environments/ENV.imports.json`, which synth turns into a Terraform `import` block, see
iac/synth/imports.py); with the sandbox, it then proves the import: applied there, the construct must plan as a
no-op (Terraform's own plan, which reads the object, must match iac's preview, and iac must plan nothing after).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from iac.diagnostics import ConfigError, Diagnostic
from iac.fleet.document import SHARED_LABEL

__all__ = ["Recorded", "check_imported", "prove_import", "record_import"]


@dataclass(frozen=True)
class Recorded:
    path: Path
    """The imports file written."""
    replaced: str | None
    """The id recorded for ADDRESS before, if another one."""
    source: str
    """Where the construct at ADDRESS is made (`modules/x.py:12`)."""
    part: str | None = None
    """The fleet part whose section holds it (`(shared)` or a member key); None for an environment of one state."""


def record_import(environment: str, project: Path | None, address: str, object_id: str, *, member: str | None = None,
                  shared_only: bool = False) -> Recorded:
    """Record the import after checking ADDRESS names a construct of the environment (did-you-mean otherwise); in a
    fleet with a state per member, of the part named by `member` or `shared_only`, in that part's section."""
    from iac.project import find_project
    from iac.synth.imports import read_imports, write_imports
    from iac.workflows.fleet_parts import synthesized_part

    root = project or find_project()
    if not object_id.strip():
        raise ConfigError(Diagnostic("the id to import is empty", environment=environment, address=address))
    synthesized = synthesized_part(environment, root, member=member, shared_only=shared_only, command="iac import")
    stack, part = synthesized.stack, synthesized.environment.fleet_part
    construct = stack.get(address)
    if construct is None:
        known = [c.address for c in stack.resources()]
        close = difflib.get_close_matches(address, known, n=1, cutoff=0.8)
        where = "" if part is None else f" of fleet part {part}"
        raise ConfigError(Diagnostic(f"no construct{where} at this address to import into"
                                     + (f" (did you mean {close[0]!r}?)" if close else " (see `iac state list` / "
                                                                                       "`iac graph` for addresses)"),
                                     environment=environment, address=address))
    imports = read_imports(root, environment, part)
    previous = imports.get(address)
    imports[address] = object_id
    path = write_imports(root, environment, imports, part)
    return Recorded(path, previous if previous not in (None, object_id) else None, construct.source, part)


def prove_import(environment: str, project: Path | None, address: str, options: Any, services: Any, *,
                 member: str | None = None, shared_only: bool = False, warn: Callable[[str], None]) -> None:
    """`iac import ... --sandbox`: apply only ADDRESS into the sandbox (the apply run verifies Terraform's plan against
    iac's preview), then check that iac plans nothing for it there (`check_imported`). A fleet part applies through
    the fleet's one sandbox provider, under its own lock, as `iac apply ENV --member KEY --sandbox` would."""
    from iac.apply import flow
    from iac.apply.target import sandboxed
    from iac.workflows import applying
    from iac.workflows.fleet_parts import one_state

    with one_state(environment, project, member=member, shared_only=shared_only, sandbox=True, command="iac import",
                   warn=warn) as state:
        if state.setup is None:  # an environment of one state
            applying.run(state.target, options, services, sandbox=True, warn=warn)
        else:
            flow.run(sandboxed(state.target), options, replace(services, engine_setup=state.setup))
    part = None if not state.flag else (SHARED_LABEL if shared_only else member)
    check_imported(environment, project, address, part=part, warn=warn)


def check_imported(environment: str, project: Path | None, address: str, *, part: str | None = None,
                   warn: Callable[[str], None]) -> None:
    """After the import was applied into the sandbox: iac plans nothing for ADDRESS there (no import left, no
    change), else a one-line error saying what it still plans. `part`: the fleet part it was imported into."""
    if part is None:
        from iac.workflows.planning import environment_targets

        [target] = environment_targets([environment], None, project, {"targets": (address,)}, sandbox=True, warn=warn)
        change = next((c for c in target.plan.resource_changes if str(c.address) == address), None)
        if change is None:
            return
        action, importing, reasons = change.action.value, change.importing is not None, sorted(change.reasons)
    else:
        found = _planned_in_part(environment, project, part, address, warn)
        if found is None:
            return
        action, importing, reasons = found
    if action in ("no-op", "read") and not importing:
        return
    what = "still imports it" if importing else f"plans {action}"
    changed = ", ".join(reasons) or "no attribute named"
    raise ConfigError(Diagnostic(f"after the import, iac {what} in the sandbox ({changed}): the construct does not "
                                 "describe the object as it is", environment=environment, address=address))


def _planned_in_part(environment: str, project: Path | None, part: str, address: str,
                     warn: Callable[[str], None]) -> tuple[str, bool, list[str]] | None:
    """(action, still importing, changed attributes) of ADDRESS in the fleet part's sandbox plan; None if absent."""
    from iac._jsonio import loads
    from iac.project import find_project
    from iac.workflows.fleet_planning import FleetRequest, plan_fleet

    shared = part == SHARED_LABEL
    request = FleetRequest(jobs=1, sandbox=True, keep_documents=True, shared_only=shared, only=() if shared else (part,))
    document = loads(plan_fleet(environment, project or find_project(), request, warn=warn).documents[part])
    change = next((rc for rc in document.get("resource_changes") or () if rc["address"] == address), None)
    if change is None:
        return None
    actions = change["change"]["actions"]
    action = "no-op" if actions == ["no-op"] else "replace" if len(actions) > 1 else actions[0]
    reasons = sorted(((document.get("iac") or {}).get("reasons") or {}).get(address) or {})
    return action, "importing" in change["change"], reasons

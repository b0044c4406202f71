"""Importing workflow: `iac import ENV ADDRESS ID` records that the existing object ID belongs to the construct at
ADDRESS (in `environments/ENV.imports.json`, which synth turns into a Terraform `import` block, see
iac/synth/imports.py); with the sandbox, it then proves the import: applied there, the construct must plan as a
no-op (Terraform's own plan, which reads the object, must match iac's preview, and iac must plan nothing after).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from iac.diagnostics import ConfigError, Diagnostic

__all__ = ["Recorded", "check_imported", "record_import"]


@dataclass(frozen=True)
class Recorded:
    path: Path
    """The imports file written."""
    replaced: str | None
    """The id recorded for ADDRESS before, if another one."""
    source: str
    """Where the construct at ADDRESS is made (`modules/x.py:12`)."""


def record_import(environment: str, project: Path | None, address: str, object_id: str) -> Recorded:
    """Record the import after checking ADDRESS names a construct of the environment (did-you-mean otherwise)."""
    from iac.project import find_project
    from iac.synth import synthesize
    from iac.synth.imports import read_imports, write_imports
    from iac.workflows.fleet_parts import fleet_scope

    root = project or find_project()
    if fleet_scope(environment, root) is not None:  # every part would get the import block: none could plan
        raise ConfigError(Diagnostic("iac import records imports for one state, and this fleet has a state per member: "
                                     "importing into a fleet member is not supported yet (nothing written)",
                                     environment=environment))
    if not object_id.strip():
        raise ConfigError(Diagnostic("the id to import is empty", environment=environment, address=address))
    stack = synthesize(environment, root).stack
    construct = stack.get(address)
    if construct is None:
        known = [c.address for c in stack.resources()]
        close = difflib.get_close_matches(address, known, n=1, cutoff=0.8)
        raise ConfigError(Diagnostic("no construct at this address to import into"
                                     + (f" (did you mean {close[0]!r}?)" if close else " (see `iac state list` / "
                                                                                       "`iac graph` for addresses)"),
                                     environment=environment, address=address))
    imports = read_imports(root, environment)
    previous = imports.get(address)
    imports[address] = object_id
    path = write_imports(root, environment, imports)
    return Recorded(path, previous if previous not in (None, object_id) else None, construct.source)


def check_imported(environment: str, project: Path | None, address: str, *, warn: Callable[[str], None]) -> None:
    """After the import was applied into the sandbox: iac plans nothing for ADDRESS there (no import left, no
    change), else a one-line error saying what it still plans."""
    from iac.workflows.planning import environment_targets

    [target] = environment_targets([environment], None, project, {"targets": (address,)}, sandbox=True, warn=warn)
    change = next((c for c in target.plan.resource_changes if str(c.address) == address), None)
    if change is None or (not change.action.changes and change.importing is None):
        return
    what = "still imports it" if change.importing is not None else f"plans {change.action.value}"
    changed = ", ".join(sorted(change.reasons)) or "no attribute named"
    raise ConfigError(Diagnostic(f"after the import, iac {what} in the sandbox ({changed}): the construct does not "
                                 "describe the object as it is", environment=environment, address=address))

"""One sandbox provider for every part of a fleet: the parts of a fleet run against one simulated account
(`<environment workdir>/.sandbox/provider/store.json`), as a fleet's workspaces live in one real account, so
what the shared part created is there for every member. Used by the rollout (`iac apply ENV --sandbox`) and by
the fleet refresh (`iac plan ENV --sandbox --refresh`).

    with fleet_sandbox(environment, fleet, project, exports, ["fraud"], warn=print) as setup:
        engine_session(target, sandbox=True, setup=setup, ...)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from iac.apply.flow import EngineSetup
from iac.fleet.model import EXPORT_VARIABLE_PREFIX, Fleet
from iac.fleet.parts import member_part, part_environment, shared_part
from iac.terraform.workdir import Workdir
from iac.workflows.session import SetupFactory

__all__ = ["fleet_sandbox"]


@contextlib.contextmanager
def fleet_sandbox(environment: Any, fleet: Fleet, project: Path, exports: Sequence[str], members: Sequence[str], *,
                  warn: Callable[[str], None]) -> Iterator[SetupFactory]:
    """Start the fleet's one sandbox provider; yield the engine setup every part's run uses, with placeholders for
    the variables without a value of the shared part and of `members` (never for the shared values: they come
    from the shared part)."""
    from iac.sandbox.session import placeholder_notice, placeholders_for, start_sandbox
    from iac.synth import synthesize_environment

    shared = {EXPORT_VARIABLE_PREFIX + name for name in exports}
    variables: dict[str, Any] = {}
    for part in [shared_part(), *(member_part(k) for k in members)]:
        document = synthesize_environment(part_environment(environment, fleet, part, export_names=exports),
                                          project).document
        variables.update({k: v for k, v in (document.get("variable") or {}).items() if k not in shared})
    placeholders = placeholders_for(variables)
    if placeholders:
        warn(placeholder_notice(placeholders))
    root = Workdir(environment.working_directory(project).resolve()).sandbox.root
    with start_sandbox(root / "provider") as provider:
        setup = EngineSetup({**provider.env, **placeholders}, hold=() if provider.lifeline is None else (provider.lifeline,))
        yield lambda target: contextlib.nullcontext(setup)

"""`--sandbox`: point the Terraform engine at iac's offline sandbox provider (iac/sandbox) for one run.

The sandbox run uses its own working directory (`<workdir>/.sandbox`, see iac/apply/target.sandboxed):
the configuration without its backend, a local sandbox state, and the provider's simulated workspace
(`<workdir>/.sandbox/provider/store.json`), which persists between runs like a real workspace would.
The real state and backend are never touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager

from iac._jsonio import loads
from iac.apply.flow import EngineSetup
from iac.apply.target import ApplyTarget

__all__ = ["sandbox_engine"]


def sandbox_engine(echo: Callable[[str], None], given: Mapping[str, str] | None = None,
                   ) -> Callable[[ApplyTarget], AbstractContextManager[EngineSetup]]:
    """The run's engine setup: start the sandbox provider once the run holds its lock (`flow.Services`).
    `given` is the `TF_VAR_*` the user set (`--var`): those variables get no placeholder."""
    return lambda target: _sandbox_engine(target, echo, dict(given or {}))


@contextmanager
def _sandbox_engine(target: ApplyTarget, echo: Callable[[str], None], given: dict[str, str]) -> Iterator[EngineSetup]:
    """Start the sandbox provider for a run of `target` (already sandboxed); yield what Terraform needs.

    The provider is attached through `TF_REATTACH_PROVIDERS` (one provider process for every command of
    the run). Its lifeline is held by the Terraform worker too, so a Terraform that outlives a killed iac
    keeps its provider until it has finished. Variables without a value (an environment's secrets) get
    placeholders, as `iac sandbox` gives them, said through `echo`: the sandbox never needs a real secret.
    """
    from iac.sandbox.session import placeholder_notice, placeholders_for, start_sandbox

    placeholders = placeholders_for(loads(target.config_text).get("variable") or {}, {**os.environ, **given})
    if placeholders:
        echo(placeholder_notice(placeholders))
    with start_sandbox(target.workdir.root / "provider") as sandbox:
        yield EngineSetup({**sandbox.env, **placeholders}, hold=() if sandbox.lifeline is None else (sandbox.lifeline,))

"""`--sandbox`: point the Terraform engine at iac's offline sandbox provider (iac/sandbox) for one run.

The sandbox run uses its own working directory (`<workdir>/.sandbox`, see iac/apply/target.sandboxed):
the configuration without its backend, a local sandbox state, and the provider's simulated workspace
(`<workdir>/.sandbox/provider/store.json`), which persists between runs like a real workspace would.
The real state and backend are never touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from iac._jsonio import loads

__all__ = ["sandbox_engine_env"]


@contextmanager
def sandbox_engine_env(sandbox_workdir: Path, config_text: str, echo: Callable[[str], None],
                       given: Mapping[str, str] | None = None) -> Iterator[dict[str, str]]:
    """Start the sandbox provider for a run in `sandbox_workdir`; yield the environment Terraform needs.

    The provider is attached through `TF_REATTACH_PROVIDERS` (one provider process for every command of
    the run); the runner hands that environment to each Terraform child process explicitly. Variables
    without a value (an environment's secrets) get placeholders, as `iac sandbox` gives them, said
    through `echo`: the sandbox never needs a real secret.
    """
    from iac.sandbox.session import placeholder_notice, placeholders_for, start_sandbox

    given = dict(given or {})  # values the user gave (`--var`): no placeholder for them, and they win
    placeholders = placeholders_for(loads(config_text).get("variable") or {}, {**os.environ, **given})
    if placeholders:
        echo(placeholder_notice(placeholders))
    with start_sandbox(sandbox_workdir / "provider") as sandbox:
        yield {**sandbox.env, **placeholders, **given}

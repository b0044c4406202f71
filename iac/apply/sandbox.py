"""`--sandbox`: point the Terraform engine at iac's offline sandbox provider (iac/sandbox) for one run.

The sandbox run uses its own working directory (`<workdir>/.sandbox`, see iac/apply/target.sandboxed):
the configuration without its backend, a local sandbox state, and the provider's simulated workspace
(`<workdir>/.sandbox/provider/store.json`), which persists between runs like a real workspace would.
The real state and backend are never touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["sandbox_engine_env"]


@contextmanager
def sandbox_engine_env(sandbox_workdir: Path) -> Iterator[dict[str, str]]:
    """Start the sandbox provider for a run in `sandbox_workdir`; yield the environment Terraform needs.

    The provider is attached through `TF_REATTACH_PROVIDERS` (one provider process for every command of
    the run); the runner hands that environment to each Terraform child process explicitly.
    """
    from iac.sandbox.session import start_sandbox

    with start_sandbox(sandbox_workdir / "provider") as sandbox:
        yield dict(sandbox.env)

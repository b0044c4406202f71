"""`--sandbox`: the Terraform environment that points the engine at iac's offline sandbox provider."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from iac.diagnostics import IacError

__all__ = ["sandbox_engine_env"]


@contextmanager
def sandbox_engine_env(workdir: Path) -> Iterator[dict[str, str]]:
    """Start the sandbox provider for a run in `workdir`; yield the environment Terraform needs to use it."""
    try:
        import iac.sandbox  # noqa: F401  (wired here as soon as its session API lands on main)
    except ImportError:
        raise IacError("--sandbox: the sandbox provider (iac.sandbox) is not part of this build yet") from None
    raise IacError("--sandbox: the sandbox provider is present but not wired to apply yet")
    yield {}

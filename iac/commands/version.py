"""`iac version` (and `iac --version`, in iac/cli.py)."""

from __future__ import annotations

import typer

from iac.cli import app, installed_version


@app.command()
def version() -> None:
    """Print iac's version (as `iac --version` does)."""
    typer.echo(f"iac {installed_version()}")

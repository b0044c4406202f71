"""`iac version`."""

from __future__ import annotations

import typer

from iac.cli import app


@app.command()
def version() -> None:
    """Print iac's version."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        typer.echo(installed_version("iac"))
    except PackageNotFoundError:
        typer.echo("0+unknown")

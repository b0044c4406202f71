"""The `iac` command line: parse, call the library, pick a renderer, map to an exit code.

Exit codes: 0 success; 1 error; 2 success with changes (only with --detailed-exitcode); 3 denied by policy.
"""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)


@app.command()
def version() -> None:
    """Print iac's version."""
    from importlib.metadata import version as _version

    typer.echo(_version("iac"))


def main() -> None:
    app()

"""`iac explain ENV ADDRESS[.attr]`: where each value of a construct comes from (construct line, environment data,
default tags, mode presets). The story is the explaining workflow's (iac/workflows/explaining.py)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from iac._jsonio import dumps
from iac.cli import app


@app.command("explain")
def explain_command(
    environment: Annotated[str, typer.Argument(help="Environment (see `iac envs`).")],
    address: Annotated[str, typer.Argument(metavar="ADDRESS[.ATTR]", help="A construct's address, optionally with an attribute path (`databricks_cluster.x.custom_tags.team`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
    project: Annotated[Path | None, typer.Option("--project", help="Project directory (default: nearest with environments/).")] = None,
) -> None:
    """Show where the values of the construct at ADDRESS (or of one attribute) come from."""
    from iac.workflows.explaining import explain

    resource, attribute = _split(address)
    explanation = explain(environment, project, resource, attribute)
    if as_json:
        typer.echo(dumps(asdict(explanation)), nl=False)
        return
    provider = f"; provider {explanation.provider}" if explanation.provider else ""
    typer.echo(f"{explanation.address}: {explanation.construct} made at {explanation.source}{provider}")
    for origin in explanation.origins:
        typer.echo(f"  {origin.path} = {dumps(origin.value).strip()}")
        for line in origin.story:
            typer.echo(f"    {line}")


def _split(text: str) -> tuple[str, str | None]:
    """`TYPE.NAME[.attr...]` -> (`TYPE.NAME`, `attr...`); a data source or module prefix keeps its parts."""
    parts = text.split(".")
    head = 3 if parts[0] == "data" else 2
    return ".".join(parts[:head]), (".".join(parts[head:]) or None)

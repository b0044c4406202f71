"""`iac graph ENV`: the resource dependency graph of ENV's configuration, as Graphviz DOT or Mermaid.

`--format mermaid` prints a fenced block GitHub renders in a pull-request comment (a warning on stderr when the
graph is too large for GitHub to draw: narrow it with `--focus ADDRESS`). The graph is the graphing workflow's
(iac/workflows/graphing.py); the text is iac/render/graph.py's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iac.cli import app
from iac.diagnostics import ConfigError, Diagnostic


@app.command("graph")
def graph_command(
    environment: Annotated[str, typer.Argument(help="Environment (see `iac envs`).")],
    fmt: Annotated[str, typer.Option("--format", help="dot (Graphviz) or mermaid (renders in GitHub comments).")] = "dot",
    focus: Annotated[list[str] | None, typer.Option("--focus", help="Only this resource, what it depends on and what depends on it (repeatable).")] = None,
    project: Annotated[Path | None, typer.Option("--project", help="Project directory (default: nearest with environments/).")] = None,
    member: Annotated[str | None, typer.Option("--member", help="Fleets: only this member's configuration (default: the whole blueprint).")] = None,
    shared_only: Annotated[bool, typer.Option("--shared-only", help="Fleets: only the shared part's configuration.")] = False,
) -> None:
    """Print ENV's resource dependency graph (an arrow points to what a resource depends on)."""
    from iac.render.graph import mermaid_too_large, to_dot, to_mermaid
    from iac.workflows.graphing import environment_graph

    if fmt not in ("dot", "mermaid"):
        raise ConfigError(Diagnostic(f"unknown --format {fmt!r}; choose dot or mermaid"))
    graph = environment_graph(environment, project, focus or (), member=member, shared_only=shared_only)
    text = to_dot(graph) if fmt == "dot" else to_mermaid(graph)
    typer.echo(text, nl=False)
    if fmt == "mermaid":
        problem = mermaid_too_large(graph, text)
        if problem:
            typer.echo(f"Warning: [{environment}] {problem}; narrow it with --focus ADDRESS", err=True)

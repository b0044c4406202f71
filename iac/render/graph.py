"""A resource graph (iac.workflows.graphing.ResourceGraph) as Graphviz DOT or as Mermaid.

Both draw an arrow from a resource to what it depends on, as `terraform graph` does, and a box per provider
configuration (a workspace) around the resources that use it. The Mermaid text is a fenced ```mermaid block,
which GitHub renders in a pull-request comment; GitHub draws at most 500 edges and 50,000 characters, which
`mermaid_too_large` says before anyone posts a graph that will not render.
"""

from __future__ import annotations

import json
from typing import Protocol

__all__ = ["MERMAID_MAX_CHARS", "MERMAID_MAX_EDGES", "mermaid_too_large", "to_dot", "to_mermaid"]

MERMAID_MAX_EDGES = 500
MERMAID_MAX_CHARS = 50_000


class _Graph(Protocol):
    @property
    def nodes(self) -> list[str]: ...
    @property
    def edges(self) -> list[tuple[str, str]]: ...
    @property
    def groups(self) -> dict[str, list[str]]: ...
    @property
    def group_edges(self) -> list[tuple[str, str]]: ...


def to_dot(graph: _Graph) -> str:
    """`digraph` text: clusters per provider configuration; an edge to a cluster is drawn to its first member."""
    q = json.dumps
    grouped = {a for members in graph.groups.values() for a in members}
    lines = ["digraph iac {", "  compound = true;", "  rankdir = \"RL\";", "  node [shape = box, fontsize = 10];"]
    for index, (provider, members) in enumerate(sorted(graph.groups.items())):
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label = {q(provider)};")
        lines += [f"    {q(a)};" for a in members]
        lines.append("  }")
    lines += [f"  {q(a)};" for a in graph.nodes if a not in grouped]
    lines += [f"  {q(a)} -> {q(b)};" for a, b in graph.edges]
    clusters = {provider: index for index, provider in enumerate(sorted(graph.groups))}
    lines += [f"  {q(graph.groups[g][0])} -> {q(r)} [ltail = cluster_{clusters[g]}];" for g, r in graph.group_edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(graph: _Graph) -> str:
    """A fenced ```mermaid flowchart; node ids are short (`n12`) and labelled with the address."""
    ids = {a: f"n{i}" for i, a in enumerate(graph.nodes)}
    groups = {g: f"g{i}" for i, g in enumerate(sorted(graph.groups))}
    grouped = {a for members in graph.groups.values() for a in members}
    lines = ["```mermaid", "flowchart RL"]
    for provider, members in sorted(graph.groups.items()):
        lines.append(f"  subgraph {groups[provider]}[\"{_label(provider)}\"]")
        lines += [f"    {ids[a]}[\"{_label(a)}\"]" for a in members]
        lines.append("  end")
    lines += [f"  {ids[a]}[\"{_label(a)}\"]" for a in graph.nodes if a not in grouped]
    lines += [f"  {ids[a]} --> {ids[b]}" for a, b in graph.edges]
    lines += [f"  {groups[g]} --> {ids[r]}" for g, r in graph.group_edges]
    lines.append("```")
    return "\n".join(lines) + "\n"


def mermaid_too_large(graph: _Graph, text: str) -> str | None:
    """Why GitHub would not render this Mermaid graph, or None when it will."""
    edges = len(graph.edges) + len(graph.group_edges)
    if edges > MERMAID_MAX_EDGES:
        return f"{edges} edges: GitHub renders Mermaid graphs of at most {MERMAID_MAX_EDGES}"
    if len(text) > MERMAID_MAX_CHARS:
        return f"{len(text):,} characters: GitHub renders Mermaid graphs of at most {MERMAID_MAX_CHARS:,}"
    return None


def _label(text: str) -> str:
    """Mermaid label text: a double quote would end it; `#quot;` is Mermaid's entity for one."""
    return text.replace('"', "#quot;")

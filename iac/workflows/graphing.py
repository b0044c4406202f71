"""Graphing workflow: the resource dependency graph of an environment's configuration (`iac graph ENV`).

Nodes are resource blocks (and data sources) by address, module path included; an edge `a -> b` says `a` depends
on `b` (a reference, `depends_on`, `replace_triggered_by`, through variables, locals and module calls), the
direction `terraform graph` draws. Resources are grouped by the provider configuration they use: for a
Databricks estate, one group per workspace; a group whose provider configuration refers to a resource (the
workspace's URL) depends on it as a whole. `focus` keeps what the named blocks depend on and what depends on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iac.config import Module, load_document
from iac.config.expressions import template_references
from iac.diagnostics import ConfigError, Diagnostic
from iac.diff.graph import Graph, Node, build_graph, node_label

__all__ = ["ResourceGraph", "environment_graph", "module_graph"]


@dataclass(frozen=True)
class ResourceGraph:
    nodes: list[str]
    """Resource addresses, sorted."""
    edges: list[tuple[str, str]]
    """`(dependent, dependency)`, sorted."""
    groups: dict[str, list[str]] = field(default_factory=dict)
    """Provider configuration (`databricks.fraud`) -> the addresses that use it."""
    group_edges: list[tuple[str, str]] = field(default_factory=list)
    """`(provider configuration, resource its settings refer to)`."""


def environment_graph(name: str, project: Path | None, focus: Sequence[str] = (), *, member: str | None = None,
                      shared_only: bool = False) -> ResourceGraph:
    """The graph of environment `name`'s synthesized configuration (of a fleet: its whole blueprint, or, with
    `member` or `shared_only`, that one part's configuration)."""
    from iac.workflows.fleet_parts import synthesized_part

    synthesized = synthesized_part(name, project, member=member, shared_only=shared_only)
    module = load_document(synthesized.document, file=str(synthesized.workdir / "main.tf.json"),
                           base_dir=synthesized.workdir)
    return module_graph(module, focus, environment=name)


def module_graph(module: Module, focus: Sequence[str] = (), *, environment: str | None = None) -> ResourceGraph:
    """The resource graph of a loaded configuration (see the module docstring)."""
    graph = build_graph(module)
    depends = graph.resource_dependencies()
    nodes = {node_label(node): node for node in depends}
    edges = {(node_label(a), node_label(b)) for a, deps in depends.items() for b in deps}
    groups, group_edges = _provider_groups(graph, nodes)
    if focus:
        keep = _connected(focus, nodes, edges, groups, group_edges, environment)
        edges = {(a, b) for a, b in edges if a in keep and b in keep}
        groups = {g: [a for a in members if a in keep] for g, members in groups.items()}
        groups = {g: members for g, members in groups.items() if members}
        group_edges = [(g, r) for g, r in group_edges if g in groups and r in keep]
        nodes = {a: n for a, n in nodes.items() if a in keep}
    return ResourceGraph(sorted(nodes), sorted(edges), groups, sorted(group_edges))


def _provider_groups(graph: Graph, nodes: dict[str, Node]) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """Resources by provider configuration (only configurations some resource names with an alias)."""
    groups: dict[str, list[str]] = {}
    for address, (path, _, name) in sorted(nodes.items()):
        provider = graph.modules[path].resources[name].provider
        if provider and "." in provider:
            groups.setdefault(provider, []).append(address)
    group_edges = []
    for provider in groups:
        local, _, alias = provider.partition(".")
        for config in _configs(graph.modules[()].provider_configs.get(local)):
            if config.get("alias") == alias:
                for ref in template_references({k: v for k, v in config.items() if k != "alias"}):
                    first = next((s for s in ref.steps if isinstance(s, str)), None)
                    target = f"{ref.root}.{first}"
                    if target in nodes:
                        group_edges.append((provider, target))
    return groups, group_edges


def _configs(raw: Any) -> list[dict[str, Any]]:
    items = raw if isinstance(raw, list) else [raw]
    return [item for item in items if isinstance(item, dict)]


def _connected(focus: Sequence[str], nodes: dict[str, Node], edges: set[tuple[str, str]],
               groups: dict[str, list[str]], group_edges: list[tuple[str, str]], environment: str | None) -> set[str]:
    """The focused blocks, everything they depend on and everything that depends on them."""
    unknown = [f for f in focus if f not in nodes]
    if unknown:
        import difflib

        hints = {f: difflib.get_close_matches(f, list(nodes), n=1, cutoff=0.7) for f in unknown}
        raise ConfigError(*[Diagnostic(f"--focus {f!r} is not a resource of the configuration"
                                       + (f" (did you mean {hints[f][0]!r}?)" if hints[f] else ""),
                                       environment=environment) for f in unknown])
    down: dict[str, set[str]] = {}
    up: dict[str, set[str]] = {}
    for a, b in [*edges, *((a, r) for g, r in group_edges for a in groups[g])]:
        down.setdefault(a, set()).add(b)
        up.setdefault(b, set()).add(a)
    return set(focus) | _walk(focus, down) | _walk(focus, up)


def _walk(start: Iterable[str], table: dict[str, set[str]]) -> set[str]:
    found: set[str] = set()
    stack = list(start)
    while stack:
        for nxt in table.get(stack.pop(), ()):
            if nxt not in found:
                found.add(nxt)
                stack.append(nxt)
    return found

"""The managed resources whose pending changes make Terraform defer a data source's read to apply
(`read_because_dependency_pending`): Terraform 1.15's `dependsOn` of a data resource node
(internal/terraform/transform_reference.go `ReferenceMap.dependsOn`, `dataDependsOn`,
`parentModuleDependsOn`; checked by `dependenciesHavePendingChanges`):

* each resource its own `depends_on` names, that resource alone; a module it names, every resource in that
  module and everything those depend on;
* each managed resource its configuration refers to directly (`aws_s3_bucket.root.bucket`, even when the
  value is known while planning; not through a local, a variable or a module output);
* for every module call around it, what that call's `depends_on` names and everything that depends on;
* for a data source with preconditions or postconditions, every resource it depends on in any way.

Verified against Terraform through the sandbox provider (tests/sandbox/test_data_source_deferral.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from iac.config.expressions import UnsupportedExpression, template_references
from iac.config.model import NOT_SET, ResourceConfig
from iac.diff.graph import Graph, Node, reachable

__all__ = ["data_dependencies"]

_NOT_RESOURCES = frozenset({"var", "local", "module", "data", "ephemeral", "each", "count", "path", "terraform",
                            "self"})


def data_dependencies(graph: Graph, deps: Mapping[Node, Iterable[Node]], path: tuple[str, ...],
                      res: ResourceConfig) -> set[Node]:
    """The resource nodes (`deps`: Graph.resource_dependencies) whose changes defer `res`'s read."""
    node = (path, "resource", res.address)
    if res.lifecycle.conditions:
        return reachable(deps, deps.get(node, ()))
    found: set[Node] = set()
    for item in res.depends_on:
        if item.startswith("module."):
            found |= reachable(deps, _module_resources(graph, path, item))
        else:
            found.add((path, "resource", _resource_address(item)))
    found |= _referenced_resources(path, res)
    for depth in range(len(path), 0, -1):
        call = graph.modules[path[: depth - 1]].module_calls[path[depth - 1]]
        roots: list[Node] = []
        for item in call.depends_on:
            roots.extend(_module_resources(graph, path[: depth - 1], item) if item.startswith("module.")
                         else [(path[: depth - 1], "resource", _resource_address(item))])
        found |= reachable(deps, roots)
    found.discard(node)
    return found


def _referenced_resources(path: tuple[str, ...], res: ResourceConfig) -> set[Node]:
    refs = [ref for refs in res.templates.values() for ref in refs]
    for meta in (res.count, res.for_each):
        if meta is not NOT_SET:
            try:
                refs.extend(template_references(meta))
            except UnsupportedExpression:
                continue  # the graph reported it already
    return {(path, "resource", f"{ref.root}.{ref.steps[0]}") for ref in refs
            if ref.root not in _NOT_RESOURCES and ref.steps and isinstance(ref.steps[0], str)}


def _module_resources(graph: Graph, path: tuple[str, ...], item: str) -> list[Node]:
    prefix = (*path, item.split(".")[1])
    return [(p, "resource", a) for p, module in graph.modules.items() if p[: len(prefix)] == prefix
            for a in module.resources]


def _resource_address(item: str) -> str:
    parts = item.split(".")
    return ".".join(parts[:3]) if parts[0] == "data" else ".".join(parts[:2])

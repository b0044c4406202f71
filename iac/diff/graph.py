"""The static dependency graph of a configuration: which block must be evaluated before which.

Nodes are `(module_path, kind, name)`: `module_path` is the tuple of module *call* names from the root
(instances are expanded later), `kind` one of `var`, `local`, `resource`, `output`, `module` (a call's
expansion: its count/for_each). Edges come from `${...}` references, `depends_on`,
`replace_triggered_by`, and from every block of a child module to its call. The order is Kahn's
algorithm with a sorted ready set, so it is deterministic; a cycle is a PlanError naming it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from iac.config.expressions import Ref, UnsupportedExpression, parse_bare_reference, template_references
from iac.config.model import NOT_SET, Module, ModuleCall, ResourceConfig
from iac.config.providermap import proxied
from iac.diagnostics import ConfigError, Diagnostic, PlanError
from iac.diff.providerconfig import provider_key, provider_references
from iac.values import format_path

__all__ = ["Graph", "Node", "build_graph", "node_label"]

Node = tuple[tuple[str, ...], str, str]


def node_label(node: Node) -> str:
    """Terraform-style label: `module.a.terraform_data.x`, `module.a.var.v`, `local.l`, `output.o`."""
    path, kind, name = node
    prefix = "".join(f"module.{p}." for p in path)
    if kind in ("resource", "ephemeral"):  # the name is the address (`data.T.N`, `ephemeral.T.N`)
        return prefix + name
    if kind == "module":
        return f"{prefix}module.{name}"
    return f"{prefix}{kind}.{name}"


def reachable(deps: Mapping[Node, Iterable[Node]], start: Iterable[Node]) -> set[Node]:
    """`start` and every node reached from it through `deps` (what each node depends on)."""
    found: set[Node] = set()
    stack = list(start)
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(deps.get(node, ()))
    return found


@dataclass
class Graph:
    """Nodes with their dependencies, a topological order, and the modules by static path."""

    deps: dict[Node, AbstractSet[Node]] = field(default_factory=dict)
    modules: dict[tuple[str, ...], Module] = field(default_factory=dict)
    order: list[Node] = field(default_factory=list)
    conditioned: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    """(static module path, address) of every resource with preconditions or postconditions (checkable)."""

    def resource_dependencies(self) -> dict[Node, set[Node]]:
        """For every resource node, the resource nodes it depends on directly or through
        variables, locals, outputs and module calls (not through other resources)."""
        through: dict[Node, set[Node]] = {}
        result: dict[Node, set[Node]] = {}
        for node in self.order:
            direct: set[Node] = set()
            for dep in self.deps[node]:
                if dep[1] == "resource":
                    direct.add(dep)
                else:
                    direct |= through[dep]
            through[node] = direct
            if node[1] == "resource":
                result[node] = direct
        return result


def build_graph(root: Module) -> Graph:
    """Build and order the graph; ConfigError for a reference to something undeclared."""
    graph = Graph()
    _add_module(graph, root, ())
    try:
        graph.order = _order(graph.deps)
    except _Cycle as cycle:
        first = cycle.nodes[0]
        raise PlanError(Diagnostic("dependency cycle: " + " -> ".join(node_label(n) for n in cycle.nodes),
                                   source=_file_of(graph, first))) from None
    return graph


class _Cycle(Exception):
    def __init__(self, nodes: list[Node]) -> None:
        super().__init__()
        self.nodes = nodes


def _file_of(graph: Graph, node: Node) -> str | None:
    """The file declaring a node (the error of a cycle names where it starts)."""
    path, kind, name = node
    module = graph.modules.get(path)
    if module is None:
        return None
    if kind in ("var", "validation"):
        found: Any = module.variables.get(name)
    elif kind == "local":
        local = module.locals.get(name)
        return local[1] if local is not None else None
    else:
        by_kind: dict[str, Mapping[str, Any]] = {"resource": module.resources, "ephemeral": module.ephemerals,
                                                 "output": module.outputs, "module": module.module_calls}
        found = by_kind.get(kind, {}).get(name)
    return getattr(found, "file", None)


def _add_module(graph: Graph, module: Module, path: tuple[str, ...],
                inherited: Mapping[str, set[Node]] | None = None) -> None:
    graph.modules[path] = module
    call_node: list[Node] = [(path[:-1], "module", path[-1])] if path else []
    refers_to_nothing = frozenset(call_node)  # shared by every such block (one empty set, not 100,000)
    # A provider block that refers to something (a workspace's URL, default tags from a local) is evaluated
    # before every resource it serves: in its module, and in child modules without a block of their own.
    own = {key: set().union(*(_nodes_of(module, path, ref, "provider", f"provider.{key}") for ref in refs))
           for key, refs in provider_references(module).items()}
    providers = {**_passed_down(module, inherited or {}, graph.modules[path[:-1]].module_calls[path[-1]]
                                if path else None), **own}
    for name, var in module.variables.items():
        graph.deps[(path, "var", name)] = set(call_node)
        if var.validations:  # checked once what the conditions refer to is known (Terraform 1.9+)
            graph.deps[(path, "validation", name)] = {(path, "var", name)} | _refs(
                module, path, [part for validation in var.validations for part in validation], var.file, f"var.{name}")
    for name, (expr, file) in module.locals.items():
        graph.deps[(path, "local", name)] = _refs(module, path, expr, file, f"local.{name}") | set(call_node)
    for address, res in module.resources.items():
        served_by = providers.get(provider_key(res), ()) if providers and res.mode == "managed" else ()
        if not (res.templates or res.depends_on or res.lifecycle.replace_triggered_by or res.count is not NOT_SET
                or res.for_each is not NOT_SET or res.lifecycle.conditions or served_by):
            graph.deps[(path, "resource", address)] = refers_to_nothing  # most blocks of a large estate
            continue
        if res.lifecycle.conditions:
            graph.conditioned.append((path, address))
        deps = set(call_node) | {node for node in served_by if node != (path, "resource", address)}
        graph.deps[(path, "resource", address)] = deps | _block_deps(module, path, res)
    for address, res in module.ephemerals.items():  # opened before what refers to them, after what they refer to
        graph.deps[(path, "ephemeral", address)] = (set(call_node) | set(providers.get(provider_key(res), ()))
                                                    | _block_deps(module, path, res))
    for name, out in module.outputs.items():
        deps = _refs(module, path, out.value, out.file, f"output.{name}") | set(call_node)
        deps |= _bare_refs(module, path, out.depends_on, out.file, f"output.{name}", "depends_on")
        for _kind, condition, message in out.conditions:
            deps |= _refs(module, path, [condition, message], out.file, f"output.{name}")
        graph.deps[(path, "output", name)] = deps
    for name, call in module.module_calls.items():
        deps = set(call_node)
        for meta in (call.count, call.for_each):
            if meta is not NOT_SET:
                deps |= _refs(module, path, meta, call.file, f"module.{name}")
        deps |= _bare_refs(module, path, call.depends_on, call.file, f"module.{name}", "depends_on")
        graph.deps[(path, "module", name)] = deps
        _add_module(graph, call.module, (*path, name), providers)
        child = (*path, name)
        for input_name, expr in call.inputs.items():
            if input_name not in call.module.variables:
                raise ConfigError(Diagnostic(f"module has no variable named {input_name!r}", source=call.file,
                                             address=f"module.{name}", attribute=input_name))
            graph.deps[(child, "var", input_name)] = (graph.deps[(child, "var", input_name)]
                                                      | _refs(module, path, expr, call.file, f"module.{name}"))
    _add_imports(graph, module, path)


def _add_imports(graph: Graph, module: Module, path: tuple[str, ...]) -> None:
    """An import block's expressions are evaluated with its target resource (in this module or a child one,
    whose nodes exist by now): the target depends on what they refer to."""
    for block in module.imports:
        if block.to.resource is None:
            continue
        mode, rtype, name = block.to.resource
        target = (*path, *(step for step, _key in block.to.module))
        node = (target, "resource", f"data.{rtype}.{name}" if mode == "data" else f"{rtype}.{name}")
        if node in graph.deps:
            found: set[Node] = set()
            for expr in (block.id, block.for_each, block.to_key, *(key for _, key in block.module_keys)):
                if expr is not None and expr is not NOT_SET:
                    found |= _refs(module, path, expr, block.file, f"import.{block.to}")
            graph.deps[node] = set(graph.deps[node]) | found


def _block_deps(module: Module, path: tuple[str, ...], res: ResourceConfig) -> set[Node]:
    """What a resource, data or ephemeral block refers to: its arguments, count/for_each, depends_on,
    replace_triggered_by and conditions."""
    address, deps = res.address, set()
    for refs in res.templates.values():
        for ref in refs:
            deps |= _nodes_of(module, path, ref, res.source or res.file, address)
    for meta in (res.count, res.for_each):
        if meta is not NOT_SET:
            deps |= _refs(module, path, meta, res.file, address)
    if res.depends_on:
        deps |= _bare_refs(module, path, res.depends_on, res.file, address, "depends_on")
    for trigger in res.lifecycle.replace_triggered_by:
        deps |= _nodes_of(module, path, trigger, res.file, address)
    for _kind, condition, message in res.lifecycle.conditions:
        deps |= _refs(module, path, [condition, message], res.file, address)
    return deps


def _passed_down(module: Module, inherited: Mapping[str, set[Node]],
                 call: ModuleCall | None) -> dict[str, set[Node]]:
    """The caller's view of its configurations as this module sees them (iac.config.providermap): what the
    call's `providers` map passes, else what the module declares itself, else the caller's own."""
    view = {k: v for k, v in inherited.items() if not _declares(module, k)}
    for key, passed in call.providers.items() if call is not None else ():
        target = proxied(key, passed)
        if target in inherited:
            view[key] = inherited[target]
        else:
            view.pop(key, None)
    return view


def _declares(module: Module, key: str) -> bool:
    """Does the module have its own provider block for `name` / `name.alias`?"""
    name, _, alias = key.partition(".")
    raw = module.provider_configs.get(name)
    return any(isinstance(b, Mapping) and (b.get("alias") or "") == alias for b in (raw if isinstance(raw, list) else [raw]))


def _refs(module: Module, path: tuple[str, ...], value: Any, file: str, address: str) -> set[Node]:
    try:
        references = template_references(value)
    except UnsupportedExpression as error:
        attribute = format_path(tuple(error.path)) or None
        raise ConfigError(Diagnostic(error.message, source=file, address=address, attribute=attribute)) from error
    nodes: set[Node] = set()
    for ref in references:
        nodes |= _nodes_of(module, path, ref, file, address)
    return nodes


def _bare_refs(module: Module, path: tuple[str, ...], items: Iterable[str], file: str, address: str,
               attribute: str) -> set[Node]:
    nodes: set[Node] = set()
    for item in items:
        try:
            ref = parse_bare_reference(item)
        except UnsupportedExpression as error:
            raise ConfigError(Diagnostic(str(error), source=file, address=address, attribute=attribute)) from error
        nodes |= _nodes_of(module, path, ref, file, address)
    return nodes


def _nodes_of(module: Module, path: tuple[str, ...], ref: Ref, file: str, address: str) -> set[Node]:
    """The graph nodes a reference points at (empty for each./count./path./terraform.)."""
    root, steps = ref.root, ref.steps
    first = steps[0] if steps and isinstance(steps[0], str) else None

    def undeclared(what: str) -> ConfigError:
        return ConfigError(Diagnostic(f"reference to undeclared {what} in {ref.text!r}", source=file, address=address))

    if root in ("each", "count", "path", "terraform", "self"):
        return set()
    if root == "var":
        if first not in module.variables:
            raise undeclared("input variable")
        return {(path, "var", first)}
    if root == "local":
        if first not in module.locals:
            raise undeclared("local value")
        return {(path, "local", first)}
    if root == "module":
        call = module.module_calls.get(first or "")
        if call is None:
            raise undeclared("module")
        outputs = [s for s in steps[1:] if isinstance(s, str)][:1]
        child = (*path, call.name)
        if outputs:
            if outputs[0] not in call.module.outputs:
                raise undeclared(f"output {outputs[0]!r} of module.{call.name}")
            return {(child, "output", outputs[0]), (path, "module", call.name)}
        return {(child, "output", o) for o in call.module.outputs} | {(path, "module", call.name)}
    if root == "ephemeral":
        second = steps[1] if len(steps) > 1 and isinstance(steps[1], str) else None
        if f"ephemeral.{first}.{second}" not in module.ephemerals:
            raise undeclared("ephemeral resource")
        return {(path, "ephemeral", f"ephemeral.{first}.{second}")}
    if root == "data":
        second = steps[1] if len(steps) > 1 and isinstance(steps[1], str) else None
        key = f"data.{first}.{second}"
    else:
        key = f"{root}.{first}"
    found = module.resources.get(key)
    if found is None:
        raise undeclared("resource")
    if found.check is not None:  # only its check block's assertions may refer to a scoped data source
        raise ConfigError(Diagnostic(f'Reference to scoped resource: The referenced data resource "{first}" "{second}" '
                                     "is not available from this context.", source=file, address=address))
    return {(path, "resource", key)}


def _order(deps: dict[Node, AbstractSet[Node]]) -> list[Node]:
    """Kahn's algorithm, always taking the smallest ready node. Nodes ready from the start (most of a
    large configuration) are sorted once; only nodes freed later go through a heap. Taking the smaller
    head of the two gives exactly the order of one heap holding both, at a fraction of the cost."""
    dependents: dict[Node, list[Node]] = {}
    waiting: dict[Node, int] = {}
    initial: list[Node] = []
    for node, d in deps.items():
        if not d:
            initial.append(node)
            continue
        waiting[node] = len(d)
        for dep in d:
            dependents.setdefault(dep, []).append(node)
    initial.sort()
    freed: list[Node] = []
    order: list[Node] = []
    next_initial, count = 0, len(initial)
    while next_initial < count or freed:
        if freed and (next_initial == count or freed[0] < initial[next_initial]):
            node = heapq.heappop(freed)
        else:
            node = initial[next_initial]
            next_initial += 1
        order.append(node)
        for dependent in dependents.get(node, ()):
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(freed, dependent)
    if len(order) != len(deps):
        cycle = _find_cycle({n: d for n, d in deps.items() if waiting.get(n, 0) > 0})
        raise _Cycle(cycle)
    return order


def _find_cycle(deps: dict[Node, AbstractSet[Node]]) -> list[Node]:
    """One cycle among nodes that all wait on something (every such node reaches a cycle)."""
    start = min(deps)
    seen: dict[Node, int] = {}
    path: list[Node] = []
    node = start
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = min(d for d in deps[node] if d in deps)
    return [*path[seen[node]:], node]


def walk_modules(graph: Graph) -> Iterator[tuple[tuple[str, ...], Module]]:
    yield from graph.modules.items()

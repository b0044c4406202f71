"""Objects left in state after the config walk: deletes with Terraform's reasons, `removed` blocks,
deposed objects, destroy mode, and the two plan-wide rules that look at every change:
prevent_destroy and the apply order."""

from __future__ import annotations

from iac.config.model import NOT_SET, ResourceConfig
from iac.diagnostics import Diagnostic, PlanError
from iac.diff.graph import Graph
from iac.diff.instance import state_sensitive_paths
from iac.diff.moves import PriorIndex
from iac.diff.providers import planner_for
from iac.plan.model import Action, Reason, ResourceChange
from iac.schema import SchemaSet
from iac.state.address import NO_KEY, InstanceAddress, ModuleInstance
from iac.state.model import InstanceObject, ResourceState

__all__ = ["apply_order", "check_prevent_destroy", "destroy_all", "plan_orphans"]


def _static(address: InstanceAddress) -> tuple[str, ...]:
    return tuple(name for name, _ in address.module)


def _config(graph: Graph, address: InstanceAddress) -> ResourceConfig | None:
    module = graph.modules.get(_static(address))
    return module.resources.get(address.resource) if module else None


def _delete(address: InstanceAddress, resource: ResourceState, obj: InstanceObject, schemas: SchemaSet,
            reason: Reason | None, action: Action = Action.DELETE, previous: InstanceAddress | None = None) -> ResourceChange:
    planner = planner_for(resource.type, schemas)
    before = planner.prior_value(obj)
    return ResourceChange(
        address=address, action=action, provider_name=resource.provider_name,
        before=before, after=None, schema_version=obj.schema_version,
        before_sensitive=planner.sensitive(before, state_sensitive_paths(obj)),
        action_reason=reason, previous_address=previous, deposed=obj.deposed,
        prior_dependencies=obj.dependencies, prior_tainted=obj.status == "tainted",
    )


def plan_orphans(prior: PriorIndex, graph: Graph, instances: dict[tuple[str, ...], list[ModuleInstance]],
                 schemas: SchemaSet) -> list[ResourceChange]:
    """Deletes (or forgets) for every prior object the config walk did not claim, and deposed objects."""
    expanded = {instance for found in instances.values() for instance in found}
    changes: list[ResourceChange] = []
    for address, item in prior.current.items():
        removed = _removed_block(graph, address)
        if removed is not None:
            action = Action.DELETE if removed else Action.FORGET
            reason = Reason.DELETE_BECAUSE_NO_RESOURCE_CONFIG
            changes.append(_delete(address, item.resource, item.obj, schemas, reason, action, item.previous))
            continue
        changes.append(_delete(address, item.resource, item.obj, schemas,
                               _orphan_reason(graph, address, expanded, item.previous), previous=item.previous))
    for address, resource, obj in prior.deposed:
        changes.append(_delete(address, resource, obj, schemas, None))
    return changes


def _orphan_reason(graph: Graph, address: InstanceAddress, expanded: set[ModuleInstance],
                   previous: InstanceAddress | None) -> Reason:
    config = _config(graph, address)
    if config is None:
        return Reason.DELETE_BECAUSE_NO_MOVE_TARGET if previous is not None else Reason.DELETE_BECAUSE_NO_RESOURCE_CONFIG
    if address.module not in expanded:
        return Reason.DELETE_BECAUSE_NO_MODULE
    if isinstance(address.key, int) and config.count is not NOT_SET:
        return Reason.DELETE_BECAUSE_COUNT_INDEX
    if isinstance(address.key, str) and config.for_each is not NOT_SET:
        return Reason.DELETE_BECAUSE_EACH_KEY
    return Reason.DELETE_BECAUSE_WRONG_REPETITION


def _removed_block(graph: Graph, address: InstanceAddress) -> bool | None:
    """`destroy` of the `removed` block that covers `address`, or None when none does."""
    names = _static(address)
    for path, module in graph.modules.items():
        if names[: len(path)] != path:
            continue
        rest = names[len(path):]
        for block in module.removed:
            source = block.from_
            modules = tuple(n for n, _ in source.module)
            if source.resource is None and rest[: len(modules)] == modules:
                return block.destroy
            if source.resource == (address.mode, address.type, address.name) and rest == modules and \
                    (source.key is NO_KEY or source.key == address.key):
                return block.destroy
    return None


def destroy_all(prior: PriorIndex, schemas: SchemaSet) -> list[ResourceChange]:
    """Destroy mode: every object in state is deleted (no action_reason, as Terraform)."""
    changes = [_delete(a, item.resource, item.obj, schemas, None, previous=item.previous)
               for a, item in prior.current.items()]
    changes.extend(_delete(a, r, o, schemas, None) for a, r, o in prior.deposed)
    return changes


def check_prevent_destroy(changes: list[ResourceChange], graph: Graph) -> None:
    """PlanError naming every instance the plan would destroy although its block sets prevent_destroy."""
    problems = []
    for change in changes:
        if not change.action.deletes:
            continue
        config = _config(graph, change.address)
        if config is not None and config.lifecycle.prevent_destroy:
            problems.append(Diagnostic(
                "instance cannot be destroyed: lifecycle.prevent_destroy is set, but the plan would destroy it",
                source=config.source or config.file, address=str(change.address)))
    if problems:
        raise PlanError(*problems)


def apply_order(changes: list[ResourceChange], graph: Graph) -> tuple[str, ...]:
    """Addresses with changes in apply order: creates/updates/replaces by dependency order, then pure
    deletes in reverse dependency order (dependents are destroyed first)."""
    forward = [c for c in changes if c.action.changes and c.action is not Action.DELETE]
    backward = [c for c in changes if c.action is Action.DELETE]
    if not forward and not backward:
        return ()
    rank = {node: i for i, node in enumerate(graph.order)}  # the graph's own node tuples: no new key per node

    def position(change: ResourceChange) -> int:
        return rank.get((_static(change.address), "resource", change.address.resource), -1)

    forward.sort(key=position)
    backward.sort(key=position, reverse=True)
    return tuple(str(c.address) for c in forward + backward)

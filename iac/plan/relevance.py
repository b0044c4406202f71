"""The plan JSON's `relevant_attributes`: the resource attributes that may have contributed to the planned
changes, as Terraform's reference analyzer finds them (its `globalref` package).

From every resource instance and root output with a change (anything but no-op), and every output of a
module instance the plan evaluates (it has no prior value: always a change), Terraform follows the
references of its configuration backwards, statically: through locals, a child module's variables (the
caller's argument), module outputs, `count.index` / `each.*` (the resource's repetition expression), and
through each referenced resource attribute to the expression that configures it. Every reference to a
resource met on the way is one entry: the resource as referenced (`terraform_data.r[0]`, or the whole
`terraform_data.r`) and the attribute path the reference names, as far as the schema can follow it (through
nested blocks, then the attribute's type: `tags["a"]` is `["tags", "a"]`, a dynamic `input.x` is `["input"]`).
Terraform lists them in no stable order (the same plan twice can differ): iac sorts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from iac.config.expressions import IndexStep, Ref, template_references
from iac.config.model import NOT_SET, Module, ResourceConfig
from iac.plan.model import Action, Plan
from iac.schema import Block, SchemaSet
from iac.state.address import ModuleInstance, format_key, format_module

__all__ = ["relevant_attributes"]

_NOT_NAMED = ("path", "terraform", "self")
"""Reference roots that name nothing of the configuration."""

_MODES = {"data": "data", "ephemeral": "ephemeral"}
"""Reference roots that are a resource mode (any other root is a managed resource's type)."""

_Item = tuple[ModuleInstance, "ResourceConfig | None", Ref]
"""A reference to follow: the module instance it is made in, the resource it is made in (for `count.index`
and `each.*`), the reference."""

_Found = tuple[str, list[Any], "ResourceConfig", list[Any]]


def relevant_attributes(plan: Plan, schemas: SchemaSet) -> list[dict[str, Any]]:
    """The `relevant_attributes` entries of a plan of `plan.configuration`, sorted."""
    root: Module | None = plan.configuration
    if root is None:
        return []
    start: list[_Item] = []
    noop = Action.NOOP
    for change in [c for c in plan.resource_changes if c.action is not noop]:  # nearly every one is a no-op
        address = change.address
        res = _module(root, address.module)
        config = res.resources.get(address.resource) if res is not None else None
        if config is not None:
            start.extend((address.module, config, ref) for ref in _all_refs(config))
    for name, output in plan.output_changes.items():
        declared = root.outputs.get(name)
        if output.action is not Action.NOOP and declared is not None:
            start.extend(((), None, ref) for ref in template_references(declared.value))
    for instance, name in plan.module_outputs:
        module = _module(root, instance)
        if module is not None:
            start.extend((instance, None, ref) for ref in template_references(module.outputs[name].value))
    found = {(resource, tuple(path)) for resource, path in _Walk(root, schemas).run(start)}
    return [{"resource": resource, "attribute": list(path)} for resource, path in sorted(found, key=_order)]


def _order(entry: tuple[str, tuple[Any, ...]]) -> tuple[str, list[tuple[bool, str]]]:
    return entry[0], [(isinstance(step, int), str(step)) for step in entry[1]]


class _Walk:
    """Follows references backwards through the configuration, each object once."""

    def __init__(self, root: Module, schemas: SchemaSet) -> None:
        self.root = root
        self.schemas = schemas

    def run(self, start: Iterable[_Item]) -> Iterator[tuple[str, list[Any]]]:
        pending = list(start)
        seen: set[tuple[ModuleInstance, int, str, tuple[Any, ...]]] = set()
        while pending:
            instance, container, ref = pending.pop()
            key = (instance, id(container) if ref.root in ("count", "each") else 0, ref.root, ref.steps)
            if key in seen:
                continue
            seen.add(key)
            found = self._resource_attribute(instance, ref)
            if found is not None:
                yield found[0], found[1]
            pending.extend(self._meta_references(instance, container, ref, found))

    def _resource_attribute(self, instance: ModuleInstance, ref: Ref) -> _Found | None:
        """(address as referenced, attribute path the schema can follow, the resource, the part of the path that
        selects in its configuration: through blocks, to an attribute) of a resource reference."""
        if ref.root in ("var", "local", "module", "count", "each", *_NOT_NAMED):
            return None
        mode = _MODES.get(ref.root, "managed")
        rtype, steps = (ref.steps[0], ref.steps[1:]) if mode != "managed" else (ref.root, ref.steps)
        if not steps or not isinstance(steps[0], str) or not isinstance(rtype, str):
            return None
        module = _module(self.root, instance)
        block = _block(mode, rtype, steps[0])
        blocks = module.ephemerals if mode == "ephemeral" and module is not None else (
            module.resources if module is not None else {})
        config = blocks.get(block)
        if config is None:
            return None
        rest = steps[1:]
        address = block
        if rest and isinstance(rest[0], IndexStep):
            address += format_key(rest[0].key)
            rest = rest[1:]
        schema = self.schemas.of(mode, rtype)
        if schema is not None:
            path, body_path = _within_block(schema.block, rest)
        else:  # a type iac has no schema for: the path as written, its first step as far as the body is known
            path = [_key(step) for step in rest]
            body_path = path[:1]
        prefix = format_module(instance)
        return (f"{prefix}.{address}" if prefix else address), path, config, body_path

    def _meta_references(self, instance: ModuleInstance, container: ResourceConfig | None, ref: Ref,
                         found: _Found | None) -> list[_Item]:
        """The references of what `ref` refers to (Terraform's MetaReferences); `found`: it, when a resource."""
        root, steps = ref.root, ref.steps
        name = steps[0] if steps and isinstance(steps[0], str) else None
        module = _module(self.root, instance)
        if module is None or root in _NOT_NAMED:
            return []
        if root == "var":
            if not instance or name is None:
                return []  # a root variable refers to nothing
            parent, call_name = instance[:-1], instance[-1][0]
            caller = _module(self.root, parent)
            call = caller.module_calls.get(call_name) if caller is not None else None
            if call is None or name not in call.inputs:
                return []
            return [(parent, None, r) for r in template_references(call.inputs[name])]
        if root == "local":
            local = module.locals.get(name) if name is not None else None
            return [] if local is None else [(instance, None, r) for r in template_references(local[0])]
        if root == "module":
            return self._module_output_refs(instance, module, steps)
        if root in ("count", "each"):
            if container is None:
                return []
            expression = container.count if root == "count" else container.for_each
            return [] if expression is NOT_SET else [(instance, None, r) for r in template_references(expression)]
        if found is None:
            return []
        _address, _path, config, body_path = found
        refs = _body_refs(_narrowed(config.body, body_path)) if body_path else _all_refs(config)
        return [(instance, config, r) for r in refs]

    def _module_output_refs(self, instance: ModuleInstance, module: Module, steps: tuple[Any, ...]) -> list[_Item]:
        call = module.module_calls.get(steps[0]) if steps and isinstance(steps[0], str) else None
        if call is None:
            return []
        rest = steps[1:]
        key = None
        if rest and isinstance(rest[0], IndexStep):
            key, rest = rest[0].key, rest[1:]
        child = (*instance, (call.name, key))
        outputs = call.module.outputs
        names = [rest[0]] if rest and isinstance(rest[0], str) else list(outputs)
        return [(child, None, r) for n in names if n in outputs for r in template_references(outputs[n].value)]


def _within_block(block: Block, steps: tuple[Any, ...]) -> tuple[list[Any], list[Any]]:
    """The steps of a reference the schema can follow: through nested blocks (with the index of a list or map
    block; a set block ends it), into an attribute and on through its type (a map's key, an object's attribute,
    a list's index; a set or a dynamic value ends it); and the part up to the attribute's name."""
    path: list[Any] = []
    current: Block = block
    index = 0
    while index < len(steps):
        name = _key(steps[index])
        if not isinstance(name, str):
            break
        attribute = current.attributes.get(name)
        if attribute is not None:
            path.append(name)
            return [*path, *_within_type(_attribute_type(attribute), steps[index + 1:])], list(path)
        nested = current.block_types.get(name)
        if nested is None:
            break
        path.append(name)
        index += 1
        if nested.nesting != "single":
            following = steps[index] if index < len(steps) else None
            if nested.nesting == "set" or not isinstance(following, IndexStep):
                break
            path.append(following.key)
            index += 1
        current = nested.block
    return path, list(path)


def _within_type(type_: Any, steps: tuple[Any, ...]) -> list[Any]:
    path: list[Any] = []
    for step in steps:
        key = _key(step)
        kind = type_[0] if isinstance(type_, list) else type_
        if kind == "map" and isinstance(key, str):
            type_ = type_[1]
        elif kind == "object" and isinstance(key, str) and key in type_[1]:
            type_ = type_[1][key]
        elif kind == "list" and isinstance(key, int) and isinstance(step, IndexStep):
            type_ = type_[1]
        elif kind == "tuple" and isinstance(key, int) and isinstance(step, IndexStep) and 0 <= key < len(type_[1]):
            type_ = type_[1][key]
        else:
            break
        path.append(key)
    return path


def _attribute_type(attribute: Any) -> Any:
    """An attribute's type; a nested attribute (plugin framework) as the object, list or map it is."""
    nested = attribute.nested
    if nested is None:
        return attribute.type
    inner = ["object", {name: _attribute_type(a) for name, a in nested.attributes.items()}]
    return inner if attribute.nesting == "single" else [attribute.nesting, inner]


def _key(step: Any) -> Any:
    return step.key if isinstance(step, IndexStep) else step


def _narrowed(body: Mapping[str, Any], path: list[Any]) -> Any:
    """The part of a resource's configuration a path selects (all of it for an empty path; every block of a
    type when the path stops at the type, dynamic ones included)."""
    value: Any = body
    for step in path:
        if isinstance(value, Mapping):
            if step not in value and "dynamic" in value:
                return value["dynamic"].get(step) if isinstance(value["dynamic"], Mapping) else None
            value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int):
            value = value[step] if 0 <= step < len(value) else None
        else:
            return value
    return value


def _all_refs(config: ResourceConfig) -> Iterator[Ref]:
    """Every reference of a block's body, as loading found them (no walk of the body again)."""
    return (ref for refs in config.templates.values() for ref in refs)


def _body_refs(body: Any) -> list[Ref]:
    return template_references(body) if body is not None else []


def _module(root: Module, instance: ModuleInstance) -> Module | None:
    module: Module | None = root
    for name, _key in instance:
        call = module.module_calls.get(name) if module is not None else None
        module = call.module if call is not None else None
    return module


def _block(mode: str, rtype: str, name: str) -> str:
    return f"{mode}.{rtype}.{name}" if mode != "managed" else f"{rtype}.{name}"

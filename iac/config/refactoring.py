"""What Terraform checks of `moved`, `removed` and `import` blocks before it plans, where the configuration
alone decides (Terraform's refactoring.ValidateMoves and its configuration checks):

- a move from an address to itself is redundant; two moves from one address, or two onto one address,
  are ambiguous;
- a move or a removal from a resource or module call the configuration still declares is refused ("Moved
  object still exists", "Removed resource still exists");
- an import into a resource the configuration does not declare is refused, and so is a second import block
  for the same instance.

Each refusal is one line in Terraform's words, naming the file of the block. Addresses with instance keys
(`a[0]`) depend on count/for_each values and are left to planning.
"""

from __future__ import annotations

from collections.abc import Iterator

from iac.config.model import NOT_SET, Module, Moved
from iac.diagnostics import ConfigError, Diagnostic
from iac.state.address import NO_KEY, PartialAddress

__all__ = ["check_refactoring"]


def check_refactoring(root: Module) -> None:
    """Raise ConfigError for the first `moved`/`removed`/`import` block Terraform would refuse."""
    for module in _modules(root):
        _check_moves(module)
        for removed in module.removed:
            if _declared(module, removed.from_) is not None:
                noun = "resource" if removed.from_.resource is not None else "module"
                raise _refused(f"Removed {noun} still exists", f"This statement declares that {removed.from_} was "
                               "removed, but it is still declared in configuration.", removed.file,
                               f"removed {removed.from_}")
    _check_imports(root)


def _modules(module: Module) -> Iterator[Module]:
    yield module
    for call in module.module_calls.values():
        yield from _modules(call.module)


def _check_moves(module: Module) -> None:
    sources: dict[str, tuple[str, str]] = {}
    targets: dict[str, tuple[str, str]] = {}
    for moved in module.moved:
        source, target = str(moved.from_), str(moved.to)
        if source == target:
            raise _refused("Redundant move statement", f"This statement declares a move from {source} to the same "
                           "address, which is the same as not declaring this move at all.", moved.file, _moved(moved))
        if source in sources and sources[source][0] != target:
            raise _refused("Ambiguous move statements", f"A statement at {sources[source][1]} declared that {source} "
                           f"moved to {sources[source][0]}, but this statement instead declares that it moved to "
                           f"{target}. Each {_noun(moved.from_)} can move to only one destination "
                           f"{_noun(moved.from_)}.", moved.file, _moved(moved))
        if target in targets and targets[target][0] != source:
            raise _refused("Ambiguous move statements", f"A statement at {targets[target][1]} declared that "
                           f"{targets[target][0]} moved to {target}, but this statement instead declares that "
                           f"{source} moved there. Each {_noun(moved.to)} can have moved from only one source "
                           f"{_noun(moved.to)}.", moved.file, _moved(moved))
        sources[source] = (target, moved.file)
        targets[target] = (source, moved.file)
        # `from = a` to `to = a["k"]` moves a's one unkeyed instance (count/for_each added): planning checks it
        within_resource = moved.from_.resource == moved.to.resource and moved.from_.module == moved.to.module
        where = None if within_resource else _declared(module, moved.from_)
        if where is not None:
            kind, thing = ("resource", "resource") if moved.from_.resource is not None else ("module call", "call")
            raise _refused("Moved object still exists", f"This statement declares a move from {source}, but that "
                           f"{kind} is still declared at {where}. Change your configuration so that this {thing} "
                           f"will be declared as {target} instead.", moved.file, _moved(moved))


def _check_imports(root: Module) -> None:
    seen: dict[str, str] = {}
    for block in root.imports:
        target = block.to
        if block.for_each is NOT_SET:
            name = str(target)
            if name in seen:
                raise _refused(f'Duplicate import configuration for "{name}"', f'An import block for the resource '
                               f'"{name}" was already declared at {seen[name]}. A resource can have only one import '
                               "block.", block.file, f"import {name}")
            seen[name] = block.file
        whole = PartialAddress(tuple((step, NO_KEY) for step, _ in target.module), target.resource, NO_KEY)
        if _declared(root, whole) is None:
            raise _refused("Configuration for import target does not exist", f"The configuration for the given "
                           f"import target {target} does not exist: declare the resource it imports into.",
                           block.file, f"import {target}")


def _declared(module: Module, address: PartialAddress) -> str | None:
    """Where the configuration declares `address` (a resource or a module call, written without instance
    keys), or None; an address with an instance key is left to planning (None)."""
    if address.key is not NO_KEY or any(key is not NO_KEY for _, key in address.module):
        return None
    steps = [name for name, _ in address.module]
    if address.resource is None:
        *path, last = steps
        holder = _descend(module, path)
        call = holder.module_calls.get(last) if holder is not None else None
        return call.file if call is not None else None
    holder = _descend(module, steps)
    if holder is None:
        return None
    mode, rtype, name = address.resource
    resource = holder.resources.get(f"data.{rtype}.{name}" if mode == "data" else f"{rtype}.{name}")
    return resource.file if resource is not None else None


def _descend(module: Module, path: list[str]) -> Module | None:
    for name in path:
        call = module.module_calls.get(name)
        if call is None:
            return None
        module = call.module
    return module


def _noun(address: PartialAddress) -> str:
    return "resource" if address.resource is not None else "module"


def _moved(moved: Moved) -> str:
    return f"moved {moved.from_} -> {moved.to}"


def _refused(summary: str, detail: str, file: str, block: str) -> ConfigError:
    """One line: the file, the block (`moved A -> B`, `removed A`, `import A`), Terraform's words."""
    return ConfigError(Diagnostic(f"{summary}: {detail}", source=file, address=block))

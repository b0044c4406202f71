"""`check` blocks as Terraform validates them before planning (their assertions are evaluated after planning,
by iac.diff.checkresults): each block has at least one `assert` whose condition refers to something, the names are
unique in a module, and every resource or data source a condition names is declared (in the module, or as
the block's own scoped data source)."""

from __future__ import annotations

from typing import Any

from iac.config.expressions import UnsupportedExpression, template_references
from iac.diagnostics import ConfigError, Diagnostic

__all__ = ["check_blocks"]

_NOT_RESOURCES = frozenset(("var", "local", "module", "each", "count", "path", "terraform", "self", "data",
                            "ephemeral"))


def check_blocks(blocks: list[tuple[str, dict[str, Any], str]], declared: set[str], scoped: dict[str, str]) -> None:
    """`blocks`: (name, body, file) of a module's check blocks; `declared`: its resource and data addresses
    outside them; `scoped`: each check's scoped data source -> the check's name."""
    seen: dict[str, str] = {}
    for name, body, file in blocks:
        if name in seen:
            raise _refused(f'Duplicate check "{name}" configuration', f'A check block named "{name}" was already '
                           f"declared at {seen[name]}. Check blocks must be unique within each module.", file, name)
        seen[name] = file
        asserts = [a for a in _items(body.get("assert")) if isinstance(a, dict)]
        useful = 0
        for item in asserts:
            try:
                refs = template_references(item.get("condition"))
            except UnsupportedExpression:
                refs = []
            for ref in refs:
                address = _resource_address(ref.root, ref.steps)
                if address is not None and address in scoped and scoped[address] != name:
                    parts = address.removeprefix("data.").split(".")
                    raise _refused("Reference to scoped resource", f'The referenced data resource "{parts[0]}" '
                                   f'"{parts[1]}" is not available from this context.', file, name)
                if address is not None and address not in declared and address not in scoped:
                    kind = "data resource" if address.startswith("data.") else "managed resource"
                    parts = address.removeprefix("data.").split(".")
                    raise _refused("Reference to undeclared resource", f'A {kind} "{parts[0]}" "{parts[1]}" has not '
                                   "been declared in the module.", file, name)
            if refs:
                useful += 1
            else:
                raise _refused("Invalid assert expression", "The condition expression must refer to at least one "
                               "object from elsewhere in the configuration, or else its result would not be "
                               "checking anything useful.", file, name)
        if not useful:
            raise _refused("Zero assert blocks", "Check blocks must have at least one assert block.", file, name)


def _resource_address(root: str, steps: tuple[Any, ...]) -> str | None:
    names = [s for s in steps if isinstance(s, str)]
    if root == "data":
        return f"data.{names[0]}.{names[1]}" if len(names) >= 2 else None
    if root in _NOT_RESOURCES or not names:
        return None
    return f"{root}.{names[0]}"


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _refused(summary: str, detail: str, file: str, name: str) -> ConfigError:
    return ConfigError(Diagnostic(f"{summary}: {detail}", source=file, address=f"check.{name}"))

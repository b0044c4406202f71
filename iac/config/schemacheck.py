"""Resource and data blocks checked against their provider schema, with Terraform's wording.

Terraform decodes every `resource` and `data` block body with the provider's schema before it plans
anything (so a block with `count = 0` is checked too), and refuses:
* an argument or block the schema does not have. HCL's native syntax says `Unsupported argument: An
  argument named "X" is not expected here.`, its JSON syntax `Extraneous JSON object property: No argument
  or block type is named "X".`; both add ` Did you mean "Y"?` for a name within edit distance 2
  (hashicorp/hcl `nameSuggestion`, Levenshtein distance below 3, first match wins);
* a required argument that is not written: `Missing required argument: The argument "X" is required, but
  no definition was found.` (both syntaxes);
* a value for a computed-only attribute (the provider's own validation).

`check_block` reads the block as written (before evaluation): nested blocks written literally are checked
too, `dynamic` blocks count as present, a block given by an expression is left to the planner's shaping,
which uses the same sentences (`unsupported_argument`, `missing_argument`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from iac.config.model import ResourceConfig
from iac.diagnostics import ConfigError, Diagnostic
from iac.schema import Block, ResourceSchema

__all__ = ["check_block", "check_ignore_changes", "computed_argument", "missing_argument", "suggestion", "unsupported_argument"]


def suggestion(given: str, candidates: Iterable[str]) -> str | None:
    """The first candidate within Levenshtein distance 2 of `given` (hcl's `nameSuggestion`)."""
    for candidate in candidates:
        if _distance(given, candidate) < 3:
            return candidate
    return None


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def unsupported_argument(name: str, candidates: Iterable[str], *, json_syntax: bool) -> str:
    """Terraform's refusal of an argument or block the schema does not have."""
    found = suggestion(name, candidates)
    hint = f' Did you mean "{found}"?' if found else ""
    if json_syntax:
        return f'Extraneous JSON object property: No argument or block type is named "{name}".{hint}'
    return f'Unsupported argument: An argument named "{name}" is not expected here.{hint}'


def missing_argument(name: str) -> str:
    """Terraform's refusal of a block without one of its required arguments."""
    return f'Missing required argument: The argument "{name}" is required, but no definition was found.'


def computed_argument(name: str) -> str:
    """The provider's refusal of a value for an attribute only it sets."""
    return (f'Invalid configuration for read-only attribute: "{name}" is computed by the provider and cannot be '
            "set in configuration.")


def is_json_file(file: str) -> bool:
    """Terraform JSON syntax (`*.tf.json`, or a synthesized document named so) rather than native HCL."""
    return not file.endswith(".tf")


def check_block(resource: ResourceConfig, schema: ResourceSchema) -> None:
    """Raise ConfigError (file, address, attribute) for the first problem of the block as written."""
    problem = _check(schema.block, resource.body, (), is_json_file(resource.file))
    if problem is not None:
        summary, path = problem
        raise ConfigError(Diagnostic(summary, source=resource.source or resource.file, address=resource.address,
                                     attribute=".".join(str(p) for p in path) or None))


def check_ignore_changes(resource: ResourceConfig, schema: ResourceSchema) -> None:
    """`lifecycle { ignore_changes = [...] }` names attributes or blocks of the type, as Terraform requires."""
    names = schema.block.attributes.keys() | schema.block.block_types.keys()
    for path in resource.lifecycle.ignore_changes:
        if path and path[0] not in names:
            raise ConfigError(Diagnostic(f"Unsupported attribute: This object has no argument, nested block, or "
                                         f'exported attribute named "{path[0]}".', source=resource.source or resource.file,
                                         address=resource.address, attribute="lifecycle.ignore_changes"))


def _check(block: Block, body: Any, path: tuple[str | int, ...], json_syntax: bool) -> tuple[str, tuple[Any, ...]] | None:
    if not isinstance(body, dict):
        return None  # an expression: checked once evaluated (the planner shapes it)
    dynamic = body.get("dynamic")
    dynamic_names = set(dynamic) if isinstance(dynamic, dict) else set()
    for key, value in body.items():
        if key == "//" or (key == "dynamic" and "dynamic" not in block.block_types):
            continue
        attribute = block.attributes.get(key)
        if attribute is not None:
            if attribute.computed and not attribute.optional and not attribute.required:
                return computed_argument(key), (*path, key)
            continue
        block_type = block.block_types.get(key)
        if block_type is None:
            return unsupported_argument(key, _names(block), json_syntax=json_syntax), (*path, key)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            where = (*path, key) if block_type.single else (*path, key, index)
            problem = _check(block_type.block, item, where, json_syntax)
            if problem is not None:
                return problem
    for name in dynamic_names:
        if name not in block.block_types:
            return unsupported_argument(name, _names(block), json_syntax=json_syntax), (*path, "dynamic", name)
    for name, attribute in block.attributes.items():
        if attribute.required and name not in body:
            return missing_argument(name), (*path, name)
    return None


def _names(block: Block) -> list[str]:
    """Candidate names for a suggestion: arguments first (sorted), then block types (sorted)."""
    return [*sorted(n for n, a in block.attributes.items() if not a.computed or a.optional or a.required),
            *sorted(block.block_types)]

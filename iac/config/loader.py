"""Load a Terraform JSON module: the `*.tf.json` files of a directory (or one file, or a synthesized
document), `module` blocks recursively (local ones in place, remote ones where `terraform init`
installed them: iac.config.installed), and validation of the block structure.

`"//"` comment properties are dropped from every block body (top level, resources, variables, module
calls, lifecycle…), as Terraform does; inside *attribute values* Terraform keeps them as ordinary
object keys (observed with terraform_data.input), so iac keeps them there too. A resource body's
`"//": "source: FILE:LINE"` is kept as the resource's source location.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import msgspec

from iac._jsonio import holds_float
from iac._jsonread import MAX_DEPTH, DepthError, decode_deep
from iac.config.checkblocks import check_blocks
from iac.config.coreversion import UnsupportedVersion, check_required_version
from iac.config.duplicates import Plain, holds_duplicate_keys, resolve_duplicates
from iac.config.expressions import UnsupportedExpression, is_expression, parse_bare_reference, template_references
from iac.config.hcl import ACTION_BLOCKS, hcl_document, traversal_text
from iac.config.initvalues import InitScope, VariableInputs, const_inputs, init_source
from iac.config.installed import installed_module, is_local_source
from iac.config.model import (
    DEFAULT_LIFECYCLE,
    NOT_SET,
    CheckBlock,
    Import,
    Lifecycle,
    Module,
    ModuleCall,
    Moved,
    OutputConfig,
    Removed,
    ResourceConfig,
    VariableConfig,
)
from iac.config.modulesource import source_problem
from iac.config.overrides import override_document
from iac.config.providermap import check_provider_maps, passed_providers, read_requirements
from iac.config.refactoring import check_refactoring
from iac.config.static import static_value
from iac.config.triggers import trigger_reference
from iac.diagnostics import ConfigError, Diagnostic
from iac.lang import ast
from iac.lang.cty import Value
from iac.lang.evaluate import evaluate_constant
from iac.lang.hcl import HclSyntaxError, parse_expression
from iac.lang.plain import to_plain
from iac.lang.typeexpr import TypeError_, parse_type_constraint
from iac.state.address import AddressError, parse_address
from iac.values import format_path

__all__ = ["load_config", "load_document"]


class _Walk(NamedTuple):
    """Where the loader is: the module directories from the root (to refuse a module including itself),
    the module call names from the root (the key of an installed remote module), the root directory; and
    which resource bodies of this module's JSON files surely hold no template (found by the check for
    repeated keys, iac.config.duplicates.Plain)."""

    dirs: tuple[Path, ...]
    keys: tuple[str, ...]
    root: Path
    plain: Plain
    source: str = ""
    """The `source` of the call that loaded this module (empty for the root)."""
    consts: Callable[[Module], dict[str, Value]] | None = None
    """How this module's const variables get their values (iac.config.initvalues): the root's from the
    command line, variable files and defaults; a child's from its caller's arguments. Called only for a
    module that declares one."""

_RESOURCE_META = frozenset(("count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection",
                            "//"))
_MODULE_META = ("source", "version", "providers", "count", "for_each", "depends_on", "//")
_KNOWN_BLOCKS = ("resource", "data", "ephemeral", "variable", "output", "locals", "module", "moved", "import", "removed",
                 "terraform", "provider", "check", "//")


def load_config(path: str | Path, inputs: VariableInputs | None = None) -> Module:
    """Load a module from a `.tf`/`.tf.json` file or from every such file of a directory (override files
    `*_override.tf(.json)` merged last, as Terraform does). `inputs`: the root variables' values from the
    command line and environment, read only for const variables (a module source may use them)."""
    target = Path(path)
    if target.is_dir():
        files, overrides = module_files(target)
        if not files and not overrides:
            raise ConfigError(Diagnostic("no *.tf or *.tf.json files in this directory", source=str(target)))
        base = target
    elif target.is_file():
        files, overrides, base = [target], [], target.parent
    else:
        raise ConfigError(Diagnostic("configuration not found", source=str(target)))
    try:  # the command line runs with a raised recursion limit (iac/lang/depth.py); past any limit, one line
        documents, plain = _documents(files, overrides)
        given = inputs or VariableInputs()
        return _root(_build(documents, base, stack=_Walk((base.resolve(),), (), base.resolve(), plain,
                                                         consts=given.const_values)))
    except RecursionError:
        raise ConfigError(Diagnostic(_TOO_DEEP, source=str(target))) from None


_TOO_DEEP = "Nesting too deep: the configuration nests expressions or values deeper than iac can follow"


def module_files(directory: Path) -> tuple[list[Path], list[Path]]:
    """A module directory's primary files and its override files, each in name order (Terraform loads
    `.tf` and `.tf.json` alike; `override.tf(.json)` and `*_override.tf(.json)` are overrides)."""
    primary: list[Path] = []
    overrides: list[Path] = []
    for file in sorted(directory.iterdir()):
        name = file.name
        if not file.is_file() or name.startswith(".") or not (name.endswith(".tf") or name.endswith(".tf.json")):
            continue
        stem = name[: -len(".tf.json")] if name.endswith(".tf.json") else name[: -len(".tf")]
        (overrides if stem == "override" or stem.endswith("_override") else primary).append(file)
    return primary, overrides


def _documents(files: list[Path], overrides: list[Path]) -> tuple[list[tuple[dict[str, Any], str]], Plain]:
    plain: Plain = {}
    documents = [(_read(file, plain), str(file)) for file in files]
    if overrides:
        plain.clear()  # an override file changes bodies in place
    for file in overrides:
        override_document(documents, _read(file, {}), str(file))
    return documents, plain


def load_document(document: dict[str, Any], *, file: str, base_dir: str | Path) -> Module:
    """Load a module from an already parsed Terraform JSON document (e.g. synth output)."""
    base = Path(base_dir)
    module = _root(_build([(document, file)], base, stack=_Walk((base.resolve(),), (), base.resolve(), {},
                                                                consts=VariableInputs().const_values)))
    if holds_float(document):  # a Python caller's document: its floats are not exact numbers
        for resource in module.resources.values():
            resource.exact_numbers = False
    return module




def _read(file: Path, plain: Plain) -> dict[str, Any]:
    """A file's document; what the check for repeated keys of a `.tf.json` file learns goes into `plain`."""
    if file.name.endswith(".tf"):
        try:
            text = file.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(Diagnostic(f"cannot read configuration: {error}", source=str(file))) from error
        return hcl_document(text, str(file))
    try:
        data = file.read_bytes()
        document: Any = decode_deep(data)  # as Terraform reads it: invalid UTF-8, long integers, deep nesting
    except DepthError as error:  # Terraform's HCL JSON parser has no fixed limit; far past what plans in minutes
        raise ConfigError(Diagnostic(f"cannot read Terraform JSON: nested {error.depth:,} levels deep; iac plans "
                                     f"values nested at most {MAX_DEPTH:,} levels", source=str(file))) from None
    except (OSError, msgspec.DecodeError) as error:
        raise ConfigError(Diagnostic(f"cannot read Terraform JSON: {error}", source=str(file))) from error
    if holds_duplicate_keys(data, document, plain):  # a repeated key: more blocks, or an error
        document = resolve_duplicates(data, str(file))
    if isinstance(document, list) and all(isinstance(item, dict) for item in document):
        document = _merged(document)  # Terraform reads a top-level array of objects as one body
    if not isinstance(document, dict):
        raise ConfigError(Diagnostic("a .tf.json file must hold one JSON object", source=str(file)))
    return document


def _merged(bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """Several top-level objects as one: each block type's values collected as an array of blocks."""
    merged: dict[str, list[Any]] = {}
    for body in bodies:
        for kind, value in body.items():
            merged.setdefault(kind, []).extend(value if isinstance(value, list) else [value])
    return {kind: values[0] if len(values) == 1 else values for kind, values in merged.items()}


def _error(file: str, summary: str, address: str | None = None, attribute: str | None = None) -> ConfigError:
    return ConfigError(Diagnostic(summary, source=file, address=address, attribute=attribute))


def _bodies(value: Any, file: str, what: str) -> Iterator[dict[str, Any]]:
    """A block body, or an array of bodies (JSON syntax allows both)."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, dict):
            raise _error(file, f"{what} must be a JSON object")
        # without its "//" comment; a body without one (every block map of a large file) is not copied
        yield {k: v for k, v in item.items() if k != "//"} if "//" in item else item


def _one_body(value: Any, file: str, what: str) -> dict[str, Any] | None:
    """The body of a labelled block that must be unique: None for an empty array (no block at all), an error
    for an array of several (the same name declared twice)."""
    bodies = list(_bodies(value, file, what))
    if len(bodies) > 1:
        raise _error(file, f"Duplicate {what.split('.')[0]}: {what} is declared {len(bodies)} times",
                     address=what.replace("variable.", "var.", 1))
    return bodies[0] if bodies else None


def _labelled(value: Any, file: str, what: str) -> Iterator[tuple[str, Any]]:
    """`{"LABEL": BODY}` or an array of such objects."""
    for body in _bodies(value, file, what):
        yield from body.items()


def _build(documents: list[tuple[dict[str, Any], str]], base: Path, stack: _Walk) -> Module:
    module = Module(dir=base, files=tuple(file for _, file in documents))
    checks: list[tuple[str, dict[str, Any], str]] = []
    calls: list[tuple[Any, str]] = []  # read last: a source may use the module's const variables and locals
    for document, file in documents:
        for block, value in document.items():
            if block not in _KNOWN_BLOCKS:
                raise _error(file, ACTION_BLOCKS if block == "action" else f"unsupported block type {block!r}")
            if block == "module":
                calls.append((value, file))
            elif block == "check":  # validated once the module's resources are known
                checks.extend((name, body, _comment_source(raw) or file)
                              for name, raw in _labelled(value, file, "check")
                              for body in _bodies(raw, file, f"check.{name}"))
            elif block != "//":
                _BLOCK_LOADERS[block](module, value, file, stack)
    scope: list[InitScope] = []  # made on first use: a module whose calls and variables are literal makes none
    if stack.consts is not None and any(var.const for var in module.variables.values()):
        scope.append(InitScope(module, stack.consts(module), stack.root))
    for value, file in calls:
        _load_modules(module, value, file, stack, scope)
    if checks:
        declared = set(module.resources)
        scoped = {address: name for name, body, file in checks for address in _load_scoped_data(module, name, body, file)}
        check_blocks(checks, declared, scoped)
        module.checks = {name: _check_block(name, body, file) for name, body, file in checks}
    return module


def _check_block(name: str, body: dict[str, Any], file: str) -> CheckBlock:
    """A validated check block's assertions, each with its condition's line when the file gives it."""
    asserts = body.get("assert")
    items = asserts if isinstance(asserts, list) else [asserts]
    return CheckBlock(name, tuple((item.get("condition"), item.get("error_message"), _comment_source(item) or file)
                                  for item in items if isinstance(item, dict)))


def _load_scoped_data(module: Module, check: str, body: dict[str, Any], file: str) -> list[str]:
    """A check block's scoped data source (at most one, no count, for_each or lifecycle: Terraform's rules),
    loaded as a data resource of the module that only the block's assertions may refer to; its address."""
    found = [(rtype, name, raw) for rtype, named in _labelled(body.get("data", []), file, f"check.{check}")
             for name, raw in _labelled(named, file, f"check.{check}.data.{rtype}")]
    addresses = []
    for index, (rtype, name, raw) in enumerate(found):
        address, where = f"data.{rtype}.{name}", _comment_source(raw) or file
        if index:
            raise _error(where, "Multiple data resource blocks: This check block already has a data resource "
                         "defined.", address=f"check.{check}")
        for meta in ("count", "for_each", "lifecycle"):
            if isinstance(raw, dict) and meta in raw:
                raise _error(where, _SCOPED_REFUSALS[meta], address=f"check.{check}")
        resource = msgspec.structs.replace(_resource("data", rtype, name, raw, file, False), check=check)
        if address in module.resources:
            raise _error(where, "duplicate resource block", address=address)
        module.resources[address] = resource
        addresses.append(address)
    return addresses


_SCOPED_REFUSALS = {
    "count": 'Invalid "count" attribute: The "count" and "for_each" meta-arguments are not supported within nested '
             "data blocks.",
    "for_each": 'Invalid "for_each" attribute: The "count" and "for_each" meta-arguments are not supported within '
                "nested data blocks.",
    "lifecycle": 'Invalid lifecycle block: Nested data blocks do not support "lifecycle" blocks as the lifecycle is '
                 "managed by the containing block.",
}


def _comment_source(body: Any) -> str | None:
    """`FILE:LINE` of a block's `"//": "source: FILE:LINE"` comment (HCL blocks and synthesized resources carry
    one), else None."""
    comment = body.get("//") if isinstance(body, dict) else None
    return comment[len("source:"):].strip() if isinstance(comment, str) and comment.startswith("source:") else None


def _load_resources(module: Module, value: Any, file: str, mode: str, plain: Plain) -> None:
    for rtype, named in _labelled(value, file, mode):
        # one block map (every block of a large file): its own items, not a copied list of pairs
        pairs = named.items() if type(named) is dict and "//" not in named else list(
            _labelled(named, file, f"{mode}.{rtype}"))
        _check_names(file, mode, rtype, list(named) if type(pairs) is not list else [name for name, _ in pairs])
        known = plain.get(id(named))  # its bodies, in this order, as the check for repeated keys found them
        flags = known[1] if known is not None and known[0] is named and type(pairs) is not list else \
            [False] * len(pairs)  # nothing known: each body may hold a template
        blocks = module.ephemerals if mode == "ephemeral" else module.resources
        for (name, raw), holds_none in zip(pairs, flags, strict=True):
            resource = _resource(mode, rtype, name, raw, file, holds_none)
            if resource.address in blocks:
                raise _error(file, "duplicate resource block", address=resource.address)
            blocks[resource.address] = resource


def _resource(mode: str, rtype: str, name: str, raw: Any, file: str, plain: bool) -> ResourceConfig:
    """A resource block; `plain`: its body surely holds no template (its text was searched already)."""
    address = f"{_ADDRESS_PREFIX[mode]}{rtype}.{name}"
    if not isinstance(raw, dict):
        raise _error(file, "resource body must be a JSON object", address=address)
    if _RESOURCE_META.isdisjoint(raw):
        # Attributes only (most blocks of a large configuration): the decoded body itself, no copy.
        return ResourceConfig(mode=mode, type=rtype, name=name, file=file, body=raw,
                              templates=_NO_TEMPLATES if plain else _templates(raw, file, address), address=address)
    if "provider" in raw:  # (a meta-argument: a block without any has none)
        _check_provider_reference(raw["provider"], file, address)
    source = _comment_source(raw)
    if "count" in raw and "for_each" in raw:
        raise _error(file, "count and for_each cannot both be set", address=address)
    body = {k: v for k, v in raw.items() if k not in _RESOURCE_META}
    for meta in ("count", "for_each"):  # their templates fail here, at load time, like the body's
        if meta in raw and _has_template(raw[meta]):
            _templates({meta: raw[meta]}, source or file, address)
    return ResourceConfig(
        mode=mode, type=rtype, name=name, file=file, source=source, body=body,
        templates=_NO_TEMPLATES if plain else _templates(body, source or file, address),
        count=raw.get("count", NOT_SET), for_each=raw.get("for_each", NOT_SET),
        depends_on=_depends_on(raw["depends_on"], file, address) if "depends_on" in raw else (),
        provider=raw.get("provider"),
        lifecycle=_lifecycle(raw.get("lifecycle", {}), file, address,
                             "count" if "count" in raw else "for_each" if "for_each" in raw else None),
        address=address,
    )


_NAME_RULE = "A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes."
_RESERVED_VARIABLES = ("source", "version", "providers", "count", "for_each", "lifecycle", "depends_on", "locals")


def _check_names(file: str, mode: str, rtype: str, names: list[str]) -> None:
    """`_check_name` for a resource type and its resources' names: one regular expression over them all
    (100,000 names in milliseconds, where a call per name cost 60 ms); only when it fails, name by name."""
    text = "\n".join([rtype, *names]) + "\n"
    if text.count("\n") == len(names) + 1 and _ASCII_NAMES.fullmatch(text):
        return
    prefix = _ADDRESS_PREFIX[mode]
    for name in names:
        _check_name(file, rtype, "resource type", f"{prefix}{rtype}.{name}")
        _check_name(file, name, "resource", f"{prefix}{rtype}.{name}")


_ADDRESS_PREFIX = {"managed": "", "data": "data.", "ephemeral": "ephemeral."}

_ASCII_NAMES = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_-]*\n)*")
"""Names that are identifiers, one per line (non-ASCII letters, which identifiers allow, go name by name)."""


def _check_name(file: str, name: str, what: str, address: str) -> None:
    """Terraform's rule for names (hclsyntax.ValidIdentifier): a name in an address is an identifier."""
    if not (name and name[0] != "-" and name.replace("-", "_").isidentifier()):
        raise _error(file, f"Invalid {what} name: {_NAME_RULE}", address=address)


def _check_provider_reference(value: Any, file: str, address: str) -> None:
    """`provider` is a bare `TYPE` or `TYPE.ALIAS`, never a template or anything else."""
    parts = value.split(".") if isinstance(value, str) else []
    if not 1 <= len(parts) <= 2 or not all(p and p[0] != "-" and p.replace("-", "_").isidentifier() for p in parts):
        raise _error(file, "Invalid provider configuration reference: The provider argument requires a provider type "
                           "name, optionally followed by a period and then a configuration alias.",
                     address=address, attribute="provider")


def _root(module: Module) -> Module:
    """Checks only the root module can make: its moved/removed/import blocks and its children's
    (iac.config.refactoring), and a resource's `provider = TYPE.ALIAS` names an alias one of its provider
    blocks declares (a child module may receive aliases from its caller instead)."""
    if module.moved or module.removed or module.imports or module.module_calls:
        check_refactoring(module)
    if module.module_calls:
        check_provider_maps(module)
    declared = {f"{name}.{body['alias']}" for name, raw in module.provider_configs.items()
                for body in (raw if isinstance(raw, list) else [raw]) if isinstance(body, dict) and "alias" in body}
    # the references made, gathered in C (nearly every resource makes none: `None`); only one not declared
    # sends the loop below looking for the first resource that makes it
    references = set(map(_PROVIDER, module.resources.values()))
    if all(not isinstance(r, str) or "." not in r or r in declared for r in references):
        return module
    for resource in module.resources.values():
        reference = resource.provider
        if isinstance(reference, str) and "." in reference and reference not in declared:
            raise _error(resource.file, f"Provider configuration not present: {reference} is not declared: add a "
                                        f'provider "{reference.split(".")[0]}" block with alias = '
                                        f'"{reference.split(".")[1]}"', address=resource.address, attribute="provider")
    return module


_PROVIDER = operator.attrgetter("provider")


def _templates(body: dict[str, Any], file: str, address: str) -> Mapping[str, tuple[Any, ...]]:
    """References per attribute holding templates; an unsupported expression fails here, at load time."""
    text = _ENCODE(body)  # one C-speed pass: most bodies hold no template at all
    if _without(text, b"${") and _without(text, b"%{") and text.find(b'"pos":{') < 0:  # msgspec writes a
        # syntax-tree node (from a .tf file) as an object with its "pos"; only a plain JSON body reaches this line
        return _NO_TEMPLATES
    found: dict[str, tuple[Any, ...]] = {}
    for key, value in body.items():
        if _has_template(value):
            try:
                found[key] = tuple(template_references({key: value}))  # a `dynamic` key binds its iterator
            except UnsupportedExpression as error:
                raise _error(file, error.message, address=address,
                             attribute=format_path(tuple(error.path))) from error
    return found


def _without(text: bytes, mark: bytes) -> bool:
    """`mark not in text`, answered for most texts by a search for its first byte alone: a search for two
    bytes costs ~0.1 us more, 20 ms over the bodies of 100,000 resources."""
    return text.find(mark[:1]) < 0 or text.find(mark) < 0


def _has_template(value: Any) -> bool:
    kind = type(value)
    if kind is str:
        return "${" in value or "%{" in value
    if kind is dict:
        return any(_has_template(v) for v in value.values() if type(v) not in _CONSTANTS)
    if kind is list:
        return any(_has_template(v) for v in value if type(v) not in _CONSTANTS)
    return kind not in _CONSTANTS and is_expression(value)


_CONSTANTS = frozenset((int, bool, float, Decimal, type(None)))
"""JSON scalars other than strings: never a template (skipped without a call)."""



_NO_TEMPLATES: Mapping[str, tuple[Any, ...]] = MappingProxyType({})
"""Shared by every block without templates (read-only)."""
_ENCODE = msgspec.json.Encoder(enc_hook=str).encode  # ~5x faster than the stdlib encoder; only searched


def _references(value: Any, file: str, address: str, attribute: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(file, "must be a list of bare references", address=address, attribute=attribute)
    for item in value:
        if "${" in item:
            raise _error(file, f"{item!r}: a single static reference is required (write it without ${{ }})",
                         address=address, attribute=attribute)
    return tuple(value)


def _depends_on(value: Any, file: str, address: str) -> tuple[str, ...]:
    """`depends_on`: references to whole objects (a resource, a data source, a module call, with or without an
    instance key), never to one of their attributes, as Terraform requires."""
    references = _references(value, file, address, "depends_on")
    for text in references:
        ref = _bare(text, file, address, "depends_on")
        names = sum(1 for step in ref.steps if isinstance(step, str))
        if names > _WHOLE_OBJECT_NAMES.get(ref.root, 1) and ref.root not in _NOT_OBJECTS:
            raise _error(file, "Invalid depends_on reference: References in depends_on must be to a whole object "
                               "(resource, etc), not to an attribute of an object.", address=address,
                         attribute="depends_on")
    return references


_WHOLE_OBJECT_NAMES = {"data": 2, "ephemeral": 2, "module": 1}
"""Names in a reference to a whole object after its root: `data.T.N`, `ephemeral.T.N`, `module.M`, `T.N` (one)."""
_NOT_OBJECTS = frozenset(("var", "local", "each", "count", "path", "terraform", "self"))


def _lifecycle(raw: Any, file: str, address: str, repetition: str | None = None) -> Lifecycle:
    """A lifecycle block; `repetition`: the block's `count` or `for_each`, if any (replace_triggered_by may use
    the instance's own count.index or each.key)."""
    if not raw:
        return DEFAULT_LIFECYCLE
    body = next(iter(_bodies(raw, file, "lifecycle")), {}) if raw else {}
    ignore = body.get("ignore_changes", [])
    ignore_all = ignore == "all" or ignore == ["all"]
    paths: list[tuple[str | int, ...]] = []
    if not ignore_all:
        for item in _references(ignore, file, address, "lifecycle.ignore_changes"):
            ref = _bare(item, file, address, "lifecycle.ignore_changes", attribute_path=True)
            paths.append((ref.root, *(getattr(s, "key", s) for s in ref.steps)))
    triggers = _references(body.get("replace_triggered_by", []), file, address, "lifecycle.replace_triggered_by")
    for key in body:
        if key not in ("create_before_destroy", "prevent_destroy", "ignore_changes", "replace_triggered_by",
                       "precondition", "postcondition"):
            raise _error(file, f"unsupported lifecycle argument {key!r}", address=address, attribute="lifecycle")
    return Lifecycle(
        create_before_destroy=body.get("create_before_destroy") is True,
        prevent_destroy=body.get("prevent_destroy") is True,
        ignore_changes=tuple(paths),
        ignore_all=ignore_all,
        replace_triggered_by=tuple(_trigger(t, repetition, file, address) for t in triggers),
        conditions=_conditions(body, file, address),
    )


def _conditions(body: dict[str, Any], file: str, address: str) -> tuple[tuple[str, Any, Any], ...]:
    """Precondition and postcondition blocks: (kind, condition, error_message) expressions."""
    found = []
    for kind in ("precondition", "postcondition"):
        for block in _bodies(body.get(kind, []), file, f"lifecycle.{kind}") if kind in body else ():
            if "condition" not in block or "error_message" not in block:
                raise _error(file, f'Missing required argument: a {kind} block needs "condition" and '
                                   '"error_message".', address=address, attribute=f"lifecycle.{kind}")
            found.append((kind, block["condition"], block["error_message"]))
    return tuple(found)


def _trigger(text: str, repetition: str | None, file: str, address: str) -> Any:
    try:
        return trigger_reference(text, repetition)
    except UnsupportedExpression as error:
        raise _error(file, str(error), address=address, attribute="lifecycle.replace_triggered_by") from error


def _bare(text: str, file: str, address: str, attribute: str, attribute_path: bool = False) -> Any:
    try:
        return parse_bare_reference(text, attribute_path=attribute_path)
    except UnsupportedExpression as error:
        raise _error(file, str(error), address=address, attribute=attribute) from error


def _load_variables(module: Module, value: Any, file: str, stack: _Walk) -> None:
    for name, raw in _labelled(value, file, "variable"):
        _check_name(file, name, "variable", f"var.{name}")
        if name in _RESERVED_VARIABLES:
            raise _error(file, f'Invalid variable name: The variable name "{name}" is reserved due to its special '
                               "meaning inside module blocks.", address=f"var.{name}")
        body = _one_body(raw, file, f"variable.{name}")
        if body is None:
            continue  # an empty array: no block
        if name in module.variables:
            raise _error(file, "duplicate variable", address=f"var.{name}")
        type_, defaults = _type_constraint(body.get("type"), file, f"var.{name}")
        default = body.get("default", NOT_SET)
        if is_expression(default):
            default = to_plain(static_value(default, file))
        if default is None and body.get("nullable", True) is False:
            raise _error(file, "Invalid default value for variable: A null default value is not valid when "
                               "nullable=false.", address=f"var.{name}", attribute="default")
        const = _const(body.get("const", False), file, name)
        for exclusive in ("sensitive", "ephemeral") if const else ():
            if body.get(exclusive) is True:
                raise _error(_comment_source(raw) or file, f"Const variable cannot be {exclusive}: A variable that is "
                             f'marked as "const" cannot also be marked as "{exclusive}".', address=f"var.{name}")
        module.variables[name] = VariableConfig(
            name=name, file=file, type=type_, default=default, const=const,
            site=_comment_source(raw) if const else None,
            sensitive=body.get("sensitive") is True, nullable=body.get("nullable", True) is not False,
            ephemeral=body.get("ephemeral") is True,
            description=body.get("description"), defaults=defaults,
            validations=tuple(_validations(body.get("validation"), file, name)),
            deprecated=_deprecated(body, file, f"var.{name}"),
        )


def _type_constraint(source: Any, file: str, address: str) -> tuple[Any, Any]:
    """A variable's or output's `type`: (type JSON, optional-attribute defaults), (None, None) when absent."""
    if source is None:
        return None, None
    try:
        return parse_type_constraint(source, evaluate_constant, file)
    except TypeError_ as error:
        raise _error(str(getattr(source, "pos", file)), str(error), address=address, attribute="type") from error


def _deprecated(body: dict[str, Any], file: str, address: str) -> str | None:
    message = body.get("deprecated")
    if message is not None and not isinstance(message, str):
        raise _error(file, "Invalid deprecated: A string is required.", address=address, attribute="deprecated")
    return message


def _const(value: Any, file: str, name: str) -> bool:
    """`const` of a `.tf.json` variable: a bool, or a string that converts to one (as Terraform converts it);
    `.tf` files give a bool (iac.config.hcl)."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    what = "null value is not allowed" if value is None else "a bool is required"
    raise _error(file, f"Unsuitable value type: Unsuitable value: {what}", address=f"var.{name}", attribute="const")


def _validations(raw: Any, file: str, name: str) -> list[tuple[Any, Any]]:
    if raw is None:
        return []
    out = []
    for body in _bodies(raw, file, f"variable.{name}.validation"):
        if "condition" not in body or "error_message" not in body:
            raise _error(file, 'Missing required argument: a validation block needs "condition" and '
                               '"error_message".', address=f"var.{name}", attribute="validation")
        out.append((body["condition"], body["error_message"]))
    return out


def _load_outputs(module: Module, value: Any, file: str, stack: _Walk) -> None:
    for name, raw in _labelled(value, file, "output"):
        _check_name(file, name, "output", f"output.{name}")
        body = _one_body(raw, file, f"output.{name}")
        if body is None:
            continue  # an empty array: no block
        if "value" not in body:
            raise _error(file, "output needs a value", address=f"output.{name}")
        deprecated = _deprecated(body, file, f"output.{name}")
        if deprecated is not None and not stack.keys:
            raise _error(file, "Root module output deprecated: Root module outputs cannot be deprecated, as there is no "
                               "higher-level module to inform of the deprecation.", address=f"output.{name}",
                         attribute="deprecated")
        type_, defaults = _type_constraint(body.get("type"), file, f"output.{name}")
        module.outputs[name] = OutputConfig(
            name=name, value=body["value"], file=file, sensitive=body.get("sensitive") is True,
            ephemeral=body.get("ephemeral") is True,
            conditions=_conditions(body, file, f"output.{name}"),
            depends_on=_depends_on(body.get("depends_on", []), file, f"output.{name}"),
            description=body.get("description"), type=type_, defaults=defaults, deprecated=deprecated,
        )


def _load_locals(module: Module, value: Any, file: str, stack: _Walk) -> None:
    for name, expr in _labelled(value, file, "locals"):
        _check_name(file, name, "local value", f"local.{name}")
        if name in module.locals:
            raise _error(file, "duplicate local value", address=f"local.{name}")
        module.locals[name] = (expr, file)


def _load_modules(module: Module, value: Any, file: str, stack: _Walk, scope: list[InitScope]) -> None:
    for name, raw in _labelled(value, file, "module"):
        _check_name(file, name, "module instance", f"module.{name}")
        body = _one_body(raw, file, f"module.{name}")
        if body is None:
            continue  # an empty array: no block
        site = _comment_source(raw)
        source = _init_string(body.get("source"), module, stack, scope, site or file, f"module.{name}", "source")
        if source is None:  # Terraform 1.15.5 panics on a null source
            raise _error(site or file, "Invalid module source: The module source must not be null.",
                         address=f"module.{name}", attribute="source")
        problem = source_problem(source)
        if problem is not None:
            raise _error(site or file, f"Invalid module source address: {problem}", address=f"module.{name}",
                         attribute="source")
        if is_local_source(source) and _init_string(body.get("version"), module, stack, scope, site or file,
                                                    f"module.{name}", "version") is not None:
            raise _error(site or file, _LOCAL_WITH_VERSION.format(source=source), address=f"module.{name}",
                         attribute="version")
        if is_local_source(source):
            child_dir = (module.dir / source.replace("\\", "/")).resolve()
        else:  # registry, git, ...: where `terraform init` put it (iac.config.installed)
            child_dir = installed_module(stack.root, (*stack.keys, name), source, file, f"module.{name}")
        if child_dir in stack.dirs:
            raise _error(file, f"module {source!r} includes itself", address=f"module.{name}")
        files, overrides = module_files(child_dir) if child_dir.is_dir() else ([], [])
        if not files and not overrides:
            raise _error(file, f"module directory {source!r} not found or has no .tf or .tf.json files",
                         address=f"module.{name}", attribute="source")
        documents, plain = _documents(files, overrides)
        inputs = {k: v for k, v in body.items() if k not in _MODULE_META}
        child = _build(documents, child_dir, _Walk((*stack.dirs, child_dir), (*stack.keys, name), stack.root, plain,
                                                   source, _caller_consts(inputs, module, stack, scope, site or file,
                                                                          f"module.{name}")))
        module.module_calls[name] = ModuleCall(
            name=name, source=source, file=file, module=child, site=site,
            inputs=inputs,
            count=body.get("count", NOT_SET), for_each=body.get("for_each", NOT_SET),
            depends_on=_depends_on(body.get("depends_on", []), file, f"module.{name}"),
            providers=passed_providers(body["providers"], site or file, f"module.{name}") if "providers" in body
            else {},
        )


_LOCAL_WITH_VERSION = (
    'Invalid registry module source address: Failed to parse module registry address: can\'t use local directory '
    '"{source}" as a module registry address. Terraform assumed that you intended a module registry source address '
    'because you also set the argument "version", which applies only to registry modules.')


def _init_string(value: Any, module: Module, stack: _Walk, scope: list[InitScope], site: str, address: str,
                 attribute: str) -> str | None:
    """A call's `source` or `version`: a literal string as written (no cost), else evaluated as init does."""
    if isinstance(value, str) and "${" not in value and "%{" not in value:
        return value
    if value is None:
        return None
    return init_source(value, _scope(module, stack, scope), site, address, attribute)


def _scope(module: Module, stack: _Walk, scope: list[InitScope]) -> InitScope:
    if not scope:
        scope.append(InitScope(module, {}, stack.root))
    return scope[0]


def _caller_consts(inputs: dict[str, Any], module: Module, stack: _Walk, scope: list[InitScope], site: str,
                   address: str) -> Callable[[Module], dict[str, Value]]:
    """How a child's const variables get values: its caller's arguments, evaluated as init does."""
    return lambda child: const_inputs(child, inputs, _scope(module, stack, scope), site, address)


def _address(text: Any, file: str, what: str) -> Any:
    if not isinstance(text, str):
        raise _error(file, f"{what} must be an address string")
    try:
        return parse_address(text)
    except AddressError as error:
        raise _error(file, f"{what}: {error}") from error


def _load_moved(module: Module, value: Any, file: str, stack: _Walk) -> None:
    moved = [Moved(_address(b.get("from"), file, "moved.from"), _address(b.get("to"), file, "moved.to"), file)
             for b in _bodies(value, file, "moved")]
    module.moved = module.moved + tuple(moved)


def _load_imports(module: Module, value: Any, file: str, stack: _Walk) -> None:
    imports = []
    for body in _bodies(value, file, "import"):
        if "identity" in body:
            raise _error(file, "import by identity needs the provider to resolve the object; iac plans imports by "
                               "id only", attribute="import.identity")
        if "for_each" in body:
            to, key, module_keys = _import_target(body.get("to"), file)
            imports.append(Import(to, body.get("id"), file, for_each=body["for_each"], to_key=key,
                                  module_keys=module_keys))
            continue
        imports.append(Import(_address(body.get("to"), file, "import.to"), body.get("id"), file))
    module.imports = module.imports + tuple(imports)


def _import_target(to: Any, file: str) -> tuple[Any, Any, tuple[tuple[int, Any], ...]]:
    """`to` of an import block with for_each (`aws_x.y[each.key]`, `module.m[each.key].aws_x.y`): the address
    with every key given by an expression left out, the resource key's expression, and each module step's
    (its position among the module steps, the expression)."""
    if isinstance(to, str):
        try:
            to = parse_expression(to, file)
        except HclSyntaxError as error:
            raise _error(file, f"import.to: {error.message}", attribute="import.to") from error
    text, keys = _import_steps(to, file)
    address = _address(text, file, "import.to")
    if address.resource is None:
        raise _error(file, "import.to: a resource address, optionally with instance key expressions, is required",
                     attribute="import.to")
    key = keys.pop(len(address.module), None)
    return address, key, tuple(sorted(keys.items()))


def _import_steps(node: Any, file: str) -> tuple[str, dict[int, Any]]:
    """The text of an import target with its key expressions left out, and those expressions by the position
    of the step they key (module steps first, the resource last)."""
    if isinstance(node, ast.ScopeTraversal):
        return traversal_text(node), {}
    if isinstance(node, ast.Index):
        text, keys = _import_steps(node.collection, file)
        keyed = _address(text, file, "import.to")  # `module.m` (its last module step) or `module.m.T.N`
        keys[len(keyed.module) - (keyed.resource is None)] = node.key
        return text, keys
    if isinstance(node, ast.RelativeTraversal):
        text, keys = _import_steps(node.source, file)
        return text + traversal_text(ast.ScopeTraversal("x", node.steps, node.pos))[1:], keys
    raise _error(file, "import.to: a resource address, optionally with instance key expressions, is required",
                 attribute="import.to")


def _load_removed(module: Module, value: Any, file: str, stack: _Walk) -> None:
    removed = []
    for body in _bodies(value, file, "removed"):
        lifecycle = next(iter(_bodies(body.get("lifecycle", {}), file, "removed.lifecycle")), {})
        removed.append(Removed(_address(body.get("from"), file, "removed.from"), lifecycle.get("destroy") is not False, file))
    module.removed = module.removed + tuple(removed)


def _load_terraform(module: Module, value: Any, file: str, stack: _Walk) -> None:
    for body in _bodies(value, file, "terraform"):
        for backend_type, config in _labelled(body.get("backend", {}), file, "terraform.backend"):
            module.backend = (backend_type, config if isinstance(config, dict) else {})
        if "cloud" in body:  # HCP Terraform holds the state: a remote backend, read as any other (never as empty)
            if "backend" in body:
                raise _error(file, "Conflicting 'cloud' and 'backend' configuration blocks are present: A module may "
                                   "declare either one 'cloud' block OR one 'backend' block for configuring state "
                                   "storage. Remove the 'backend' block to configure HCP Terraform or Terraform "
                                   "Enterprise.", address="terraform")
            cloud = next(_bodies(body["cloud"], file, "terraform.cloud"), {})
            module.backend = ("cloud", cloud)
        if "required_version" in body:
            _check_core_version(body["required_version"], file, stack)
        if "required_providers" in body:
            for required in _bodies(body["required_providers"], file, "terraform.required_providers"):
                read_requirements(module, required)


def _check_core_version(constraint: Any, file: str, stack: _Walk) -> None:
    """Terraform refuses a module whose required_version excludes it: iac plans as that Terraform does."""
    if not isinstance(constraint, str):
        raise _error(file, "Invalid version constraint: A string value is required for required_version.",
                     attribute="terraform.required_version")
    try:
        check_required_version(constraint)
    except UnsupportedVersion as error:
        detail = error.detail
        if stack.keys and error.summary.startswith("Unsupported"):  # a child module: Terraform names it
            call = ".".join(f"module.{key}" for key in stack.keys)
            detail = detail.replace("This configuration does not", f"Module {call} (from {stack.source}) does not", 1)
        raise _error(file, f"{error.summary}: {detail}", attribute="terraform.required_version") from None


def _load_providers(module: Module, value: Any, file: str, stack: _Walk) -> None:
    for name, raw in _labelled(value, file, "provider"):
        module.provider_configs[name] = raw


_BLOCK_LOADERS: dict[str, Any] = {
    "resource": lambda m, v, f, s: _load_resources(m, v, f, "managed", s.plain),
    "data": lambda m, v, f, s: _load_resources(m, v, f, "data", s.plain),
    "ephemeral": lambda m, v, f, s: _load_resources(m, v, f, "ephemeral", s.plain),
    "variable": _load_variables,
    "output": _load_outputs,
    "locals": _load_locals,
    "moved": _load_moved,
    "import": _load_imports,
    "removed": _load_removed,
    "terraform": _load_terraform,
    "provider": _load_providers,
}

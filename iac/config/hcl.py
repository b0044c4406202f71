"""A `.tf` file (HCL native syntax) as the document a `.tf.json` file would be.

The loader reads one shape: Terraform JSON's (`{"resource": {"T": {"N": {...}}}}`). This module turns
the syntax tree of a `.tf` file into that shape, block for block, so everything after it (validation,
references, evaluation) is shared by both syntaxes:

- attribute values stay syntax-tree nodes (`iac.lang.ast`), except constants (literals, and tuples and
  objects of literals), which become plain JSON values like a `.tf.json` file's (never evaluated again);
  a string that still holds `${`/`%{` (written `$${`) stays a node, since a plain string is a template;
- nested blocks become lists of bodies (`setting { ... }` -> `"setting": [{...}]`), `dynamic` blocks
  become Terraform JSON's `"dynamic": {"NAME": [{"for_each", "iterator", "labels", "content"}]}`;
- what Terraform reads statically (variable `type`, `depends_on`, `provider`, `lifecycle`, `ignore_changes`,
  moved/import/removed addresses, module `source`/`providers`) becomes the text Terraform JSON would hold.

Errors name `file:line` of the construct at fault.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from iac.config.triggers import STATIC_REFERENCE_REQUIRED
from iac.diagnostics import ConfigError, Diagnostic
from iac.lang import ast, cty
from iac.lang.evaluate import EvalError, evaluate_constant
from iac.lang.hcl import HclSyntaxError, parse_config

__all__ = ["NOT_CONSTANT", "constant", "hcl_document", "traversal_text", "value_of"]


class _NotConstant:
    def __repr__(self) -> str:
        return "NOT_CONSTANT"


NOT_CONSTANT: Any = _NotConstant()


def hcl_document(text: str, file: str) -> dict[str, Any]:
    """The Terraform JSON document equivalent to a `.tf` file's text."""
    try:
        body = parse_config(text, file)
    except HclSyntaxError as error:
        raise ConfigError(Diagnostic(error.message, source=str(error.pos))) from error
    document: dict[str, Any] = {}
    if body.attributes:
        attribute = body.attributes[0]
        raise _error(attribute.pos, f'Unsupported argument: An argument named "{attribute.name}" is not expected '
                                    "here.")
    for block in body.blocks:
        handler = _TOP_LEVEL.get(block.type)
        if handler is None:
            raise _error(block.pos, ACTION_BLOCKS if block.type == "action" else
                         f'Unsupported block type: Blocks of type "{block.type}" are not expected here.')
        handler(document, block)
    return document


def _error(pos: ast.Pos, summary: str, address: str | None = None, attribute: str | None = None) -> ConfigError:
    return ConfigError(Diagnostic(summary, source=str(pos), address=address, attribute=attribute))


def _labels(block: ast.Block, count: int, names: str) -> tuple[str, ...]:
    if len(block.labels) != count:
        if len(block.labels) < count:
            raise _error(block.pos, f'Missing name for {block.type}: All {block.type} blocks must have {count} '
                                    f'labels ({names}).')
        raise _error(block.pos, f'Extraneous label for {block.type}: Only {count} labels ({names}) are expected '
                                f'for {block.type} blocks.')
    return block.labels


def _add(document: dict[str, Any], path: tuple[str, ...], value: Any, pos: ast.Pos, what: str) -> None:
    target = document
    for key in path[:-1]:
        target = target.setdefault(key, {})
    if path[-1] in target:
        raise _error(pos, f"Duplicate {what}: a {what} with this name was already declared.")
    target[path[-1]] = value


# -- top-level blocks --------------------------------------------------------------------------------


def _resource(document: dict[str, Any], block: ast.Block) -> None:
    rtype, name = _labels(block, 2, "type, name")
    address = f"{'' if block.type == 'resource' else block.type + '.'}{rtype}.{name}"
    body = _resource_body(block.body, address)
    body["//"] = f"source: {block.pos}"  # the definition site, as synth's comment gives a construct's
    _add(document, (block.type, rtype, name), body, block.pos, f"{block.type} block {address}")


_RESOURCE_STATIC = {"depends_on", "provider"}


def _resource_body(body: ast.Body, address: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attribute in body.attributes:
        if attribute.name == "depends_on":
            out["depends_on"] = _traversal_list(attribute.expr, address, "depends_on")
        elif attribute.name == "provider":
            out["provider"] = _provider_ref(attribute.expr, address)
        else:
            out[attribute.name] = value_of(attribute.expr)
    for block in body.blocks:
        if block.type == "lifecycle":
            out["lifecycle"] = _lifecycle(block, address)
        elif block.type in ("provisioner", "connection"):
            continue  # provisioners run at apply; they never change a plan
        else:
            _nested(out, block, address)
    return out


def _nested(out: dict[str, Any], block: ast.Block, address: str) -> None:
    if block.type == "dynamic":
        (name,) = _labels(block, 1, "block type")
        spec = _dynamic(block, address)
        out.setdefault("dynamic", {}).setdefault(name, []).append(spec)
        return
    if block.labels:
        raise _error(block.pos, f'Extraneous label for {block.type}: No labels are expected for {block.type} '
                                "blocks.", address=address)
    blocks = out.setdefault(block.type, [])
    if not isinstance(blocks, list):  # `x = ...` and `x { ... }` in one body
        raise _error(block.pos, f'Duplicate argument: "{block.type}" is already set as an argument; it cannot also '
                                "be a block.", address=address, attribute=block.type)
    blocks.append(_block_body(block.body, address))


def _block_body(body: ast.Body, address: str) -> dict[str, Any]:
    out: dict[str, Any] = {attribute.name: value_of(attribute.expr) for attribute in body.attributes}
    for block in body.blocks:
        _nested(out, block, address)
    return out


def _dynamic(block: ast.Block, address: str) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    for attribute in block.body.attributes:
        if attribute.name == "iterator":
            if not isinstance(attribute.expr, ast.ScopeTraversal) or attribute.expr.steps:
                raise _error(attribute.pos, "Invalid dynamic iterator name: Dynamic iterator must be a single "
                                            "variable name.", address=address, attribute="iterator")
            spec["iterator"] = attribute.expr.root
        elif attribute.name in ("for_each", "labels"):
            spec[attribute.name] = value_of(attribute.expr)
        else:
            raise _error(attribute.pos, f'Unsupported argument: An argument named "{attribute.name}" is not '
                                        "expected here.", address=address)
    if "for_each" not in spec:
        raise _error(block.pos, 'Missing required argument: The argument "for_each" is required, but no '
                                "definition was found.", address=address)
    contents = [b for b in block.body.blocks if b.type == "content"]
    if len(contents) != 1:
        raise _error(block.pos, 'Missing "content" block: A dynamic block must have a nested block of type '
                                '"content" to describe the body of each generated block.' if not contents else
                     'Duplicate "content" block: Only one content block is allowed.', address=address)
    spec["content"] = _block_body(contents[0].body, address)
    return spec


def _lifecycle(block: ast.Block, address: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attribute in block.body.attributes:
        name = attribute.name
        if name in ("create_before_destroy", "prevent_destroy"):
            value = constant(attribute.expr)
            if not isinstance(value, bool):
                raise _error(attribute.pos, f"Invalid {name}: A static boolean value is required.", address=address,
                             attribute=f"lifecycle.{name}")
            out[name] = value
        elif name == "ignore_changes":
            expr = attribute.expr
            if isinstance(expr, ast.ScopeTraversal) and expr.root == "all" and not expr.steps:
                out[name] = "all"
            else:
                out[name] = _traversal_list(expr, address, "lifecycle.ignore_changes")
        elif name == "replace_triggered_by":
            out[name] = _trigger_list(attribute.expr, address)
        else:
            raise _error(attribute.pos, f'Unsupported argument: An argument named "{name}" is not expected here.',
                         address=address, attribute="lifecycle")
    for nested in block.body.blocks:
        if nested.type not in ("precondition", "postcondition"):
            raise _error(nested.pos, f'Unsupported block type: Blocks of type "{nested.type}" are not expected '
                                     "here.", address=address, attribute="lifecycle")
        out.setdefault(nested.type, []).append({a.name: value_of(a.expr) for a in nested.body.attributes})
    return out


def _traversal_list(expr: Any, address: str, attribute: str) -> list[str]:
    if not isinstance(expr, ast.TupleCons):
        raise _error(_pos(expr), "Invalid expression: A static list expression is required.", address=address,
                     attribute=attribute)
    out = []
    for item in expr.items:
        if isinstance(item, ast.Template) and len(item.parts) == 1 and isinstance(item.parts[0], str):
            out.append(item.parts[0])  # legacy quoted references: "aws_x.y"
            continue
        if isinstance(item, ast.Literal) and isinstance(item.value, str):
            out.append(item.value)
            continue
        if not isinstance(item, ast.ScopeTraversal):
            raise _error(_pos(item), "Invalid reference: A single static variable reference is required: only "
                                     "attribute access and indexing with constant keys. No calculations, function "
                                     "calls, template expressions, etc are allowed here.", address=address,
                         attribute=attribute)
        out.append(traversal_text(item))
    return out


def _trigger_list(expr: Any, address: str) -> list[str]:
    """replace_triggered_by's references as the text a JSON configuration holds (iac.config.triggers reads it):
    besides static references, an index may be the instance's own `count.index` or `each.key`."""
    attribute = "lifecycle.replace_triggered_by"
    if not isinstance(expr, ast.TupleCons):
        raise _error(_pos(expr), "Invalid expression: A static list expression is required.", address=address,
                     attribute=attribute)
    out = []
    for item in expr.items:
        if isinstance(item, (ast.Template, ast.Literal)):
            raise _error(_pos(item), "Invalid replace_triggered_by expression: Missing resource reference in "
                                     "replace_triggered_by expression.", address=address, attribute=attribute)
        out.append(_trigger_text(item, address))
    return out


def _trigger_text(node: Any, address: str) -> str:
    if isinstance(node, ast.ScopeTraversal):
        return traversal_text(node)
    key = node.key if isinstance(node, ast.Index) else None
    if isinstance(key, ast.ScopeTraversal) or (isinstance(key, ast.Literal) and isinstance(key.value, (str, int))):
        text = traversal_text(key) if isinstance(key, ast.ScopeTraversal) else json.dumps(key.value)
        return f"{_trigger_text(node.collection, address)}[{text}]"
    if isinstance(node, ast.RelativeTraversal):
        steps = traversal_text(ast.ScopeTraversal("x", node.steps, node.pos))[1:]
        return _trigger_text(node.source, address) + steps
    raise _error(_pos(node), STATIC_REFERENCE_REQUIRED, address=address, attribute="lifecycle.replace_triggered_by")


def _provider_ref(expr: Any, address: str) -> str:
    if isinstance(expr, ast.ScopeTraversal) and all(isinstance(s, ast.GetAttr) for s in expr.steps) and \
            len(expr.steps) <= 1:
        return traversal_text(expr)
    raise _error(_pos(expr), "Invalid provider reference: A provider configuration reference must not be given in "
                             "quotes.", address=address, attribute="provider")


def traversal_text(traversal: ast.ScopeTraversal) -> str:
    """`aws_iam_role.r`, `module.m["k"]`, `tags["team"]`: the text Terraform JSON would hold."""
    out = [traversal.root]
    for step in traversal.steps:
        if isinstance(step, ast.GetAttr):
            out.append(f".{step.name}")
        elif isinstance(step.key, str):
            escaped = step.key.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
        else:
            out.append(f"[{step.key}]")
    return "".join(out)


def _variable(document: dict[str, Any], block: ast.Block) -> None:
    (name,) = _labels(block, 1, "name")
    out: dict[str, Any] = {}
    for attribute in block.body.attributes:
        if attribute.name == "type":
            out["type"] = attribute.expr  # read by iac.lang.typeexpr (optional() defaults need the tree)
        elif attribute.name == "default":
            out["default"] = value_of(attribute.expr)
        elif attribute.name in ("sensitive", "nullable", "ephemeral"):
            value = constant(attribute.expr)
            if not isinstance(value, bool):
                raise _error(attribute.pos, f"Invalid {attribute.name}: A static boolean value is required.",
                             address=f"var.{name}", attribute=attribute.name)
            out[attribute.name] = value
        elif attribute.name == "const":
            out["const"] = _const_flag(attribute.expr, name)
            out["//"] = f"source: {block.pos}"  # a const variable's errors name its block
        elif attribute.name in ("description", "deprecated"):
            out[attribute.name] = constant(attribute.expr)
        else:
            raise _error(attribute.pos, f'Unsupported argument: An argument named "{attribute.name}" is not expected '
                                        "here.", address=f"var.{name}")
    validations = []
    for nested in block.body.blocks:
        if nested.type != "validation":
            raise _error(nested.pos, f'Unsupported block type: Blocks of type "{nested.type}" are not expected here.',
                         address=f"var.{name}")
        validations.append({a.name: value_of(a.expr) for a in nested.body.attributes})
    if validations:
        out["validation"] = validations
    _add(document, ("variable", name), out, block.pos, f"variable var.{name}")


def _const_flag(expr: Any, name: str) -> bool:
    """`const`: any constant expression that converts to a bool (Terraform accepts `"true"` and `1 == 1`)."""
    try:
        value = cty.convert(evaluate_constant(expr), cty.BOOL)
    except (EvalError, cty.ConversionError) as error:
        raise _error(_pos(expr), f"Invalid const: {getattr(error, 'message', error)}", address=f"var.{name}",
                     attribute="const") from None
    if value.is_null:
        raise _error(_pos(expr), "Unsuitable value type: Unsuitable value: null value is not allowed",
                     address=f"var.{name}", attribute="const")
    return bool(value.v)


def _output(document: dict[str, Any], block: ast.Block) -> None:
    (name,) = _labels(block, 1, "name")
    out: dict[str, Any] = {}
    for attribute in block.body.attributes:
        if attribute.name == "depends_on":
            out["depends_on"] = _traversal_list(attribute.expr, f"output.{name}", "depends_on")
        elif attribute.name in ("sensitive", "ephemeral", "deprecated"):
            out[attribute.name] = constant(attribute.expr)
        elif attribute.name == "type":
            out["type"] = attribute.expr  # read by iac.lang.typeexpr, as a variable's
        else:
            out[attribute.name] = value_of(attribute.expr)
    for nested in block.body.blocks:
        if nested.type != "precondition":
            raise _error(nested.pos, f'Unsupported block type: Blocks of type "{nested.type}" are not expected here.',
                         address=f"output.{name}")
        out.setdefault("precondition", []).append({a.name: value_of(a.expr) for a in nested.body.attributes})
    _add(document, ("output", name), out, block.pos, f"output output.{name}")


def _locals(document: dict[str, Any], block: ast.Block) -> None:
    _labels(block, 0, "none")
    for attribute in block.body.attributes:
        _add(document, ("locals", attribute.name), value_of(attribute.expr), attribute.pos,
             f"local value local.{attribute.name}")
    if block.body.blocks:
        raise _error(block.body.blocks[0].pos, "Unsupported block type: Blocks are not expected in locals.")


def _module(document: dict[str, Any], block: ast.Block) -> None:
    (name,) = _labels(block, 1, "name")
    out: dict[str, Any] = {}
    for attribute in block.body.attributes:
        if attribute.name in ("source", "version"):
            out[attribute.name] = value_of(attribute.expr)  # an expression of const values: judged by the loader
        elif attribute.name == "depends_on":
            out["depends_on"] = _traversal_list(attribute.expr, f"module.{name}", "depends_on")
        elif attribute.name == "providers":
            out["providers"] = _providers_map(attribute.expr, name)
        else:
            out[attribute.name] = value_of(attribute.expr)
    out["//"] = f"source: {block.pos}"  # the call's line, for what is judged once the child is read
    _add(document, ("module", name), out, block.pos, f"module call module.{name}")


def _providers_map(expr: Any, name: str) -> dict[str, str]:
    """A module call's `providers` map as Terraform JSON holds it (`{"aws": "aws.west"}`), refused in
    Terraform's words; a quoted reference is read as the reference (Terraform: deprecated, still read)."""
    if not isinstance(expr, ast.ObjectCons):
        raise _error(_pos(expr), "Invalid expression: A static map expression is required.",
                     address=f"module.{name}", attribute="providers")
    out: dict[str, str] = {}
    seen: dict[str, ast.Pos] = {}
    for item in expr.items:
        key, value = _provider_text(item.key, name), _provider_text(item.value, name)
        if key in seen:
            raise _error(_pos(item.value), f"Duplicate provider address: A provider configuration was already passed "
                                           f"to {key} at {seen[key]}. Each child provider configuration can be "
                                           "assigned only once.", address=f"module.{name}", attribute="providers")
        seen[key] = _pos(item.key)
        out[key] = value
    return out


_INVALID_PROVIDER_REF = ("Invalid provider configuration reference: The providers argument requires a provider type "
                         "name, optionally followed by a period and then a configuration alias.")


def _provider_text(expr: Any, name: str) -> str:
    """`NAME` or `NAME.ALIAS`, written bare or (deprecated) quoted."""
    if isinstance(expr, ast.ScopeTraversal) and len(expr.steps) <= 1 and \
            all(isinstance(s, ast.GetAttr) for s in expr.steps):
        return traversal_text(expr)
    text = constant(expr)
    if isinstance(text, str) and _PROVIDER_TEXT.fullmatch(text):
        return text
    raise _error(_pos(expr), _INVALID_PROVIDER_REF, address=f"module.{name}", attribute="providers")


_PROVIDER_TEXT = re.compile(r"[^\W\d][\w-]*(?:\.[^\W\d][\w-]*)?")
"""A quoted reference: one or two identifiers (Terraform parses the string as a traversal)."""


def _provider(document: dict[str, Any], block: ast.Block) -> None:
    (name,) = _labels(block, 1, "name")
    body = _block_body(block.body, f"provider.{name}")
    providers = document.setdefault("provider", {})
    if name in providers:
        existing = providers[name]
        providers[name] = [*(existing if isinstance(existing, list) else [existing]), body]
    else:
        providers[name] = body


def _terraform(document: dict[str, Any], block: ast.Block) -> None:
    out: dict[str, Any] = {}
    for attribute in block.body.attributes:
        out[attribute.name] = constant(attribute.expr)
    for nested in block.body.blocks:
        if nested.type == "required_providers":
            providers = {}
            for attribute in nested.body.attributes:
                providers[attribute.name] = _requirement(attribute.expr)
            out["required_providers"] = providers
        elif nested.type in ("backend", "cloud"):
            config = {a.name: constant(a.expr) for a in nested.body.attributes}
            for inner in nested.body.blocks:
                config.setdefault(inner.type, []).append({a.name: constant(a.expr) for a in inner.body.attributes})
            if nested.type == "backend":
                (backend_type,) = _labels(nested, 1, "backend type")
                out["backend"] = {backend_type: config}
            else:
                out["cloud"] = config
        else:
            out.setdefault(nested.type, []).append({a.name: constant(a.expr) for a in nested.body.attributes})
    document.setdefault("terraform", []).append(out)


def _address_block(kind: str) -> Any:
    def handler(document: dict[str, Any], block: ast.Block) -> None:
        _labels(block, 0, "none")
        out: dict[str, Any] = {}
        for attribute in block.body.attributes:
            if attribute.name in ("from", "to") and isinstance(attribute.expr, ast.ScopeTraversal):
                out[attribute.name] = traversal_text(attribute.expr)
            elif attribute.name in ("from", "to") and isinstance(attribute.expr, (ast.Index, ast.RelativeTraversal)):
                if kind == "import" and any(a.name == "for_each" for a in block.body.attributes):
                    out[attribute.name] = attribute.expr  # a key from each.key: the loader keeps the expression
                else:
                    out[attribute.name] = _address_text(attribute.expr)
            elif attribute.name == "provider":
                out["provider"] = _provider_ref(attribute.expr, kind)
            else:
                out[attribute.name] = value_of(attribute.expr)
        for nested in block.body.blocks:
            out[nested.type] = {a.name: constant(a.expr) for a in nested.body.attributes}
        document.setdefault(kind, []).append(out)

    return handler


def _address_text(expr: Any) -> str:
    """`aws_x.y[each.key]`-like import targets: the text, for the address parser to judge."""
    if isinstance(expr, ast.Index):
        key = constant(expr.key)
        inner = _address_text(expr.collection)
        if key is NOT_CONSTANT:
            raise _error(_pos(expr.key), "Invalid address: instance keys must be constants here.")
        return f'{inner}["{key}"]' if isinstance(key, str) else f"{inner}[{key}]"
    if isinstance(expr, ast.ScopeTraversal):
        return traversal_text(expr)
    raise _error(_pos(expr), "Invalid address: a resource or module address is required.")


def _check(document: dict[str, Any], block: ast.Block) -> None:
    """`check` blocks assert after planning and never change a plan's actions: kept for the checks Terraform
    makes of them before planning (iac.config.checkblocks), their results (iac.diff.checkresults: each assert
    keeps its condition's line, which a warning names) and their scoped data sources."""
    (name,) = _labels(block, 1, "name")
    out: dict[str, Any] = {"//": f"source: {block.pos}"}
    for nested in block.body.blocks:
        if nested.type == "assert":
            body = {a.name: value_of(a.expr) for a in nested.body.attributes}
            condition = next((a for a in nested.body.attributes if a.name == "condition"), None)
            body["//"] = f"source: {condition.pos if condition is not None else nested.pos}"  # warnings name it
            out.setdefault("assert", []).append(body)
        elif nested.type == "data":  # the block's scoped data source, planned as Terraform plans it
            rtype, label = _labels(nested, 2, "type, name")
            body = _resource_body(nested.body, f"data.{rtype}.{label}")
            body["//"] = f"source: {nested.pos}"
            out.setdefault("data", []).append({rtype: {label: body}})
        else:
            raise _error(nested.pos, f'Unsupported block type: Blocks of type "{nested.type}" are not expected here.',
                         address=f"check.{name}")
    _add(document, ("check", name), out, block.pos, f"check block check.{name}")


ACTION_BLOCKS = ("Unsupported block type: an action block (Terraform 1.14) invokes its provider's action during apply, "
                 "which iac cannot plan; the providers iac knows (aws 5.100.0, databricks 1.110.0) have no actions, "
                 "and Terraform refuses an action they do not have.")

_TOP_LEVEL: dict[str, Any] = {
    "resource": _resource,
    "data": _resource,
    "ephemeral": _resource,
    "variable": _variable,
    "output": _output,
    "locals": _locals,
    "module": _module,
    "provider": _provider,
    "terraform": _terraform,
    "moved": _address_block("moved"),
    "import": _address_block("import"),
    "removed": _address_block("removed"),
    "check": _check,
}


def _requirement(expr: Any) -> Any:
    """A `required_providers` entry: constants as written, `configuration_aliases` as reference texts."""
    value = constant(expr)
    if value is not NOT_CONSTANT or not isinstance(expr, ast.ObjectCons):
        return value if value is not NOT_CONSTANT else {}
    out: dict[str, Any] = {}
    for item in expr.items:
        key = item.key.value if isinstance(item.key, ast.Literal) else constant(item.key)
        if key == "configuration_aliases" and isinstance(item.value, ast.TupleCons):
            out["configuration_aliases"] = [traversal_text(i) if isinstance(i, ast.ScopeTraversal) else constant(i)
                        for i in item.value.items]
        elif isinstance(key, str) and constant(item.value) is not NOT_CONSTANT:
            out[key] = constant(item.value)
    return out


# -- values --------------------------------------------------------------------------------------


def value_of(expr: Any) -> Any:
    """An attribute value as the loader keeps it: the plain constant, or the syntax tree."""
    value = constant(expr)
    return expr if value is NOT_CONSTANT else value


def constant(expr: Any) -> Any:
    """The plain value of a constant expression, or NOT_CONSTANT. A string holding `${`/`%{` is not a
    constant here: as a plain value it would be read as a template."""
    if isinstance(expr, ast.Literal):
        value = expr.value
        if isinstance(value, str) and ("${" in value or "%{" in value):
            return NOT_CONSTANT
        if isinstance(value, Decimal):
            from iac.lang.numbers import from_fraction, to_fraction

            value = from_fraction(to_fraction(value))
        return value
    if isinstance(expr, ast.Template) and all(isinstance(p, str) for p in expr.parts):
        text = "".join(expr.parts)  # type: ignore[arg-type]
        return NOT_CONSTANT if "${" in text or "%{" in text else text
    if isinstance(expr, ast.TupleCons):
        items = [constant(item) for item in expr.items]
        return NOT_CONSTANT if any(i is NOT_CONSTANT for i in items) else items
    if isinstance(expr, ast.ObjectCons):
        out: dict[str, Any] = {}
        for item in expr.items:
            key = item.key.value if isinstance(item.key, ast.Literal) else constant(item.key)
            if key is NOT_CONSTANT or key is None or isinstance(key, (list, dict)) or key in out:
                return NOT_CONSTANT
            if isinstance(key, bool):
                key = "true" if key else "false"
            value = constant(item.value)
            if value is NOT_CONSTANT:
                return NOT_CONSTANT
            out[str(key)] = value
        return out
    if isinstance(expr, ast.UnaryOp) and expr.op == "-" and isinstance(expr.operand, ast.Literal) and \
            isinstance(expr.operand.value, (int, Decimal)) and not isinstance(expr.operand.value, bool):
        return -constant(expr.operand)
    return NOT_CONSTANT


def _pos(node: Any) -> ast.Pos:
    return getattr(node, "pos", None) or ast.Pos("<unknown>", 0, 0)

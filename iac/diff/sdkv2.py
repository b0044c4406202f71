"""Plan-time behaviour of an SDKv2 provider (Databricks, azurerm), emulated from the schema data.

What the provider would do in PlanResourceChange, in order:
* config shaped by the schema: values converted to attribute types, nested blocks as lists of
  objects (a single object is accepted for a one-element block), sets in cty's order (iac.diff.ctyorder);
* proposed new object (Terraform's objchange.ProposedNew): configured values win; an omitted
  optional+computed value (or an omitted computed block) keeps the prior one; an omitted optional
  one is null, or the schema default;
* normalisation rules (iac.diff.rules): a config value equivalent to the prior keeps the prior;
* on create (and for new nested elements) every computed value still null is unknown (SDKv2's
  SetUnknowns);
* sets and key-sorted lists are compared without order;
* `force_new` attributes/blocks that changed require replacement.

Replacement rules the data does not settle (iac.diff.replacement): a `force_new_conditional` attribute
is decided by its rule when iac has one (workspace_id, catalog options, aws_vpc tenancy, ...), else its
change *may* replace; a type whose CustomizeDiff replacements were never captured says so for every
in-place update (`rules_known`).

Approximate schemas (structure from jsii, `approximate: true`) cannot tell optional from
optional+computed: every optional attribute and block is planned as optional+computed there (an omitted
value keeps the prior one and is unknown on create), so that what the server fills never re-plans.

Not emulated: other CustomizeDiff logic (computed values the provider would recompute on update keep
their prior value).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import msgspec

from iac.config.schemacheck import computed_argument, missing_argument, unsupported_argument
from iac.config.types import TypeConversionError, convert
from iac.diff.ctyorder import sort_set
from iac.diff.customize import CUSTOMIZE, NO_ARGUMENTS, ProviderArguments
from iac.diff.replacement import Conditional, conditional_rule, rules_known
from iac.diff.rules import Rule, equivalent, keeps_remote, normalise, rules_for
from iac.diff.statefuncs import STATE_FUNCS
from iac.diff.typeplanner import Planned, ShapeError, TypePlanner
from iac.schema import MISSING, Attribute, Block, BlockType, ResourceSchema
from iac.values import UNKNOWN, UNKNOWN_MAP, UNKNOWN_SEQ, Path, Unknown, get_path, strict_equal

__all__ = ["SchemaPlanner"]


class _Node:
    """A block compiled for planning: attributes, nested blocks, nested attributes (plugin framework) and
    the rule-table prefix."""

    __slots__ = ("attrs", "blocks", "cty_type", "has_sets", "nested", "prefix", "required")

    def __init__(self, block: Block, prefix: str) -> None:
        self.prefix = prefix
        self.attrs: dict[str, Attribute] = dict(block.attributes)
        self.blocks: dict[str, tuple[BlockType, _Node]] = {
            name: (bt, _Node(bt.block, f"{prefix}{name}.")) for name, bt in block.block_types.items()}
        self.nested: dict[str, tuple[Attribute, _Node]] = {
            name: (a, _Node(a.nested, f"{prefix}{name}.")) for name, a in block.attributes.items() if a.nested is not None}
        self.required: tuple[str, ...] = tuple(name for name, a in block.attributes.items() if a.required)
        self.has_sets: bool = any(_is_set(a.type) for a in self.attrs.values()) or any(
            bt.nesting == "set" or child.has_sets for bt, child in self.blocks.values()) or any(
            child.has_sets for _, child in self.nested.values())
        # The block as the cty object type Terraform sees (nested blocks are attributes of it): what
        # orders the elements of a set of these blocks.
        self.cty_type: Any = ["object", {**{name: a.type for name, a in self.attrs.items()},
                                         **{name: _nested_type(bt, child) for name, (bt, child) in self.blocks.items()}}]

    def names(self) -> list[str]:
        return sorted([*self.attrs, *self.blocks])


def _nested_type(bt: BlockType, child: _Node) -> Any:
    return child.cty_type if bt.nesting == "single" else [bt.nesting, child.cty_type]


def _is_set(type_: Any) -> bool:
    return isinstance(type_, list) and type_[0] == "set"


def _unknown_for(type_: Any) -> Unknown:
    if isinstance(type_, list):
        return UNKNOWN_MAP if type_[0] in ("map", "object") else UNKNOWN_SEQ
    return UNKNOWN


class SchemaPlanner(TypePlanner):
    """The planner of one schema-described resource type (see module docstring)."""

    def __init__(self, schema: ResourceSchema) -> None:
        self.type = schema.type
        self.schema_version = schema.version
        block = _optional_computed(schema.block) if schema.approximate else schema.block
        self.root = _Node(block, "")
        self.rules = rules_for(schema)
        self.computed_only = frozenset(n for n, a in block.attributes.items() if a.computed_only)
        self._force_new = _patterns(self.root, lambda a: a.force_new)
        self._sensitive = _patterns(self.root, lambda a: a.sensitive, blocks=False)
        self.rules_known = rules_known(schema.type, schema.provider_source)
        self._conditional: list[tuple[Pattern, Conditional | None]] = [
            (pattern, conditional_rule(schema.type, name)) for pattern, name in _conditional_patterns(self.root)]
        self._customize = CUSTOMIZE.get(schema.provider_source)
        self._arguments = NO_ARGUMENTS

    def configured(self, arguments: ProviderArguments) -> SchemaPlanner:
        if arguments == self._arguments or self._customize is None:
            return self
        planner = copy.copy(self)
        planner._arguments = arguments
        return planner

    # -- state and config -------------------------------------------------------------------------

    def unwrap(self, attributes: dict[str, Any]) -> dict[str, Any]:
        return _canonical(self.root, attributes) if self.root.has_sets else attributes

    def shape(self, body: dict[str, Any]) -> dict[str, Any]:
        return _shape(self.root, body, ())

    def sensitive(self, value: dict[str, Any] | None, marks: Sequence[Path] = ()) -> tuple[Path, ...]:
        schema_paths = _expand(self._sensitive, value, None) if value is not None and self._sensitive else []
        return (*marks, *schema_paths)

    def imported(self, import_id: str, config: dict[str, Any]) -> dict[str, Any]:
        """Offline, iac cannot read the object: it assumes the remote object matches the config."""
        planned = self.plan(None, config).value
        return {k: (None if isinstance(v, Unknown) else v) for k, v in planned.items()} | {"id": import_id}

    # -- planning ---------------------------------------------------------------------------------

    def plan(self, prior: dict[str, Any] | None, config: dict[str, Any]) -> Planned:
        result = Planned({})
        result.value = self._block(self.root, prior, config, (), result)
        if self._customize is not None:
            self._customize(prior, result.value, self._arguments)
        if prior is not None:
            result.requires_replace = _expand(self._force_new, prior, result.value)
            if self._conditional:
                self._decide_conditional(prior, result)
        return result

    def _decide_conditional(self, prior: dict[str, Any], result: Planned) -> None:
        """`force_new_conditional` paths that changed: replace, in place, or "may replace"."""
        for pattern, rule in self._conditional:
            for path in _expand([pattern], prior, result.value):
                old, new = get_path(prior, path), get_path(result.value, path)
                if strict_equal(old, new):
                    continue
                decision = rule.decide(old, new) if rule is not None else None
                if decision is True:
                    result.requires_replace.append(path)
                elif decision is None:
                    result.may_replace.append(path)

    def _block(self, node: _Node, prior: dict[str, Any] | None, config: dict[str, Any], path: Path,
               out: Planned) -> dict[str, Any]:
        planned: dict[str, Any] = {}
        for name, attr in node.attrs.items():
            if attr.nested is not None:
                planned[name] = self._nested_attribute(node, name, attr, prior, config.get(name), (*path, name), out)
            else:
                planned[name] = self._attribute(node, name, attr, prior, config.get(name), (*path, name), out)
        for name, (bt, child) in node.blocks.items():
            planned[name] = self._nested(node, name, bt, child, prior, config.get(name), (*path, name), out)
        return planned

    def _attribute(self, node: _Node, name: str, attr: Attribute, prior: dict[str, Any] | None, cfg: Any,
                   path: Path, out: Planned) -> Any:
        pri = prior.get(name) if prior is not None else None
        if cfg is not None:
            value = STATE_FUNCS[attr.state_func](cfg) if attr.state_func and isinstance(cfg, str) else cfg
            if type(value) is list and _is_set(attr.type) and any(isinstance(v, Unknown) for v in value):
                value = UNKNOWN_SEQ  # SDKv2 cannot hold a set with unknown elements: the whole set is unknown
        elif attr.computed:
            value = pri if prior is not None else _unknown_for(attr.type)
        elif attr.default is not MISSING:
            value = attr.default
            if not strict_equal(value, pri):
                out.defaults.append(path)
        elif type(pri) is dict and pri and type(attr.type) is list and attr.type[0] == "map":
            value = {}  # SDKv2 plans a map the configuration dropped as its count going to 0: an empty map, not null
        else:
            value = None
        rules = self.rules.get(node.prefix + name)
        if rules and prior is not None and not strict_equal(value, pri) and (
                keeps_remote(rules, cfg, pri) or equivalent(rules, value, pri)):
            out.suppressed.append(path)
            return pri
        return value

    def _nested_attribute(self, node: _Node, name: str, attr: Attribute, prior: dict[str, Any] | None, cfg: Any,
                          path: Path, out: Planned) -> Any:
        """A plugin-framework nested attribute, as Terraform's ProposedNew plans it: a null config keeps
        the prior value of a computed attribute (unknown on create); a configured value is planned
        attribute by attribute against the prior object (list elements by index, map elements by key,
        set elements by their configured values)."""
        pri = prior.get(name) if prior is not None else None
        if cfg is None:
            if not attr.computed:
                return None
            return pri if prior is not None else _unknown_for(attr.type)
        if isinstance(cfg, Unknown):
            return cfg
        child = node.nested[name][1]
        nesting = attr.nesting
        if nesting == "single":
            return self._block(child, pri if isinstance(pri, dict) else None, cfg, path, out)
        if nesting == "map":
            priors = pri if isinstance(pri, dict) else {}
            return {key: self._block(child, priors.get(key), item, (*path, key), out) for key, item in cfg.items()}
        prior_list = list(pri) if isinstance(pri, list) else []
        if nesting == "set":
            pairs = _pair_set(child, list(cfg), prior_list, self.rules)
        else:
            pairs = [(c, prior_list[i] if i < len(prior_list) else None) for i, c in enumerate(cfg)]
        planned = [self._block(child, p, c, (*path, i), out) for i, (c, p) in enumerate(pairs)]
        if nesting == "set":
            planned = sort_set(planned, attr.type[1])
            if pri is not None and strict_equal(planned, pri):
                return pri
        return planned

    def _nested(self, node: _Node, name: str, bt: BlockType, child: _Node, prior: dict[str, Any] | None,
                cfg: Any, path: Path, out: Planned) -> Any:
        pri = prior.get(name) if prior is not None else None
        rules = self.rules.get(node.prefix + name) or []
        if bt.nesting == "single":
            if cfg is None:
                return pri if bt.computed and prior is not None else None
            return self._block(child, pri, cfg, path, out)
        elements: list[Any] = list(cfg or [])
        if not elements and bt.computed and prior is None:
            return UNKNOWN_SEQ  # an Optional+Computed block left out: the provider fills it on create
        prior_list: list[Any] = list(pri or [])
        if not elements and prior_list and (bt.computed or keeps_remote(rules, cfg, pri)):
            return pri
        for rule in rules:
            elements, prior_list = normalise(rule, elements), normalise(rule, prior_list)
        pairs = _pair_set(child, elements, prior_list, self.rules) if bt.nesting == "set" else [
            (c, prior_list[i] if i < len(prior_list) else None) for i, c in enumerate(elements)]
        planned = [self._block(child, p, c, (*path, i), out) for i, (c, p) in enumerate(pairs)]
        if bt.nesting == "set":
            planned = sort_set(planned, child.cty_type)
            if pri is not None and strict_equal(planned, pri):  # the prior is in cty order already (unwrap)
                return pri
        elif rules and pri is not None and strict_equal(planned, prior_list):
            if not strict_equal(planned, pri):
                out.suppressed.append(path)
            return pri
        return planned


def _pair_set(node: _Node, configs: list[Any], priors: list[Any], rules: dict[str, list[Rule]]) -> list[tuple[Any, Any]]:
    """Correlate set elements: a config element is planned against the prior element whose configured
    values it matches (Terraform matches set elements by their non-computed content)."""
    unused = list(priors)
    pairs = []
    for cfg in configs:
        match = next((p for p in unused if _matches(node, cfg, p, rules)), None)
        if match is not None:
            unused.remove(match)
        pairs.append((cfg, match))
    return pairs


def _matches(node: _Node, cfg: dict[str, Any], prior: Any, rules: dict[str, list[Rule]]) -> bool:
    if not isinstance(prior, dict):
        return False
    for name in node.attrs:
        value = cfg.get(name)
        if value is not None and not strict_equal(value, prior.get(name)) and not equivalent(
                rules.get(node.prefix + name, []), value, prior.get(name)):
            return False
    for name, (_, child) in node.blocks.items():
        mine, theirs = cfg.get(name) or [], prior.get(name) or []
        if isinstance(mine, dict):
            mine, theirs = [mine], [theirs] if isinstance(theirs, dict) else []
        if len(mine) != len(theirs) or not all(_matches(child, m, t, rules) for m, t in zip(mine, theirs, strict=True)):
            return False
    return True


def _shape(node: _Node, body: dict[str, Any], path: Path) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ShapeError("a block must be a JSON object", path)
    shaped: dict[str, Any] = {}
    for key, value in body.items():
        if key == "//":
            continue
        if key in node.attrs:
            attr = node.attrs[key]
            if attr.computed_only:
                raise ShapeError(computed_argument(key), (*path, key))
            if attr.nested is not None:
                shaped[key] = _shape_nested_attribute(attr, node.nested[key][1], value, (*path, key))
                continue
            try:
                value = convert(value, attr.type)
            except TypeConversionError as error:
                raise ShapeError(f"invalid value: {error}", (*path, key)) from error
            shaped[key] = sort_set(value, attr.type[1]) if _is_set(attr.type) and isinstance(value, list) else value
        elif key in node.blocks:
            shaped[key] = _shape_nested(*node.blocks[key], value, (*path, key))
        else:
            names = node.names()
            raise ShapeError(unsupported_argument(key, names, json_syntax=False), (*path, key),
                             unsupported_argument(key, names, json_syntax=True))
    for name in node.required:
        if name not in shaped:
            raise ShapeError(missing_argument(name), (*path, name))
    for name in node.attrs:
        shaped.setdefault(name, None)
    for name, (bt, _) in node.blocks.items():
        shaped.setdefault(name, None if bt.nesting == "single" else [])
    return shaped


def _shape_nested_attribute(attr: Attribute, child: _Node, value: Any, path: Path) -> Any:
    """A plugin-framework nested attribute's value: objects checked and shaped like blocks (absent nested
    attributes null), repeated by the nesting mode."""
    if value is None or isinstance(value, Unknown):
        return value
    nesting = attr.nesting
    if nesting == "single":
        return _shape(child, value, path)
    if nesting == "map":
        if not isinstance(value, dict):
            raise ShapeError("invalid value: a map of objects is required", path)
        return {key: _shape(child, item, (*path, key)) for key, item in value.items()}
    if not isinstance(value, list):
        raise ShapeError(f"invalid value: a {nesting} of objects is required", path)
    items = [_shape(child, item, (*path, i)) for i, item in enumerate(value)]
    return sort_set(items, attr.type[1]) if nesting == "set" else items


def _shape_nested(bt: BlockType, child: _Node, value: Any, path: Path) -> Any:
    if bt.nesting == "single":
        return None if value is None else _shape(child, value[0] if isinstance(value, list) and len(value) == 1 else value, path)
    items = value if isinstance(value, list) else [] if value is None else [value]
    shaped = [_shape(child, item, (*path, i)) for i, item in enumerate(items)]
    if bt.max_items is not None and len(shaped) > bt.max_items:
        raise ShapeError(f'Too many {bt.name} blocks: No more than {bt.max_items} "{bt.name}" blocks are allowed',
                         path)
    return sort_set(shaped, child.cty_type) if bt.nesting == "set" else shaped


def _canonical(node: _Node, value: dict[str, Any]) -> dict[str, Any]:
    """State attributes with sets in cty's order (Terraform writes them so; sorting again makes
    comparisons independent of whoever wrote the state)."""
    out = dict(value)
    for name, (attr, child) in node.nested.items():
        held = out.get(name)
        if child.has_sets and isinstance(held, dict) and attr.nesting == "single":
            out[name] = _canonical(child, held)
        elif child.has_sets and isinstance(held, dict):
            out[name] = {k: _canonical(child, v) if isinstance(v, dict) else v for k, v in held.items()}
        elif child.has_sets and isinstance(held, list):
            out[name] = [_canonical(child, v) if isinstance(v, dict) else v for v in held]
    for name, attr in node.attrs.items():
        if _is_set(attr.type) and isinstance(out.get(name), list):
            out[name] = sort_set(out[name], attr.type[1])
    for name, (bt, child) in node.blocks.items():
        items = out.get(name)
        if isinstance(items, list):
            items = [_canonical(child, i) if isinstance(i, dict) and child.has_sets else i for i in items]
            out[name] = sort_set(items, child.cty_type) if bt.nesting == "set" else items
    return out


Pattern = tuple[str, ...]


def _patterns(node: _Node, test: Any, prefix: Pattern = (), blocks: bool = True) -> list[Pattern]:
    """Attribute (and block) paths where `test` holds; "*" stands for any element index."""
    found = [(*prefix, name) for name, attr in node.attrs.items() if test(attr)]
    for name, (attr, child) in node.nested.items():
        step = (*prefix, name) if attr.nesting == "single" else (*prefix, name, "*")
        found.extend(_patterns(child, test, step, blocks))
    for name, (bt, child) in node.blocks.items():
        if blocks and bt.force_new:
            found.append((*prefix, name))
        step = (*prefix, name) if bt.nesting == "single" else (*prefix, name, "*")
        found.extend(_patterns(child, test, step, blocks))
    return found


def _conditional_patterns(node: _Node, prefix: Pattern = (), names: tuple[str, ...] = ()) -> list[tuple[Pattern, str]]:
    """(pattern, dotted schema path) of every attribute and block with a `force_new_conditional`."""
    found = [((*prefix, n), ".".join((*names, n))) for n, a in node.attrs.items() if a.force_new_conditional]
    for name, (attr, child) in node.nested.items():
        step = (*prefix, name) if attr.nesting == "single" else (*prefix, name, "*")
        found.extend(_conditional_patterns(child, step, (*names, name)))
    for name, (bt, child) in node.blocks.items():
        if bt.force_new_conditional:
            found.append(((*prefix, name), ".".join((*names, name))))
        step = (*prefix, name) if bt.nesting == "single" else (*prefix, name, "*")
        found.extend(_conditional_patterns(child, step, (*names, name)))
    return found


def _optional_computed(block: Block) -> Block:
    """An approximate schema's block with every optional attribute and block taken as optional+computed
    (jsii-derived structure does not tell them apart; see the module docstring)."""
    attributes = {n: msgspec.structs.replace(a, computed=True, nested=_optional_computed(a.nested) if a.nested else None)
                  if a.optional else a for n, a in block.attributes.items()}
    block_types = {n: msgspec.structs.replace(b, computed=b.computed or b.min_items == 0, block=_optional_computed(b.block))
                   for n, b in block.block_types.items()}
    return Block(attributes=attributes, block_types=block_types)


def _expand(patterns: list[Pattern], a: Any, b: Any) -> list[Path]:
    """Concrete paths for patterns, "*" expanded over the element indexes present in `a` or `b`."""
    paths: list[Path] = []
    for pattern in patterns:
        paths.extend(_expand_one(pattern, a, b, ()))
    return paths


def _expand_one(pattern: Pattern, a: Any, b: Any, done: Path) -> list[Path]:
    if not pattern:
        return [done]
    step, rest = pattern[0], pattern[1:]
    if step == "*" and (isinstance(a, dict) or isinstance(b, dict)):  # a map of nested objects
        keys = sorted({*(a if isinstance(a, dict) else ()), *(b if isinstance(b, dict) else ())})
        return [p for k in keys for p in _expand_one(rest, a.get(k) if isinstance(a, dict) else None,
                                                      b.get(k) if isinstance(b, dict) else None, (*done, k))]
    if step == "*":
        size = max(len(a) if isinstance(a, list) else 0, len(b) if isinstance(b, list) else 0)
        return [p for i in range(size) for p in _expand_one(rest, _at(a, i), _at(b, i), (*done, i))]
    return _expand_one(rest, a.get(step) if isinstance(a, dict) else None,
                       b.get(step) if isinstance(b, dict) else None, (*done, step))


def _at(value: Any, index: int) -> Any:
    return value[index] if isinstance(value, list) and index < len(value) else None

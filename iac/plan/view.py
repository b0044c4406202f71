"""A read-only view of a plan JSON for its readers, the checks and cost: one `ResourceView` per managed
resource instance. It lives with the plan because it reads only the plan's JSON shape (and the synthesized
configuration): whoever judges or prices a plan reads it through here.

Checks judge the planned after-values. Where the plan says "known after apply", the view falls back
to the resource's configuration (the synthesized `main.tf.json` body when given, else the plan's
`configuration` expressions): a literal there is what the value will be. A value that is still
undecidable is an `Unknown` carrying the references it depends on (this module's own, not the planner's
`iac.values.Unknown`), so a check can either resolve it (a policy id that references
`databricks_cluster_policy.small`) or report that it cannot decide; it is never silently treated as absent.

Paths are tuples of attribute names and list indexes. A name applied to a one-element block list
steps into its element, so `("autoscale", "max_workers")` works on Terraform's `[{...}]` block
encoding and on a `.tf.json` body's plain object alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PlanIndex", "ResourceView", "Unknown", "format_path", "get_path", "is_empty", "parse_path"]

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value known only after apply. `references` are the config references it comes from."""

    references: tuple[str, ...] = ()

    def targets(self) -> list[str]:
        """Resource addresses (`type.name`) among the references, `var.`/`local.`/`data.` left out."""
        found: list[str] = []
        for ref in self.references:
            parts = ref.split(".")
            if len(parts) >= 2 and parts[0] not in ("var", "local", "data", "module", "each", "count", "path", "self"):
                address = parts[0] + "." + parts[1].split("[", 1)[0]
                if address not in found:
                    found.append(address)
        return found


_TEMPLATE = re.compile(r"(?<!\$)\$\{([^}]*)\}")
_TRAVERSAL = re.compile(r"[A-Za-z_][\w-]*(?:\[[^\]]*\])?(?:\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?)+")


def _template_references(text: str) -> tuple[str, ...]:
    refs: list[str] = []
    for expr in _TEMPLATE.findall(text):
        for ref in _TRAVERSAL.findall(expr):
            if ref not in refs:
                refs.append(ref)
    return tuple(refs)


def _literal(value: Any) -> Any:
    """A `.tf.json` value with every template string turned into `Unknown`."""
    if isinstance(value, str):
        if "${" in value.replace("$${", ""):
            return Unknown(_template_references(value))
        return value.replace("$${", "${")
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [_literal(v) for v in value]
    return value


def _from_expressions(value: Any) -> Any:
    """A plan `configuration` expressions object turned into a body with literals and `Unknown`s."""
    if isinstance(value, dict):
        if value and set(value) <= {"constant_value", "references"}:
            if "references" in value:
                return Unknown(tuple(value["references"]))
            return _literal(value["constant_value"])
        return {k: _from_expressions(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_expressions(v) for v in value]
    return value


def parse_path(text: str) -> Path:
    """`"job_cluster[0].new_cluster.num_workers"` -> `("job_cluster", 0, "new_cluster", "num_workers")`."""
    path: list[str | int] = []
    for part in text.split("."):
        name, *indexes = part.split("[")
        if name:
            path.append(name)
        path.extend(int(i.rstrip("]")) for i in indexes)
    return tuple(path)


def format_path(path: Path) -> str:
    """Inverse of `parse_path`."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


_MISSING = object()


def is_empty(value: Any) -> bool:
    """Null, `""`, `[]` and `{}` all mean "not set": SDKv2 providers store unset strings as `""` and
    absent blocks as `[]`, so checks treat them alike (numbers and booleans are never empty)."""
    return value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)


def _step(value: Any, step: str | int) -> Any:
    if isinstance(step, str):
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
            value = value[0]
        return value.get(step, _MISSING) if isinstance(value, dict) else _MISSING
    if isinstance(value, list):
        return value[step] if 0 <= step < len(value) else _MISSING
    if isinstance(value, dict) and step == 0:
        return value
    return _MISSING


def get_path(value: Any, path: Path, default: Any = None) -> Any:
    """Navigate `path`; an `Unknown` on the way is returned as is; a missing step gives `default`."""
    for step in path:
        if isinstance(value, Unknown):
            return value
        value = _step(value, step)
        if value is _MISSING:
            return default
    return value


def _child(config: Any, step: str | int) -> Any:
    """The config below `step`; everything below an expression is that expression's unknown."""
    return config if isinstance(config, Unknown) else _step(config, step)


def _merge_unknown(after: Any, mask: Any, config: Any, have_config: bool) -> Any:
    """`after` with every part flagged in `mask` (after_unknown) replaced by the config's literal.

    With a configuration body at hand, an unknown attribute the body does not set is one the
    server computes (an optional+computed default): it counts as not set by us (None). Without a
    body nothing is known about it (`Unknown`)."""
    if mask is True:
        if config is _MISSING or config is None:
            return None if have_config else Unknown()
        return config
    if isinstance(mask, dict):
        base = dict(after) if isinstance(after, dict) else {}
        for key, sub in mask.items():
            if sub is True or isinstance(sub, (dict, list)):
                base[key] = _merge_unknown(base.get(key), sub, _child(config, key), have_config)
        return base
    if isinstance(mask, list) and isinstance(after, list):
        merged = list(after)
        for index, sub in enumerate(mask):
            if index < len(merged) and (sub is True or isinstance(sub, (dict, list))):
                merged[index] = _merge_unknown(merged[index], sub, _child(config, index), have_config)
        return merged
    return after


@dataclass
class ResourceView:
    """One managed resource instance of the plan, with its change and its configuration body."""

    address: str
    type: str
    name: str
    actions: tuple[str, ...]
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    after_unknown: Any = field(default_factory=dict)
    after_sensitive: Any = False
    raw_config: tuple[Callable[[Any], Any], Any] | None = None
    """The configuration body as found (a `.tf.json` body or plan expressions) and how to read it;
    normalised on first use only, since most checks never look at most resources' configuration."""
    source: str | None = None
    module_address: str = ""
    _effective: Any = field(default=_MISSING, repr=False)
    _config: Any = field(default=_MISSING, repr=False)

    @property
    def config(self) -> Mapping[str, Any] | None:
        """The configuration body: literals, with `Unknown` for every expression that references something."""
        if self._config is _MISSING:
            self._config = None if self.raw_config is None else self.raw_config[0](self.raw_config[1])
        return self._config  # type: ignore[no-any-return]

    @property
    def deleted(self) -> bool:
        """True when the resource will not exist after apply."""
        return self.after is None

    @property
    def effective(self) -> Mapping[str, Any] | None:
        """The after-values with unknown parts filled from the configuration where it is literal."""
        if self._effective is _MISSING:
            if self.after is None:
                self._effective = None
            else:
                config = self.config if self.config is not None else _MISSING
                self._effective = _merge_unknown(self.after, self.after_unknown or {}, config, self.config is not None)
        return self._effective  # type: ignore[no-any-return]

    def get(self, path: Path | str, default: Any = None) -> Any:
        """The planned value at `path`: a literal, an `Unknown`, or `default` when absent/null."""
        if isinstance(path, str):
            path = parse_path(path)
        value = get_path(self.effective, path, default)
        return default if is_empty(value) else value

    def get_before(self, path: Path | str, default: Any = None) -> Any:
        if isinstance(path, str):
            path = parse_path(path)
        value = get_path(self.before, path, default)
        return default if is_empty(value) else value

    def config_value(self, path: Path | str) -> Any:
        """The configuration's own value at `path` (literal or `Unknown`), or None when not configured."""
        if isinstance(path, str):
            path = parse_path(path)
        return get_path(self.config, path, None) if self.config is not None else None

    def qualify(self, address: str) -> str:
        """A reference target made absolute: references inside a module are relative to it."""
        return f"{self.module_address}.{address}" if self.module_address else address


def _strip_keys(module_address: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", module_address)


RawBody = tuple[Callable[[Any], Any], Any]


def _config_bodies(configuration: Mapping[str, Any] | None) -> dict[str, RawBody]:
    """`module.a.type.name` (instance keys dropped) -> raw body, from the plan's configuration section."""
    bodies: dict[str, RawBody] = {}

    def walk(module: Mapping[str, Any], prefix: str) -> None:
        for resource in module.get("resources", []):
            if resource.get("mode", "managed") == "managed":
                key = f"{resource['type']}.{resource['name']}"
                bodies[f"{prefix}.{key}" if prefix else key] = (_from_expressions, resource.get("expressions", {}))
        for name, call in sorted(module.get("module_calls", {}).items()):
            walk(call.get("module", {}), f"{prefix}.module.{name}" if prefix else f"module.{name}")

    if configuration:
        walk(configuration.get("root_module", {}), "")
    return bodies


def _synth_bodies(main_tf: Mapping[str, Any] | None) -> tuple[dict[str, RawBody], dict[str, str]]:
    bodies: dict[str, RawBody] = {}
    sources: dict[str, str] = {}
    for rtype, named in (main_tf or {}).get("resource", {}).items():
        if not isinstance(named, dict):
            continue
        for name, body in named.items():
            address = f"{rtype}.{name}"
            if isinstance(body, list):
                body = body[0] if body else {}
            comment = body.get("//") if isinstance(body, dict) else None
            if isinstance(comment, str) and comment.startswith("source: "):
                sources[address] = comment.removeprefix("source: ")
            bodies[address] = (_literal, body)
    return bodies, sources


_EMPTY: Mapping[str, Any] = {}
_NOOP_ACTIONS = ["no-op"]
_NOOP_TUPLE = ("no-op",)


class PlanIndex:
    """Every managed resource instance of a plan, by address and by type, sorted by address."""

    def __init__(self, plan: Mapping[str, Any], config: Mapping[str, Any] | None = None) -> None:
        self.plan = plan
        self.main_tf = config
        bodies = _config_bodies(plan.get("configuration"))
        synth_bodies, synth_sources = _synth_bodies(config)
        bodies.update(synth_bodies)
        sources = {**synth_sources, **((plan.get("iac") or {}).get("sources") or {})}
        views: list[ResourceView] = []
        body_of, source_of, append = bodies.get, sources.get, views.append  # 100,000 rounds at scale
        for rc in plan.get("resource_changes", []):
            if rc.get("mode", "managed") != "managed" or rc.get("deposed"):
                continue
            change = rc.get("change", _EMPTY)
            module_address = rc.get("module_address", "")
            address, rtype, name = rc["address"], rc["type"], rc["name"]
            key = f"{rtype}.{name}"
            actions = change.get("actions", _NOOP_ACTIONS)
            append(ResourceView(
                address, rtype, name, _NOOP_TUPLE if actions == _NOOP_ACTIONS else tuple(actions),
                change.get("before"), change.get("after"), change.get("after_unknown") or _EMPTY,
                change.get("after_sensitive", False),
                body_of(f"{_strip_keys(module_address)}.{key}" if module_address else key),
                source_of(address), module_address,
            ))
        self.resources: list[ResourceView] = sorted(views, key=lambda v: v.address)
        self.by_address: dict[str, ResourceView] = {v.address: v for v in self.resources}
        self._by_type: dict[str, list[ResourceView]] = {}
        for view in self.resources:  # checks ask by type a dozen times: one pass, not one per question
            self._by_type.setdefault(view.type, []).append(view)

    def __iter__(self) -> Iterator[ResourceView]:
        return iter(self.resources)

    def of_type(self, *types: str) -> list[ResourceView]:
        """Resources of these types, in address order."""
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        return sorted((v for t in dict.fromkeys(types) for v in self._by_type.get(t, ())), key=lambda v: v.address)

    def existing(self, *types: str) -> list[ResourceView]:
        """Resources of these types that exist after apply."""
        return [v for v in self.of_type(*types) if not v.deleted]

    def resolve(self, view: ResourceView, value: Any, target_type: str, id_attributes: tuple[str, ...]) -> ResourceView | None:
        """The resource of `target_type` an id-valued attribute points to, through its config
        reference when the id is unknown, else by matching the known id against that type's ids."""
        if isinstance(value, Unknown):
            for target in value.targets():
                if target.startswith(target_type + "."):
                    found = self.by_address.get(view.qualify(target)) or self.by_address.get(target)
                    if found is not None:
                        return found
            return None
        if value is None:
            return None
        for candidate in self.of_type(target_type):
            for attr in id_attributes:
                for side in (candidate.after, candidate.before):
                    if side is not None and side.get(attr) == value:
                        return candidate
        return None

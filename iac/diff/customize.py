"""Providers' CustomizeDiff functions that set planned values, per provider: what the schema data cannot
say. Each runs after the proposed new object is built (and only for types that have what it needs), with
the arguments of the resource's provider configuration that it reads (`ProviderArguments`).

hashicorp/aws 5.100.0 `setTagsAll` (internal/provider/sdkv2 tags interceptor; every type with `tags` and
`tags_all`): `tags_all` is the provider's `default_tags` with the resource's `tags` merged over them (a
resource tag wins), less the keys `ignore_tags` names. `tags_all_rule` says when it is set, known after
apply or left as it was; checked case by case against the real provider (tests/providers/test_aws_tags_oracle.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from iac.values import UNKNOWN, UNKNOWN_MAP, Unknown, contains_unknown

__all__ = ["CUSTOMIZE", "PROVIDER_ARGUMENTS", "ProviderArguments", "TagsAll", "tags_all_rule"]


class ProviderArguments(NamedTuple):
    """What a plan-time rule reads from a resource's provider configuration, evaluated (hashable: one
    planner per distinct value). `default_tags` is None when unknown while planning."""

    default_tags: tuple[tuple[str, str], ...] | None = ()
    ignore_keys: tuple[str, ...] = ()
    ignore_prefixes: tuple[str, ...] = ()


NO_ARGUMENTS = ProviderArguments()


class TagsAll(NamedTuple):
    """The rule's verdict: "set" to `value` (its `unknown` keys known after apply), "unknown", or "keep"
    (the planned value stays: the prior one, or known after apply on create)."""

    how: str
    value: Mapping[str, str] = {}
    unknown: frozenset[str] = frozenset()


def _zero(tags: Mapping[str, Any]) -> bool:
    return any(v is None or v == "" for v in tags.values())


def tags_all_rule(prior: Mapping[str, Any] | None, tags: Mapping[str, Any] | None,
                  arguments: ProviderArguments) -> TagsAll:
    """`tags_all` for a resource whose planned `tags` are wholly known (the provider's setTagsAll).

    A new value is set as the SDK diffs a computed map (checked against the real provider): an element
    whose value is "" is known after apply when the prior `tags_all` lacks the key, else keeps its prior
    value."""
    if arguments.default_tags is None:
        return TagsAll("unknown")
    new_tags = dict(tags or {})
    merged = {**dict(arguments.default_tags), **new_tags}
    all_tags = {k: v for k, v in merged.items()
                if k not in arguments.ignore_keys and not k.startswith(arguments.ignore_prefixes or ("\0",))}
    prior_all = (prior or {}).get("tags_all")
    prior_all = prior_all if isinstance(prior_all, dict) else {}

    def set_new() -> TagsAll:
        value, unknown = {}, set()
        for k, v in all_tags.items():
            if v is None or v == "":
                if k not in prior_all:
                    unknown.add(k)
                    value[k] = ""
                else:
                    value[k] = prior_all[k]  # the SDK lets a computed map element keep its old value
                continue
            value[k] = v
        return TagsAll("set", value, frozenset(unknown))

    if ((prior or {}).get("tags") or {}) != new_tags:  # HasChange: a null map and an empty one are the same
        if not all_tags:
            return TagsAll("set")
        if not _zero(new_tags) or not _zero(all_tags):
            return set_new()
        return TagsAll("unknown")
    if all_tags and not _zero(all_tags):
        return set_new()
    current = prior_all if prior is not None else {}
    if all_tags and current != all_tags:
        return TagsAll("unknown")
    return TagsAll("keep")


def _aws_tags_all(prior: dict[str, Any] | None, planned: dict[str, Any], arguments: ProviderArguments) -> None:
    if "tags_all" not in planned or "tags" not in planned:
        return
    tags = planned["tags"]
    if prior is not None and prior.get("tags") is None and tags == {}:
        planned["tags"] = tags = None  # the SDK plans an empty map over a null one as the null one
    if isinstance(tags, Unknown) or contains_unknown(tags):
        planned["tags_all"] = UNKNOWN_MAP
        return
    verdict = tags_all_rule(prior, tags, arguments)
    if verdict.how == "unknown":
        planned["tags_all"] = UNKNOWN_MAP
    elif verdict.how == "set":
        planned["tags_all"] = {k: UNKNOWN if k in verdict.unknown else v for k, v in verdict.value.items()}


CUSTOMIZE: dict[str, Callable[[dict[str, Any] | None, dict[str, Any], ProviderArguments], None]] = {
    "registry.terraform.io/hashicorp/aws": _aws_tags_all,
}
"""provider source -> the plan-time CustomizeDiff iac reproduces for its types (prior, planned object,
the provider configuration's arguments)."""

PROVIDER_ARGUMENTS = frozenset({"registry.terraform.io/hashicorp/aws"})
"""Providers whose rules read their configuration: the engine evaluates it per resource (iac.diff.providerargs)."""

"""Providers' CustomizeDiff functions that set planned values, per provider: what the schema data cannot
say. Each runs after the proposed new object is built (and only for types that have what it needs).

hashicorp/aws `verify.SetTagsDiff` (every type with `tags` and `tags_all`): `tags_all` is the provider's
`default_tags` merged with the resource's `tags` — known at plan time when there are tags and none is
empty, known after apply otherwise (an empty tag value, no tags at all on create, tags removed). iac
does not read the provider configuration's `default_tags`: a configuration that sets them gets
`tags_all` from `tags` alone (known after apply would be safer; it is listed in the README).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iac.values import UNKNOWN_MAP, Unknown, strict_equal

__all__ = ["CUSTOMIZE"]


def _aws_tags_all(prior: dict[str, Any] | None, planned: dict[str, Any]) -> None:
    if "tags_all" not in planned or "tags" not in planned:
        return
    tags = planned["tags"]
    if isinstance(tags, Unknown) or (isinstance(tags, dict) and any(isinstance(v, Unknown) for v in tags.values())):
        planned["tags_all"] = UNKNOWN_MAP
        return
    all_tags = dict(tags or {})
    empty_value = any(v == "" or v is None for v in all_tags.values())
    prior_tags = (prior or {}).get("tags") or {}
    if not strict_equal(prior_tags, all_tags):
        planned["tags_all"] = dict(all_tags) if all_tags and not empty_value else UNKNOWN_MAP
    elif all_tags and not empty_value:
        planned["tags_all"] = dict(all_tags)
    elif all_tags and empty_value and not strict_equal((prior or {}).get("tags_all"), all_tags):
        planned["tags_all"] = UNKNOWN_MAP


CUSTOMIZE: dict[str, Callable[[dict[str, Any] | None, dict[str, Any]], None]] = {
    "registry.terraform.io/hashicorp/aws": _aws_tags_all,
}
"""provider source -> the plan-time CustomizeDiff iac reproduces for its types (prior, planned object)."""

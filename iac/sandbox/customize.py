"""Plan-time adjustments a provider makes beyond its schema (SDKv2 `CustomizeDiff`) that depend on the provider
configuration, so the generic planner (iac.sandbox.planner) cannot make them.

aws: every taggable type plans `tags_all`, the provider's `default_tags` merged with the resource's `tags`
(internal/verify/diff.go `SetTagsDiff` in hashicorp/terraform-provider-aws): known when the merged tags are
known and not empty, unknown when they are not known or a tag value is empty.
"""

from __future__ import annotations

from typing import Any

from iac.sandbox.values import UNKNOWN, contains_unknown
from iac.schema import ResourceSchema

__all__ = ["customize_plan"]


def _set_tags_diff(prior: dict[str, Any] | None, planned: dict[str, Any], default_tags: dict[str, str]) -> dict[str, Any]:
    tags = planned.get("tags")
    if contains_unknown(tags):
        return {**planned, "tags_all": UNKNOWN}
    merged = {**default_tags, **(tags or {})}
    zero = any(value == "" for value in merged.values())
    old_tags = (prior or {}).get("tags") or {}
    if (tags or {}) != old_tags:
        if any(value == "" for value in (tags or {}).values()) or not merged:
            return {**planned, "tags_all": UNKNOWN}
        return {**planned, "tags_all": merged}
    if merged and not zero:
        return {**planned, "tags_all": merged}
    if merged and zero and (prior or {}).get("tags_all") != merged:
        return {**planned, "tags_all": UNKNOWN}
    return planned


def customize_plan(schema: ResourceSchema, prior: dict[str, Any] | None, planned: dict[str, Any],
                   default_tags: dict[str, str]) -> dict[str, Any]:
    """The planned state after the provider's configuration-dependent CustomizeDiff."""
    attributes = schema.block.attributes
    if schema.type.startswith("aws_") and "tags" in attributes and "tags_all" in attributes:
        return _set_tags_diff(prior, planned, default_tags)
    return planned

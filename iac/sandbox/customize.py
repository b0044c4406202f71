"""Plan-time adjustments a provider makes beyond what its schema data says, which the generic planner
(iac.sandbox.planner) cannot make.

aws: every taggable type plans `tags_all`, the provider's `default_tags` merged with the resource's `tags`
(`setTagsAll` of hashicorp/aws 5.100.0): the rule iac plans with, iac.diff.customize.tags_all_rule, checked
against the real provider (tests/providers/test_aws_tags_oracle.py, tests/sandbox/test_aws_fidelity.py).

random and time (plugin framework; their schema data is approximate and carries no defaults): random_string and
random_password plan their Default plan modifiers (internal/provider/resource_string.go, resource_password.go
3.7.2: upper, lower, numeric, number and special true, the min_* counts 0); time_rotating's Optional+Computed
`rfc3339` and `rotation_rfc3339` (resource_time_rotating.go 0.13) are known after apply on create and kept after.
"""

from __future__ import annotations

from typing import Any

from iac.diff.customize import ProviderArguments, tags_all_rule
from iac.sandbox.values import UNKNOWN, contains_unknown
from iac.schema import ResourceSchema

__all__ = ["customize_plan"]


def _set_tags_diff(prior: dict[str, Any] | None, planned: dict[str, Any], default_tags: dict[str, str]) -> dict[str, Any]:
    tags = planned.get("tags")
    if prior is not None and prior.get("tags") is None and tags == {}:
        planned, tags = {**planned, "tags": None}, None  # the SDK plans an empty map over a null one as null
    if contains_unknown(tags):
        return {**planned, "tags_all": UNKNOWN}
    verdict = tags_all_rule(prior, tags, ProviderArguments(tuple(sorted(default_tags.items()))))
    if verdict.how == "unknown":
        return {**planned, "tags_all": UNKNOWN}
    if verdict.how == "set":
        return {**planned, "tags_all": {k: UNKNOWN if k in verdict.unknown else v for k, v in verdict.value.items()}}
    return planned


_RANDOM_DEFAULTS = {"upper": True, "lower": True, "numeric": True, "number": True, "special": True,
                    "min_upper": 0, "min_lower": 0, "min_numeric": 0, "min_special": 0}
_PLAN_DEFAULTS = {"random_string": _RANDOM_DEFAULTS, "random_password": _RANDOM_DEFAULTS}
_COMPUTED = {"time_rotating": ("rfc3339", "rotation_rfc3339")}


def _framework(resource_type: str, prior: dict[str, Any] | None, planned: dict[str, Any]) -> dict[str, Any]:
    result = dict(planned)
    for name, value in _PLAN_DEFAULTS.get(resource_type, {}).items():
        if result.get(name) is None:
            result[name] = value
    for name in _COMPUTED.get(resource_type, ()):
        if result.get(name) is None:
            result[name] = UNKNOWN if prior is None else prior.get(name)
    return result


def customize_plan(schema: ResourceSchema, prior: dict[str, Any] | None, planned: dict[str, Any],
                   default_tags: dict[str, str]) -> dict[str, Any]:
    """The planned state after the provider's own plan-time rules."""
    attributes = schema.block.attributes
    if schema.type.startswith("aws_") and "tags" in attributes and "tags_all" in attributes:
        return _set_tags_diff(prior, planned, default_tags)
    if schema.type in _PLAN_DEFAULTS or schema.type in _COMPUTED:
        return _framework(schema.type, prior, planned)
    return planned

"""`tags_all` against the real hashicorp/aws 5.100.0 provider (skipped where this machine does not have it):
the provider's `default_tags` merged under the resource's `tags`, `ignore_tags`, empty values, tags unset
and emptied, default tags added or changed with no change to the resource (an in-place update of every
tagged resource), aliased provider configurations, default tags from a local value, and a child module
that inherits the root's configuration.

One configuration holds every case (one aws_iam_role per case, on a crafted state); Terraform and iac plan
it on the same state and must agree on every resource change.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from iac._jsonio import dumps
from tests.providers.aws_oracle import PROVIDER_BLOCK, VERSION, AwsOracle, needs_aws_provider
from tests.providers.aws_samples import TRUST
from tests.providers.test_aws_oracle import _differences, _state_from

pytestmark = needs_aws_provider

DEFAULTS = {"ManagedBy": "iac", "Env": "prod"}
PROVIDERS = {"aws": [
    {**PROVIDER_BLOCK, "default_tags": [{"tags": DEFAULTS}]},
    {**PROVIDER_BLOCK, "alias": "bare"},
    {**PROVIDER_BLOCK, "alias": "emptydefault", "default_tags": [{"tags": {"Owner": ""}}]},
    {**PROVIDER_BLOCK, "alias": "local", "default_tags": {"tags": "${local.default_tags}"}},
    {**PROVIDER_BLOCK, "alias": "ignoring", "default_tags": [{"tags": DEFAULTS}],
     "ignore_tags": [{"keys": ["Env"], "key_prefixes": ["kube:"]}]},
]}

# name -> (configured tags or None, provider or None, prior (tags, tags_all) or None for a create)
CASES: dict[str, tuple[dict[str, Any] | None, str | None, tuple[Any, Any] | None]] = {
    "create_tagged": ({"team": "a"}, None, None),
    "create_untagged": (None, None, None),
    "create_overriding_a_default": ({"Env": "dev"}, None, None),
    "create_empty_value": ({"team": ""}, None, None),
    "create_without_defaults": (None, "aws.bare", None),
    "create_tagged_without_defaults": ({"team": "a"}, "aws.bare", None),
    "create_empty_default": ({"team": "a"}, "aws.emptydefault", None),
    "create_empty_default_untagged": (None, "aws.emptydefault", None),
    "create_defaults_from_a_local": ({"team": "a"}, "aws.local", None),
    "create_ignoring": ({"team": "a", "kube:x": "1"}, "aws.ignoring", None),
    "defaults_added": ({"team": "a"}, None, ({"team": "a"}, {"team": "a"})),
    "defaults_added_untagged": (None, None, (None, {})),
    "unchanged": ({"team": "a"}, None, ({"team": "a"}, {"team": "a", **DEFAULTS})),
    "tags_unset": (None, None, ({"team": "a"}, {"team": "a", **DEFAULTS})),
    "tags_unset_without_defaults": (None, "aws.bare", ({"team": "a"}, {"team": "a"})),
    "tags_emptied_without_defaults": ({}, "aws.bare", ({"team": "a"}, {"team": "a"})),
    "empty_map_over_null": ({}, None, (None, dict(DEFAULTS))),
    "untagged_without_defaults": (None, "aws.bare", (None, {})),
    "tag_changed": ({"team": "b"}, None, ({"team": "a"}, {"team": "a", **DEFAULTS})),
    "default_overridden": ({"team": "a", "Env": "dev"}, None, ({"team": "a"}, {"team": "a", **DEFAULTS})),
    "tag_equal_to_a_default": ({"ManagedBy": "iac"}, None, ({"ManagedBy": "iac"}, dict(DEFAULTS))),
    "empty_value_unchanged": ({"team": ""}, None, ({"team": ""}, {"team": "", **DEFAULTS})),
    "empty_value_defaults_added": ({"team": ""}, None, ({"team": ""}, {"team": ""})),
    "empty_value_tag_added": ({"team": "", "x": "1"}, None, ({"team": ""}, {"team": "", **DEFAULTS})),
    "empty_default_unchanged": ({"team": "a"}, "aws.emptydefault", ({"team": "a"}, {"team": "a", "Owner": ""})),
    "empty_default_added": ({"team": "a"}, "aws.emptydefault", ({"team": "a"}, {"team": "a"})),
    "empty_default_tag_changed": ({"team": "b"}, "aws.emptydefault", ({"team": "a"}, {"team": "a", "Owner": ""})),
    "empty_default_was_set": ({"team": "b"}, "aws.emptydefault", ({"team": "a"}, {"team": "a", "Owner": "x"})),
    "ignored_tag_changed": ({"team": "a", "kube:x": "2"}, "aws.ignoring", ({"team": "a", "kube:x": "1"},
                                                                           {"team": "a", "ManagedBy": "iac"})),
}
CHILD = {"resource": {"aws_iam_role": {"inherits": {"assume_role_policy": TRUST, "tags": {"team": "child"}}}}}
"""A child module without a provider block: its roles use the root's default configuration."""


def _body(tags: dict[str, Any] | None, provider: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"assume_role_policy": TRUST}
    if tags is not None:
        body["tags"] = tags
    if provider is not None:
        body["provider"] = provider
    return body


def _config(cases: dict[str, Any], providers: dict[str, Any]) -> dict[str, Any]:
    return {"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": VERSION}}},
            "provider": providers, "locals": {"default_tags": {"FromLocal": "yes"}},
            "module": {"child": {"source": "./child"}},
            "resource": {"aws_iam_role": {name: _body(tags, provider) for name, (tags, provider, _) in cases.items()}}}


def _state(oracle: AwsOracle) -> dict[str, Any]:
    """A role as the provider stores it, once per case that has a prior object, with the case's tags."""
    created = oracle.plan({"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": VERSION}}},
                           "provider": {"aws": PROVIDER_BLOCK}, "module": {"child": {"source": "./child"}},
                           "resource": {"aws_iam_role": {"x": {"assume_role_policy": TRUST}}}})
    created["resource_changes"] = [rc for rc in created.get("resource_changes", []) if rc["address"] == "aws_iam_role.x"]
    state = _state_from(created, [name for name, case in CASES.items() if case[2] is not None])
    for resource in state["resources"]:
        _, provider, (tags, tags_all) = CASES[resource["name"]]
        instance = resource["instances"][0]
        instance["attributes"] = {**copy.deepcopy(instance["attributes"]), "tags": tags, "tags_all": tags_all}
        if provider is not None:
            resource["provider"] = f'provider["registry.terraform.io/hashicorp/aws"].{provider.split(".")[1]}'
    return state


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> AwsOracle:
    oracle = AwsOracle(tmp_path_factory.mktemp("aws-tags"))
    (oracle.dir / "child").mkdir()
    (oracle.dir / "child" / "main.tf.json").write_text(dumps(CHILD))
    return oracle


def test_tags_all_plans_as_the_real_provider_plans_it(oracle: AwsOracle) -> None:
    state = _state(oracle)
    config = _config(CASES, PROVIDERS)
    theirs = oracle.plan(config, state)
    ours = oracle.iac_plan(config, state)
    assert _differences(theirs, ours) == []
    planned = {rc["address"]: rc["change"] for rc in theirs.get("resource_changes", [])}
    # the cases exercise what they are named for
    assert planned["aws_iam_role.defaults_added"]["actions"] == ["update"]
    assert planned["aws_iam_role.unchanged"]["actions"] == ["no-op"]
    assert planned["aws_iam_role.create_untagged"]["after"]["tags_all"] == DEFAULTS
    assert planned["aws_iam_role.create_defaults_from_a_local"]["after"]["tags_all"] == {"FromLocal": "yes", "team": "a"}
    assert planned["module.child.aws_iam_role.inherits"]["after"]["tags_all"] == {**DEFAULTS, "team": "child"}
    assert planned["aws_iam_role.create_empty_default"]["after_unknown"]["tags_all"] == {"Owner": True}


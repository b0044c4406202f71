"""A resource of a provider iac has no schema for (or a type outside the schema data): planned without a
schema, one notice per type, references to attributes the configuration does not set known after apply,
and every update may replace. Never an error, never silent."""

from __future__ import annotations

from iac.plan.jsonplan import to_json
from iac.plan.model import may_replace_reason
from iac.render.text import render_plan
from iac.values import Unknown
from tests.diff.helpers import plan_config, state_of

CONFIG = {"resource": {
    "acme_bucket": {"a": {"name": "a"}, "b": {"name": "b"}},
    "terraform_data": {"t": {"input": {"arn": "${acme_bucket.a.arn}", "name": "${acme_bucket.a.name}"}}},
}}


def test_created_without_schema_with_one_notice_per_type() -> None:
    result = plan_config(CONFIG)
    actions = {str(rc.address): rc.action.value for rc in result.resource_changes}
    assert actions == {"acme_bucket.a": "create", "acme_bucket.b": "create", "terraform_data.t": "create"}
    notices = [d.summary for d in result.diagnostics]
    assert notices == ["no schema for acme_bucket (iac has no schema of provider registry.terraform.io/hashicorp/acme): "
                       "planned without one; attributes not set in configuration are known after apply, and any "
                       "change may replace"]


def test_a_reference_to_an_attribute_not_in_configuration_is_known_after_apply() -> None:
    result = plan_config(CONFIG)
    (data,) = [rc for rc in result.resource_changes if rc.address.type == "terraform_data"]
    assert isinstance(data.after["input"]["arn"], Unknown)
    assert data.after["input"]["name"] == "a"


def test_every_update_may_replace() -> None:
    state = state_of({"acme_bucket.a": {"id": "a", "name": "a", "arn": "arn:a"}}, full=False)
    result = plan_config({"resource": {"acme_bucket": {"a": {"name": "renamed"}}}}, state)
    (change,) = result.resource_changes
    assert change.action.value == "update"
    assert change.after == {"id": "a", "name": "renamed", "arn": "arn:a"}
    assert change.reasons == {"name": may_replace_reason("acme_bucket")}
    assert "will be updated in-place or replaced" in render_plan(to_json(result))


def test_a_type_outside_a_known_providers_data_says_so() -> None:
    result = plan_config({"resource": {"aws_lambda_function": {"f": {"function_name": "f"}}}})
    assert [d.summary.split(":")[0] for d in result.diagnostics] == [
        "no schema for aws_lambda_function (not among the registry.terraform.io/hashicorp/aws types iac has schemas for)"]

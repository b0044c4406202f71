"""Data sources, planned as Terraform plans them when the provider cannot be called: computed exactly
where the provider computes them locally, kept from state when their configuration is unchanged, read
during apply otherwise (with Terraform's action_reason where Terraform itself defers the read)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from iac._jsonio import dumps
from iac.diagnostics import ConfigError, PlanError
from iac.plan.jsonplan import to_json
from iac.render.text import render_plan
from iac.schema import provider_source
from iac.state.tfstate import parse_state
from iac.values import Unknown
from tests.diff.helpers import plan_config, state_of


def _state(data: dict[str, dict[str, Any]], managed: dict[str, dict[str, Any]] | None = None) -> Any:
    base = json.loads(dumps(_raw(state_of(managed or {}))))
    for address, attributes in data.items():
        _, rtype, name = address.split(".")
        base["resources"].append({"mode": "data", "type": rtype, "name": name,
                                  "provider": f'provider["{provider_source(rtype)}"]',
                                  "instances": [{"schema_version": 0, "attributes": attributes,
                                                 "sensitive_attributes": []}]})
    return parse_state(dumps(base))


def _raw(state: Any) -> dict[str, Any]:
    return {"version": 4, "terraform_version": "1.15.5", "serial": 1, "lineage": "t", "outputs": {},
            "resources": [{"mode": r.mode, "type": r.type, "name": r.name, "provider": f'provider["{r.provider_name}"]',
                           "instances": [{"schema_version": 0, "attributes": o.attributes, "sensitive_attributes": []}
                                         for o in r.instances]} for r in state.resources]}


ASSUME = {"data": {"databricks_aws_assume_role_policy": {"this": {"external_id": "acct-123"}}},
          "resource": {"terraform_data": {"role": {"input": "${data.databricks_aws_assume_role_policy.this.json}"}}}}

ASSUME_JSON = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {
        "AWS": "arn:aws:iam::414351767826:root"
      },
      "Condition": {
        "StringEquals": {
          "sts:ExternalId": "acct-123"
        }
      }
    }
  ]
}"""


def test_a_locally_computed_data_source_is_read_while_planning() -> None:
    result = plan_config(ASSUME)
    assert [str(rc.address) for rc in result.resource_changes] == ["terraform_data.role"]
    (role,) = result.resource_changes
    assert role.after["input"] == ASSUME_JSON  # a reference sees the computed value, as in Terraform's plan
    document = to_json(result)
    (prior,) = document["prior_state"]["values"]["root_module"]["resources"]
    assert prior["address"] == "data.databricks_aws_assume_role_policy.this"
    assert prior["values"]["json"] == ASSUME_JSON and prior["values"]["id"] == "acct-123"
    assert document["iac"]["data_sources"] == {"data.databricks_aws_assume_role_policy.this": "computed"}


def _json(data_type: str, config: dict[str, Any]) -> str:
    result = plan_config({"data": {data_type: {"x": config}}, "output": {"j": {"value": f"${{data.{data_type}.x.json}}"}}})
    return str(result.output_changes["j"].after)


def test_databricks_policy_data_sources() -> None:
    log = json.loads(_json("databricks_aws_assume_role_policy", {"external_id": "e", "for_log_delivery": True}))
    assert log["Statement"][0]["Principal"]["AWS"].startswith("arn:aws:iam::414351767826:role/SaasUsageDeliveryRole")
    bucket = json.loads(_json("databricks_aws_bucket_policy", {"bucket": "root-bucket", "databricks_e2_account_id": "a1"}))
    assert bucket["Statement"][0]["Resource"] == ["arn:aws:s3:::root-bucket/*", "arn:aws:s3:::root-bucket"]
    assert bucket["Statement"][0]["Condition"] == {"StringEquals": {"aws:PrincipalTag/DatabricksAccountId": "a1"}}
    managed = json.loads(_json("databricks_aws_crossaccount_policy", {}))
    customer = json.loads(_json("databricks_aws_crossaccount_policy", {"policy_type": "customer", "pass_roles": ["arn:r"]}))
    assert "ec2:CreateVpc" in managed["Statement"][0]["Action"] and "ec2:CreateVpc" not in customer["Statement"][0]["Action"]
    assert customer["Statement"][2] == {"Effect": "Allow", "Action": "iam:PassRole", "Resource": ["arn:r"]}
    gov = json.loads(_json("databricks_aws_unity_catalog_assume_role_policy",
                           {"aws_account_id": "123456789012", "role_name": "uc", "external_id": "e",
                            "aws_partition": "aws-us-gov"}))
    assert gov["Statement"][0]["Principal"]["AWS"].startswith("arn:aws-us-gov:iam::044793339203:role/unity-catalog")
    uc = json.loads(_json("databricks_aws_unity_catalog_policy", {"aws_account_id": "1", "bucket_name": "b",
                                                                   "role_name": "r", "kms_name": "k"}))
    assert uc["Statement"][2]["Resource"] == ["arn:aws:kms:k"]


def test_the_provider_refusing_a_configuration_is_a_plan_error() -> None:
    with pytest.raises(PlanError, match="aws_account_id must be a 12 digit number"):
        _json("databricks_aws_crossaccount_policy", {"policy_type": "restricted"})


def test_html_characters_are_escaped_as_go_writes_them() -> None:
    text = _json("aws_iam_policy_document", {"statement": [{"actions": ["s3:*"], "resources": ["a&b<c>"]}]})
    assert '"Resource": "a\\u0026b\\u003cc\\u003e"' in text


SPARK = {"data": {"databricks_spark_version": {"lts": {"long_term_support": True}}},
         "resource": {"terraform_data": {"v": {"input": "${data.databricks_spark_version.lts.id}"}}}}
SPARK_STATE = {"data.databricks_spark_version.lts": {"id": "15.4.x-scala2.12", "long_term_support": True,
                                                     "latest": True, "ml": False}}


def test_an_unchanged_data_source_keeps_its_value_in_state_and_says_it_was_not_re_read() -> None:
    result = plan_config(SPARK, _state(SPARK_STATE))
    (data,) = result.resource_changes
    assert data.after["input"] == "15.4.x-scala2.12"
    assert any("not re-read" in d.summary and "data.databricks_spark_version.lts" in d.summary for d in result.diagnostics)
    assert to_json(result)["iac"]["data_sources"] == {"data.databricks_spark_version.lts": "state"}


def test_a_data_source_iac_cannot_read_is_read_during_apply() -> None:
    for state in (None, _state({"data.databricks_spark_version.lts": {**SPARK_STATE["data.databricks_spark_version.lts"],
                                                                       "long_term_support": False}})):
        result = plan_config(SPARK, state)
        read, data = result.resource_changes
        assert (read.action.value, read.action_reason) == ("read", None)
        assert isinstance(read.after["id"], Unknown) and isinstance(data.after["input"], Unknown)
        text = render_plan(to_json(result))
        assert ("# data.databricks_spark_version.lts will be read during apply\n"
                "  # (iac cannot call the provider to read it while planning)\n <= data") in text


def test_terraform_defers_reads_of_unknown_configuration_and_pending_dependencies() -> None:
    config = {"resource": {"terraform_data": {"a": {"input": 1}}},
              "data": {"aws_iam_policy_document": {
                  "unknown": {"statement": [{"actions": ["s3:*"], "resources": ["${terraform_data.a.id}"]}]},
                  "pending": {"depends_on": ["terraform_data.a"], "statement": [{"actions": ["s3:*"]}]},
                  "settled": {"statement": [{"actions": ["s3:*"]}]}}}}
    result = plan_config(config)
    reasons = {str(rc.address): rc.action_reason.value for rc in result.resource_changes if rc.action.value == "read"}
    assert reasons == {"data.aws_iam_policy_document.pending": "read_because_dependency_pending",
                       "data.aws_iam_policy_document.unknown": "read_because_config_unknown"}
    unchanged = state_of({"terraform_data.a": {"id": "a", "input": {"value": 1, "type": "number"},
                                               "output": {"value": 1, "type": "number"}}}, full=False)
    settled = plan_config(config, unchanged)
    assert [rc.action.value for rc in settled.resource_changes] == ["no-op"]


def test_count_over_a_value_known_only_after_apply_is_terraforms_error() -> None:
    config = {"data": {"databricks_spark_version": {"lts": {"long_term_support": True}}},
              "resource": {"terraform_data": {"n": {"count": "${data.databricks_spark_version.lts.id}"}}}}
    with pytest.raises(PlanError, match='Invalid count argument: The "count" value depends on resource attributes'):
        plan_config(config)


def test_a_data_source_without_schema_is_read_during_apply_with_a_notice() -> None:
    result = plan_config({"data": {"acme_thing": {"t": {"name": "x"}}}})
    (read,) = result.resource_changes
    assert read.action.value == "read" and read.after == {"name": "x"}
    assert [d.summary.split(":")[0] for d in result.diagnostics] == ["no schema for data source acme_thing"]


def test_data_source_arguments_are_checked() -> None:
    with pytest.raises(ConfigError, match='Did you mean "long_term_support"'):
        plan_config({"data": {"databricks_spark_version": {"x": {"long_term_suport": True}}}})

"""Tag policy table tests: each rule with a passing and a failing case."""

from typing import Any

import pytest

from iac.policy import tags
from iac.policy.tags import allowed_value_problem
from tests.planfixtures import change, plan, run_checks

ALL = {"project": "lake", "team": "data", "environment": "prod", "cost_center": "cc-1", "owner": "platform"}
REQUIRED = {"tags": {"required": ["team", "project"]}}


def cluster(tags: Any = None, **extra: Any) -> dict[str, Any]:
    return {"cluster_name": "c", "node_type_id": "i3.xlarge", "num_workers": 1, "custom_tags": tags, **extra}


@pytest.mark.parametrize(
    ("changes", "expressions", "expected"),
    [
        pytest.param([change("databricks_cluster.c", cluster({"team": "data", "project": "lake"}))], {}, [], id="cluster tagged: pass"),
        pytest.param([change("databricks_cluster.c", cluster({"team": "data"}))], {},
                     [("TAG001", "databricks_cluster.c", "custom_tags.project")], id="cluster missing project"),
        pytest.param([change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "custom_tags": {"team": "t"}})], {},
                     [("TAG001", "databricks_instance_pool.p", "custom_tags.project")], id="pool missing project"),
        pytest.param([change("databricks_job.j", {"name": "j", "tags": {"team": "t", "project": "p"}})], {}, [], id="job tagged: pass"),
        pytest.param([change("databricks_job.j", {"name": "j", "tags": {"team": "t"},
                                                  "job_cluster": [{"job_cluster_key": "k", "new_cluster": [{"custom_tags": {"project": "p"}}]}]})],
                     {}, [("TAG001", "databricks_job.j", "tags.project")], id="job missing project (cluster tags do not count for the job)"),
        pytest.param([change("databricks_sql_endpoint.w", {"name": "w", "cluster_size": "Small",
                                                            "tags": [{"custom_tags": [{"key": "team", "value": "t"}, {"key": "project", "value": "p"}]}]})],
                     {}, [], id="warehouse tagged: pass"),
        pytest.param([change("databricks_sql_endpoint.w", {"name": "w", "cluster_size": "Small", "tags": []})], {},
                     [("TAG001", "databricks_sql_endpoint.w", "tags.custom_tags.project"),
                      ("TAG001", "databricks_sql_endpoint.w", "tags.custom_tags.team")], id="warehouse untagged"),
        pytest.param([change("databricks_mws_workspaces.w", {"workspace_name": "w", "custom_tags": {"team": "t"}})], {},
                     [("TAG001", "databricks_mws_workspaces.w", "custom_tags.project")], id="mws workspace missing project"),
        pytest.param([change("azurerm_databricks_workspace.w", {"name": "w", "tags": {"team": "t", "project": "p"}})], {}, [],
                     id="azure workspace tagged: pass"),
        pytest.param([change("databricks_model_serving.s", {"name": "s", "tags": [{"key": "team", "value": "t"}]})], {},
                     [("TAG001", "databricks_model_serving.s", "tags.project")], id="serving endpoint missing project"),
        pytest.param([change("databricks_cluster.c", cluster({"team": "t"}), after_unknown={"instance_pool_id": True}),
                      change("databricks_instance_pool.p", {"node_type_id": "i3.xlarge", "custom_tags": {"project": "p", "team": "t"}})],
                     {"databricks_cluster.c": {"instance_pool_id": {"references": ["databricks_instance_pool.p.id", "databricks_instance_pool.p"]}}},
                     [], id="pool-backed cluster inherits the pool's tags"),
        pytest.param([change("databricks_cluster.c", cluster({"team": "t"}, policy_id="pol-1")),
                      change("databricks_cluster_policy.small", {"name": "s", "policy_id": "pol-1",
                                                                 "definition": '{"custom_tags.project":{"type":"fixed","value":"lake"}}'},
                             before={"name": "s", "policy_id": "pol-1", "definition": '{"custom_tags.project":{"type":"fixed","value":"lake"}}'})],
                     {}, [], id="policy fixing custom_tags.project satisfies it"),
        pytest.param([change("databricks_cluster.c", cluster({"team": "t"}, policy_id="pol-1")),
                      change("databricks_cluster_policy.small", {"name": "s", "policy_id": "pol-1",
                                                                 "definition": '{"custom_tags.project":{"type":"unlimited"}}'})],
                     {}, [("TAG001", "databricks_cluster.c", "custom_tags.project")], id="policy not fixing the tag does not count"),
        pytest.param([change("databricks_cluster.c", cluster(None), after_unknown={"custom_tags": True})],
                     {"databricks_cluster.c": {"custom_tags": {"references": ["local.tags"]}}},
                     [("TAG003", "databricks_cluster.c", "custom_tags")], id="tags known only after apply: undecidable"),
        pytest.param([change("databricks_cluster.c", cluster(None), after_unknown={"custom_tags": True})],
                     {"databricks_cluster.c": {"custom_tags": {"constant_value": {"team": "t", "project": "p"}}}},
                     [], id="unknown tags resolved from the configuration literal"),
        pytest.param([change("databricks_cluster.gone", None, before=cluster({}))], {}, [], id="deleted resources are not checked"),
    ],
)
def test_required_tags(changes: list, expressions: dict, expected: list) -> None:
    assert run_checks(plan(*changes, expressions=expressions), tags.CHECKS, **REQUIRED) == sorted(expected)


def test_environment_default_tags_count() -> None:
    document = plan(change("databricks_cluster.c", cluster({"team": "t"})))
    assert run_checks(document, tags.CHECKS, **REQUIRED) == [("TAG001", "databricks_cluster.c", "custom_tags.project")]
    assert run_checks(document, tags.CHECKS, default_tags={"project": "lake"}, **REQUIRED) == []


def test_did_you_mean_for_a_near_miss_key() -> None:
    from datetime import date

    from iac.policy.engine import evaluate
    from iac.policy.settings import PolicySettings

    report = evaluate(plan(change("databricks_cluster.c", cluster({"Team": "t", "project": "p"}))),
                      PolicySettings(**REQUIRED), mode="production", today=date(2026, 5, 1), checks=tags.CHECKS)
    assert [f.message for f in report.findings] == ['required tag "team" is missing (did you mean "Team"?)']


ALLOWED = {"environment": ["dev", "staging", "prod"], "cost_center": r"cc-\d{3}"}


@pytest.mark.parametrize(
    ("custom_tags", "expected"),
    [
        pytest.param({"environment": "prod", "cost_center": "cc-123"}, [], id="allowed values: pass"),
        pytest.param({"environment": "Prod"}, [("TAG002", "databricks_cluster.c", "custom_tags.environment")], id="list miss"),
        pytest.param({"cost_center": "finance"}, [("TAG002", "databricks_cluster.c", "custom_tags.cost_center")], id="regex miss"),
    ],
)
def test_allowed_values(custom_tags: dict, expected: list) -> None:
    document = plan(change("databricks_cluster.c", cluster(custom_tags)))
    assert run_checks(document, tags.CHECKS, tags={"required": [], "allowed": ALLOWED}) == expected


def test_job_cluster_tag_values_are_checked() -> None:
    job = {"name": "j", "tags": {"environment": "prod"},
           "job_cluster": [{"job_cluster_key": "k", "new_cluster": [{"custom_tags": {"environment": "production"}}]}]}
    assert run_checks(plan(change("databricks_job.j", job)), tags.CHECKS, tags={"required": [], "allowed": ALLOWED}) == [
        ("TAG002", "databricks_job.j", "job_cluster[0].new_cluster.custom_tags.environment")
    ]


def test_default_tag_values_are_checked_once() -> None:
    document = plan(change("databricks_cluster.c", cluster({})), change("databricks_cluster.d", cluster({})))
    found = run_checks(document, tags.CHECKS, default_tags={"environment": "Dev"}, tags={"required": [], "allowed": ALLOWED})
    assert found == [("TAG002", "", "default_tags.environment")]


@pytest.mark.parametrize(
    ("value", "rule", "message"),
    [
        pytest.param("Prod", ["dev", "prod"], 'tag "env" = "Prod" is not allowed; allowed: dev, prod (did you mean "prod"?)', id="case"),
        pytest.param("prdo", ["dev", "prod"], 'tag "env" = "prdo" is not allowed; allowed: dev, prod (did you mean "prod"?)', id="typo"),
        pytest.param("xyz", ["dev", "prod"], 'tag "env" = "xyz" is not allowed; allowed: dev, prod', id="no close match"),
        pytest.param("DEV", "[a-z]+", 'tag "env" = "DEV" does not match /[a-z]+/ (did you mean "dev"?)', id="regex case"),
        pytest.param("dev", "[a-z]+", None, id="regex match"),
    ],
)
def test_did_you_mean_for_values(value: str, rule: list[str] | str, message: str | None) -> None:
    assert allowed_value_problem("env", value, rule) == message

"""Security rule table tests: each rule with a passing and a failing case."""

from typing import Any

import pytest

from iac.plan.view import Unknown
from iac.policy import security
from iac.policy.security import identity_kind
from tests.planfixtures import change, plan, run_checks

SP = "6f1c2f9e-3b1a-4c55-9f1e-2b7d8a9c0d11"
ON = {"security": {"jobs_run_as_service_principal": True, "forbid_personal_access_tokens": True,
                   "forbid_personal_owners": True}}


def job(**extra: Any) -> dict[str, Any]:
    return {"name": "j", **extra}


CASES = [
    ("job runs as a service principal", [change("databricks_job.j", job(run_as=[{"service_principal_name": SP}]))], {}, []),
    ("job runs as a person", [change("databricks_job.j", job(run_as=[{"user_name": "ann@example.com"}]))], {},
     [("SEC001", "databricks_job.j", "run_as.user_name")]),
    ("job without run_as", [change("databricks_job.j", job())], {}, [("SEC001", "databricks_job.j", "run_as")]),
    ("pipeline without run_as", [change("databricks_pipeline.p", {"name": "p"})], {}, [("SEC001", "databricks_pipeline.p", "run_as")]),
    ("run_as references a service principal resource",
     [change("databricks_job.j", job(run_as=[{}]), after_unknown={"run_as": [{"service_principal_name": True}]})],
     {"databricks_job.j": {"run_as": [{"service_principal_name": {"references": ["databricks_service_principal.ci.application_id", "databricks_service_principal.ci"]}}]}},
     []),
    ("run_as identity unknown",
     [change("databricks_job.j", job(run_as=[{}]), after_unknown={"run_as": [{"service_principal_name": True}]})],
     {"databricks_job.j": {"run_as": [{"service_principal_name": {"references": ["var.runner"]}}]}},
     [("SEC007", "databricks_job.j", "run_as.service_principal_name")]),
    ("no tokens", [change("databricks_service_principal.ci", {"display_name": "ci"})], {}, []),
    ("personal access token", [change("databricks_token.pat", {"comment": "ci"}, after_unknown={"token_value": True})], {},
     [("SEC002", "databricks_token.pat", "")]),
    ("workspace minting a token", [change("databricks_mws_workspaces.w", {"workspace_name": "w", "token": [{"comment": "x"}]})], {},
     [("SEC002", "databricks_mws_workspaces.w", "token")]),
    ("catalog owned by a group", [change("databricks_catalog.c", {"name": "c", "owner": "data-admins"})], {}, []),
    ("catalog owned by a person", [change("databricks_catalog.c", {"name": "c", "owner": "ann@example.com"})], {},
     [("SEC003", "databricks_catalog.c", "owner")]),
    ("catalog created without an owner",
     [change("databricks_catalog.c", {"name": "c"}, after_unknown={"owner": True})],
     {"databricks_catalog.c": {"name": {"constant_value": "c"}}}, [("SEC003", "databricks_catalog.c", "owner")]),
    ("catalog created with its owner from a group reference",
     [change("databricks_catalog.c", {"name": "c"}, after_unknown={"owner": True})],
     {"databricks_catalog.c": {"name": {"constant_value": "c"},
                               "owner": {"references": ["databricks_group.eng.display_name", "databricks_group.eng"]}}}, []),
    ("existing catalog without an owner in config (not created by this plan)",
     [change("databricks_catalog.c", {"name": "c", "comment": "x", "owner": "data-admins"},
             before={"name": "c", "owner": "data-admins"})],
     {"databricks_catalog.c": {"name": {"constant_value": "c"}, "comment": {"constant_value": "x"}}}, []),
    ("IS_OWNER granted to a person",
     [change("databricks_permissions.j", {"job_id": "1", "access_control": [
         {"group_name": "admins", "permission_level": "CAN_MANAGE"},
         {"user_name": "ann@example.com", "permission_level": "IS_OWNER"}]})], {},
     [("SEC003", "databricks_permissions.j", "access_control[1].user_name")]),
    ("secret ACL for a group", [change("databricks_secret_acl.a", {"scope": "s", "principal": "data-eng", "permission": "READ"})], {}, []),
    ("secret ACL for a user", [change("databricks_secret_acl.a", {"scope": "s", "principal": "ann@example.com", "permission": "READ"})],
     {}, [("SEC004", "databricks_secret_acl.a", "principal")]),
    ("secret ACL for a service principal", [change("databricks_secret_acl.a", {"scope": "s", "principal": SP, "permission": "READ"})],
     {}, [("SEC004", "databricks_secret_acl.a", "principal")]),
    ("isolating access mode", [change("databricks_cluster.c", {"cluster_name": "c", "data_security_mode": "USER_ISOLATION"})], {}, []),
    ("no isolation", [change("databricks_cluster.c", {"cluster_name": "c", "data_security_mode": "NO_ISOLATION"})], {},
     [("SEC005", "databricks_cluster.c", "data_security_mode")]),
    ("access mode unset", [change("databricks_cluster.c", {"cluster_name": "c"})], {},
     [("SEC005", "databricks_cluster.c", "data_security_mode")]),
    ("job cluster without isolation",
     [change("databricks_job.j", job(run_as=[{"service_principal_name": SP}],
                                     job_cluster=[{"job_cluster_key": "k", "new_cluster": [{"data_security_mode": "NONE"}]}]))], {},
     [("SEC005", "databricks_job.j", "job_cluster[0].new_cluster.data_security_mode")]),
    ("secret from a variable", [change("databricks_secret.s", {"scope": "s", "key": "k", "string_value": "(sensitive value)"})],
     {"databricks_secret.s": {"string_value": {"references": ["var.db_password"]}}}, []),
    ("literal secret", [change("databricks_secret.s", {"scope": "s", "key": "k", "string_value": "(sensitive value)"})],
     {"databricks_secret.s": {"string_value": {"constant_value": "(sensitive value)"}}},
     [("SEC006", "databricks_secret.s", "string_value")]),
    ("spark conf referencing a secret",
     [change("databricks_cluster.c", {"data_security_mode": "SINGLE_USER", "spark_conf": {"fs.azure.account.key": "{{secrets/s/k}}"}})], {}, []),
    ("spark conf with a literal secret",
     [change("databricks_cluster.c", {"data_security_mode": "SINGLE_USER", "spark_conf": {"fs.azure.account.key": "abc123"}})],
     {"databricks_cluster.c": {"spark_conf": {"constant_value": {"fs.azure.account.key": "abc123"}}}},
     [("SEC006", "databricks_cluster.c", "spark_conf.fs.azure.account.key")]),
]


@pytest.mark.parametrize(("changes", "expressions", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_security_rules(changes: list, expressions: dict, expected: list) -> None:
    assert run_checks(plan(*changes, expressions=expressions), security.CHECKS, **ON) == sorted(expected)


def test_production_only_rules_are_off_by_default() -> None:
    document = plan(change("databricks_job.j", job()), change("databricks_token.pat", {"comment": "x"}))
    assert run_checks(document, security.CHECKS) == []


def test_literal_secret_in_main_tf_json_and_sensitive_variable_default() -> None:
    main_tf = {"variable": {"db_password": {"type": "string", "sensitive": True, "default": "hunter2"}},
               "resource": {"databricks_secret": {"s": {"scope": "s", "key": "k", "string_value": "hunter2",
                                                        "//": "source: modules/secrets.py:7"}}}}
    document = plan(change("databricks_secret.s", {"scope": "s", "key": "k", "string_value": "(sensitive value)"}))
    from datetime import date

    from iac.policy.engine import evaluate
    from iac.policy.settings import PolicySettings

    report = evaluate(document, PolicySettings(), mode="production", config=main_tf, today=date(2026, 5, 1), checks=security.CHECKS)
    assert [(f.check_id, f.address, f.path, f.source) for f in report.findings] == [
        ("SEC006", "", "variable.db_password.default", None),
        ("SEC006", "databricks_secret.s", "string_value", "modules/secrets.py:7"),
    ]
    assert all("hunter2" not in f.message for f in report.findings)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        pytest.param("ann@example.com", "user", id="email"),
        pytest.param(SP, "service principal", id="application id"),
        pytest.param("data-engineers", "group", id="group name"),
        pytest.param(Unknown(("databricks_user.ann.user_name",)), "user", id="user reference"),
        pytest.param(Unknown(("databricks_group.eng.display_name",)), "group", id="group reference"),
        pytest.param(Unknown(("var.x",)), "unknown", id="variable"),
    ],
)
def test_identity_kind(value: Any, kind: str) -> None:
    assert identity_kind(value) == kind


CATALOG = {"name": "fraud", "owner": "data-admins"}
DATA_LOSS_CASES = [
    ("catalog updated in place", [change("databricks_catalog.c", {**CATALOG, "comment": "new"}, before=CATALOG)], []),
    ("catalog destroyed", [change("databricks_catalog.c", None, before=CATALOG)], [("SEC008", "databricks_catalog.c", "")]),
    ("catalog replaced", [change("databricks_catalog.c", CATALOG, before={**CATALOG, "name": "old"},
                                 actions=["delete", "create"])], [("SEC008", "databricks_catalog.c", "")]),
    ("workspace destroyed", [change("databricks_mws_workspaces.w", None, before={"workspace_name": "w"})],
     [("SEC008", "databricks_mws_workspaces.w", "")]),
    ("cluster destroyed (holds no data)", [change("databricks_cluster.c", None, before={"cluster_name": "c"})], []),
]


@pytest.mark.parametrize(("changes", "expected"), [pytest.param(*c[1:], id=c[0]) for c in DATA_LOSS_CASES])
def test_destroying_what_holds_data_is_an_error_in_production(changes: list, expected: list) -> None:
    assert run_checks(plan(*changes), (security.data_loss,)) == expected


def _findings(document: dict[str, Any], mode: str) -> list[Any]:
    from datetime import date

    from iac.policy.engine import evaluate
    from iac.policy.settings import PolicySettings

    return evaluate(document, PolicySettings(), mode=mode, today=date(2026, 5, 1), checks=(security.data_loss,)).findings


def test_a_destroy_next_to_a_similar_create_suggests_a_moved_block_and_is_a_warning_in_development() -> None:
    document = plan(change("databricks_catalog.fraud", None, before=CATALOG),
                    change("databricks_catalog.fraudx", {**CATALOG, "name": "fraudx"}),
                    change("databricks_catalog.other", {**CATALOG, "name": "other"}))
    [finding] = _findings(document, "development")
    assert (finding.check_id, finding.severity.value, finding.address) == ("SEC008", "warning", "databricks_catalog.fraud")
    assert finding.fix == "if it was renamed, add moved { from = databricks_catalog.fraud, to = databricks_catalog.fraudx }"


def test_a_destroy_plan_is_not_judged_and_the_rule_can_be_turned_off() -> None:
    document = plan(change("databricks_catalog.c", None, before=CATALOG))
    assert run_checks(document, (security.data_loss,), security={"protect_from_destroy": []}) == []
    document["iac"] = {"plan_mode": "destroy"}
    assert run_checks(document, (security.data_loss,)) == []

"""One table per provider family of the schema data: a create, an update in place, a replacement and a
no-op per row, with the reasons iac gives (`iac.reasons`). The generated tests (test_every_type.py) cover
every type mechanically; these rows are the cases a workspace estate meets, checked by hand."""

from __future__ import annotations

from typing import Any

import pytest

from iac.plan.model import may_replace_reason
from tests.diff.helpers import fake_apply, plan_config

Row = tuple[str, str, dict[str, Any], dict[str, Any], str, dict[str, str]]
"""(id, type, configuration applied first, configuration planned then, action, reasons)"""


def _run(rtype: str, first: dict[str, Any], then: dict[str, Any]) -> tuple[str, dict[str, str]]:
    state = fake_apply(plan_config({"resource": {rtype: {"x": first}}}))
    (change,) = plan_config({"resource": {rtype: {"x": then}}}, state).resource_changes
    return change.action.value, {path: str(getattr(why, "value", why)) for path, why in change.reasons.items()}


def _table(rows: list[Row]) -> Any:
    return pytest.mark.parametrize(("rtype", "first", "then", "action", "reasons"), [r[1:] for r in rows],
                                   ids=[r[0] for r in rows])


RG = {"name": "rg-data", "location": "westeurope"}
AZURERM: list[Row] = [
    ("resource group unchanged", "azurerm_resource_group", RG, RG, "no-op", {}),
    ("resource group renamed replaces", "azurerm_resource_group", RG, {**RG, "name": "rg-2"}, "delete-create",
     {"name": "forces replacement", "id": "unknown until apply"}),
    ("resource group tags may replace", "azurerm_resource_group", RG, {**RG, "tags": {"team": "data"}}, "update",
     {"tags.team": may_replace_reason("azurerm_resource_group")}),
    ("workspace location spelling is not a change", "azurerm_databricks_workspace",
     {"name": "w", "resource_group_name": "rg", "location": "West Europe", "sku": "premium"},
     {"name": "w", "resource_group_name": "rg", "location": "westeurope", "sku": "premium"}, "no-op",
     {"location": "normalised away"}),
]

BUCKET = {"name": "dbx-root", "location": "EU"}
GOOGLE: list[Row] = [
    ("bucket unchanged", "google_storage_bucket", BUCKET, BUCKET, "no-op", {}),
    ("bucket location replaces", "google_storage_bucket", BUCKET, {**BUCKET, "location": "US"}, "delete-create",
     {"location": "forces replacement"}),
    ("bucket labels may replace", "google_storage_bucket", BUCKET, {**BUCKET, "labels": {"team": "data"}}, "update",
     {"labels.team": may_replace_reason("google_storage_bucket")}),
]

UTILITY: list[Row] = [
    ("random_password length replaces", "random_password", {"length": 16}, {"length": 24}, "delete-create",
     {"length": "forces replacement"}),
    ("random_password keepers added from none replace", "random_password", {"length": 16},
     {"length": 16, "keepers": {"rotation": "1"}}, "delete-create", {"keepers": "forces replacement"}),
    ("time_sleep create_duration in place", "time_sleep", {"create_duration": "30s"}, {"create_duration": "60s"},
     "update", {"create_duration": "set in config"}),
    ("time_sleep triggers replace", "time_sleep", {"triggers": {"a": "1"}}, {"triggers": {"a": "2"}},
     "delete-create", {"triggers": "forces replacement"}),
    ("null_resource triggers change replaces", "null_resource", {"triggers": {"a": "1"}}, {"triggers": {"a": "2"}},
     "delete-create", {"triggers": "forces replacement"}),
]

AWS: list[Row] = [
    ("vpc tags update in place, tags_all follows", "aws_vpc", {"cidr_block": "10.0.0.0/16"},
     {"cidr_block": "10.0.0.0/16", "tags": {"team": "data"}}, "update",
     {"tags": "set in config", "tags_all.team": "set in config"}),
    ("role policy reformatted is not a change", "aws_iam_role",
     {"assume_role_policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}'},
     {"assume_role_policy": '{\n "Statement": [{"Action": ["sts:AssumeRole"], "Effect": "Allow"}],\n "Version": "2012-10-17"}'},
     "no-op", {"assume_role_policy": "normalised away"}),
    ("bucket left out of the deprecated blocks keeps them", "aws_s3_bucket", {"bucket": "b"}, {"bucket": "b"}, "no-op", {}),
]

DATABRICKS: list[Row] = [
    ("notebook path replaces (ForceNew in the provider)", "databricks_notebook",
     {"path": "/a", "content_base64": "eA==", "language": "PYTHON"},
     {"path": "/b", "content_base64": "eA==", "language": "PYTHON"}, "delete-create",
     {"path": "forces replacement"}),
    ("job description is an argument", "databricks_job", {"name": "j"}, {"name": "j", "description": "nightly"},
     "update", {"description": "set in config"}),
    ("a plugin-framework type updates a nested attribute", "databricks_app", {"name": "app"},
     {"name": "app", "description": "d"}, "update", {"description": may_replace_reason("databricks_app")}),
]


@pytest.mark.parametrize("table", [AZURERM, GOOGLE, UTILITY, AWS, DATABRICKS],
                         ids=["azurerm", "google", "random/time/null", "aws", "databricks"])
def test_provider_family_tables(table: list[Row]) -> None:
    for name, rtype, first, then, action, reasons in table:
        got_action, got_reasons = _run(rtype, first, then)
        assert (got_action, {k: v for k, v in got_reasons.items() if k in reasons or v != "unknown until apply"}) == (
            action, reasons), name

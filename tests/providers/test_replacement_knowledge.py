"""Where the schema data does not settle whether a change replaces, the plan says it may, and never
claims an in-place update it cannot know: in `iac.reasons`, the text plan and the Markdown plan.
Conditional rules iac knows (iac/diff/replacement.py) decide exactly; one table row per rule."""

from __future__ import annotations

from typing import Any

import pytest

from iac.plan.jsonplan import to_json
from iac.plan.model import may_replace_reason
from iac.render.markdown import render_plan as render_markdown
from iac.render.text import render_plan as render_text
from tests.diff.helpers import plan_config, state_of


def _change(rtype: str, before: dict[str, Any], after: dict[str, Any]) -> Any:
    result = plan_config({"resource": {rtype: {"x": after}}}, state_of({f"{rtype}.x": before}))
    (change,) = [rc for rc in result.resource_changes if str(rc.address) == f"{rtype}.x"]
    return result, change


TABLE = {"name": "t", "catalog_name": "c", "schema_name": "s", "table_type": "MANAGED", "id": "c.s.t"}
TABLE_CONFIG = {k: v for k, v in TABLE.items() if k != "id"}


def test_a_type_whose_customizediff_is_not_captured_may_replace_on_any_update() -> None:
    result, change = _change("databricks_sql_table", {**TABLE, "comment": "a"}, {**TABLE_CONFIG, "comment": "b"})
    assert change.action.value == "update"
    assert change.reasons == {"comment": "may replace: replacement rules for databricks_sql_table are not known to iac"}
    document = to_json(result)
    assert document["iac"]["reasons"]["databricks_sql_table.x"]["comment"] == may_replace_reason("databricks_sql_table")
    text = render_text(document)
    assert "# databricks_sql_table.x will be updated in-place or replaced" in text
    assert ("# (may replace: replacement rules for databricks_sql_table are not known to iac; changed: comment)"
            in text)
    markdown = render_markdown(document)
    assert "will be updated in-place or replaced (may replace: replacement rules for databricks_sql_table" in markdown
    assert '~ comment = "a" -> "b"  # may replace' in markdown


def test_a_type_whose_rules_are_known_updates_in_place_plainly() -> None:
    before = {"cluster_name": "a", "spark_version": "15.4", "id": "1", "cluster_id": "1"}
    result, change = _change("databricks_cluster", before, {"cluster_name": "b", "spark_version": "15.4"})
    assert change.action.value == "update" and change.reasons == {"cluster_name": "set in config"}
    assert "will be updated in-place\n" in render_text(to_json(result))


def test_force_new_still_replaces_in_a_type_with_unknown_rules() -> None:
    _, change = _change("databricks_sql_table", TABLE, {**TABLE_CONFIG, "schema_name": "u"})
    assert change.action.value == "delete-create" and change.replace_paths == (("schema_name",),)


def test_approximate_cloud_types_may_replace_and_keep_what_the_server_filled() -> None:
    before = {"name": "rg", "location": "westeurope", "id": "/subscriptions/x/rg", "tags": {"a": "1"},
              "managed_by": "someone"}
    _, change = _change("azurerm_resource_group", before, {"name": "rg", "location": "westeurope", "tags": {"a": "2"}})
    assert change.action.value == "update"
    assert change.reasons == {"tags.a": may_replace_reason("azurerm_resource_group")}
    assert change.after["managed_by"] == "someone"  # optional (maybe optional+computed) omitted: kept


WORKSPACE_ID = "provider_config"

# (type, before, config, expected action, expected may-replace paths)
CONDITIONAL: list[tuple[str, str, dict[str, Any], dict[str, Any], str, list[str]]] = [
    ("workspace_id changed between non-empty values replaces", "databricks_cluster",
     {"cluster_name": "a", "spark_version": "1", "provider_config": [{"workspace_id": "1"}]},
     {"cluster_name": "a", "spark_version": "1", "provider_config": {"workspace_id": "2"}}, "delete-create", []),
    ("workspace_id set for the first time is in place", "databricks_cluster",
     {"cluster_name": "a", "spark_version": "1"},
     {"cluster_name": "a", "spark_version": "1", "provider_config": {"workspace_id": "2"}}, "update", []),
    ("catalog options: a key other than authorized_paths replaces", "databricks_catalog",
     {"name": "c", "options": {"a": "1"}}, {"name": "c", "options": {"a": "2"}}, "delete-create", []),
    ("catalog options: authorized_paths alone is in place", "databricks_catalog",
     {"name": "c", "options": {"authorized_paths": "x"}}, {"name": "c", "options": {"authorized_paths": "y"}},
     "update", []),
    ("aws_vpc tenancy dedicated -> default is in place", "aws_vpc",
     {"cidr_block": "10.0.0.0/16", "instance_tenancy": "dedicated"},
     {"cidr_block": "10.0.0.0/16", "instance_tenancy": "default"}, "update", []),
    ("aws_vpc tenancy default -> dedicated replaces", "aws_vpc",
     {"cidr_block": "10.0.0.0/16", "instance_tenancy": "default"},
     {"cidr_block": "10.0.0.0/16", "instance_tenancy": "dedicated"}, "delete-create", []),
    ("azure workspace sku to trial replaces", "azurerm_databricks_workspace",
     {"name": "w", "location": "westeurope", "resource_group_name": "rg", "sku": "premium"},
     {"name": "w", "location": "westeurope", "resource_group_name": "rg", "sku": "trial"}, "delete-create", []),
    ("azure workspace standard -> premium is in place", "azurerm_databricks_workspace",
     {"name": "w", "location": "westeurope", "resource_group_name": "rg", "sku": "standard"},
     {"name": "w", "location": "westeurope", "resource_group_name": "rg", "sku": "premium"}, "update", []),
    ("random keepers: a changed value replaces", "random_id", {"byte_length": 4, "keepers": {"a": "1"}},
     {"byte_length": 4, "keepers": {"a": "2"}}, "delete-create", []),
    ("random keepers: a new key holding null is in place", "random_id", {"byte_length": 4, "keepers": {"a": "1"}},
     {"byte_length": 4, "keepers": {"a": "1", "b": None}}, "update", []),
    ("null_resource triggers removed key replaces", "null_resource", {"triggers": {"a": "1", "b": "2"}},
     {"triggers": {"a": "1"}}, "delete-create", []),
    ("time_rotating rotation_rfc3339: no rule, may replace", "time_rotating",
     {"rotation_days": 1, "rotation_rfc3339": "2026-01-01T00:00:00Z"},
     {"rotation_days": 1, "rotation_rfc3339": "2027-01-01T00:00:00Z"}, "update", ["rotation_rfc3339"]),
]


@pytest.mark.parametrize(("rtype", "before", "after", "action", "uncertain"), [r[1:] for r in CONDITIONAL],
                         ids=[r[0] for r in CONDITIONAL])
def test_conditional_replacement_rules(rtype: str, before: dict[str, Any], after: dict[str, Any], action: str,
                                       uncertain: list[str]) -> None:
    _, change = _change(rtype, before, after)
    assert change.action.value == action
    assert sorted(p for p, why in change.reasons.items() if str(why).startswith("may replace")) == uncertain

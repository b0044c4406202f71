"""The create-everything plan made from a configuration alone, and environment settings."""

from decimal import Decimal

from iac.cost.usage import UsageAssumptions
from iac.plan.view import PlanIndex, Unknown
from iac.policy.configplan import fresh_plan
from iac.policy.settings import PolicySettings, for_environment

MAIN_TF = {
    "resource": {
        "databricks_cluster": {"c": {
            "//": "source: modules/team.py:9", "provider": "databricks.ws", "cluster_name": "c",
            "instance_pool_id": "${databricks_instance_pool.p.id}", "autoscale": {"min_workers": 1, "max_workers": 4},
            "custom_tags": {"team": "t", "owner": "${var.owner}"}, "spark_conf": {"k": "$${not a template}"},
        }},
    },
}


def test_every_resource_is_a_create_with_templates_unknown() -> None:
    document = fresh_plan(MAIN_TF, environment="dev", mode="development")
    (rc,) = document.get("resource_changes", [])
    assert rc["change"]["actions"] == ["create"] and rc["address"] == "databricks_cluster.c"
    assert rc["change"]["after"] == {"cluster_name": "c", "autoscale": {"min_workers": 1, "max_workers": 4},
                                     "custom_tags": {"team": "t"}, "spark_conf": {"k": "${not a template}"}}
    assert rc["change"]["after_unknown"] == {"instance_pool_id": True, "custom_tags": {"owner": True}}
    assert document["iac"]["sources"] == {"databricks_cluster.c": "modules/team.py:9"}


def test_the_plan_view_reads_unknowns_back_from_the_configuration() -> None:
    view = PlanIndex(fresh_plan(MAIN_TF), MAIN_TF).by_address["databricks_cluster.c"]
    assert view.get("autoscale.max_workers") == 4
    assert view.get("custom_tags.owner") == Unknown(("var.owner",))
    assert view.get("instance_pool_id").targets() == ["databricks_instance_pool.p"]
    assert view.get("spark_conf.k") == view.config_value("spark_conf.k") == "${not a template}"  # $${ is a literal ${


def test_environment_values_complete_the_policy_settings() -> None:
    policy = PolicySettings(default_tags={"team": "core"})
    settings = for_environment(policy, default_tags={"project": "p", "team": "x"}, cloud="azure", tier="standard",
                               usage=UsageAssumptions(monthly_hours=Decimal(100)))
    assert settings.default_tags == {"project": "p", "team": "core"}  # the policy's own entries win
    assert (settings.cost.cloud, settings.cost.tier, settings.usage.monthly_hours) == ("azure", "standard", 100)

"""Plan JSON documents built by hand, following Terraform's format 1.2 plus the `iac` key.

Shared by the Markdown, JUnit and comment-splitting tests. Every number that is money is a decimal
string, as the contract says; values are plain JSON types.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

PROVIDER = "registry.terraform.io/databricks/databricks"


def change(address: str, actions: list[str], before: Any = None, after: Any = None, **extra: Any) -> dict[str, Any]:
    """One `resource_changes[]` entry for a root-module managed resource."""
    type_, name = address.split(".", 1)
    masks = extra.pop("masks", {})
    rc: dict[str, Any] = {
        "address": address,
        "mode": "managed",
        "type": type_,
        "name": name,
        "provider_name": PROVIDER,
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": extra.pop("after_unknown", {} if after is not None else False),
            "before_sensitive": masks.get("before", {} if before is not None else False),
            "after_sensitive": masks.get("after", {} if after is not None else False),
        },
    }
    if "replace_paths" in extra:
        rc["change"]["replace_paths"] = extra.pop("replace_paths")
    rc.update(extra)
    return rc


def finding(check_id: str, severity: str, address: str, path: str, message: str, fix: str, **extra: Any) -> dict[str, Any]:
    return {"check_id": check_id, "severity": severity, "address": address, "path": path, "message": message,
            "fix": fix, "source": extra.get("source"), "waived": extra.get("waived")}


def plan(environment: str | None, changes: list[dict[str, Any]], *, findings: list[dict[str, Any]] | None = None,
         verdict: str | None = "pass", costs: dict[str, tuple[str, str]] | None = None, mode: str = "development",
         plan_mode: str = "normal", reasons: dict[str, Any] | None = None) -> dict[str, Any]:
    """A whole plan JSON document; `costs` maps address -> (before_monthly, after_monthly)."""
    resources = []
    for address, (before, after) in sorted((costs or {}).items()):
        resources.append({"address": address, "before_monthly": before, "after_monthly": after,
                          "delta_monthly": str(Decimal(after) - Decimal(before)), "assumptions": [], "unpriced": False})
    total_before = sum((Decimal(r["before_monthly"]) for r in resources), Decimal(0))
    total_after = sum((Decimal(r["after_monthly"]) for r in resources), Decimal(0))
    return {
        "format_version": "1.2",
        "terraform_version": "1.15.5",
        "resource_changes": changes,
        "planned_values": {"root_module": {}},
        "configuration": {"root_module": {}},
        "applyable": any(c["change"]["actions"] != ["no-op"] for c in changes),
        "complete": True,
        "errored": False,
        "iac": {
            "format_version": "1.0",
            "environment": environment,
            "mode": mode,
            "config_hash": "sha256:" + "0" * 64,
            "state": {"serial": 4, "lineage": "00000000-0000-0000-0000-000000000000"},
            "plan_mode": plan_mode,
            "sources": {},
            "reasons": reasons or {},
            "findings": findings or [],
            "verdict": verdict,
            "cost": {"currency": "USD", "as_of": "2026-04-10", "resources": resources,
                     "total_before": str(total_before), "total_after": str(total_after),
                     "delta": str(total_after - total_before),
                     "assumptions": ["clusters run 8 hours a day, 22 days a month"]},
        },
    }


def small_plan() -> dict[str, Any]:
    """dev: two creates, one in-place update, one warning."""
    cluster_before = {"cluster_name": "dev-shared", "num_workers": 2, "spark_version": "15.4.x-scala2.12",
                      "custom_tags": {"team": "platform"}, "autotermination_minutes": 60}
    cluster_after = dict(cluster_before, num_workers=4, custom_tags={"team": "platform", "cost_center": "cc-1234"})
    changes = [
        change("databricks_cluster.shared", ["update"], cluster_before, cluster_after),
        change("databricks_notebook.etl_main", ["create"], None,
               {"path": "/Shared/etl/main", "language": "PYTHON", "content_base64": "cHJpbnQoMSk="},
               after_unknown={"id": True, "url": True}),
        change("databricks_secret_scope.etl", ["create"], None, {"name": "etl", "initial_manage_principal": "users"},
               after_unknown={"id": True}),
    ]
    findings = [finding("TAG002", "warning", "databricks_cluster.shared", "custom_tags.owner",
                        "cluster has no owner tag", "set tags={'owner': ...} on the cluster",
                        source="modules/shared_cluster.py:14")]
    costs = {"databricks_cluster.shared": ("211.20", "422.40")}
    return plan("dev", changes, findings=findings, verdict="warn", costs=costs)


def fifty_workspace_plan(teams: int = 50) -> dict[str, Any]:
    """prod: the same policy, pool and cluster change repeated for every team workspace."""
    changes = []
    findings = []
    costs = {}
    for n in range(1, teams + 1):
        team = f"team_{n:02d}"
        changes.append(change(f"databricks_cluster.{team}_shared", ["update"],
                              {"cluster_name": f"{team}-shared", "num_workers": 2, "spark_version": "14.3.x-scala2.12",
                               "custom_tags": {"team": team.replace("_", "-")}},
                              {"cluster_name": f"{team}-shared", "num_workers": 2, "spark_version": "15.4.x-scala2.12",
                               "custom_tags": {"team": team.replace("_", "-")}}))
        changes.append(change(f"databricks_cluster_policy.{team}_jobs", ["create"], None,
                              {"name": f"{team} jobs", "definition": '{"spark_version":{"type":"fixed","value":"15.4"}}'},
                              after_unknown={"id": True, "policy_id": True}))
        findings.append(finding("TAG001", "warning", f"databricks_cluster.{team}_shared", "custom_tags.cost_center",
                                "cluster has no cost_center tag", "add custom_tags.cost_center",
                                source="modules/team_workspace.py:88"))
        costs[f"databricks_cluster.{team}_shared"] = ("105.60", "105.60")
    changes.append(change("databricks_sql_endpoint.finance_bi", ["update"],
                          {"name": "finance-bi", "cluster_size": "Small", "max_num_clusters": 1},
                          {"name": "finance-bi", "cluster_size": "Medium", "max_num_clusters": 1}))
    costs["databricks_sql_endpoint.finance_bi"] = ("1200", "2400")
    changes.sort(key=lambda rc: rc["address"])
    return plan("prod", changes, findings=findings, verdict="warn", costs=costs, mode="production")


def destroy_plan() -> dict[str, Any]:
    """staging: destroys, a forced replacement, a move, a masked secret and a denying error."""
    changes = [
        change("databricks_cluster.legacy_etl", ["delete"],
               {"cluster_name": "legacy-etl", "num_workers": 8, "custom_tags": {"team": "data"}}, None,
               action_reason="delete_because_no_resource_config"),
        change("databricks_cluster.ml_gpu", ["delete", "create"],
               {"cluster_name": "ml-gpu", "node_type_id": "Standard_NC6s_v3", "num_workers": 2},
               {"cluster_name": "ml-gpu", "node_type_id": "Standard_NC12s_v3", "num_workers": 2},
               replace_paths=[["node_type_id"]], action_reason="replace_because_cannot_update",
               after_unknown={"id": True}),
        change("databricks_instance_pool.batch", ["no-op"], {"instance_pool_name": "batch"}, {"instance_pool_name": "batch"},
               previous_address="databricks_instance_pool.batch_old"),
        change("databricks_secret.api_token", ["update"],
               {"key": "api-token", "scope": "etl", "string_value": "(sensitive value)"},
               {"key": "api-token", "scope": "etl", "string_value": "(sensitive value)"},
               masks={"before": {"string_value": True}, "after": {"string_value": True}}),
        change("databricks_sql_endpoint.adhoc", ["delete"], {"name": "adhoc", "cluster_size": "2X-Small"}, None,
               action_reason="delete_because_no_resource_config"),
    ]
    findings = [
        finding("SEC003", "error", "databricks_cluster.ml_gpu", "node_type_id",
                "GPU node types need an approved budget in staging", "use Standard_NC6s_v3 or add a waiver"),
        finding("TAG001", "warning", "databricks_sql_endpoint.adhoc", "tags", "warehouse has no team tag",
                "add tags.team", waived={"reason": "being deleted", "expires": "2026-12-31"}),
    ]
    costs = {"databricks_cluster.legacy_etl": ("844.80", "0"), "databricks_cluster.ml_gpu": ("950.40", "1900.80"),
             "databricks_sql_endpoint.adhoc": ("300", "0")}
    reasons = {"databricks_secret.api_token": {"string_value": "set in config"}}
    return plan("staging", changes, findings=findings, verdict="deny", costs=costs, mode="production",
                reasons=reasons)


def distinct_plan(count: int, environment: str = "prod") -> dict[str, Any]:
    """`count` updates that cannot be grouped (each sets a different size): one `<details>` each."""
    changes = [change(f"databricks_cluster.c{n:05d}", ["update"],
                      {"cluster_name": f"c{n}", "num_workers": 1, "spark_conf": {"spark.speculation": "false"}},
                      {"cluster_name": f"c{n}", "num_workers": n + 2, "spark_conf": {"spark.speculation": "true"}})
               for n in range(count)]
    return plan(environment, changes, mode="production")

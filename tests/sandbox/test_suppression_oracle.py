"""Perpetual-diff rules, one test each: Terraform planning through the sandbox (which plans as the provider does,
iac.sandbox.suppress / reads / api.databricks) and iac's preview must agree on the same configuration and state.

Each case applies a configuration, lets the simulated API do what the real one does (fill in values, or change an
object outside Terraform and refresh), then plans the next configuration with both. The expected Terraform action
pins the provider behaviour read from its source; iac must plan the same. Where iac does not yet follow the
provider, the case names the missing piece (`pending`) and is an expected failure, but only once the sandbox has
planned as the provider does: the Terraform half is always checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from iac.sandbox.session import Sandbox, start_sandbox

from .conftest import plans_both, terraform, write_config

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

HOST = "https://dbc-5e7a1c2b-9f30.cloud.databricks.com"
CLUSTER = {"cluster_name": "shared", "spark_version": "15.4.x-scala2.12", "node_type_id": "m5d.xlarge",
           "num_workers": 1, "autotermination_minutes": 30}
POLICY = '{"spark_version": {"type": "fixed", "value": "15.4.x-scala2.12"}, "autotermination_minutes": {"type": "fixed", "value": 30}}'
POLICY_REORDERED = '{"autotermination_minutes": {"type": "fixed", "value": 30}, "spark_version": {"type": "fixed", "value": "15.4.x-scala2.12"}}'
Resources = dict[str, dict[str, Any]]
StoreEdit = Callable[[dict[str, Any]], None]


def _document(resources: Resources) -> dict[str, Any]:
    return {"terraform": {"required_providers": {"databricks": {"source": "databricks/databricks", "version": "1.110.0"}}},
            "provider": {"databricks": [{"host": HOST}]}, "resource": resources}


def _task(key: str, depends_on: list[str] | None = None) -> dict[str, Any]:
    task: dict[str, Any] = {"task_key": key, "existing_cluster_id": "0101-000000-abcdefgh",
                            "notebook_task": [{"notebook_path": f"/Shared/{key}"}]}
    if depends_on:
        task["depends_on"] = [{"task_key": k} for k in depends_on]
    return task


def _set_spark_conf(conf: dict[str, str]) -> StoreEdit:
    def edit(cluster: dict[str, Any]) -> None:
        cluster["spark_conf"] = conf
    return edit


@dataclass(frozen=True)
class Case:
    """Apply `first`, apply `store_edit` to the stored object of `address` (then refresh), plan `then` (or `first`)."""

    first: Resources
    address: str
    terraform_plans: list[str]
    then: Resources | None = None
    store_edit: StoreEdit | None = None
    pending: str | None = None
    """What iac lacks to plan this as the provider does (the case is an expected failure until it has it)."""


CASES: dict[str, Case] = {
    "cluster aws_attributes: zone and spot bid the server fills are kept": Case(
        {"databricks_cluster": {"c": {**CLUSTER, "aws_attributes": [{"availability": "SPOT_WITH_FALLBACK", "first_on_demand": 1}]}}},
        "databricks_cluster.c", ["no-op"]),
    "job cluster aws_attributes: the same suppression inside a job": Case(
        {"databricks_job": {"j": {"name": "j", "job_cluster": [{"job_cluster_key": "etl", "new_cluster": [
            {"spark_version": "15.4.x-scala2.12", "node_type_id": "m5d.xlarge", "num_workers": 2,
             "aws_attributes": [{"availability": "SPOT", "first_on_demand": 1}]}]}],
            "task": [{"task_key": "a", "job_cluster_key": "etl", "notebook_task": [{"notebook_path": "/Shared/a"}]}]}}},
        "databricks_job.j", ["no-op"]),
    "cluster aws_attributes: zone_id 'auto' matches the zone the server chose": Case(
        {"databricks_cluster": {"c": {**CLUSTER, "aws_attributes": [{"availability": "SPOT"}]}}},
        "databricks_cluster.c", ["no-op"],
        then={"databricks_cluster": {"c": {**CLUSTER, "aws_attributes": [{"availability": "SPOT", "zone_id": "auto"}]}}}),
    "spark_conf: a single key the server injected is hidden when the configuration has no spark_conf": Case(
        {"databricks_cluster": {"c": dict(CLUSTER)}}, "databricks_cluster.c", ["no-op"],
        store_edit=_set_spark_conf({"spark.databricks.delta.preview.enabled": "true"})),
    "spark_conf: the legacy delta preview key is hidden next to configured keys": Case(
        {"databricks_cluster": {"c": {**CLUSTER, "spark_conf": {"spark.sql.shuffle.partitions": "8"}}}},
        "databricks_cluster.c", ["no-op"],
        store_edit=_set_spark_conf({"spark.sql.shuffle.partitions": "8", "spark.databricks.delta.preview.enabled": "true"})),
    "spark_conf: any other injected key is a change (the provider hides only the legacy key)": Case(
        {"databricks_cluster": {"c": dict(CLUSTER)}}, "databricks_cluster.c", ["update"],
        store_edit=_set_spark_conf({"spark.master": "local[*, 4]"})),
    "single node: the spark_conf and tag the server injects re-plan with the provider (#4360)": Case(
        {"databricks_cluster": {"c": {**CLUSTER, "num_workers": 0, "is_single_node": True, "kind": "CLASSIC_PREVIEW"}}},
        "databricks_cluster.c", ["update"]),
    "instance pool fleet: the pools-to-use count the server fills is kept": Case(
        {"databricks_instance_pool": {"p": {"instance_pool_name": "fleet", "idle_instance_autotermination_minutes": 10,
                                            "instance_pool_fleet_attributes": [{
                                                "fleet_spot_option": [{"allocation_strategy": "LOWEST_PRICE"}],
                                                "launch_template_override": [{"availability_zone": "us-east-1a",
                                                                              "instance_type": "m5d.xlarge"}]}]}}},
        "databricks_instance_pool.p", ["no-op"]),
    "job webhooks: the provider sorts them by id on read, so another order re-plans": Case(
        {"databricks_job": {"j": {"name": "j", "task": [_task("a")],
                                  "webhook_notifications": [{"on_failure": [{"id": "wh-b"}, {"id": "wh-a"}]}]}}},
        "databricks_job.j", ["update"]),
    "job webhooks: sorted webhooks are stable": Case(
        {"databricks_job": {"j": {"name": "j", "task": [_task("a")],
                                  "webhook_notifications": [{"on_failure": [{"id": "wh-a"}, {"id": "wh-b"}]}]}}},
        "databricks_job.j", ["no-op"]),
    "job tasks: the provider sorts them by task_key on read, so another order re-plans": Case(
        {"databricks_job": {"j": {"name": "j", "task": [_task("b", ["a"]), _task("a")]}}},
        "databricks_job.j", ["update"]),
    "job tasks: depends_on in another order re-plans": Case(
        {"databricks_job": {"j": {"name": "j", "task": [_task("a"), _task("b"), _task("c", ["b", "a"])]}}},
        "databricks_job.j", ["update"]),
    "cluster policy: another key order is a change (the provider trims whitespace only)": Case(
        {"databricks_cluster_policy": {"p": {"name": "p", "definition": POLICY}}},
        "databricks_cluster_policy.p", ["update"],
        then={"databricks_cluster_policy": {"p": {"name": "p", "definition": POLICY_REORDERED}}}),
    "cluster policy: surrounding whitespace is no change": Case(
        {"databricks_cluster_policy": {"p": {"name": "p", "definition": POLICY}}},
        "databricks_cluster_policy.p", ["no-op"],
        then={"databricks_cluster_policy": {"p": {"name": "p", "definition": f"  {POLICY}\n"}}}),
    "data_security_mode: the legacy alias of the mode in state is no change": Case(
        {"databricks_cluster": {"c": {**CLUSTER, "data_security_mode": "SINGLE_USER", "single_user_name": "a@example.com"}}},
        "databricks_cluster.c", ["no-op"],
        then={"databricks_cluster": {"c": {**CLUSTER, "data_security_mode": "DATA_SECURITY_MODE_DEDICATED",
                                           "single_user_name": "a@example.com"}}}),
}


def _edit_store(sandbox: Sandbox, address: str, edit: StoreEdit) -> None:
    resource_type = address.split(".", 1)[0]
    [(scope, _, object_id, attributes)] = sandbox.store().objects(resource_type)
    edit(attributes)
    sandbox.store().put(scope, resource_type, object_id, attributes)


@pytest.mark.parametrize("name", list(CASES))
def test_iac_plans_each_perpetual_diff_rule_as_the_provider(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    with start_sandbox(tmp_path / "sandbox") as sandbox:
        tf = sandbox.terraform(write_config(sandbox, _document(case.first)))
        terraform(tf, "apply", "-auto-approve")
        if case.store_edit is not None:
            _edit_store(sandbox, case.address, case.store_edit)
            terraform(tf, "apply", "-refresh-only", "-auto-approve")
        if case.then is not None:
            write_config(sandbox, _document(case.then))
        theirs, ours = plans_both(tf)
        assert theirs[case.address]["actions"] == case.terraform_plans, "the sandbox must plan as the provider does"
        agree = [ours[case.address][k] == theirs[case.address][k] for k in ("actions", "after")]
        if case.pending and not all(agree):
            pytest.xfail(case.pending)
        assert ours[case.address]["actions"] == theirs[case.address]["actions"]
        assert ours[case.address]["after"] == theirs[case.address]["after"]

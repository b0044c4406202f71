"""Seed documents the fuzz suites mutate: a state, a configuration and plans that exercise what the readers
and renderers handle (count and for_each keys, sensitive paths, deposed and tainted objects, outputs, a
module, data sources, Databricks blocks), all valid to begin with."""

from __future__ import annotations

import json
from typing import Any

from iac._jsonio import dumps, loads
from iac.plan.jsonplan import to_json
from iac.state import parse_state
from iac.workflows.planning import make_plan
from tests.diff.helpers import full_attributes

__all__ = ["CONFIG", "CONFIGS", "PLANS", "STATES"]

_BUILTIN = 'provider["terraform.io/builtin/terraform"]'
_DATABRICKS = 'provider["registry.terraform.io/databricks/databricks"]'


def _data(value: Any, **extra: Any) -> dict[str, Any]:
    return {"schema_version": 0, "sensitive_attributes": [],
            "attributes": {"id": "i", "input": {"value": value, "type": "dynamic" if not isinstance(value, str)
                                                else "string"},
                           "output": {"value": value, "type": "dynamic" if not isinstance(value, str) else "string"},
                           "triggers_replace": None}, **extra}


CLUSTER = {"cluster_name": "etl", "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge",
           "autoscale": [{"min_workers": 1, "max_workers": 4}], "autotermination_minutes": 30,
           "data_security_mode": "USER_ISOLATION", "custom_tags": {"team": "data"},
           "spark_conf": {"spark.speculation": "true"}}
JOB = {"name": "nightly", "task": [{"task_key": "a", "notebook_task": [{"notebook_path": "/a"}]},
                                   {"task_key": "b", "depends_on": [{"task_key": "a"}],
                                    "notebook_task": [{"notebook_path": "/b"}]}]}
GRANTS = {"catalog": "main", "grant": [{"principal": "data-eng", "privileges": ["USE_CATALOG", "SELECT"]}]}

STATE = {
    "version": 4, "terraform_version": "1.15.5", "serial": 7, "lineage": "seed", "check_results": None,
    "outputs": {"plain": {"value": "x", "type": "string"},
                "secret": {"value": "s3cr3t-seed", "type": "string", "sensitive": True}},
    "resources": [
        {"mode": "managed", "type": "terraform_data", "name": "a", "provider": _BUILTIN,
         "instances": [_data({"user": "ana", "password": "hunter2-seed"}, sensitive_attributes=[
             [{"type": "get_attr", "value": "input"}, {"type": "index", "value": {"value": "password",
                                                                                 "type": "string"}}]]),
                       _data("old", deposed="00000001")]},
        {"mode": "managed", "type": "terraform_data", "name": "b", "provider": _BUILTIN,
         "instances": [_data(["x", 1], index_key=0), _data("y", index_key=1, status="tainted")]},
        {"mode": "managed", "type": "terraform_data", "name": "c", "provider": _BUILTIN,
         "instances": [_data("v", index_key="k1", dependencies=["terraform_data.a"])]},
        {"mode": "managed", "type": "terraform_data", "name": "m", "module": 'module.child["x"]',
         "provider": _BUILTIN, "instances": [_data("in module")]},
        {"mode": "data", "type": "terraform_data", "name": "d", "provider": _BUILTIN, "instances": [_data("data")]},
        {"mode": "managed", "type": "databricks_cluster", "name": "etl", "provider": _DATABRICKS,
         "instances": [{"schema_version": 0, "sensitive_attributes": [],
                        "attributes": full_attributes("databricks_cluster", {**CLUSTER, "id": "0101-abc",
                                                                             "cluster_id": "0101-abc"})}]},
        {"mode": "managed", "type": "databricks_job", "name": "nightly", "provider": _DATABRICKS,
         "instances": [{"schema_version": 0, "sensitive_attributes": [],
                        "attributes": full_attributes("databricks_job", {**JOB, "id": "123"})}]},
        {"mode": "managed", "type": "databricks_grants", "name": "main", "provider": _DATABRICKS,
         "instances": [{"schema_version": 0, "sensitive_attributes": [],
                        "attributes": full_attributes("databricks_grants", {**GRANTS, "id": "catalog/main"})}]},
    ],
}
STATES = [STATE]

CONFIG = {
    "variable": {"secret": {"type": "string", "sensitive": True, "default": "hunter2-new"},
                 "names": {"type": "list(string)", "default": ["k1", "k2"]}},
    "locals": {"prefix": "p-${var.names[0]}"},
    "resource": {
        "terraform_data": {
            "a": {"input": {"user": "ana", "password": "${var.secret}"}},
            "b": {"count": 2, "input": "${local.prefix}-${count.index}", "lifecycle": {"create_before_destroy": True}},
            "c": {"for_each": "${toset(var.names)}", "input": "${each.value}",
                  "depends_on": ["terraform_data.a"], "lifecycle": {"ignore_changes": ["triggers_replace"]}},
            "e": {"input": "${terraform_data.a.output}", "triggers_replace": ["${terraform_data.c[\"k1\"].id}"]},
        },
        "databricks_cluster": {"etl": CLUSTER},
        "databricks_job": {"nightly": JOB},
        "databricks_grants": {"main": GRANTS},
        "databricks_cluster_policy": {"jobs": {"name": "jobs", "definition": json.dumps({
            "autoscale.max_workers": {"type": "range", "maxValue": 8}, "num_workers": {"type": "fixed", "value": 2},
            "node_type_id": {"type": "allowlist", "values": ["i3.xlarge"]}, "custom_tags.team": {"type": "fixed",
                                                                                                  "value": "data"},
            "runtime_engine": {"type": "fixed", "value": "PHOTON"}})}},
        "databricks_secret_acl": {"read": {"scope": "team", "principal": "data-eng", "permission": "READ"}},
        "databricks_permissions": {"etl": {"cluster_id": "${databricks_cluster.etl.id}", "access_control": [
            {"group_name": "data-eng", "permission_level": "CAN_RESTART"}]}},
    },
    "output": {"plain": {"value": "${terraform_data.e.output}"},
               "secret": {"value": "${var.secret}", "sensitive": True}},
    "moved": [{"from": "terraform_data.old", "to": "terraform_data.e"}],
}
CONFIGS = [CONFIG, {"resource": {"terraform_data": {"x": {"input": "${var.v}"}}}, "variable": {"v": {"default": 1}}}]


def _plans() -> list[dict[str, Any]]:
    state = parse_state(dumps(STATE))
    return [loads(dumps(to_json(make_plan(CONFIG, state, env={})))),
            loads(dumps(to_json(make_plan(CONFIG, state, env={}, destroy=True))))]


PLANS = _plans()

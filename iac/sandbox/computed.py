"""Realistic values for what the Databricks (and Azure) APIs compute: ids, URLs, workspace ids, timestamps.

At apply time every attribute the plan left unknown gets a value here: first a per-type rule (shapes as the
real APIs return them: cluster ids `0419-103512-k3p9x2q1`, numeric job ids, 16-hex warehouse ids, JDBC
URLs, `{{secrets/scope/key}}` references, Azure resource ids...), then a rule by attribute name
(`*_id`, `created_at`, `owner`...), else null. Values are derived from a seeded generator per
(resource type, store serial), so a fresh store yields the same ids on every run: sandbox plans can be
compared byte for byte.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from iac.sandbox.values import UNKNOWN, conform_type, contains_unknown
from iac.schema import Block

__all__ = ["Context", "DEFAULT_HOST", "SANDBOX_USER", "fill_unknowns"]

DEFAULT_HOST = "https://dbc-4f1c9a2e-7b3d.cloud.databricks.com"
SANDBOX_USER = "sandbox-admin@example.com"
_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z: timestamps advance one minute per created object


@dataclass
class Context:
    """What a computed value may depend on besides the object itself.

    `serial` is the store's object counter for this creation; `host` the workspace URL from the provider
    configuration (or `DEFAULT_HOST`); `account_id`/`subscription_id` from the provider configuration.
    """

    resource_type: str
    serial: int
    host: str = DEFAULT_HOST
    account_id: str | None = None
    subscription_id: str | None = None
    lookup: Callable[[str, str], dict[str, Any] | None] = lambda resource_type, object_id: None
    """An object of this workspace in the store, by type and id (a pool-backed cluster takes the pool's node type)."""
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"{self.resource_type}:{self.serial}")

    @property
    def now_ms(self) -> int:
        return _EPOCH_MS + self.serial * 60_000

    @property
    def hostname(self) -> str:
        return self.host.split("://", 1)[-1].rstrip("/")

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex(self, length: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(length))

    def digits(self, length: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(self.rng.choice("0123456789") for _ in range(length - 1))

    def alnum(self, length: int) -> str:
        return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(length))

    def stamp(self) -> str:
        """`MMDD-HHMMSS`, the prefix of cluster and pool ids."""
        return datetime.fromtimestamp(self.now_ms / 1000, UTC).strftime("%m%d-%H%M%S")

    def stable_uuid(self, name: str) -> str:
        """A uuid that does not depend on the object (the metastore of the simulated workspace...)."""
        return str(uuid.UUID(int=random.Random(name).getrandbits(128), version=4))


Values = dict[str, Any]
Rule = Callable[[Values, Context], Values]


def _catalog(s: Values, c: Context) -> Values:
    root = s.get("storage_root")
    return {"id": s.get("name"), "full_name": s.get("name"), "catalog_type": "MANAGED_CATALOG", "securable_type": "CATALOG",
            "storage_location": f"{root.rstrip('/')}/__unitystorage/catalogs/{c.uuid()}" if root else None,
            "isolation_mode": "OPEN", "enable_predictive_optimization": "INHERIT"}


def _cluster(s: Values, c: Context) -> Values:
    cluster_id = f"{c.stamp()}-{c.alnum(8)}"
    node_type = _cluster_node_type(s, c)
    return {"id": cluster_id, "cluster_id": cluster_id, "state": "RUNNING",
            "url": f"{c.host}/#setting/clusters/{cluster_id}/configuration",
            "default_tags": {"Vendor": "Databricks", "Creator": SANDBOX_USER, "ClusterName": s.get("cluster_name") or "",
                             "ClusterId": cluster_id},
            "node_type_id": node_type, "driver_node_type_id": node_type,
            "driver_instance_pool_id": s.get("instance_pool_id"),
            "enable_elastic_disk": True, "enable_local_disk_encryption": False}


def _cluster_node_type(s: Values, c: Context) -> str | None:
    """As the API reports it: the configured node type, else the instance pool's (never a made-up id,
    which the cost checks would rightly call an unknown node type)."""
    if s.get("node_type_id") or not s.get("instance_pool_id"):
        return s.get("node_type_id")
    pool = c.lookup("databricks_instance_pool", str(s["instance_pool_id"]))
    return pool.get("node_type_id") if pool else None


def _cluster_policy(s: Values, c: Context) -> Values:
    policy_id = c.hex(16).upper()
    return {"id": policy_id, "policy_id": policy_id, "definition": "{}"}


def _external_location(s: Values, c: Context) -> Values:
    return {"id": s.get("name"), "credential_id": c.uuid(), "browse_only": False, "effective_enable_file_events": False,
            "isolation_mode": "ISOLATION_MODE_OPEN"}


_GRANT_SECURABLES = ("catalog", "schema", "table", "volume", "model", "function", "metastore", "external_location",
                     "storage_credential", "credential", "foreign_connection", "share", "recipient", "pipeline")


def _grants(s: Values, c: Context) -> Values:
    kind = next((k for k in _GRANT_SECURABLES if s.get(k)), "catalog")
    return {"id": f"{kind}/{s.get(kind)}"}


def _group(s: Values, c: Context) -> Values:
    group_id = c.digits(16)
    return {"id": group_id, "acl_principal_id": f"groups/{s.get('display_name')}",
            "url": f"{c.host}/#setting/accounts/groups/{group_id}"}


def _instance_pool(s: Values, c: Context) -> Values:
    pool_id = f"{c.stamp()}-{c.alnum(6)}-pool-{c.alnum(8)}"
    return {"id": pool_id, "instance_pool_id": pool_id}


def _job(s: Values, c: Context) -> Values:
    job_id = c.digits(15)
    return {"id": job_id, "url": f"{c.host}/#job/{job_id}", "format": "MULTI_TASK"}


def _metastore(s: Values, c: Context) -> Values:
    metastore_id = c.uuid()
    cloud = "azure" if "azuredatabricks" in c.host else "aws"
    region = s.get("region") or ("westeurope" if cloud == "azure" else "us-east-1")
    return {"id": metastore_id, "metastore_id": metastore_id, "cloud": cloud, "region": region,
            "global_metastore_id": f"{cloud}:{region}:{metastore_id}", "privilege_model_version": "1.0"}


def _model_serving(s: Values, c: Context) -> Values:
    return {"id": s.get("name"), "serving_endpoint_id": c.hex(32),
            "endpoint_url": f"{c.host}/serving-endpoints/{s.get('name')}/invocations"}


def _account_object(key: str) -> Rule:
    def rule(s: Values, c: Context) -> Values:
        object_id = c.uuid()
        return {key: object_id, "id": f"{s.get('account_id') or c.account_id}/{object_id}", "creation_time": c.now_ms}
    return rule


def _mws_credentials(s: Values, c: Context) -> Values:
    return _account_object("credentials_id")(s, c) | {"external_id": s.get("account_id") or c.account_id}


def _mws_networks(s: Values, c: Context) -> Values:
    return _account_object("network_id")(s, c) | {"vpc_status": "VALID"}


def _mws_workspaces(s: Values, c: Context) -> Values:
    workspace_id = int(c.digits(16))
    deployment = s.get("deployment_name") or f"dbc-{c.hex(8)}-{c.hex(4)}"
    gcp = bool(s.get("location") or s.get("cloud_resource_container"))
    return {"id": f"{s.get('account_id') or c.account_id}/{workspace_id}", "workspace_id": workspace_id,
            "workspace_url": f"https://{deployment}.{'gcp.' if gcp else 'cloud.'}databricks.com",
            "cloud": "gcp" if gcp else "aws", "creation_time": c.now_ms, "pricing_tier": "ENTERPRISE",
            "workspace_status": "RUNNING", "workspace_status_message": "Workspace is running.",
            "effective_compute_mode": s.get("compute_mode") or "HYBRID"}


def _notebook(s: Values, c: Context) -> Values:
    path = s.get("path") or ""
    return {"id": path, "url": f"{c.host}/#workspace{path}", "workspace_path": f"/Workspace{path}",
            "object_id": int(c.digits(15)), "object_type": "NOTEBOOK", "language": s.get("language") or "PYTHON",
            "format": "SOURCE"}


# databricks_permissions selector -> (object type, REST path prefix), as the Permissions API names them.
_PERMISSION_OBJECTS = {
    "cluster_id": ("cluster", "clusters"), "cluster_policy_id": ("cluster-policy", "cluster-policies"),
    "instance_pool_id": ("instance-pool", "instance-pools"), "job_id": ("job", "jobs"),
    "pipeline_id": ("pipelines", "pipelines"), "sql_endpoint_id": ("warehouses", "sql/warehouses"),
    "notebook_path": ("notebook", "notebooks"), "notebook_id": ("notebook", "notebooks"),
    "directory_path": ("directory", "directories"), "directory_id": ("directory", "directories"),
    "repo_id": ("repo", "repos"), "repo_path": ("repo", "repos"), "registered_model_id": ("registered-model", "registered-models"),
    "serving_endpoint_id": ("serving-endpoint", "serving-endpoints"), "experiment_id": ("mlflowExperiment", "experiments"),
    "authorization": ("tokens", "authorization"), "app_name": ("apps", "apps"), "dashboard_id": ("dashboard", "dashboards"),
}


def _permissions(s: Values, c: Context) -> Values:
    selector = next((k for k in _PERMISSION_OBJECTS if s.get(k) not in (None, UNKNOWN)), None)
    if selector is None:
        return {"id": f"/objects/{c.digits(15)}"}
    object_type, prefix = _PERMISSION_OBJECTS[selector]
    value = str(s[selector])
    if selector.endswith("_path"):
        value = c.digits(15)  # the API addresses workspace objects by their numeric object id
    return {"id": f"/{prefix}/{value}", "object_type": object_type}


def _pipeline(s: Values, c: Context) -> Values:
    pipeline_id = c.uuid()
    return {"id": pipeline_id, "url": f"{c.host}/#joblist/pipelines/{pipeline_id}", "state": "IDLE",
            "health": "HEALTHY", "creator_user_name": SANDBOX_USER, "run_as_user_name": SANDBOX_USER,
            "last_modified": c.now_ms}


def _three_part(s: Values) -> str:
    return f"{s.get('catalog_name')}.{s.get('schema_name')}.{s.get('name')}"


def _registered_model(s: Values, c: Context) -> Values:
    return {"id": _three_part(s), "full_name": _three_part(s)}


_GIT_PROVIDERS = {"github.com": "gitHub", "gitlab.com": "gitLab", "dev.azure.com": "azureDevOpsServices",
                  "bitbucket.org": "bitbucketCloud"}


def _repo(s: Values, c: Context) -> Values:
    url = s.get("url") or ""
    name = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    path = s.get("path") or f"/Repos/{SANDBOX_USER}/{name}"
    provider = next((v for k, v in _GIT_PROVIDERS.items() if k in url), "gitHub")
    return {"id": c.digits(16), "path": path, "workspace_path": f"/Workspace{path}", "commit_hash": c.hex(40),
            "branch": s.get("branch") or "main", "git_provider": provider}


def _schema(s: Values, c: Context) -> Values:
    return {"id": f"{s.get('catalog_name')}.{s.get('name')}", "schema_id": c.uuid(),
            "enable_predictive_optimization": "INHERIT"}


def _secret(s: Values, c: Context) -> Values:
    scope, key = s.get("scope"), s.get("key")
    return {"id": f"{scope}|||{key}", "config_reference": f"{{{{secrets/{scope}/{key}}}}}",
            "last_updated_timestamp": c.now_ms}


def _secret_scope(s: Values, c: Context) -> Values:
    return {"id": s.get("name"), "backend_type": "AZURE_KEYVAULT" if s.get("keyvault_metadata") else "DATABRICKS"}


def _service_principal(s: Values, c: Context) -> Values:
    application_id = s.get("application_id") or c.uuid()
    return {"id": c.digits(16), "application_id": application_id, "display_name": application_id,
            "acl_principal_id": f"servicePrincipals/{application_id}", "home": f"/Users/{application_id}",
            "repos": f"/Repos/{application_id}"}


def _sql_endpoint(s: Values, c: Context) -> Values:
    warehouse_id = c.hex(16)
    path = f"/sql/1.0/warehouses/{warehouse_id}"
    return {"id": warehouse_id, "data_source_id": c.uuid(), "state": "RUNNING", "creator_name": SANDBOX_USER,
            "jdbc_url": f"jdbc:spark://{c.hostname}:443/default;transportMode=http;ssl=1;AuthMech=3;httpPath={path};",
            "odbc_params": [{"hostname": c.hostname, "path": path, "port": 443, "protocol": "https"}],
            "num_clusters": s.get("min_num_clusters") or 1, "num_active_sessions": 0,
            "health": [{"status": "HEALTHY", "summary": None, "details": None, "message": None, "failure_reason": []}],
            "enable_serverless_compute": False}


def _storage_credential(s: Values, c: Context) -> Values:
    return {"id": s.get("name"), "storage_credential_id": c.uuid(), "isolation_mode": "ISOLATION_MODE_OPEN"}


def _token(s: Values, c: Context) -> Values:
    token_id = c.hex(64)
    lifetime = s.get("lifetime_seconds")
    return {"id": token_id, "token_id": token_id, "token_value": f"dapi{c.hex(32)}", "creation_time": c.now_ms,
            "expiry_time": c.now_ms + int(lifetime) * 1000 if lifetime else -1}


def _user(s: Values, c: Context) -> Values:
    name = s.get("user_name")
    return {"id": c.digits(16), "acl_principal_id": f"users/{name}", "home": f"/Users/{name}",
            "repos": f"/Repos/{name}", "display_name": name, "disable_as_user_deletion": False}


def _volume(s: Values, c: Context) -> Values:
    return {"id": _three_part(s), "volume_path": f"/Volumes/{s.get('catalog_name')}/{s.get('schema_name')}/{s.get('name')}"}


def _azure_workspace(s: Values, c: Context) -> Values:
    subscription = c.subscription_id or c.stable_uuid("subscription")
    group, name = s.get("resource_group_name"), s.get("name")
    managed_group = s.get("managed_resource_group_name") or f"databricks-rg-{name}-{c.alnum(13)}"
    workspace_id = c.digits(16)
    return {"id": f"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Databricks/workspaces/{name}",
            "workspace_id": workspace_id, "workspace_url": f"adb-{workspace_id}.{c.rng.randint(1, 19)}.azuredatabricks.net",
            "managed_resource_group_name": managed_group,
            "managed_resource_group_id": f"/subscriptions/{subscription}/resourceGroups/{managed_group}",
            "managed_disk_identity": [], "disk_encryption_set_id": None,
            "storage_account_identity": [{"principal_id": c.uuid(), "tenant_id": c.stable_uuid("tenant"),
                                          "type": "SystemAssigned"}]}


_RULES: dict[str, Rule] = {
    "azurerm_databricks_workspace": _azure_workspace,
    "databricks_catalog": _catalog,
    "databricks_cluster": _cluster,
    "databricks_cluster_policy": _cluster_policy,
    "databricks_external_location": _external_location,
    "databricks_grants": _grants,
    "databricks_group": _group,
    "databricks_group_member": lambda s, c: {"id": f"{s.get('group_id')}|{s.get('member_id')}"},
    "databricks_instance_pool": _instance_pool,
    "databricks_job": _job,
    "databricks_metastore": _metastore,
    "databricks_metastore_assignment": lambda s, c: {"id": f"{s.get('workspace_id')}|{s.get('metastore_id')}",
                                                     "default_catalog_name": "hive_metastore"},
    "databricks_model_serving": _model_serving,
    "databricks_mws_credentials": _mws_credentials,
    "databricks_mws_networks": _mws_networks,
    "databricks_mws_permission_assignment": lambda s, c: {"id": f"{s.get('workspace_id')}|{s.get('principal_id')}"},
    "databricks_mws_storage_configurations": _account_object("storage_configuration_id"),
    "databricks_mws_workspaces": _mws_workspaces,
    "databricks_notebook": _notebook,
    "databricks_permissions": _permissions,
    "databricks_pipeline": _pipeline,
    "databricks_registered_model": _registered_model,
    "databricks_repo": _repo,
    "databricks_schema": _schema,
    "databricks_secret": _secret,
    "databricks_secret_acl": lambda s, c: {"id": f"{s.get('scope')}|||{s.get('principal')}"},
    "databricks_secret_scope": _secret_scope,
    "databricks_service_principal": _service_principal,
    "databricks_sql_endpoint": _sql_endpoint,
    "databricks_storage_credential": _storage_credential,
    "databricks_token": _token,
    "databricks_user": _user,
    "databricks_volume": _volume,
    "databricks_workspace_conf": lambda s, c: {"id": "_"},
}


def _by_name(name: str, type_: Any, c: Context) -> Any:
    """Fallback for computed attributes no per-type rule covers."""
    if type_ == "number" and name in ("created_at", "updated_at", "creation_time", "last_modified"):
        return c.now_ms
    if type_ != "string":
        return None
    if name in ("created_by", "updated_by", "owner", "creator_name", "creator_user_name"):
        return SANDBOX_USER
    if name == "metastore_id":
        return c.stable_uuid("metastore")
    if name == "id" or name.endswith("_id"):
        return c.uuid()
    return None


def fill_unknowns(block: Block, state: dict[str, Any], context: Context) -> dict[str, Any]:
    """The state with every unknown value replaced by what the simulated API computes (or null)."""
    rule = _RULES.get(context.resource_type)
    known = {k: v for k, v in state.items() if not contains_unknown(v)}
    values = rule(known, context) if rule else {}
    if values.get("id") in (None, ""):
        values["id"] = context.uuid()  # e.g. a name-keyed object created without a name: still needs an identity
    return _fill_block(block, state, context, values)


def _fill_block(block: Block, state: dict[str, Any], c: Context, values: Values) -> dict[str, Any]:
    filled = dict(state)
    for name, attribute in block.attributes.items():
        value = state.get(name)
        if value is UNKNOWN:
            computed = values[name] if name in values else _by_name(name, attribute.type, c)
            filled[name] = conform_type(computed, attribute.type)
        elif contains_unknown(value):
            filled[name] = _null_unknowns(value)
    for name, block_type in block.block_types.items():
        value = state.get(name)
        if value is UNKNOWN:
            filled[name] = None if block_type.nesting == "single" else []
        elif isinstance(value, dict):
            filled[name] = _fill_block(block_type.block, value, c, _sibling_values(value))
        elif isinstance(value, list):
            filled[name] = [_fill_block(block_type.block, item, c, _sibling_values(item)) for item in value]
    return filled


# The API fills a driver like its workers when none is given (job clusters' new_cluster blocks too):
# a made-up id here would be an unknown node type to the cost checks.
_DRIVER_FROM_WORKERS = {"driver_node_type_id": "node_type_id", "driver_instance_pool_id": "instance_pool_id"}


def _sibling_values(block_state: Any) -> Values:
    if not isinstance(block_state, dict):
        return {}
    return {driver: block_state.get(worker) for driver, worker in _DRIVER_FROM_WORKERS.items()
            if driver in block_state and not contains_unknown(block_state.get(worker))}


def _null_unknowns(value: Any) -> Any:
    if value is UNKNOWN:
        return None
    if isinstance(value, dict):
        return {k: _null_unknowns(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_null_unknowns(v) for v in value]
    return value

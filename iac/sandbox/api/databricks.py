"""The simulated Databricks APIs (workspace and account): what they compute when an object is created, and what
they add to an object on their own.

Per-type rules give the shapes the real APIs return (cluster ids `0419-103512-k3p9x2q1`, numeric job ids,
16-hex warehouse ids, JDBC URLs, `{{secrets/scope/key}}` references...); a type without a rule gets the
generic values of iac.sandbox.computed. `server_additions` is what the API fills in although the request did
not set it (and the plan therefore did not leave unknown): the perpetual-diff traps the provider's suppression
rules exist for (iac.sandbox.suppress).
"""

from __future__ import annotations

from iac.sandbox.api._context import SANDBOX_USER, Context, Rule, Values
from iac.sandbox.values import UNKNOWN

__all__ = ["RULES", "server_additions"]


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
        return {key: object_id, "id": f"{s.get('account_id') or c.account_id}/{object_id}", "creation_time": c.now_ms,
                "account_id": s.get("account_id") or c.account_id}
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


def _workspace_object(s: Values, c: Context) -> Values:
    path = s.get("path") or ""
    return {"id": path, "object_id": int(c.digits(15)), "workspace_path": f"/Workspace{path}",
            "url": f"{c.host}/#workspace{path}"}


def _app(s: Values, c: Context) -> Values:
    name = s.get("name")
    app_id = c.digits(16)
    return {"id": name, "url": f"https://{name}-{app_id}.aws.databricksapps.com", "creator": SANDBOX_USER,
            "updater": SANDBOX_USER, "service_principal_id": int(c.digits(15)),
            "service_principal_client_id": c.uuid(), "service_principal_name": f"app-{c.alnum(5)} {name}",
            "default_source_code_path": f"/Workspace/Users/{SANDBOX_USER}/{name}", "compute_size": "MEDIUM"}


RULES: dict[str, Rule] = {
    "databricks_app": _app,
    "databricks_directory": _workspace_object,
    "databricks_instance_profile": lambda s, c: {"id": s.get("instance_profile_arn")},
    "databricks_mws_customer_managed_keys": _account_object("customer_managed_key_id"),
    "databricks_mws_log_delivery": lambda s, c: _account_object("config_id")(s, c) | {"status": "ENABLED"},
    "databricks_mws_network_connectivity_config": _account_object("network_connectivity_config_id"),
    "databricks_mws_private_access_settings": _account_object("private_access_settings_id"),
    "databricks_mws_vpc_endpoint": lambda s, c: _account_object("vpc_endpoint_id")(s, c) | {
        "state": "available", "aws_account_id": c.aws_account},
    "databricks_workspace_file": _workspace_object,
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


# --- what the API adds on its own -------------------------------------------------------------------------

_ZONES = {"us-east-1": "us-east-1a", "us-west-2": "us-west-2a", "eu-west-1": "eu-west-1a", "eu-central-1": "eu-central-1a"}


def _cluster_spec_additions(spec: Values, c: Context) -> Values:
    """What the Clusters API returns for a cluster spec beyond the request: the zone it placed the cluster in
    and the spot bid it applies (`aws_attributes`), and the Spark conf and tag of a single-node cluster."""
    added: Values = {}
    aws = spec.get("aws_attributes")
    if isinstance(aws, list) and aws and isinstance(aws[0], dict):
        attributes = dict(aws[0])
        if attributes.get("zone_id") in (None, "", "auto"):
            attributes["zone_id"] = _ZONES.get(c.aws_region, f"{c.aws_region}a")
        if attributes.get("spot_bid_price_percent") is None and attributes.get("availability") != "ON_DEMAND":
            attributes["spot_bid_price_percent"] = 100
        added["aws_attributes"] = [attributes]
    if spec.get("is_single_node") is True:
        added["spark_conf"] = {"spark.master": "local[*, 4]", "spark.databricks.cluster.profile": "singleNode",
                               **(spec.get("spark_conf") or {})}
        added["custom_tags"] = {"ResourceClass": "SingleNode", **(spec.get("custom_tags") or {})}
    return added


def _with_cluster_specs(job: Values, c: Context) -> Values:
    """A job's cluster specs (job clusters, task clusters) get the same additions as clusters."""
    added: Values = {}
    for key in ("job_cluster", "task"):
        items = job.get(key)
        if not isinstance(items, list):
            continue
        changed = []
        for item in items:
            specs = item.get("new_cluster") if isinstance(item, dict) else None
            if isinstance(specs, list) and specs and isinstance(specs[0], dict):
                item = {**item, "new_cluster": [{**specs[0], **_cluster_spec_additions(specs[0], c)}]}
            changed.append(item)
        added[key] = changed
    return added


def _fleet_additions(pool: Values, c: Context) -> Values:
    """The Instance Pools API reports how many pools a fleet option uses when the request leaves it out."""
    fleet = pool.get("instance_pool_fleet_attributes")
    if not (isinstance(fleet, list) and fleet and isinstance(fleet[0], dict)):
        return {}
    attributes = dict(fleet[0])
    for option in ("fleet_spot_option", "fleet_on_demand_option"):
        items = attributes.get(option)
        if isinstance(items, list) and items and isinstance(items[0], dict) and items[0].get("instance_pools_to_use_count") is None:
            attributes[option] = [{**items[0], "instance_pools_to_use_count": 1}]
    return {"instance_pool_fleet_attributes": [attributes]}


_ADDITIONS = {
    "databricks_cluster": _cluster_spec_additions,
    "databricks_job": _with_cluster_specs,
    "databricks_instance_pool": _fleet_additions,
}


def server_additions(resource_type: str, state: Values, c: Context) -> Values:
    """Attributes the API fills in on create or update although the request did not set them."""
    rule = _ADDITIONS.get(resource_type)
    if rule is None or any(v is UNKNOWN for v in state.values()):
        return {}
    return rule(state, c)

"""A team's Databricks workspace baseline, after the Databricks security reference architecture.

One call creates ~39 resources: the workspace and what it is made of (credentials, root storage,
optionally a customer-managed network), its metastore assignment and settings, the team's groups and
service principal, Unity Catalog (storage credential, external location, catalog, three schemas,
grants, a volume), compute guardrails (two cluster policies, an instance pool, a shared cluster, a
SQL warehouse), a secret scope with two secrets and their ACLs, a nightly job, and the permissions
on every compute object. Built only from iac's public API.
"""

from __future__ import annotations

from dataclasses import dataclass

from iac import (
    AccessControl,
    Allowlist,
    Autoscale,
    AwsAttributes,
    AwsIamRole,
    Catalog,
    Cluster,
    ClusterPolicy,
    ExternalLocation,
    Fixed,
    Grant,
    Grants,
    Group,
    GroupMember,
    InstancePool,
    Job,
    JobCluster,
    MetastoreAssignment,
    Mode,
    MwsCredentials,
    MwsNetwork,
    MwsStorageConfiguration,
    MwsWorkspace,
    NewCluster,
    NotebookTask,
    Permissions,
    Range,
    Ref,
    RunAs,
    Schedule,
    Schema,
    Secret,
    SecretAcl,
    SecretScope,
    SecretValue,
    ServicePrincipal,
    SqlWarehouse,
    Stack,
    StorageCredential,
    Task,
    Volume,
    WorkspaceConf,
)

RUNTIME = "15.4.x-scala2.12"
NODE_TYPES = ["i3.xlarge", "i3.2xlarge", "m5d.xlarge"]


@dataclass(frozen=True)
class Team:
    """A data-science team that gets its own workspace. Values only; see `team_workspace` for the shape."""

    name: str
    """Short identifier: used in Terraform addresses and display names (lower case, underscores)."""
    cost_center: str
    aws_account: str = "111122223333"
    vpc_id: str | None = None
    """Customer-managed VPC; None uses the Databricks-managed network."""
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    max_workers: int = 8
    previous_name: str | None = None
    """The name the team had before a rename: its resources are moved (Terraform `moved` blocks), never
    destroyed and created again."""
    key: str = ""
    """The team's stable identity (default: its name): its fleet member key, hence its state, and every name
    that forces replacement or points at data (workspace, buckets, IAM roles, catalog, secret scope). A
    rename changes `name` and sets `previous_name`; the key stays, so the workspace and its data stay."""

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", self.name)


@dataclass(frozen=True)
class Sizing:
    """Per-environment sizes; the environment picks one."""

    pool_min_idle: int = 0
    warehouse_size: str = "2X-Small"
    warehouse_max_clusters: int = 1
    warehouse_auto_stop: int = 10
    job_workers: int = 2
    jobs_max_dbu_per_hour: int = 20
    spot: bool = True


def team_workspace(stack: Stack, team: Team, metastore_id: Ref | str, sizing: Sizing) -> MwsWorkspace:
    """Create `team`'s workspace and everything in it; returns the workspace. `metastore_id`: a reference to
    the metastore's id (`metastore.metastore_id`, or a fleet member's `shared.metastore_id`)."""
    env = stack.environment
    assert env is not None, "team_workspace needs a stack built for an environment"
    t, k = team.name, team.key  # addresses and display names follow the name; identities the key
    credentials = stack.add(MwsCredentials(
        f"{t}_credentials", credentials_name=f"{env.name}-{k}-credentials",
        role_arn=f"arn:aws:iam::{team.aws_account}:role/{env.name}-{k}-cross-account"))
    storage = stack.add(MwsStorageConfiguration(
        f"{t}_storage", account_id=env.account_id, storage_configuration_name=f"{env.name}-{k}-root",
        bucket_name=f"{env.name}-{k}-root-bucket"))
    network = None
    if team.vpc_id is not None:
        network = stack.add(MwsNetwork(
            f"{t}_network", account_id=env.account_id, network_name=f"{env.name}-{k}-network", vpc_id=team.vpc_id,
            subnet_ids=list(team.subnet_ids), security_group_ids=list(team.security_group_ids)))
    workspace = stack.add(MwsWorkspace(
        t, account_id=env.account_id, workspace_name=f"{env.name}-{k}", aws_region=env.region,
        credentials_id=credentials.credentials_id, storage_configuration_id=storage.storage_configuration_id,
        network_id=network.network_id if network is not None else None,
        custom_tags={"team": t, "cost_center": team.cost_center}))
    stack.add(MetastoreAssignment(f"{t}_metastore", workspace_id=workspace.workspace_id,
                                  metastore_id=metastore_id))
    stack.output(f"{t}_workspace_url", workspace.workspace_url, description=f"URL of {t}'s workspace")

    with stack.workspace(workspace):
        _settings_and_identity(stack, team, sizing)
    if team.previous_name is not None:
        _moved_from(stack, team.previous_name, t)
    return workspace


def _moved_from(stack: Stack, old: str, new: str) -> None:
    """Every resource named `new` or `new_*` was called `old` / `old_*` before."""
    for construct in stack.resources():
        resource_type, _, name = construct.address.partition(".")
        if name == new or name.startswith(f"{new}_"):
            stack.moved(f"{resource_type}.{old}{name[len(new):]}", construct)


def _settings_and_identity(stack: Stack, team: Team, sizing: Sizing) -> None:
    t = team.name
    stack.add(WorkspaceConf(f"{t}_settings", custom_config={
        "enableIpAccessLists": True, "enableTokensConfig": True, "maxTokenLifetimeDays": 90}))
    scientists = stack.add(Group(f"{t}_data_scientists", display_name=f"{t}-data-scientists", workspace_access=True))
    engineers = stack.add(Group(f"{t}_data_engineers", display_name=f"{t}-data-engineers", workspace_access=True,
                                allow_cluster_create=True))
    robot = stack.add(ServicePrincipal(f"{t}_jobs", display_name=f"{t}-jobs", allow_cluster_create=True))
    stack.add(GroupMember(f"{t}_jobs_in_engineers", group_id=engineers.id, member_id=robot.id))
    _unity_catalog(stack, team, scientists, engineers)
    _compute_and_jobs(stack, team, sizing, scientists, engineers, robot)


def _unity_catalog(stack: Stack, team: Team, scientists: Group, engineers: Group) -> None:
    t, k, env = team.name, team.key, stack.environment
    assert env is not None
    # Unity Catalog objects are owned by the team's engineers group, never by whoever ran the apply (SEC003)
    owner = engineers.ref("display_name")
    credential = stack.add(StorageCredential(
        f"{t}_storage_credential", name=f"{k}_storage", owner=owner,
        aws_iam_role=AwsIamRole(role_arn=f"arn:aws:iam::{team.aws_account}:role/{env.name}-{k}-unity-catalog")))
    landing = stack.add(ExternalLocation(
        f"{t}_landing", name=f"{k}_landing", url=f"s3://{env.name}-{k}-landing/", credential_name=credential.ref("name"),
        owner=owner))
    # The catalog keeps the key as its name: its schemas and volumes name it, and their catalog_name forces replacement.
    catalog = stack.add(Catalog(t, name=k, comment=f"{t}'s data", owner=owner,
                                storage_root=f"s3://{env.name}-{k}-catalog/"))
    stack.add(Grants(f"{t}_catalog", catalog=catalog.ref("name"), grants=[
        Grant(principal=engineers.ref("display_name"), privileges=["USE_CATALOG", "CREATE_SCHEMA"]),
        Grant(principal=scientists.ref("display_name"), privileges=["USE_CATALOG"]),
    ]))
    stack.add(Grants(f"{t}_landing", external_location=landing.ref("name"), grants=[
        Grant(principal=engineers.ref("display_name"), privileges=["READ_FILES", "WRITE_FILES"])]))
    for layer, readers in (("raw", []), ("curated", [scientists]), ("ml", [scientists])):
        schema = stack.add(Schema(f"{t}_{layer}", catalog_name=catalog.ref("name"), name=layer, owner=owner))
        stack.add(Grants(f"{t}_{layer}", schema=schema.id, grants=[
            Grant(principal=engineers.ref("display_name"), privileges=["USE_SCHEMA", "SELECT", "MODIFY", "CREATE_TABLE"]),
            *[Grant(principal=g.ref("display_name"), privileges=["USE_SCHEMA", "SELECT"]) for g in readers],
        ]))
        if layer == "raw":
            stack.add(Volume(f"{t}_raw_files", catalog_name=catalog.ref("name"), schema_name=schema.ref("name"),
                             name="files", volume_type="MANAGED", comment="landing files", owner=owner))


def _compute_and_jobs(stack: Stack, team: Team, sizing: Sizing, scientists: Group, engineers: Group,
                      robot: ServicePrincipal) -> None:
    t, k = team.name, team.key
    availability = "SPOT_WITH_FALLBACK" if sizing.spot else "ON_DEMAND"
    interactive = stack.add(ClusterPolicy(f"{t}_interactive", name=f"{t} interactive", definition={
        "autotermination_minutes": Range(max_value=120, default_value=60),
        "autoscale.max_workers": Range(max_value=team.max_workers),
        "node_type_id": Allowlist(values=NODE_TYPES, default_value=NODE_TYPES[0]),
        "data_security_mode": Allowlist(values=["USER_ISOLATION", "SINGLE_USER"]),
        "dbus_per_hour": Range(max_value=20),
        "custom_tags.team": Fixed(value=t),
    }))
    jobs_policy = stack.add(ClusterPolicy(f"{t}_jobs", name=f"{t} jobs", definition={
        "cluster_type": Fixed(value="job"),
        "num_workers": Range(max_value=team.max_workers * 2),
        "autoscale.max_workers": Range(max_value=team.max_workers * 2),
        "dbus_per_hour": Range(max_value=sizing.jobs_max_dbu_per_hour),
        "node_type_id": Allowlist(values=NODE_TYPES),
        "aws_attributes.availability": Fixed(value=availability),
        "custom_tags.team": Fixed(value=t),
    }))
    pool = stack.add(InstancePool(f"{t}_pool", instance_pool_name=f"{t} pool", node_type_id=NODE_TYPES[0],
                                  min_idle_instances=sizing.pool_min_idle, max_capacity=team.max_workers * 3,
                                  idle_instance_autotermination_minutes=15, preloaded_spark_versions=[RUNTIME],
                                  custom_tags={"team": t, "cost_center": team.cost_center}))
    shared = stack.add(Cluster(f"{t}_shared", cluster_name=f"{t} shared", spark_version=RUNTIME,
                               instance_pool_id=pool.id, policy_id=interactive.id, data_security_mode="USER_ISOLATION",
                               autoscale=Autoscale(min_workers=1, max_workers=min(4, team.max_workers)),
                               autotermination_minutes=60,
                               custom_tags={"team": t, "cost_center": team.cost_center}))
    warehouse = stack.add(SqlWarehouse(f"{t}_bi", name=f"{t} BI", cluster_size=sizing.warehouse_size,
                                       max_num_clusters=sizing.warehouse_max_clusters,
                                       auto_stop_mins=sizing.warehouse_auto_stop, warehouse_type="PRO",
                                       enable_serverless_compute=False,
                                       tags={"team": t, "cost_center": team.cost_center}))
    scope = stack.add(SecretScope(t, name=k))  # a scope's name forces replacement: the key keeps its secrets
    for key in ("warehouse_token", "source_db_password"):
        stack.add(Secret(f"{t}_{key}", scope=scope.ref("name"), key=key,
                         string_value=SecretValue(f"{k}_{key}", description=f"{k}'s {key.replace('_', ' ')}")))
    for group, label in ((scientists, "scientists"), (engineers, "engineers")):
        stack.add(SecretAcl(f"{t}_{label}_read", scope=scope.ref("name"), principal=group.ref("display_name"),
                            permission="READ"))
    job = stack.add(Job(
        f"{t}_nightly_etl", name=f"{t} nightly ETL", run_as=RunAs(service_principal_name=robot.ref("application_id")),
        schedule=Schedule(quartz_cron_expression="0 0 2 * * ?"), max_concurrent_runs=1,
        tags={"team": t, "cost_center": team.cost_center},
        job_clusters=[JobCluster(job_cluster_key="etl", new_cluster=NewCluster(
            spark_version=RUNTIME, node_type_id="m5d.xlarge", policy_id=jobs_policy.id,
            data_security_mode="SINGLE_USER", single_user_name=robot.ref("application_id"),
            autoscale=Autoscale(min_workers=1, max_workers=sizing.job_workers),
            aws_attributes=AwsAttributes(availability=availability, first_on_demand=1),
            custom_tags={"team": t, "cost_center": team.cost_center}))],
        tasks=[
            Task(task_key="ingest", job_cluster_key="etl", notebook_task=NotebookTask(notebook_path=f"/Shared/{k}/ingest")),
            Task(task_key="transform", depends_on=["ingest"], job_cluster_key="etl",
                 notebook_task=NotebookTask(notebook_path=f"/Shared/{k}/transform")),
            Task(task_key="publish", depends_on=["transform"], job_cluster_key="etl",
                 notebook_task=NotebookTask(notebook_path=f"/Shared/{k}/publish")),
        ]))
    _permissions(stack, t, scientists, engineers, robot, {
        "shared_cluster": ("cluster_id", shared.id, "CAN_RESTART", "CAN_MANAGE"),
        "interactive_policy": ("cluster_policy_id", interactive.id, "CAN_USE", "CAN_USE"),
        "jobs_policy": ("cluster_policy_id", jobs_policy.id, None, "CAN_USE"),
        "pool": ("instance_pool_id", pool.id, "CAN_ATTACH_TO", "CAN_MANAGE"),
        "nightly_etl": ("job_id", job.id, "CAN_VIEW", "CAN_MANAGE_RUN"),
        "bi": ("sql_endpoint_id", warehouse.id, "CAN_USE", "CAN_MANAGE"),
    })


def _permissions(stack: Stack, t: str, scientists: Group, engineers: Group, robot: ServicePrincipal,
                 objects: dict[str, tuple[str, object, str | None, str]]) -> None:
    for name, (selector, object_id, scientist_level, engineer_level) in objects.items():
        entries = [AccessControl(group_name=engineers.ref("display_name"), permission_level=engineer_level)]
        if scientist_level is not None:
            entries.append(AccessControl(group_name=scientists.ref("display_name"), permission_level=scientist_level))
        if selector == "job_id":
            entries.append(AccessControl(service_principal_name=robot.ref("application_id"), permission_level="IS_OWNER"))
        stack.add(Permissions(f"{t}_{name}", **{selector: object_id}, access_control=entries))


SIZING = {
    Mode.development: Sizing(),
    Mode.production: Sizing(pool_min_idle=1, warehouse_size="Small", warehouse_max_clusters=2,
                            warehouse_auto_stop=20, job_workers=8, jobs_max_dbu_per_hour=40, spot=False),
}

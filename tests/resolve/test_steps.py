"""Each resolve step on its own: presets change what they should, validations catch what they should."""

from __future__ import annotations

import pytest

from iac import (
    AccessControl,
    Catalog,
    Cluster,
    ConfigError,
    Environment,
    ExistingWorkspace,
    Group,
    Job,
    JobCluster,
    Library,
    Mode,
    NewCluster,
    NotebookTask,
    Permissions,
    RunAs,
    Schedule,
    Separation,
    SqlWarehouse,
    Stack,
    Task,
)
from iac.resolve.pipeline import STEPS, resolve
from iac.resolve.presets import apply_development_presets, apply_separation
from iac.resolve.tags import add_default_tags
from iac.resolve.validate import validate_production, validate_references

SHARED = ExistingWorkspace("shared", host="https://shared.cloud.databricks.com")


def _env(mode: Mode = Mode.development, **overrides: object) -> Environment:
    return Environment(name="dev", mode=mode, cloud="aws", region="us-east-1", account_id="acc",
                       build=lambda stack: None, developer="Al.Ice", **overrides)


def _stack(environment: Environment, *constructs: object) -> Stack:
    stack = Stack(environment)
    with stack.workspace(SHARED):
        for construct in constructs:
            stack.add(construct)  # type: ignore[arg-type]
    return stack


def _job(**overrides: object) -> Job:
    attributes: dict[str, object] = dict(
        name="etl", schedule=Schedule(quartz_cron_expression="0 0 2 * * ?"),
        tasks=[Task(task_key="t", job_cluster_key="c", notebook_task=NotebookTask(notebook_path="/x"))],
        job_clusters=[JobCluster(job_cluster_key="c", new_cluster=NewCluster(
            spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge", num_workers=1))])
    attributes.update(overrides)
    return Job("etl", **attributes)


def _cluster(**overrides: object) -> Cluster:
    attributes: dict[str, object] = dict(cluster_name="shared", spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge")
    attributes.update(overrides)
    return Cluster("shared", **attributes)


def test_steps_run_in_documented_order() -> None:
    assert [s.name for s in STEPS] == ["apply_separation", "apply_development_presets", "add_default_tags",
                                       "validate_production", "validate_references", "validate_schema"]


def test_development_presets_prefix_pause_and_cap_autotermination() -> None:
    env = _env()
    cluster, job, catalog = _cluster(autotermination_minutes=240), _job(), Catalog("main", name="main")
    apply_development_presets(env, _stack(env, cluster, job, catalog))
    assert cluster.cluster_name == "[dev al_ice] shared"
    assert job.name == "[dev al_ice] etl"
    assert catalog.name == "dev_al_ice_main"
    assert job.schedule is not None and job.schedule.pause_status == "PAUSED"
    assert cluster.autotermination_minutes == 30


def test_development_presets_turn_never_terminating_cluster_into_short_idle() -> None:
    env = _env()
    cluster = _cluster(autotermination_minutes=0)
    apply_development_presets(env, _stack(env, cluster))
    assert cluster.autotermination_minutes == 30


def test_development_presets_leave_production_alone() -> None:
    env = _env(Mode.production)
    cluster, job = _cluster(autotermination_minutes=240), _job(run_as=RunAs(service_principal_name="sp"))
    apply_development_presets(env, _stack(env, cluster, job))
    assert cluster.cluster_name == "shared" and cluster.autotermination_minutes == 240
    assert job.schedule is not None and job.schedule.pause_status is None


def test_indirect_separation_prefixes_identifiers_and_display_names() -> None:
    env = _env(Mode.production, separation=Separation.indirect)
    catalog, group, warehouse = Catalog("main", name="main"), Group("g", display_name="analysts"), \
        SqlWarehouse("bi", name="bi", cluster_size="Small")
    apply_separation(env, _stack(env, catalog, group, warehouse))
    assert (catalog.name, group.display_name, warehouse.name) == ("dev_main", "dev_analysts", "[dev] bi")


def test_default_tags_merge_and_resource_tags_win() -> None:
    env = _env(default_tags={"team": "default", "env": "dev"})
    cluster, job = _cluster(custom_tags={"team": "fraud"}), _job()
    add_default_tags(env, _stack(env, cluster, job))
    assert cluster.custom_tags == {"env": "dev", "team": "fraud"}
    assert job.tags == {"env": "dev", "team": "default"}
    assert job.job_clusters is not None and job.job_clusters[0].new_cluster.custom_tags == {"env": "dev", "team": "default"}


def test_each_step_records_the_values_it_set_in_the_plan_s_spelling() -> None:
    env = _env(default_tags={"team": "default", "env": "dev"})
    cluster, job = _cluster(custom_tags={"team": "fraud"}, autotermination_minutes=240), _job()
    warehouse = SqlWarehouse("bi", name="bi", cluster_size="Small", tags={"team": "fraud"})
    resolve(env, _stack(env, cluster, job, warehouse))
    tags, preset = "default_tags of environment dev", "development preset"
    assert cluster.origins == {"cluster_name": f"{preset} (names prefixed for al_ice)",
                               "autotermination_minutes": f"{preset} (at most 30 idle minutes)",
                               "custom_tags.env": tags}  # the cluster's own team tag wins, so it is not recorded
    assert job.origins == {"name": f"{preset} (names prefixed for al_ice)",
                           "schedule[0].pause_status": f"{preset} (schedules paused)",
                           "tags": tags,  # the job had none: the whole map is the environment's
                           "job_cluster[0].new_cluster[0].custom_tags": tags}
    # tags { custom_tags { key value } } sorted by key: env is new at [0], the warehouse's own team moved to [1]
    assert {p: o for p, o in warehouse.origins.items() if o == tags} == {
        "tags[0].custom_tags[0].key": tags, "tags[0].custom_tags[0].value": tags}


def test_a_construct_without_resolve_changes_has_no_origins() -> None:
    env = _env(Mode.production)
    cluster = _cluster(autotermination_minutes=60)
    apply_development_presets(env, _stack(env, cluster))
    assert cluster.origins == {}


@pytest.mark.parametrize(
    ("construct", "expected"),
    [
        pytest.param(lambda: _job(), "databricks_job.etl.run_as: production jobs must run as a service principal",
                     id="job without run_as"),
        pytest.param(lambda: _job(run_as=RunAs(user_name="al@example.com")), "must run as a service principal",
                     id="job run as a person"),
        pytest.param(lambda: Catalog("main", name="main", owner="al@example.com"),
                     "databricks_catalog.main.owner: owned by a person (al@example.com)", id="person owner"),
        pytest.param(lambda: Permissions("p", job_id="1", access_control=[AccessControl(user_name="al@example.com",
                                                                                        permission_level="IS_OWNER")]),
                     "access_control[0].user_name: IS_OWNER given to a person", id="person IS_OWNER"),
        pytest.param(lambda: _cluster(spark_version="latest"), "databricks_cluster.shared.spark_version: runtime 'latest' is not pinned",
                     id="unpinned runtime"),
        pytest.param(lambda: _cluster(library=[Library(pypi={"package": "pandas"})]),
                     "library[0].pypi.package: library 'pandas' is not pinned", id="unpinned library"),
    ],
)
def test_production_validations(construct, expected: str) -> None:  # type: ignore[no-untyped-def]
    env = _env(Mode.production)
    problems = validate_production(env, _stack(env, construct()))
    assert any(expected in p.format() for p in problems), [p.format() for p in problems]


def test_production_validations_pass_a_compliant_stack() -> None:
    env = _env(Mode.production)
    stack = _stack(env, _job(run_as=RunAs(service_principal_name="sp")), _cluster(), Catalog("c", name="c", owner="engineers"))
    assert validate_production(env, stack) == []


def test_reference_to_a_resource_not_in_the_stack_is_an_error() -> None:
    env = _env()
    orphan = Group("orphan", display_name="x")
    cluster = _cluster(single_user_name=orphan.ref("display_name"))
    problems = validate_references(env, _stack(env, cluster))
    assert problems and "refers to databricks_group.orphan, which was not added to the stack" in problems[0].format()


def test_resolve_raises_with_environment_name_on_errors() -> None:
    env = _env(Mode.production)
    with pytest.raises(ConfigError, match=r"\[dev\] databricks_job.etl.run_as"):
        resolve(env, _stack(env, _job()))

"""Every kind of construct error is one line naming file:line, environment, address and attribute."""

from __future__ import annotations

import pytest

from iac import (
    Autoscale,
    Cluster,
    ClusterPolicy,
    ConfigError,
    Grant,
    Grants,
    Job,
    NotebookTask,
    Resource,
    Schedule,
    Secret,
    SecretValue,
    SqlWarehouse,
    Stack,
    Task,
    azurerm,
)
from iac.constructs._base import environment_context

HERE = "tests/constructs/test_schema_errors.py"


def _cluster(**overrides: object) -> Cluster:
    attributes = {"cluster_name": "etl", "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge"}
    attributes.update(overrides)
    return Cluster("etl", **attributes)


def _error(build) -> str:  # type: ignore[no-untyped-def]
    with environment_context("prod"), pytest.raises(ConfigError) as raised:
        build()
    message = str(raised.value)
    assert "\n" not in message, "each problem must be one line"
    return message


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        pytest.param(lambda: _cluster(bogus_field=1),
                     "[prod] databricks_cluster.etl.bogus_field: Unsupported argument: An argument named \"bogus_field\" is not "
                     "expected here.",
                     id="unknown attribute"),
        pytest.param(lambda: _cluster(autotermination_minute=10),
                     'An argument named "autotermination_minute" is not expected here. Did you mean "autotermination_minutes"?',
                     id="unknown attribute with suggestion"),
        pytest.param(lambda: Cluster("etl", spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge"),
                     '[prod] databricks_cluster.etl.cluster_name: Missing required argument: The argument "cluster_name" is '
                     "required, but no definition was found.",
                     id="missing required typed attribute"),
        pytest.param(lambda: Resource("databricks_schema", "raw", name="raw"),
                     '[prod] databricks_schema.raw.catalog_name: Missing required argument: The argument "catalog_name" is '
                     "required, but no definition was found.",
                     id="missing required schema attribute"),
        pytest.param(lambda: _cluster(num_workers="two"),
                     "[prod] databricks_cluster.etl.num_workers: expected a reference or number, got str",
                     id="wrong type typed"),
        pytest.param(lambda: Resource("databricks_group", "g", display_name="g", workspace_access="yes"),
                     "[prod] databricks_group.g.workspace_access: expected bool, got string",
                     id="wrong type schema"),
        pytest.param(lambda: _cluster(spark_conf={"spark.x": 1}),
                     "databricks_cluster.etl.spark_conf.spark.x: expected a reference or string, got int",
                     id="wrong map value type"),
        pytest.param(lambda: _cluster(cluster_id="0101-abc"),
                     "databricks_cluster.etl.cluster_id: 'cluster_id' is computed by the provider and cannot be set",
                     id="computed-only attribute"),
        pytest.param(lambda: _cluster(cluster_log_conf=[{"dbfs": {"destination": "a"}}, {"dbfs": {"destination": "b"}}]),
                     "databricks_cluster.etl.cluster_log_conf: block 'cluster_log_conf' allows at most 1 item(s), got 2",
                     id="too many blocks"),
        pytest.param(lambda: _cluster(autoscale=Autoscale(min_workers=1, max_workers=2, maximum=3)),
                     'databricks_cluster.etl.autoscale.maximum: Unsupported argument: An argument named "maximum" is not expected '
                     "here.",
                     id="unknown attribute in block"),
        pytest.param(lambda: _cluster(num_workers=2, autoscale=Autoscale(min_workers=1, max_workers=2)),
                     "databricks_cluster.etl: set either num_workers (fixed size) or autoscale, not both",
                     id="model rule"),
        pytest.param(lambda: Cluster("bad name", cluster_name="x", spark_version="1", node_type_id="n"),
                     "invalid Terraform name 'bad name'", id="invalid Terraform name"),
        pytest.param(lambda: SqlWarehouse("bi", name="bi", cluster_size="Huge"),
                     "databricks_sql_endpoint.bi.cluster_size: expected '2X-Small', 'X-Small', 'Small', 'Medium', 'Large',"
                     " 'X-Large', '2X-Large', '3X-Large' or '4X-Large'", id="enum value"),
        pytest.param(lambda: SqlWarehouse("bi", name="bi", cluster_size="Smal"),
                     "databricks_sql_endpoint.bi.cluster_size: expected '2X-Small', 'X-Small', 'Small', 'Medium', 'Large',"
                     " 'X-Large', '2X-Large', '3X-Large' or '4X-Large' (did you mean 'Small'?)", id="enum typo"),
        pytest.param(lambda: SqlWarehouse("bi", name="bi", cluster_size="Small", warehouse_type="pro"),
                     "databricks_sql_endpoint.bi.warehouse_type: expected 'PRO' or 'CLASSIC' (did you mean 'PRO'?)",
                     id="enum case"),
        pytest.param(lambda: Schedule(quartz_cron_expression="0 0 2 * * ?", timezone_id="UTC", pause_status="PAUSD"),
                     "[prod] Schedule.pause_status: expected 'PAUSED' or 'UNPAUSED' (did you mean 'PAUSED'?)",
                     id="enum typo in a block"),
        pytest.param(lambda: Autoscale(min_workers=1, max_worker=4),
                     '[prod] Autoscale.max_worker: Unsupported argument: An argument named "max_worker" is not expected here. '
                     'Did you mean "max_workers"?',
                     id="keyword typo of a required block attribute"),
        pytest.param(lambda: Cluster("etl", cluster_nme="etl", spark_version="15.4.x-scala2.12"),
                     '[prod] databricks_cluster.etl.cluster_nme: Unsupported argument: An argument named "cluster_nme" is not '
                     'expected here. Did you mean "cluster_name"?',
                     id="keyword typo of a required attribute"),
        pytest.param(lambda: ClusterPolicy("p", name="p").polcy_id,
                     "[prod] databricks_cluster_policy.p.polcy_id: no attribute 'polcy_id' on databricks_cluster_policy"
                     " (did you mean 'policy_id'?)", id="attribute typo"),
        pytest.param(lambda: ClusterPolicy("p", name="p").ref("polcy_id"),
                     "[prod] databricks_cluster_policy.p.polcy_id: no attribute 'polcy_id' to refer to on"
                     " databricks_cluster_policy (did you mean 'policy_id'?)", id="reference typo"),
        pytest.param(lambda: Autoscale(min_workers=1, max_workers=4).max_worker,
                     "[prod] Autoscale.max_worker: no attribute 'max_worker' on Autoscale (did you mean 'max_workers'?)",
                     id="attribute typo on a block"),
        pytest.param(lambda: Job("j", name="j", tasks=[Task(task_key="a", depends_on=["b"],
                                                              notebook_task=NotebookTask(notebook_path="/x"))]),
                     "databricks_job.j: task 'a' depends on unknown task 'b'", id="job task graph"),
        pytest.param(lambda: Grants("g", catalog="c", schema="s", grants=[Grant(principal="p", privileges=["SELECT"])]),
                     "databricks_grants.g: set exactly one securable", id="grants securable"),
    ],
)
def test_construct_error_is_one_line_with_location(build, expected: str) -> None:  # type: ignore[no-untyped-def]
    message = _error(build)
    assert expected in message
    assert message.startswith(HERE + ":"), message


def test_literal_secret_value_is_an_error_that_never_echoes_the_value() -> None:
    message = _error(lambda: Secret("s", scope="team", key="token", string_value="hunter2-canary"))
    assert "databricks_secret.s.string_value: a literal secret value is not allowed" in message
    assert "hunter2-canary" not in message


def test_literal_for_any_sensitive_schema_attribute_is_an_error() -> None:
    message = _error(lambda: Resource("databricks_storage_credential", "c", name="c",
                                      azure_service_principal={"directory_id": "d", "application_id": "a",
                                                               "client_secret": "s3cr3t-canary"}))
    assert "azure_service_principal.client_secret: literal value for sensitive attribute" in message
    assert "s3cr3t-canary" not in message


def test_secret_value_reference_is_accepted() -> None:
    secret = Secret("s", scope="team", key="token", string_value=SecretValue("team_token"))
    assert secret.body()["string_value"] == "${var.team_token}"


def test_duplicate_address_names_both_places() -> None:
    stack = Stack()
    stack.add(Resource("terraform_data", "p"))
    message = _error(lambda: stack.add(Resource("terraform_data", "p")))
    assert "terraform_data.p: duplicate resource address (first defined at tests/constructs/" in message


def test_workspace_resource_outside_a_workspace_is_an_error() -> None:
    message = _error(lambda: Stack().add(ClusterPolicy("p", name="a")))
    assert "workspace-level resource added outside a workspace" in message


def test_reading_a_computed_attribute_gives_a_reference() -> None:
    policy = ClusterPolicy("jobs", name="jobs")
    assert str(policy.id) == "${databricks_cluster_policy.jobs.id}"
    assert str(policy.ref("policy_id")) == "${databricks_cluster_policy.jobs.policy_id}"
    with pytest.raises(ConfigError, match="no attribute 'nope' to refer to"):
        policy.ref("nope")


@pytest.mark.parametrize(("path", "expected"), [
    ((0,), "${azurerm_databricks_access_connector.c.identity[0]}"),
    ((0, "principal_id"), "${azurerm_databricks_access_connector.c.identity[0].principal_id}"),
    ((0, "not.a name"), '${azurerm_databricks_access_connector.c.identity[0]["not.a name"]}'),
], ids=["index", "index then attribute", "key that is not a name"])
def test_a_reference_indexes_into_a_nested_value(path: tuple[int | str, ...], expected: str) -> None:
    reference = azurerm.DatabricksAccessConnector("c", name="c", resource_group_name="g", location="l").ref("identity")
    for step in path:
        reference = reference[step]
    assert str(reference) == expected  # the applied Azure estate resolves one (tests/apply/test_apply_azure.py)
    with pytest.raises(TypeError):
        list(reference)  # not a sequence: `for x in ref` would otherwise loop over 0, 1, 2... forever


def test_an_attribute_typo_is_still_an_attribute_error_for_hasattr() -> None:
    policy = ClusterPolicy("jobs", name="jobs")
    assert not hasattr(policy, "polcy_id") and getattr(policy, "polcy_id", "fallback") == "fallback"
    assert not hasattr(Autoscale(min_workers=1, max_workers=2), "maximum")


def test_attribute_typo_names_the_line_that_reads_it_not_the_construction() -> None:
    policy = ClusterPolicy("jobs", name="jobs")
    made = int(policy.source.rsplit(":", 1)[1])
    message = _error(lambda: policy.polcy_id)
    assert message.startswith(f"{HERE}:{made + 2}:"), message


def test_construct_records_where_it_was_made() -> None:
    policy = ClusterPolicy("jobs", name="jobs")
    assert policy.source.startswith(HERE + ":")


def test_a_body_changed_after_its_check_is_checked_again_even_when_python_calls_it_equal() -> None:
    """Synth checks final bodies again and skips one that encodes as the body found valid at creation; `True`
    equals `1` in Python, so the skip compares canonical JSON, not dicts."""
    cluster = Cluster("c", cluster_name="x", spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge", num_workers=1,
                      autotermination_minutes=10)
    body = cluster.body()
    assert cluster.schema_problems(body) == []
    [problem] = cluster.schema_problems({**body, "num_workers": True})
    assert (problem.address, problem.attribute, problem.summary) == ("databricks_cluster.c", "num_workers",
                                                                     "expected number, got bool")

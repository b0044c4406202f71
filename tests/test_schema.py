import json

from iac.schema import DATABRICKS_PROVIDER_VERSION, MISSING, load_schemas, provider_source, schema_data_path


def test_pinned_provider_version_is_the_one_the_schema_data_reflects() -> None:
    notes = json.loads(schema_data_path().read_text())["_notes"]
    assert notes["databricks_provider"]["version"] == DATABRICKS_PROVIDER_VERSION


def test_cluster_schema_has_defaults_force_new_and_blocks() -> None:
    cluster = load_schemas().get("databricks_cluster")
    assert cluster is not None
    assert cluster.block.attributes["autotermination_minutes"].default == 60
    assert cluster.block.attributes["spark_version"].required
    assert cluster.block.attributes["idempotency_token"].force_new
    assert cluster.block.attributes["cluster_name"].default is MISSING
    autoscale = cluster.block.block_types["autoscale"]
    assert autoscale.single and autoscale.nesting == "list"


def test_secret_value_is_sensitive_and_forces_replacement() -> None:
    secret = load_schemas().get("databricks_secret")
    assert secret is not None
    value = secret.block.attributes["string_value"]
    assert value.sensitive and value.force_new


def test_builtin_terraform_data_is_known() -> None:
    schema = load_schemas().get("terraform_data")
    assert schema is not None and schema.block.attributes["triggers_replace"].force_new
    assert provider_source("terraform_data") == "terraform.io/builtin/terraform"
    assert provider_source("databricks_job") == "registry.terraform.io/databricks/databricks"

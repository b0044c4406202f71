import json

from iac.schema import DATABRICKS_PROVIDER_VERSION, MISSING, load_schemas, provider_source, schema_data_path


def test_pinned_provider_version_is_the_one_the_schema_data_reflects() -> None:
    notes = json.loads(schema_data_path().read_text())["_notes"]
    assert notes["origin"]["version"].startswith(DATABRICKS_PROVIDER_VERSION + " ")


def test_every_databricks_type_and_data_source_and_the_cloud_types_are_loaded() -> None:
    schemas = load_schemas()
    databricks = [t for t in schemas.types() if t.startswith("databricks_")]
    assert len(databricks) == 143 and len([t for t in schemas.data_types() if t.startswith("databricks_")]) == 125
    for family, count in (("aws_", 24), ("azurerm_", 13), ("google_", 7), ("random_", 3), ("time_", 2), ("null_", 1)):
        assert len([t for t in schemas.types() if t.startswith(family)]) == count, family
    assert {"aws_iam_policy_document", "aws_caller_identity", "azurerm_client_config"} <= set(schemas.data_types())
    for source, version in (("databricks/databricks", "1.110.0"), ("hashicorp/aws", "5.100.0"),
                            ("hashicorp/azurerm", "4.55.0"), ("hashicorp/google", "6.50.0")):
        assert schemas.providers[f"registry.terraform.io/{source}"].version == version


def test_attributes_named_description_and_the_notebook_path_rule_are_back() -> None:
    schemas = load_schemas()
    assert schemas.get("databricks_job").block.attributes["description"].optional  # type: ignore[union-attr]
    assert schemas.get("databricks_notebook").block.attributes["path"].force_new  # type: ignore[union-attr]


def test_plugin_framework_nested_attributes_keep_their_attributes_and_derived_type() -> None:
    app = load_schemas().get("databricks_app")
    assert app is not None
    git = app.block.attributes["git_repository"]
    assert git.nesting == "single" and git.nested is not None and git.nested.attributes["url"].required
    assert git.type == ["object", {"provider": "string", "url": "string"}]
    assert app.attribute(("git_repository", "url")) is git.nested.attributes["url"]


def test_approximate_schemas_are_marked_and_their_id_is_computed() -> None:
    schemas = load_schemas()
    account = schemas.get("azurerm_storage_account")
    assert account is not None and account.approximate and account.block.attributes["id"].computed
    vpc = schemas.get("aws_vpc")
    assert vpc is not None and not vpc.approximate
    # the hand-transcribed Azure workspace replaces the approximate entry of the cloud file
    workspace = schemas.get("azurerm_databricks_workspace")
    assert workspace is not None and not workspace.approximate
    assert workspace.block.attributes["public_network_access_enabled"].default is True


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

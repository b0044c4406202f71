"""Blocks checked against their schema with Terraform's wording, naming file, address and attribute:
required arguments, unknown arguments with "did you mean", values for computed-only attributes. Checked
before anything is planned, so a block with `count = 0` is checked too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from iac.config import load_config
from iac.config.schemacheck import suggestion
from iac.diagnostics import ConfigError
from iac.diff.engine import plan
from iac.schema import load_schemas
from iac.state import State
from tests.diff.helpers import plan_config

CLUSTER = {"cluster_name": "etl", "spark_version": "15.4.x-scala2.12", "num_workers": 1}

JSON_ROWS: list[tuple[str, str, dict[str, Any], str]] = [
    ("missing required argument", "databricks_cluster", {"cluster_name": "etl"},
     'main.tf.json: databricks_cluster.x.spark_version: Missing required argument: The argument "spark_version" is '
     "required, but no definition was found."),
    ("misspelt argument", "databricks_cluster", {**CLUSTER, "spark_vresion": "1"},
     'main.tf.json: databricks_cluster.x.spark_vresion: Extraneous JSON object property: No argument or block type is '
     'named "spark_vresion". Did you mean "spark_version"?'),
    ("unknown argument, nothing close", "databricks_cluster", {**CLUSTER, "colour": "red"},
     'main.tf.json: databricks_cluster.x.colour: Extraneous JSON object property: No argument or block type is named '
     '"colour".'),
    ("computed-only attribute", "databricks_cluster", {**CLUSTER, "cluster_id": "1"},
     'main.tf.json: databricks_cluster.x.cluster_id: Invalid configuration for read-only attribute: "cluster_id" is '
     "computed by the provider and cannot be set in configuration."),
    ("missing argument in a nested block", "databricks_cluster", {**CLUSTER, "autoscale": {"max_workers": 2},
                                                                  "library": [{"maven": {}}]},
     'main.tf.json: databricks_cluster.x.library.0.maven.coordinates: Missing required argument: The argument '
     '"coordinates" is required, but no definition was found.'),
    ("aws type", "aws_vpc", {"cidr_blok": "10.0.0.0/16"},
     'main.tf.json: aws_vpc.x.cidr_blok: Extraneous JSON object property: No argument or block type is named '
     '"cidr_blok". Did you mean "cidr_block"?'),
    ("plugin-framework type", "databricks_app", {"nme": "a"},
     'main.tf.json: databricks_app.x.nme: Extraneous JSON object property: No argument or block type is named "nme". '
     'Did you mean "name"?'),
    ("data source", "databricks_aws_assume_role_policy", {},
     'main.tf.json: data.databricks_aws_assume_role_policy.x.external_id: Missing required argument: The argument '
     '"external_id" is required, but no definition was found.'),
]


@pytest.mark.parametrize(("rtype", "body", "message"), [r[1:] for r in JSON_ROWS], ids=[r[0] for r in JSON_ROWS])
def test_terraform_json_blocks_are_checked_with_terraform_wording(rtype: str, body: dict[str, Any], message: str) -> None:
    mode = "data" if load_schemas().get(rtype) is None else "resource"
    with pytest.raises(ConfigError) as error:
        plan_config({mode: {rtype: {"x": body}}})
    assert str(error.value) == message


def test_a_block_with_count_zero_is_checked_too() -> None:
    with pytest.raises(ConfigError, match="Missing required argument"):
        plan_config({"resource": {"databricks_cluster": {"x": {"count": 0, "cluster_name": "etl"}}}})


def test_hcl_files_get_the_native_syntax_wording(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "databricks_cluster" "etl" {\n  spark_vresion = "15.4.x"\n}\n')
    with pytest.raises(ConfigError) as error:
        plan(load_config(tmp_path), State.empty(), load_schemas())
    assert str(error.value).endswith(
        'main.tf:1: databricks_cluster.etl.spark_vresion: Unsupported argument: An argument named "spark_vresion" is '
        'not expected here. Did you mean "spark_version"?')
    (tmp_path / "main.tf").write_text('resource "databricks_cluster" "etl" {\n  cluster_name = "x"\n}\n')
    with pytest.raises(ConfigError, match='main.tf:1: databricks_cluster.etl.spark_version: Missing required argument'):
        plan(load_config(tmp_path), State.empty(), load_schemas())


def test_dynamic_blocks_count_as_written() -> None:
    body = {**CLUSTER, "dynamic": {"library": [{"for_each": ["a"], "content": {"jar": "${library.value}"}}]}}
    result = plan_config({"resource": {"databricks_cluster": {"x": body}}})
    assert [rc.action.value for rc in result.resource_changes] == ["create"]


@pytest.mark.parametrize(("given", "expected"), [
    ("spark_vresion", "spark_version"), ("clustername", "cluster_name"), ("xyz", None), ("num_worker", "num_workers"),
])
def test_suggestions_are_within_edit_distance_two(given: str, expected: str | None) -> None:
    names = sorted(load_schemas().get("databricks_cluster").block.names())  # type: ignore[union-attr]
    assert suggestion(given, names) == expected

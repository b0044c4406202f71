"""A provider's plan drops what Terraform knew about an unknown (its refinements), against Terraform with the
real hashicorp/aws 5.100.0 provider (skipped where this machine does not have it): a bucket named from a
template is not known to start with the template's text, nor to be non-null, once the provider planned it;
Terraform's own `terraform_data` keeps both in its `input` (and not in its `output`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.providers.aws_oracle import AwsOracle, aws_config, needs_aws_provider

pytestmark = [needs_aws_provider, pytest.mark.oracle]

CONFIG: dict[str, Any] = {
    "resource": {
        "aws_vpc": {"v": {"cidr_block": "10.0.0.0/16"}},
        "aws_s3_bucket": {"b": {"bucket": "pre-${aws_vpc.v.id}"}, "c": {"bucket": "${terraform_data.t.input}"}},
        "terraform_data": {"t": {"input": "pre-${aws_vpc.v.id}"}},
    },
    "output": {
        "template": {"value": '${startswith("pre-${aws_vpc.v.id}", "pre")}'},
        "bucket": {"value": '${startswith(aws_s3_bucket.b.bucket, "pre")}'},
        "bucket_not_null": {"value": "${aws_s3_bucket.b.bucket != null}"},
        "through_terraform_data": {"value": '${startswith(aws_s3_bucket.c.bucket, "pre")}'},
        "input": {"value": '${startswith(terraform_data.t.input, "pre")}'},
        "input_not_null": {"value": "${terraform_data.t.input != null}"},
        "output": {"value": '${startswith(terraform_data.t.output, "pre")}'},
        "id_not_null": {"value": "${aws_vpc.v.id != null}"},
    },
}


def test_refinements_are_kept_and_dropped_where_terraform_keeps_and_drops_them(tmp_path: Path) -> None:
    oracle = AwsOracle(tmp_path)
    config = aws_config(CONFIG)
    expected = oracle.plan(config)["planned_values"]["outputs"]
    actual = oracle.iac_plan(config)["planned_values"]["outputs"]
    known = {name: output.get("value") for name, output in expected.items()}
    assert known["template"] is True and known["input"] is True and known.get("bucket") is None  # the point
    assert {name: output.get("value") for name, output in actual.items()} == known

"""Data sources a provider computes locally, from their configuration alone (no API call): the policy documents.

Shared by the two places that must compute them as the real providers do: iac's planner (Terraform reads these
while planning, so iac computes them exactly) and the sandbox provider (which answers Terraform's reads). It
depends on nothing but iac.schema, so neither imports the other.

    aws.py             aws_iam_policy_document (hashicorp/aws 5.100.0)
    databricks_aws.py  databricks_aws_assume_role_policy, _crossaccount_policy, _bucket_policy,
                       _unity_catalog_policy, _unity_catalog_assume_role_policy (databricks/databricks 1.110.0)
    gojson.py          Go's encoding/json output, byte for byte
    sdkset.py          the order in which an SDKv2 provider iterates a set

`LOCAL_READERS[type](config, schema)` returns the state the provider writes for that configuration; it raises
one of `READ_ERRORS` with the provider's own message for a configuration the provider refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from iac.datasources.aws import PolicyError, read_policy_document
from iac.datasources.databricks_aws import READERS, DataSourceError
from iac.schema import ResourceSchema

__all__ = ["LOCAL_READERS", "READ_ERRORS"]

LOCAL_READERS: Mapping[str, Callable[[dict[str, Any], ResourceSchema], dict[str, Any]]] = {
    "aws_iam_policy_document": read_policy_document,
    **READERS,
}

READ_ERRORS = (PolicyError, DataSourceError)

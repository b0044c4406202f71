"""The simulated clouds behind the sandbox providers: what each API (or local provider) computes for an object.

    databricks.py  workspace and account APIs (and what they add on their own: iac.sandbox.suppress's reason)
    aws.py         the AWS account of the aws provider configuration
    azure.py       the Azure subscription of the azurerm provider configuration
    google.py      the Google Cloud project of the google provider configuration
    local.py       random, time, null: values computed in Terraform's process
    _context.py    what a value may depend on (serial, host, account, region...) and the shared shapes

`RULES` maps a resource type to its rule; types without one get iac.sandbox.computed's generic values.
"""

from __future__ import annotations

from collections.abc import Mapping

from iac.sandbox.api import aws, azure, databricks, google, local
from iac.sandbox.api._context import DEFAULT_HOST, SANDBOX_USER, Context, Rule, Values
from iac.sandbox.api.azure import SECRET_LIKE
from iac.sandbox.api.databricks import server_additions

__all__ = ["Context", "DEFAULT_HOST", "RULES", "Rule", "SANDBOX_USER", "SECRET_LIKE", "Values", "server_additions"]

RULES: Mapping[str, Rule] = {**databricks.RULES, **aws.RULES, **azure.RULES, **google.RULES, **local.RULES}

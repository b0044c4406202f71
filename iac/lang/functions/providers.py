"""Which providers' functions iac evaluates, and under which address a module's required_providers entry
names its provider.

Terraform calls a provider-defined function (`provider::NAME::FN`) through the provider the calling module
declares as NAME in its required_providers; iac runs no provider, so it evaluates only the functions it
carries itself: those of Terraform's built-in provider (tfprovider) and of hashicorp/aws (awsprovider),
whatever local name the module gives them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iac.lang.cty import Value
from iac.lang.functions import Function
from iac.lang.functions.awsprovider import AWS_SOURCE, aws_function

__all__ = ["EVALUATED_SOURCES", "function_of", "qualified_source"]

_REGISTRY = "registry.terraform.io"

BUILTIN_SOURCE = "terraform.io/builtin/terraform"

EVALUATED_SOURCES = (BUILTIN_SOURCE, AWS_SOURCE)
"""The providers whose functions iac evaluates, as qualified_source writes them."""


def qualified_source(local: str, written: str) -> str:
    """The full provider address of a required_providers entry, lower case (Terraform compares addresses
    case-insensitively): an entry without a source means the provider Terraform implies for its local name
    (hashicorp/NAME, but the built-in provider for `terraform`), and so does a one-part source (`aws`, probed
    with Terraform 1.15); a two-part source is on the public registry."""
    parts = written.lower().split("/") if written else [local.lower()]
    if len(parts) == 1:
        return BUILTIN_SOURCE if parts[0] == "terraform" else f"{_REGISTRY}/hashicorp/{parts[0]}"
    return "/".join([_REGISTRY, *parts] if len(parts) == 2 else parts)


def function_of(source: str, namespace: str, name: str, constant: Callable[[Any], Value]) -> Function | None:
    """The function `name` of the provider at `source` (one of EVALUATED_SOURCES), named as called; None
    when that provider has no such function. `constant` is what tfprovider's decode_tfvars needs."""
    if source == AWS_SOURCE:
        return aws_function(namespace, name)
    from iac.lang.functions.tfprovider import provider_function  # its HCL writer: 9 ms of start-up, only if called

    return provider_function(namespace, name, constant)

"""The functions of the hashicorp/aws provider (5.100.0), which Terraform gets by calling the provider while
planning: `arn_parse`, `arn_build`, `trim_iam_role_path`. They are pure and offline, so iac evaluates them
itself, where the module declares hashicorp/aws (see iac.lang.functions.providers).

Signatures come from the provider (iac/data/aws-functions.json, its `terraform providers schema -json`);
bodies mirror the provider's internal/function package, checked against it (tests/providers/
test_aws_functions_oracle.py):

- ARNs are split as aws-sdk-go-v2's `arn.Parse` splits them: the text must start with `arn:` (else
  `arn: invalid prefix`), then six `:`-separated sections, the last one keeping any further colons (else
  `arn: not enough sections`); no section is checked, any may be empty;
- `arn_build` joins its arguments with `:` after `arn:`, checking nothing;
- `trim_iam_role_path` parses, then wants service `iam`, an empty region and a resource starting `role/`,
  in that order, and keeps only what follows the resource's last `/`.

The provider's errors reach Terraform as "Error in function call" (not "Invalid function argument"),
so they are raised without an argument index. Null arguments, unknowns and sensitive values are the
caller's (iac.lang.functions.call), as Terraform core handles them before calling a provider: no
parameter allows null or unknown, so a null is refused and an unknown gives an unknown result; marks
are removed and put on the result.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import Function, FunctionError, Param

__all__ = ["AWS_SOURCE", "aws_function"]

AWS_SOURCE = "registry.terraform.io/hashicorp/aws"
_SECTIONS = ("partition", "service", "region", "account_id", "resource")


def _split_arn(text: str) -> dict[str, str]:
    """aws-sdk-go-v2 aws/arn.Parse, with its error texts."""
    if not text.startswith("arn:"):
        raise FunctionError("arn: invalid prefix.")
    sections = text.split(":", 5)
    if len(sections) != 6:
        raise FunctionError("arn: not enough sections.")
    return dict(zip(_SECTIONS, sections[1:], strict=True))


def _joined(parts: dict[str, str]) -> str:
    return "arn:" + ":".join(parts[name] for name in _SECTIONS)


def _arn_parse(arn: Value) -> Value:
    return cty.object_value({name: cty.string(part) for name, part in _split_arn(arn.v).items()})


def _arn_build(*parts: Value) -> Value:
    return cty.string(_joined(dict(zip(_SECTIONS, (p.v for p in parts), strict=True))))


def _trim_iam_role_path(arn: Value) -> Value:
    parts = _split_arn(arn.v)
    if parts["service"] != "iam":
        raise FunctionError('service must be "iam".')
    if parts["region"]:
        raise FunctionError("region must be empty.")
    if not parts["resource"].startswith("role/"):
        raise FunctionError('resource must begin with "role/".')
    parts["resource"] = "role/" + parts["resource"].rpartition("/")[2]
    return cty.string(_joined(parts))


_IMPLEMENTATIONS: dict[str, Callable[..., Value]] = {
    "arn_build": _arn_build, "arn_parse": _arn_parse, "trim_iam_role_path": _trim_iam_role_path}


@functools.cache
def _signatures() -> dict[str, Any]:
    text = (resources.files("iac") / "data" / "aws-functions.json").read_text(encoding="utf-8")
    functions: dict[str, Any] = json.loads(text)["functions"]
    return functions


def _param(spec: dict[str, Any]) -> Param:
    # `is_nullable` is the provider's AllowNullValue; Terraform core (internal/providers/functions.go) lets an
    # unknown of dynamic type through only to a dynamic parameter
    kind = cty.type_from_json(spec["type"])
    return Param(spec["name"], kind, allow_null=bool(spec.get("is_nullable")), allow_dynamic=kind == cty.DYNAMIC)


def aws_function(namespace: str, name: str) -> Function | None:
    """The provider's function `name`, named as called (`provider::aws::arn_parse`, or the module's own local
    name for hashicorp/aws: Terraform's messages use it); None when the provider offers no such function."""
    spec = _signatures().get(name)
    impl = _IMPLEMENTATIONS.get(name)
    if spec is None or impl is None:
        return None
    variadic = spec.get("variadic_parameter")
    return Function(f"{namespace}{name}", tuple(_param(p) for p in spec["parameters"]),
                    _param(variadic) if variadic else None, cty.type_from_json(spec["return_type"]), impl)

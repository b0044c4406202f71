"""Which required_providers entries name a provider whose functions iac evaluates (the behaviour of each
entry shape checked against Terraform in tests/providers/test_aws_functions_oracle.py), and iac's refusal
of the functions of any other provider."""

from __future__ import annotations

import pytest

from iac.lang import ast
from iac.lang.cty import Value
from iac.lang.evaluate import EvalError, evaluate_expr
from iac.lang.functions import FunctionContext
from iac.lang.functions.providers import EVALUATED_SOURCES, qualified_source
from iac.lang.hcl import parse_expression


@pytest.mark.parametrize(("local", "written", "expected"), [
    ("aws", "hashicorp/aws", "registry.terraform.io/hashicorp/aws"),
    ("amz", "registry.terraform.io/HashiCorp/AWS", "registry.terraform.io/hashicorp/aws"),
    ("aws", "", "registry.terraform.io/hashicorp/aws"),
    ("aws", "aws", "registry.terraform.io/hashicorp/aws"),
    ("terraform", "", "terraform.io/builtin/terraform"),
    ("tf", "Terraform.io/builtin/terraform", "terraform.io/builtin/terraform"),
    ("aws", "someone/aws", "registry.terraform.io/someone/aws"),
    ("aws", "example.com/hashicorp/aws", "example.com/hashicorp/aws"),
], ids=["namespace/type", "another local name, in capitals", "no source", "one part", "terraform, no source",
        "built-in, in capitals", "another namespace", "another registry"])
def test_the_provider_an_entry_names(local: str, written: str, expected: str) -> None:
    assert qualified_source(local, written) == expected


def test_only_the_builtin_and_aws_providers_are_evaluated() -> None:
    assert EVALUATED_SOURCES == ("terraform.io/builtin/terraform", "registry.terraform.io/hashicorp/aws")


class _DeclaresRandom:
    functions = FunctionContext(declared_providers=frozenset({"random"}))

    def lookup(self, traversal: ast.ScopeTraversal) -> tuple[Value, int]:
        raise EvalError("no references here", traversal.pos)


def test_another_providers_function_is_one_line_naming_it() -> None:
    with pytest.raises(EvalError) as refused:
        evaluate_expr(parse_expression("provider::random::x(1)", "<expr>"), _DeclaresRandom())
    assert str(refused.value) == ('<expr>:1: Call to unknown function: There is no function named '
                                  '"provider::random::x". iac evaluates only the functions of '
                                  'terraform.io/builtin/terraform and hashicorp/aws (it runs no provider).')

"""iac's plan next to real Terraform's, through the sandbox providers, for every resource type of the schema data.

Per provider, every type is created from its required arguments (tests/sandbox/every_type.py) and both plans
of the create are compared; then, applied, each type gets a new value for an optional argument that does not
force replacement (one sandbox), or for an argument that does (another), and both plans are compared again.
The sandbox plans each type from the schema data as its provider does (iac.sandbox.planner), so where iac and
Terraform disagree, iac's planner does not plan that type as the provider would.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

import pytest

from iac.sandbox.schema import PROVIDERS, resource_schemas
from iac.sandbox.session import start_sandbox
from iac.schema import Attribute, ResourceSchema

from .conftest import disagreements, plans_both, terraform, write_config
from .every_type import every_type_config

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

def _changeable(attribute: Attribute) -> bool:
    return (attribute.type in ("string", "number", "bool", ["map", "string"]) and attribute.nested is None and not attribute.deprecated
            and not attribute.force_new_conditional and not attribute.diff_suppress and attribute.name != "id")


def _other(attribute: Attribute, current: Any) -> Any:
    """A value of the attribute's type other than `current`."""
    if attribute.type == "bool":
        return not current if isinstance(current, bool) else True
    if attribute.type == "number":
        return (current + 1) if isinstance(current, int) else 3
    if attribute.type == ["map", "string"]:
        return {**(current or {}), "changed": "yes"}
    return f"{current}-2" if isinstance(current, str) else "changed"


def _update_target(schema: ResourceSchema) -> str | None:
    """An optional, configurable argument whose change is an in-place update."""
    names = [n for n, a in sorted(schema.block.attributes.items())
             if _changeable(a) and a.optional and not a.computed and not a.force_new]
    return names[0] if names else None


def _replace_target(schema: ResourceSchema) -> str | None:
    """An argument whose change replaces the resource."""
    names = [n for n, a in sorted(schema.block.attributes.items())
             if _changeable(a) and (a.optional or a.required) and a.force_new]
    return names[0] if names else None


CHANGES = {"update": _update_target, "replace": _replace_target}
"""Two rounds per provider, each in its own sandbox (some objects are one per workspace or account)."""


@cache
def targets(provider: str, change: str) -> dict[str, str]:
    """Type -> the argument the change sets, for the types that have one."""
    found = {}
    for type_name, schema in resource_schemas(provider).items():
        target = CHANGES[change](schema)
        if target is not None:
            found[type_name] = target
    return found


def config(provider: str, change: str | None = None) -> dict[str, Any]:
    """Every type created from its required arguments; with `change`, each type's target set anew."""
    document = every_type_config(provider)
    if change is not None:
        schemas = resource_schemas(provider)
        for type_name, argument in targets(provider, change).items():
            body = document["resource"][type_name]["one"]
            body[argument] = _other(schemas[type_name].block.attributes[argument], body.get(argument))
    return document


class ProviderPlans(NamedTuple):
    """Terraform's and iac's plans (comparable form) of the create, and of each change once created."""

    provider: str
    created: tuple[dict[str, Any], dict[str, Any]]
    changed: dict[str, tuple[dict[str, Any], dict[str, Any]]]


@pytest.fixture(scope="module", params=sorted(PROVIDERS))
def provider_plans(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ProviderPlans:
    provider = request.param
    created: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    changed = {}
    for change in CHANGES:
        with start_sandbox(tmp_path_factory.mktemp(f"{provider}-{change}") / "sandbox") as sandbox:
            tf = sandbox.terraform(write_config(sandbox, config(provider)))
            created = plans_both(tf)
            terraform(tf, "apply", "-auto-approve")
            write_config(sandbox, config(provider, change))
            changed[change] = plans_both(tf)
    return ProviderPlans(provider, created, changed)


def test_every_type_creates_as_terraform_plans_it(provider_plans: ProviderPlans) -> None:
    provider, (theirs, ours) = provider_plans.provider, provider_plans.created
    assert {a for a, c in theirs.items() if a[0] != "<" and c["actions"] == ["create"]} == {
        f"{t}.one" for t in resource_schemas(provider)}
    assert disagreements(theirs, ours) == {}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_update_and_replacement_plans_as_terraform_plans_it(provider_plans: ProviderPlans, change: str) -> None:
    provider, (theirs, ours) = provider_plans.provider, provider_plans.changed[change]
    action = ["update"] if change == "update" else ["delete", "create"]
    expected = {f"{t}.one": action for t in targets(provider, change)}
    if not expected:
        what = "updates in place" if change == "update" else "always replaces (not only under a condition)"
        pytest.skip(f"no {provider} type has a primitive or map argument that {what}")
    assert {a: c["actions"] for a, c in theirs.items() if a in expected} == expected
    assert disagreements(theirs, ours) == {}

"""Generated over the schema data: every resource type and data source of every provider plans.

For each resource type: a create from its required arguments (and required blocks), the in-place update
of an optional attribute from the state that create would leave, and the replacement caused by a
force_new attribute. For each data source: a plan from its required arguments. Values are generated from
the attribute types; what each case expects follows from the schema (and, for "may replace", from
iac.diff.replacement).
"""

from __future__ import annotations

from typing import Any

import pytest

from iac.diff.providers import planner_for
from iac.plan.model import may_replace_reason
from iac.schema import BUILTIN_TYPES, Attribute, Block, load_schemas
from iac.values import Unknown
from tests.diff.helpers import fake_apply, plan_config

SCHEMAS = load_schemas()
TYPES = [t for t in SCHEMAS.types() if t != "terraform_data"]
DATA_SOURCES = [t for t in SCHEMAS.data_types() if t not in BUILTIN_TYPES]  # terraform_remote_state: its own tests


def sample(type_: Any, variant: int = 0) -> Any:
    """A value of a Terraform type; `variant` 1 gives a different one."""
    if type_ == "string":
        return ("alpha", "beta")[variant]
    if type_ == "number":
        return (1, 2)[variant]
    if type_ == "bool":
        return (True, False)[variant]
    if type_ == "dynamic":
        return ("x", "y")[variant]
    kind = type_[0]
    if kind in ("list", "set"):
        return [sample(type_[1], variant)]
    if kind == "map":
        return {"key": sample(type_[1], variant)}
    if kind == "object":
        return {name: sample(t, variant) for name, t in type_[1].items()}
    return [sample(t, variant) for t in type_[1]]  # tuple


def required_body(block: Block, variant: int = 0) -> dict[str, Any]:
    """Every required argument and block (recursively), nothing else."""
    body: dict[str, Any] = {}
    for name, attribute in block.attributes.items():
        if attribute.required:
            body[name] = nested_sample(attribute, variant)
    for name, nested in block.block_types.items():
        if nested.min_items:
            item = required_body(nested.block, variant)
            body[name] = item if nested.single else [item] * nested.min_items
    return body


def nested_sample(attribute: Attribute, variant: int = 0) -> Any:
    if attribute.nested is None:
        return sample(attribute.type, variant)
    item = required_body(attribute.nested, variant)
    return item if attribute.nesting == "single" else {"key": item} if attribute.nesting == "map" else [item]


def _simple(attribute: Attribute) -> bool:
    return attribute.nested is None and attribute.type != "dynamic" and not (
        isinstance(attribute.type, list) and attribute.type[0] in ("object", "tuple"))


def _updatable(rtype: str) -> str | None:
    block = SCHEMAS.get(rtype).block  # type: ignore[union-attr]
    for name, attribute in sorted(block.attributes.items()):
        if ((attribute.optional or attribute.required) and not attribute.force_new and not attribute.force_new_conditional
                and not attribute.state_func and not attribute.diff_suppress and name not in ("id", "tags_all")
                and _simple(attribute) and not _ruled(rtype, name)):
            return name
    return None


def _ruled(rtype: str, name: str) -> bool:
    """A normalisation rule of iac.diff.rules applies (its values are not plain)."""
    return bool(planner_for(rtype, SCHEMAS).rules.get(name))  # type: ignore[attr-defined]


def _force_new(rtype: str) -> str | None:
    block = SCHEMAS.get(rtype).block  # type: ignore[union-attr]
    for name, attribute in sorted(block.attributes.items()):
        if attribute.force_new and (attribute.optional or attribute.required) and not attribute.diff_suppress \
                and not attribute.state_func and _simple(attribute) and not _ruled(rtype, name):
            return name
    return None


@pytest.mark.parametrize("rtype", TYPES)
def test_every_type_is_created_from_its_required_arguments(rtype: str) -> None:
    result = plan_config({"resource": {rtype: {"x": required_body(SCHEMAS.get(rtype).block)}}})  # type: ignore[union-attr]
    (change,) = result.resource_changes
    assert change.action.value == "create"
    assert all(not d.summary.startswith("no schema") for d in result.diagnostics)
    computed = [n for n, a in SCHEMAS.get(rtype).block.attributes.items() if a.computed_only]  # type: ignore[union-attr]
    assert all(isinstance(change.after[n], Unknown) for n in computed), "computed attributes are known after apply"


UPDATABLE = [(t, a) for t in TYPES if (a := _updatable(t)) is not None]


@pytest.mark.parametrize(("rtype", "attribute"), UPDATABLE, ids=[f"{t}.{a}" for t, a in UPDATABLE])
def test_every_type_updates_an_argument_in_place(rtype: str, attribute: str) -> None:
    block = SCHEMAS.get(rtype).block  # type: ignore[union-attr]
    body = required_body(block)
    state = fake_apply(plan_config({"resource": {rtype: {"x": {**body, attribute: nested_sample(block.attributes[attribute])}}}}))
    changed = {**body, attribute: nested_sample(block.attributes[attribute], 1)}
    (change,) = plan_config({"resource": {rtype: {"x": changed}}}, state).resource_changes
    assert change.action.value == "update"
    reasons = {path.split(".")[0].split("[")[0]: why for path, why in change.reasons.items()}
    planner = planner_for(rtype, SCHEMAS)
    expected = "set in config" if planner.rules_known else may_replace_reason(rtype)
    assert reasons[attribute] == expected


REPLACEABLE = [(t, a) for t in TYPES if (a := _force_new(t)) is not None]


@pytest.mark.parametrize(("rtype", "attribute"), REPLACEABLE, ids=[f"{t}.{a}" for t, a in REPLACEABLE])
def test_every_type_is_replaced_by_a_force_new_attribute(rtype: str, attribute: str) -> None:
    block = SCHEMAS.get(rtype).block  # type: ignore[union-attr]
    body = {**required_body(block), attribute: nested_sample(block.attributes[attribute])}
    state = fake_apply(plan_config({"resource": {rtype: {"x": body}}}))
    changed = {**body, attribute: nested_sample(block.attributes[attribute], 1)}
    (change,) = plan_config({"resource": {rtype: {"x": changed}}}, state).resource_changes
    assert change.action.value == "delete-create"
    assert (attribute,) in change.replace_paths


@pytest.mark.parametrize("data_type", DATA_SOURCES)
def test_every_data_source_plans_from_its_required_arguments(data_type: str) -> None:
    result = plan_config({"data": {data_type: {"x": required_body(SCHEMAS.data(data_type).block)}}})  # type: ignore[union-attr]
    changes = result.resource_changes
    assert [c.action.value for c in changes] in ([], ["read"])
    how = result.data_reads[next(iter(result.data_reads))][0]
    assert how in ("computed", "apply")


def test_the_generated_tables_cover_every_type() -> None:
    """Every resource type gets a create; the update and replacement tables leave out only types without
    such an attribute (no update path, or nothing force_new)."""
    assert len(TYPES) == 193 and len(DATA_SOURCES) == 130
    without_update = {t for t in TYPES if _updatable(t) is None}
    without_force_new = {t for t in TYPES if _force_new(t) is None}
    for rtype in without_update:  # every optional attribute replaces, is computed, or needs a rule
        block = SCHEMAS.get(rtype).block  # type: ignore[union-attr]
        assert not [n for n, a in block.attributes.items() if (a.optional or a.required) and not a.computed
                    and not a.force_new
                    and _simple(a) and n != "id" and not a.state_func and not a.diff_suppress and not _ruled(rtype, n)
                    and not a.force_new_conditional]
    assert len(UPDATABLE) + len(without_update) == len(TYPES)
    assert len(REPLACEABLE) + len(without_force_new) == len(TYPES)

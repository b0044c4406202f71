"""Generated over the schema data: every resource type and data source has a construct, and each generated one is
built from its required arguments, synthesized, loaded with iac's loader and planned; everything it computes reads
as a reference. And the checked-in modules are what the generator writes today."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pytest

import iac
from iac import ExistingWorkspace, Stack
from iac.config import load_document
from iac.constructs import Construct, DataSource, Ref, SecretValue
from iac.constructs import generated as generated_package
from iac.constructs._generate import generate, hand_written_types, stale
from iac.environment import Environment, Mode
from iac.schema import BUILTIN_TYPES, Attribute, Block, ResourceSchema, load_schemas
from iac.synth.document import document
from iac.workflows.planning import preview

SCHEMAS = load_schemas()
NAMESPACES = sorted(m.name for m in pkgutil.iter_modules(generated_package.__path__))
CLASSES: dict[str, type[Construct]] = {}
"""`TYPE` or `data.TYPE` -> its generated class (imported lazily by each test)."""
MODULE_OF = {address: (namespace, name) for namespace in NAMESPACES
             for address, name in importlib.import_module(f"iac.constructs.generated.{namespace}").CLASSES.items()}
ENV = Environment(name="gen", mode=Mode.production, cloud="aws", region="us-east-1",
                  account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001", build=lambda stack: None)


def _class(address: str) -> type[Construct]:
    namespace, name = MODULE_OF[address]
    cls: type[Construct] = getattr(importlib.import_module(f"iac.constructs.generated.{namespace}"), name)
    return cls


def test_generated_modules_are_what_the_generator_writes() -> None:
    assert stale(generate()) == [], "run `make constructs` and review the diff"


def test_every_type_of_the_schema_data_has_a_class() -> None:
    """Generated, or hand-written (those keep their ergonomics and get no generated twin)."""
    hand_written = hand_written_types()
    resources = [t for t in SCHEMAS.types() if t != "terraform_data"]
    assert {t for t in resources if t not in hand_written} == {a for a in MODULE_OF if not a.startswith("data.")}
    data_sources = [t for t in SCHEMAS.data_types() if t not in BUILTIN_TYPES]
    assert {f"data.{t}" for t in data_sources} == {a for a in MODULE_OF if a.startswith("data.")}
    assert len(resources) == 193 and len(data_sources) == 130 and len(hand_written) == 28


def test_the_namespaces_are_the_generated_packages() -> None:
    assert sorted(iac._NAMESPACES) == NAMESPACES
    from iac import aws, databricks

    assert aws.IamRole.TF_TYPE == "aws_iam_role" and databricks.Pipeline.TF_TYPE == "databricks_pipeline"


def test_generated_databricks_classes_are_public_and_blocks_stay_in_their_namespace() -> None:
    from iac import Pipeline, databricks

    assert Pipeline is databricks.Pipeline and "Pipeline" in iac.__all__
    assert "PipelineCluster" in databricks.__all__ and "PipelineCluster" not in iac.__all__


# -- values from the schema ------------------------------------------------------------------------------------
def _value(type_: Any, name: str, sensitive: bool = False) -> Any:
    if type_ == "string":
        return SecretValue(f"v_{name}") if sensitive and name != "account_id" else "alpha"
    if type_ == "number":
        return 1
    if type_ == "bool":
        return True
    if type_ == "dynamic":
        return "x"
    kind, inner = type_[0], type_[1]
    if kind in ("list", "set"):
        return [_value(inner, name)]
    if kind == "map":
        return {"key": _value(inner, name)}
    if kind == "object":
        return {key: _value(t, key) for key, t in inner.items()}
    return [_value(t, name) for t in inner]


def required_arguments(block: Block) -> dict[str, Any]:
    """Every required argument and block (recursively), nothing else, as keyword arguments."""
    arguments: dict[str, Any] = {}
    for name, attribute in block.attributes.items():
        if attribute.required:
            arguments[name] = _attribute_value(attribute)
    for name, nested in block.block_types.items():
        if nested.min_items:
            item = required_arguments(nested.block)
            arguments[name] = item if nested.single else [item] * nested.min_items
    return arguments


def _attribute_value(attribute: Attribute) -> Any:
    if attribute.nested is None:
        return _value(attribute.type, attribute.name, attribute.sensitive)
    item = required_arguments(attribute.nested)
    return {"single": item, "map": {"key": item}}.get(attribute.nesting or "", [item])


def _build(address: str) -> tuple[Construct, ResourceSchema, Stack]:
    cls = _class(address)
    data = address.startswith("data.")
    schema = SCHEMAS.of("data" if data else "managed", cls.TF_TYPE)
    assert schema is not None
    stack = Stack(ENV)
    with stack.workspace(ExistingWorkspace("ws", "https://dbc-1.cloud.databricks.com")):
        construct = cls("x", **required_arguments(schema.block))  # type: ignore[call-arg]
        stack.data(construct) if isinstance(construct, DataSource) else stack.add(construct)
    return construct, schema, stack


@pytest.mark.parametrize("address", sorted(MODULE_OF))
def test_every_generated_type_builds_synthesizes_and_plans(address: str, tmp_path: Path) -> None:
    construct, schema, stack = _build(address)
    doc = document(ENV, stack)
    section = "data" if address.startswith("data.") else "resource"
    assert construct.local_name in doc[section][schema.type]
    module = load_document(doc, file=str(tmp_path / "main.tf.json"), base_dir=tmp_path)
    variables = {name: "value" for name in doc.get("variable", {})}
    plan = preview(module, None, variables=variables)
    actions = [change["change"]["actions"] for change in plan.get("resource_changes", [])]  # none: Terraform omits the key
    if section == "resource":
        assert actions == [["create"]]
    else:
        assert actions in ([], [["read"]])


@pytest.mark.parametrize("address", sorted(MODULE_OF))
def test_everything_a_generated_type_computes_reads_as_a_reference(address: str) -> None:
    construct, schema, _ = _build(address)
    computed = [n for n, a in schema.block.attributes.items() if a.computed]
    for name in computed:
        value = getattr(construct, name) if name not in _shadowed(construct) else construct.ref(name)
        assert value == Ref(construct, name), name
        assert str(value) == "${" + f"{construct.address}.{name}" + "}"


def _shadowed(construct: Construct) -> set[str]:
    """Attributes whose name the construct API takes (`source`...): read with `.ref(name)`."""
    return {n for cls in type(construct).__mro__[1:] for n in vars(cls) if cls.__module__.startswith("iac.constructs._")
            or cls.__module__ == "iac.constructs.datasource"}

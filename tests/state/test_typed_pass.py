"""The state reader decodes terraform_data attributes typed in its first pass (iac.state.typed) and
falls back to raw attributes for anything it does not fully understand: both ways give the same
objects to the planner and the same attributes to readers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iac._jsonio import canonical_bytes, loads
from iac.diff.providers import planner_for
from iac.schema import load_schemas
from iac.state import read_state
from iac.state.typed import DataAttributes, Wrapped, decode_data_attributes
from iac.values import strict_equal
from tests.properties.strategies import VALUES


def _data(name: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"mode": "managed", "type": "terraform_data", "name": name,
            "provider": 'provider["terraform.io/builtin/terraform"]',
            "instances": [{"schema_version": 0, "attributes": attributes, "sensitive_attributes": []}]}


_TYPE = ["object", {"n": "number", "tags": ["object", {"t": "string"}]}]  # as Terraform writes it for this value
_PLAIN = {"id": "a1", "input": {"value": {"n": 1.50, "tags": {"t": "x"}}, "type": _TYPE},
          "output": {"value": {"n": 1.50, "tags": {"t": "x"}}, "type": _TYPE},
          "triggers_replace": None}
_OTHER = {"mode": "managed", "type": "acme_thing", "name": "n", "provider": 'provider["registry.terraform.io/acme/acme"]',
          "instances": [{"schema_version": 0, "attributes": {"id": "9", "triggers": {"a": "b"}}}]}


def _write(tmp_path: Path, resources: list[dict[str, Any]]) -> Path:
    path = tmp_path / "terraform.tfstate"
    path.write_text(json.dumps({"version": 4, "terraform_version": "1.15.5", "serial": 1, "lineage": "l",
                                "outputs": {}, "resources": resources}))
    return path


@pytest.mark.parametrize(("resources", "typed"), [
    ([_data("a", _PLAIN)], True),
    ([_data("a", _PLAIN), _OTHER], False),
    ([_data("a", {**_PLAIN, "future_attribute": 1})], False),
], ids=["terraform_data only: typed", "unknown type: raw", "unknown attribute: raw"])
def test_typed_and_raw_reads_agree(tmp_path: Path, resources: list[dict[str, Any]], typed: bool) -> None:
    state = read_state(_write(tmp_path, resources))
    obj = state.resources[0].instances[0]
    written = resources[0]["instances"][0]["attributes"]
    assert isinstance(obj.raw_attributes, DataAttributes) is typed
    # the state form, wrappers and types included (the typed pass skips the stored type and infers it)
    assert obj.attributes == loads(json.dumps(written))
    if isinstance(written["input"], dict):
        prior = planner_for("terraform_data", load_schemas()).prior_value(obj)
        assert prior["input"] == {"n": Decimal("1.5"), "tags": {"t": "x"}}
        assert prior["output"] == prior["input"] and prior["id"] == "a1" and prior["triggers_replace"] is None


@pytest.mark.parametrize(("output", "shared"), [
    ({"value": {"n": 1.50, "tags": {"t": "x"}}, "type": _TYPE}, True),
    ({"value": {"tags": {"t": "x"}, "n": 1.5}, "type": _TYPE}, False),  # equal value, other text: decoded apart
    ({"value": {"n": 2, "tags": {"t": "x"}}, "type": _TYPE}, False),
    (None, False),
], ids=["same text: one object", "same value, other text", "other value", "null output"])
def test_output_shares_the_input_object_only_when_their_text_is_the_same(
        tmp_path: Path, output: Any, shared: bool) -> None:
    """After an apply `output` is a copy of `input`: the reader decodes such a copy once. Sharing is
    exact because equal JSON text is an equal value; anything else is decoded on its own."""
    state = read_state(_write(tmp_path, [_data("a", {**_PLAIN, "output": output})]))
    attributes = state.resources[0].instances[0].raw_attributes
    assert isinstance(attributes, DataAttributes)
    assert (attributes.output is attributes.input) is shared
    expected_output = None if output is None else loads(json.dumps(output["value"]))
    assert (attributes.output.value if attributes.output else None) == expected_output
    # the planner's decoder for raw attributes (states the typed pass falls back on) shares the same way
    from_raw = decode_data_attributes(json.dumps({**_PLAIN, "output": output, "future_attribute": 1}).encode())
    assert (from_raw.output is from_raw.input) is shared
    assert (from_raw.output.value if from_raw.output else None) == expected_output


_CONFIG_INPUT = {"n": Decimal("1.5"), "tags": {"t": "x"}}  # as the loader decodes `{"tags": {"t": "x"}, "n": 1.5}`


@pytest.mark.parametrize(("stored", "candidate", "adopted"), [
    ({"n": 1.5, "tags": {"t": "x"}}, _CONFIG_INPUT, True),
    ({"n": 1.50, "tags": {"t": "x"}}, {"tags": {"t": "x"}, "n": Decimal("1.5")}, True),  # key order of the config: free
    ({"tags": {"t": "x"}, "n": 1.5}, _CONFIG_INPUT, False),  # not Terraform's sorted order: decoded
    ({"n": 1.5, "tags": {"t": "x"}}, {"n": Decimal("1.50"), "tags": {"t": "x"}}, False),  # other spelling: decoded
    ({"n": 1, "tags": {"t": "x"}}, {"n": True, "tags": {"t": "x"}}, False),
    ({"n": 1.5, "tags": {"t": "x"}}, {"n": Decimal("1.5"), "tags": {"t": "y"}}, False),  # another value
    ({"n": 1.5, "tags": {"t": "x"}}, {"n": Decimal("1.5"), "tags": {"t": object()}}, False),  # not JSON: decoded
], ids=["equal", "config keys unsorted", "state keys unsorted", "1.50 vs 1.5", "true vs 1", "other value", "not JSON"])
def test_an_unchanged_value_adopts_the_configuration_object(tmp_path: Path, stored: Any, candidate: Any,
                                                             adopted: bool) -> None:
    """A stored value whose compact text is the candidate's canonical JSON becomes the candidate itself
    (never decoded); anything else is decoded from the state, whatever the candidate holds."""
    wrapped = {"value": stored, "type": _TYPE}
    state = read_state(_write(tmp_path, [_data("a", {**_PLAIN, "input": wrapped, "output": wrapped})]))
    attributes = state.resources[0].instances[0].raw_attributes
    assert isinstance(attributes, DataAttributes) and attributes.input is not None
    value = attributes.input.value_like(candidate)
    assert (value is candidate) is adopted
    assert value == loads(json.dumps(stored))
    assert attributes.input.value is value  # decided once: later reads give the same object


def test_the_planner_adopts_configuration_values_only_for_plain_configuration(tmp_path: Path) -> None:
    """A block of plain JSON shares its values with the planned prior; a block with references does not
    (its evaluated values may not be what the JSON decoder builds)."""
    from iac.config import load_document
    from iac.workflows.planning import make_plan

    stored = {"value": {"n": 1.5, "tags": {"t": "x"}}, "type": _TYPE}
    state = read_state(_write(tmp_path, [_data("a", {**_PLAIN, "input": stored, "output": stored}),
                                         _data("b", {**_PLAIN, "id": "b1", "input": stored, "output": stored})]))
    document = loads(json.dumps({"resource": {"terraform_data": {
        "a": {"input": {"tags": {"t": "x"}, "n": 1.5}},
        "b": {"input": {"tags": {"t": "${terraform_data.a.input.tags.t}"}, "n": 1.5}}}}}))  # exact, as from a file
    module = load_document(document, file="main.tf.json", base_dir=tmp_path)
    plan = make_plan(module, state, config_text=b"")
    changes = {str(rc.address): rc for rc in plan.resource_changes}
    assert plan.summary() == {"import": 0, "add": 0, "change": 0, "destroy": 0}
    assert changes["terraform_data.a"].before["input"] is module.resources["terraform_data.a"].body["input"]
    assert changes["terraform_data.a"].before["output"] is changes["terraform_data.a"].before["input"]
    assert changes["terraform_data.b"].before["input"] is not module.resources["terraform_data.b"].body["input"]
    assert changes["terraform_data.b"].before["input"] == {"n": Decimal("1.5"), "tags": {"t": "x"}}


def test_a_python_float_is_never_adopted(tmp_path: Path) -> None:
    """A Python caller's document may hold floats, which `strict_equal` does not take for exact numbers:
    such blocks are planned exactly as without adoption (the stored value decoded, the float unequal)."""
    from iac.config import load_document
    from iac.workflows.planning import make_plan

    stored = {"value": {"n": 1.5}, "type": ["object", {"n": "number"}]}
    state = read_state(_write(tmp_path, [_data("a", {**_PLAIN, "input": stored, "output": stored})]))
    module = load_document({"resource": {"terraform_data": {"a": {"input": {"n": 1.5}}}}}, file="main.tf.json",
                           base_dir=tmp_path)
    assert not module.resources["terraform_data.a"].exact_numbers
    change = make_plan(module, state, config_text=b"").resource_changes[0]
    assert change.before["input"] == {"n": Decimal("1.5")} and type(change.before["input"]["n"]) is Decimal
    assert change.action.value == "update"


@settings(max_examples=300, deadline=None)
@given(stored=VALUES, other=VALUES, same=st.booleans())
def test_adopting_a_configuration_value_never_changes_the_value(stored: Any, other: Any, same: bool) -> None:
    """Whatever the candidate, `value_like` gives what decoding the stored text gives: the same value,
    the same types (true is not 1, 1.5 stays exact)."""
    text = canonical_bytes(stored)  # Terraform's form: compact, keys sorted
    candidate = loads(text) if same else other
    value = Wrapped(text).value_like(candidate)
    expected = loads(text)
    assert canonical_bytes(value) == canonical_bytes(expected)
    assert strict_equal(value, expected)


def test_a_copied_state_keeps_its_values(tmp_path: Path) -> None:
    """Copying or pickling a state builds its structs again: values already compacted or decided are
    kept as they are (a copy once tried to compact a decided value and failed)."""
    import copy
    import pickle

    state = read_state(_write(tmp_path, [_data("a", _PLAIN)]))
    expected = {"n": Decimal("1.5"), "tags": {"t": "x"}}
    for decided in (False, True):
        if decided:
            state.resources[0].instances[0].raw_attributes.input.value  # noqa: B018 - decides the value
        for clone in (copy.deepcopy(state), pickle.loads(pickle.dumps(state))):
            attributes = clone.resources[0].instances[0].raw_attributes
            assert attributes.input.value == expected and attributes.output is attributes.input
            assert clone.resources[0].instances[0].attributes == state.resources[0].instances[0].attributes

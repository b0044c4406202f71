"""The state reader decodes terraform_data attributes typed in its first pass (iac.state.typed) and
falls back to raw attributes for anything it does not fully understand: both ways give the same
objects to the planner and the same attributes to readers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from iac._jsonio import loads
from iac.diff.providers import planner_for
from iac.schema import load_schemas
from iac.state import read_state
from iac.state.typed import DataAttributes, decode_data_attributes


def _data(name: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"mode": "managed", "type": "terraform_data", "name": name,
            "provider": 'provider["terraform.io/builtin/terraform"]',
            "instances": [{"schema_version": 0, "attributes": attributes, "sensitive_attributes": []}]}


_TYPE = ["object", {"n": "number", "tags": ["object", {"t": "string"}]}]  # as Terraform writes it for this value
_PLAIN = {"id": "a1", "input": {"value": {"n": 1.50, "tags": {"t": "x"}}, "type": _TYPE},
          "output": {"value": {"n": 1.50, "tags": {"t": "x"}}, "type": _TYPE},
          "triggers_replace": None}
_OTHER = {"mode": "managed", "type": "null_resource", "name": "n", "provider": 'provider["registry.terraform.io/hashicorp/null"]',
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
    ([_data("a", {**_PLAIN, "input": "not wrapped"})], False),
], ids=["terraform_data only: typed", "unknown type: raw", "unknown attribute: raw", "unwrapped value: raw"])
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

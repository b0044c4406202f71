"""A state value the provider schema cannot hold is unusable, as Terraform finds it (go-cty's JSON decode):
one line per value naming the file, address and attribute, never the value; what cty converts is accepted."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iac._jsonio import dumps
from iac.diagnostics import StateError
from iac.state.tfstate import parse_state


def _state(rtype: str, attributes: dict[str, Any]) -> str:
    return dumps({"version": 4, "terraform_version": "1.15.5", "serial": 1, "lineage": "l", "outputs": {},
                  "resources": [{"mode": "managed", "type": rtype, "name": "x",
                                 "provider": 'provider["registry.terraform.io/databricks/databricks"]',
                                 "instances": [{"schema_version": 0, "attributes": {"id": "1", **attributes}}]}]})


ACCEPTED = [
    pytest.param("databricks_cluster", {"num_workers": 2}, id="number"),
    pytest.param("databricks_cluster", {"num_workers": "2"}, id="number as text"),
    pytest.param("databricks_cluster", {"num_workers": "2.5e1"}, id="number text with exponent"),
    pytest.param("databricks_cluster", {"cluster_name": 7}, id="number where a string goes"),
    pytest.param("databricks_cluster", {"cluster_name": True}, id="bool where a string goes"),
    pytest.param("databricks_cluster", {"is_pinned": "true"}, id="bool as text"),
    pytest.param("databricks_cluster", {"is_pinned": "1"}, id="bool as 1 (cty converts it)"),
    pytest.param("databricks_cluster", {"num_workers": None, "autoscale": None}, id="nulls"),
    pytest.param("databricks_cluster", {"no_such_attribute": [1, {"x": 2}]}, id="unknown attribute (provider drops it)"),
    pytest.param("databricks_cluster", {"autoscale": [{"min_workers": 1, "max_workers": "4"}]}, id="nested block"),
    pytest.param("databricks_cluster", {"custom_tags": {"team": "a", "n": 1}}, id="map of string"),
    pytest.param("databricks_cluster", {"spark_env_vars": {}}, id="empty map"),
    pytest.param("terraform_data", {"input": {"value": "lots", "type": "string"}}, id="terraform_data is dynamic"),
]


@pytest.mark.parametrize(("rtype", "attributes"), ACCEPTED)
def test_values_cty_can_decode_are_accepted(rtype: str, attributes: dict[str, Any]) -> None:
    assert parse_state(_state(rtype, attributes)).resources


REJECTED = [
    pytest.param({"num_workers": "lots"}, "num_workers: state value does not fit the provider schema: a number is"
                 " required, got a string", id="text that is no number"),
    pytest.param({"is_pinned": "yes"}, "is_pinned: state value does not fit the provider schema: a bool is required,"
                 " got a string", id="text that is no bool"),
    pytest.param({"num_workers": "1_000"}, "num_workers: state value does not fit the provider schema: a number is"
                 " required, got a string", id="text Go does not parse as a number"),
    pytest.param({"num_workers": " 2"}, "num_workers: state value does not fit the provider schema: a number is"
                 " required, got a string", id="a number with a space"),
    pytest.param({"is_pinned": 1}, "is_pinned: state value does not fit the provider schema: a bool is required, got a"
                 " number", id="number where a bool goes"),
    pytest.param({"cluster_name": ["a"]}, "cluster_name: state value does not fit the provider schema: a string is"
                 " required, got a list", id="list where a string goes"),
    pytest.param({"custom_tags": ["a"]}, "custom_tags: state value does not fit the provider schema: a map is required,"
                 " got a list", id="list where a map goes"),
    pytest.param({"custom_tags": {"team": {"x": 1}}}, "custom_tags.team: state value does not fit the provider schema:"
                 " a string is required, got an object", id="map element"),
    pytest.param({"autoscale": [{"max_workers": "many"}]}, "autoscale[0].max_workers: state value does not fit the"
                 " provider schema: a number is required, got a string", id="inside a nested block"),
    pytest.param({"autoscale": {"max_workers": 4}}, "autoscale: state value does not fit the provider schema: block"
                 " 'autoscale' must be a list of objects, got an object", id="block shape"),
]


@pytest.mark.parametrize(("attributes", "expected"), REJECTED)
def test_values_cty_cannot_decode_are_one_line_each(attributes: dict[str, Any], expected: str) -> None:
    with pytest.raises(StateError) as raised:
        parse_state(_state("databricks_cluster", attributes), source="prod.tfstate")
    assert [d.format() for d in raised.value.diagnostics] == [f"prod.tfstate: databricks_cluster.x.{expected}"]


def test_a_secret_value_is_never_echoed() -> None:
    with pytest.raises(StateError) as raised:
        parse_state(_state("databricks_secret", {"string_value": {"canary": "s3cr3t-canary"}}))
    assert "s3cr3t-canary" not in str(raised.value) and "string_value" in str(raised.value)


def test_many_problems_are_capped_with_a_count() -> None:
    resources = [{"mode": "managed", "type": "databricks_cluster", "name": f"c{i}",
                  "provider": 'provider["registry.terraform.io/databricks/databricks"]',
                  "instances": [{"schema_version": 0, "attributes": {"id": str(i), "num_workers": "lots"}}]}
                 for i in range(14)]
    text = dumps({"version": 4, "serial": 1, "lineage": "l", "outputs": {}, "resources": resources})
    with pytest.raises(StateError) as raised:
        parse_state(text, source="s")
    lines = [d.format() for d in raised.value.diagnostics]
    assert len(lines) == 11 and lines[-1] == "s: and 4 more state value(s) that do not fit"



CLUSTER = {"cluster_name": "etl", "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 2,
           "is_pinned": True, "autoscale": None, "custom_tags": {"n": "1"}}


@pytest.mark.parametrize(("stored", "decoded", "actions"), [
    pytest.param({"is_pinned": "true"}, True, ["no-op"], id="true as text"),
    pytest.param({"is_pinned": "1"}, True, ["no-op"], id="true as 1"),
    pytest.param({"is_pinned": "0"}, False, ["update"], id="false as 0: a change"),
    pytest.param({"num_workers": "2"}, 2, ["no-op"], id="a number as text"),
    pytest.param({"num_workers": "2.0e0"}, 2, ["no-op"], id="a number as text with an exponent"),
    pytest.param({"cluster_name": 7}, "7", ["update"], id="a number where a string goes"),
    pytest.param({"custom_tags": {"n": 1}}, {"n": "1"}, ["no-op"], id="a number in a map of strings"),
])
def test_converted_values_are_planned_as_terraform_decodes_them(stored: dict[str, Any], decoded: Any,
                                                                actions: list[str]) -> None:
    """Terraform plans against the decoded (converted) value: `"1"` for a bool is `true`, no change."""
    from iac.plan.jsonplan import to_json
    from iac.workflows.planning import make_plan
    from tests.diff.helpers import full_attributes

    attributes = full_attributes("databricks_cluster", {**CLUSTER, **stored, "cluster_id": "1"})
    state = parse_state(_state("databricks_cluster", attributes))
    document = to_json(make_plan({"resource": {"databricks_cluster": {"x": CLUSTER}}}, state, env={}))
    (change,) = document.get("resource_changes", [])
    assert change["change"]["actions"] == actions
    assert dumps(change["change"]["before"][next(iter(stored))]) == dumps(decoded)  # typed: true, not "1" or 1


def test_a_number_in_a_set_of_strings_is_planned_as_its_text() -> None:
    """Found by the fuzz suite: `privileges = [1e3, "SELECT"]` in state made the set ordering compare a
    number with text (TypeError); cty reads the number as the string "1000", so does iac."""
    from iac.plan.jsonplan import to_json
    from iac.workflows.planning import make_plan

    grants = {"catalog": "main", "grant": [{"principal": "data-eng", "privileges": ["SELECT", "USE_CATALOG"]}]}
    stored = {**grants, "grant": [{"principal": "data-eng", "privileges": [1e3, "SELECT"]}]}
    state = parse_state(_state("databricks_grants", stored).replace("1000.0", "1e3"))
    document = to_json(make_plan({"resource": {"databricks_grants": {"x": grants}}}, state, env={}))
    (change,) = document.get("resource_changes", [])
    assert change["change"]["before"]["grant"][0]["privileges"] == ["1000", "SELECT"]
    assert change["change"]["actions"] == ["update"]


def _outcome(text: str) -> Any:
    """What parse_state makes of a state: each object's attributes as iac reads them, or the problem lines."""
    try:
        state = parse_state(text, source="s")
    except StateError as error:
        return [d.format() for d in error.diagnostics]
    return [(r.type, [dumps(o.attributes) for o in r.instances]) for r in state.resources]


def _both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """The outcome checked in Python (a type's first objects) and in C (its decoder), each from a clean slate."""
    from iac.state import conform

    outcomes = []
    for after in (10**9, 0):  # never build a decoder; build it at once
        monkeypatch.setattr(conform, "_DECODER_AFTER", after)
        monkeypatch.setattr(conform, "_DECODERS", {})
        monkeypatch.setattr(conform, "_WALKED", {})
        outcomes.append(_outcome(text))
    return outcomes[0], outcomes[1]


_CASES = [*(p.values[1] for p in ACCEPTED if p.values[0] == "databricks_cluster"), *(p.values[0] for p in REJECTED),
          {"is_pinned": "0"}, {"num_workers": "2.0e0"}, {"num_workers": 2.0}, {"num_workers": 12345678901234567890123},
          {"custom_tags": {"n": 1.5e300}}, {"cluster_name": "\u00e9\U0001f600"}, {"autoscale": [None]}]


@pytest.mark.parametrize("attributes", _CASES, ids=[str(c)[:40] for c in _CASES])
def test_a_state_reads_the_same_checked_in_python_or_in_c(attributes: dict[str, Any],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A small state's objects are walked in Python (building a type's C decoder costs more than a few walks);
    a large one's are checked in C. Either way a state reads the same: same values, same problems."""
    walked, decoded = _both_ways(_state("databricks_cluster", attributes), monkeypatch)
    assert walked == decoded


_JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                               st.text(max_size=6), st.sampled_from(["1", "0", "true", "2.5e1", " 2", "1_000"])),
                     lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner,
                                                                                           max_size=3)), max_leaves=8)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attributes=st.dictionaries(st.sampled_from(["num_workers", "cluster_name", "is_pinned", "custom_tags", "autoscale",
                                                   "spark_conf", "library", "no_such_attribute"]), _JSON, max_size=4))
def test_any_state_reads_the_same_checked_in_python_or_in_c(attributes: dict[str, Any],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    walked, decoded = _both_ways(_state("databricks_cluster", attributes), monkeypatch)
    assert walked == decoded

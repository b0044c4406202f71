"""Invariants of the engine and the plan JSON over random configurations (no Terraform needed)."""

from __future__ import annotations

import io
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from iac._jsonio import dumps, loads
from iac.diagnostics import IacError
from iac.plan.jsonplan import to_json, write_json
from iac.render import RENDERERS
from iac.state.typed import Wrapped
from tests.diff.helpers import apply_until_stable, fake_apply, plan_config
from tests.properties.strategies import configs, edits

pytestmark = pytest.mark.slow

SECRET = "s3cr3t-Zq9"


def _plan(config: dict[str, Any], state: Any = None) -> Any:
    """Plan, or reject the example when the configuration is invalid (Terraform refuses those too)."""
    try:
        return plan_config(config, state)
    except IacError:
        reject()


def _applied(config: dict[str, Any]) -> Any:
    return apply_until_stable(lambda s: _plan(config, s))


def _with_secret(config: dict[str, Any]) -> dict[str, Any]:
    """The config's variable made sensitive and holding a recognisable secret."""
    return {**config, "variable": {"v": {"default": SECRET, "sensitive": True}},
            "output": {k: {**v, "sensitive": True} for k, v in config.get("output", {}).items()}}


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(configs().flatmap(lambda before: st.tuples(st.just(before), edits(before))))
def test_a_secret_never_appears_in_any_output(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    before, after = (_with_secret(c) for c in pair)
    state, _ = _applied(before)
    document = to_json(_plan(after, state))
    outputs = [dumps(document)] + [render(document, color=False) for render in RENDERERS.values()]
    assert all(SECRET not in text for text in outputs)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(configs())
def test_after_apply_the_same_config_plans_no_changes(config: dict[str, Any]) -> None:
    state, result = _applied(config)
    assert not result.has_changes, [(str(rc.address), rc.action.value) for rc in result.resource_changes]


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(configs().flatmap(lambda before: st.tuples(st.just(before), edits(before))))
def test_plan_json_is_deterministic_and_round_trips(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    before, after = pair
    state, _ = _applied(before)
    first, second = to_json(_plan(after, state)), to_json(_plan(after, state))
    text = dumps(first, indent=None)
    assert text == dumps(second, indent=None)
    assert dumps(loads(text), indent=None) == text
    streamed = io.StringIO()
    write_json(first, streamed)
    assert streamed.getvalue() == text + "\n"


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(configs().flatmap(lambda before: st.tuples(st.just(before), edits(before))))
def test_every_delete_appears_in_every_renderer(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    before, after = pair
    state, _ = _applied(before)
    document = to_json(_plan(after, state))
    deleted = [rc["address"] for rc in document.get("resource_changes", []) if "delete" in rc["change"]["actions"]]
    for name, render in RENDERERS.items():
        text = render(document, color=False)
        shown = text if name != "json" else " ".join(rc["address"] for rc in loads(text).get("resource_changes", []))
        missing = [a for a in deleted if a not in shown]
        assert not missing, (name, missing)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(configs().flatmap(lambda before: st.tuples(st.just(before), edits(before))))
def test_adopting_configuration_values_never_changes_a_plan(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """The no-op lane's values part (docs/noop-lane.md): a stored value whose text equals the
    configuration's becomes the configuration's object instead of being decoded. Planned with and
    without that, every edit gives the byte-identical plan JSON."""
    before, after = pair
    _, converged = _applied(before)
    # a stored value is decided once (adopted or decoded), so each plan reads its own fresh state
    adopted = dumps(to_json(_plan(after, fake_apply(converged))))
    with patch.object(Wrapped, "value_like", lambda self, candidate: self.value):
        decoded = dumps(to_json(_plan(after, fake_apply(converged))))
    assert adopted == decoded

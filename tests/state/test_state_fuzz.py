"""Fuzzing the state reader and everything after it: a mutated state file is read, planned against a
configuration, checked and rendered in text, Markdown and JSON. Whatever the bytes, the outcome is a plan
or one-line errors (an `IacError`): never another exception, never a check that crashed, never a hang
(hypothesis' deadline bounds every input)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from iac.plan.jsonplan import to_json, write_json
from iac.policy.engine import evaluate
from iac.policy.settings import PolicySettings
from iac.render import RENDERERS
from iac.render.markdown import render_markdown
from iac.state import State, parse_state
from iac.workflows.planning import make_plan
from tests.properties.fuzz_seeds import CONFIG, STATES
from tests.properties.malformed import check_outcome, fuzz_settings, mutated_text

pytestmark = pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")

def plan_and_render(state_text: bytes) -> None:
    plan_and_render_config(CONFIG, parse_state(state_text, source="fuzz.tfstate"), Path("."))


def plan_and_render_config(config: Any, state: State, base_dir: Path) -> None:
    """Plan, check and render everything `iac plan` shows or writes."""
    document = to_json(make_plan(config, state, env={}, base_dir=base_dir))
    report = evaluate(document, PolicySettings(), mode=None)
    assert not report.crashed, [f.message for f in report.findings if f.check_id == "ENG001"]
    for render in RENDERERS.values():
        render(document, color=False)
    render_markdown([document])
    write_json(document, io.StringIO())


@fuzz_settings(700)
@given(mutated_text(STATES))
def test_any_state_is_planned_or_refused_in_one_line(state_text: bytes) -> None:
    check_outcome(lambda: plan_and_render(state_text))

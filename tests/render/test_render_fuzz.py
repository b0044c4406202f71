"""Fuzzing the plan renderers: a mutated plan JSON file, as `iac show` reads it, rendered as text, Markdown
and JSON. Whatever the file holds, the outcome is the rendering or one line naming the file (an `IacError`):
never another exception, never a hang (hypothesis' deadline bounds every input)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import iac.cli  # noqa: F401  (first: it registers the commands in workflow order; show imports it)
from iac.commands.show import read_plan, render_saved
from tests.properties.fuzz_seeds import PLANS
from tests.properties.malformed import check_outcome, fuzz_settings, mutated_text

pytestmark = pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")

@fuzz_settings(600)  # each rendered one of three ways
@given(mutated_text(PLANS), st.sampled_from(["text", "markdown", "json"]))
def test_any_plan_file_is_rendered_or_refused_in_one_line(text: bytes, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "plan.json"
        path.write_bytes(text)
        check_outcome(lambda: render_saved(read_plan(path), fmt, color=False, source=str(path)))

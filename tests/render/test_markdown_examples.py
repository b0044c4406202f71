"""The example estate's real plans (`iac plan ENV --json`) through the Markdown renderer and the splitter."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from iac._jsonio import loads
from iac.github.split import COMMENT_LIMIT, parse_marker, size, split_section
from iac.render.markdown import render_environment
from tests.github.markdown_checks import problems, tables

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _plan(environment: str, tmp_path: Path) -> dict:
    """prod is a fleet (a state per team, planned as a roll-up: tests/fleet); its joined form, one state
    for the 50 workspaces as before a split, is what this renderer is measured on."""
    synth = subprocess.run([sys.executable, "-m", "iac", "synth", environment, "--out", str(tmp_path)], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert synth.returncode == 0, synth.stderr[-2000:]
    result = subprocess.run([sys.executable, "-m", "iac", "plan", "--config", str(tmp_path / "main.tf.json"), "--json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    plan = loads(result.stdout)
    plan["iac"]["environment"] = environment
    return plan


def test_prod_joined_with_fifty_workspaces_is_grouped_and_fits_the_comment_budget(tmp_path: Path):
    plan = _plan("prod", tmp_path)
    creates = sum(1 for rc in plan.get("resource_changes", []) if rc["change"]["actions"] == ["create"])
    text = render_environment(plan)
    summaries = re.findall(r"^<details><summary>(.*?)</summary>", text, re.M)
    assert creates > 1000
    assert len(summaries) < creates / 4  # repeated per-workspace resources collapse into groups
    assert any(re.search(r"<code>databricks_catalog\.\*</code> x4\d ", s) for s in summaries)

    chunks = split_section(text, environment="prod")
    assert 1 < len(chunks) <= 10
    for number, chunk in enumerate(chunks, start=1):
        assert size(chunk) <= COMMENT_LIMIT
        assert problems(chunk) == []
        assert parse_marker(chunk) == ("prod", number)
    assert tables(chunks[0]) == 1
    assert f"Plan: {creates} to add, 0 to change, 0 to destroy." in chunks[0]

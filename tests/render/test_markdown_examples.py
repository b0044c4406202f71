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


def _plan(environment: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "iac", "plan", environment, "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return loads(result.stdout)


def test_prod_with_fifty_workspaces_is_grouped_and_fits_the_comment_budget():
    plan = _plan("prod")
    creates = sum(1 for rc in plan["resource_changes"] if rc["change"]["actions"] == ["create"])
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

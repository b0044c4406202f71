"""Golden files of the fleet renderers: prod's first plan (50 members, every workspace created) as Markdown and text.

Rewrite with IAC_UPDATE_GOLDEN=1 and review the diff; the project's path is scrubbed to [PROJECT]."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac._jsonio import atomic_write
from iac.render.fleet_markdown import render_rollup_markdown
from iac.render.fleet_text import render_rollup_text
from iac.workflows.fleet_planning import FleetRequest, plan_fleet
from tests.conftest import PROJECT, update_golden

GOLDEN = PROJECT / "tests" / "golden" / "fleet"


@pytest.fixture(scope="module")
def prod_rollup() -> dict:
    return plan_fleet("prod", PROJECT, FleetRequest(jobs=1), warn=lambda _: None).rollup


@pytest.mark.parametrize(("name", "render"), [("prod.md", render_rollup_markdown), ("prod.txt", render_rollup_text)])
def test_prod_first_plan_matches_golden(prod_rollup: dict, name: str, render) -> None:  # type: ignore[no-untyped-def]
    text = render(prod_rollup).replace(str(PROJECT), "[PROJECT]")
    golden: Path = GOLDEN / name
    if update_golden():
        atomic_write(golden, text)
    assert text == golden.read_text(), "rewrite with IAC_UPDATE_GOLDEN=1 and review the diff"


@pytest.mark.parametrize(("name", "render"), [("refreshed.md", render_rollup_markdown),
                                              ("refreshed.txt", render_rollup_text)])
def test_refreshed_fleet_matches_golden(name: str, render) -> None:  # type: ignore[no-untyped-def]
    """The roll-up of `iac plan fleet --sandbox --refresh --json` (recorded from a sandbox run: fraud's cluster edited
    and search's secret scope deleted outside iac): what changed outside iac per member, before the changes."""
    from iac._jsonio import read_json
    from tests.github.markdown_checks import problems

    text = render(read_json(GOLDEN / "refreshed-rollup.json"))
    golden: Path = GOLDEN / name
    if update_golden():
        atomic_write(golden, text)
    assert text == golden.read_text(), "rewrite with IAC_UPDATE_GOLDEN=1 and review the diff"
    if name.endswith(".md"):
        assert problems(text) == []

"""The PR comment in a real headless browser: the summary table is visible without scrolling.

The first comment of a plan is rendered to HTML the way GitHub does it (CommonMark + tables + raw HTML,
via markdown-it-py) inside a page styled like a GitHub comment, then loaded in Debian's Chromium at
1280x800. A small script in the page measures the summary table; `--dump-dom` reads the measurement
back, and `--screenshot` keeps the picture (in the test's tmp dir) for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from iac.github.split import split_section
from iac.render.markdown import render_environment
from tests.github.markdown_checks import PARSER
from tests.render.markdown_plans import destroy_plan, fifty_workspace_plan

WIDTH, HEIGHT = 1280, 800
pytestmark = pytest.mark.slow

# A condensed GitHub comment look: the same body width, font, table, code and details styles.
_CSS = """
body { margin: 0; background: #fff; color: #1f2328; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans",
       Helvetica, Arial, sans-serif; }
.comment { box-sizing: border-box; max-width: 900px; margin: 24px auto; padding: 16px;
           border: 1px solid #d1d9e0; border-radius: 6px; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 0 0 16px; }
h3 { font-size: 1.25em; margin: 24px 0 16px; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
th, td { padding: 6px 13px; border: 1px solid #d1d9e0; }
table:first-of-type th, table:first-of-type td { border-color: #ff00aa; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, monospace; background: #eff1f3; padding: .2em .4em;
       border-radius: 6px; }
pre { background: #f6f8fa; padding: 16px; overflow: auto; border-radius: 6px; }
pre code { background: none; padding: 0; }
details { margin: 8px 0; }
"""
_PROBE = """
<script>
  const table = document.querySelector('table');
  const box = table ? table.getBoundingClientRect() : null;
  document.body.dataset.fold = String(window.innerHeight);
  document.body.dataset.tableTop = box ? String(Math.round(box.top)) : 'none';
  document.body.dataset.tableBottom = box ? String(Math.round(box.bottom)) : 'none';
  document.body.dataset.tableWidth = box ? String(Math.round(box.width)) : 'none';
</script>
"""


def _page(markdown: str) -> str:
    body = PARSER.render(markdown)
    return (f'<!doctype html><html><head><meta charset="utf-8"><style>{_CSS}</style></head>'
            f'<body><div class="comment">{body}</div>{_PROBE}</body></html>')


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does it when apt is there)")
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp / 'profile'}", f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars", *args]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"Chromium cannot run here: {error}")


def _measure(tmp: Path, page: Path) -> dict[str, str]:
    result = _chromium(tmp, "--dump-dom", page.as_uri())
    found = dict(re.findall(r'data-(fold|table-top|table-bottom|table-width)="([^"]*)"', result.stdout))
    if not found:
        pytest.skip(f"Chromium could not render a page: {result.stderr.strip()[-300:]}")
    return found


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("build", [fifty_workspace_plan, destroy_plan], ids=["50 workspaces", "destroys"])
def test_summary_table_is_above_the_fold(tmp_path, build):
    plan = build()
    environment = plan["iac"]["environment"]
    first = split_section(render_environment(plan), environment=environment)[0]
    page = tmp_path / "comment.html"
    page.write_text(_page(first), encoding="utf-8")

    geometry = _measure(tmp_path, page)
    fold = min(int(geometry["fold"]), HEIGHT)  # the viewport: what shows before any scrolling
    top, bottom = int(geometry["table-top"]), int(geometry["table-bottom"])
    assert 0 < top < bottom <= fold, geometry
    assert int(geometry["table-width"]) > 400  # laid out as a table, not collapsed text

    shot = tmp_path / "comment.png"
    result = _chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    assert shot.exists(), result.stderr[-500:]
    assert _png_size(shot) == (WIDTH, HEIGHT)

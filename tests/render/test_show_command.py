"""`iac show plan.json` through the real entry point: text by default, `--json` byte-stable, and a
one-line error naming the file when it cannot be used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iac._jsonio import dumps, read_json

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "render"


def _iac(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "iac", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "IAC_USER": "alice", "PYTHONPATH": str(ROOT)})


def test_show_prints_the_text_plan_without_colour_off_a_terminal() -> None:
    result = _iac("show", GOLDEN / "cluster_blocks_and_maps" / "plan.json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (GOLDEN / "cluster_blocks_and_maps" / "plan.txt").read_text()
    assert "\033[" not in result.stdout and result.stderr == ""


def test_show_json_re_emits_the_plan_deterministically(tmp_path: Path) -> None:
    source = GOLDEN / "secret_sensitive" / "plan.json"
    result = _iac("show", source, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == dumps(read_json(source))
    copy = tmp_path / "again.json"
    copy.write_text(result.stdout)
    assert _iac("show", copy, "--json").stdout == result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read plan file"),
        ("{not json", "not valid JSON"),
        ('{"resource": {}}', "not a Terraform plan JSON"),
        ('{"format_version": "1.2", "resource_changes": [{"address": "x"}]}', "malformed plan JSON"),
    ],
    ids=["missing file", "not json", "not a plan", "malformed changes"],
)
def test_unusable_file_is_one_line_error_naming_it(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_text(content)
    result = _iac("show", path)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and message in lines[0], result.stderr


def test_show_prints_exactly_what_plan_printed_cost_and_findings_included(run_iac, project_dir: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project_dir)
    code, printed, err = run_iac("plan", "staging", "--state", "/dev/null", "--out", str(tmp_path / "plan.json"))
    assert code == 0, err
    code, shown, err = run_iac("show", str(tmp_path / "plan.json"))
    assert (code, err) == (0, "")
    assert shown == printed
    assert "Cost estimate (USD per month" in shown and shown.rstrip().endswith("Policy verdict: pass")


def test_show_of_terraform_s_own_plan_has_no_checks_to_print() -> None:
    result = _iac("show", GOLDEN / "secret_sensitive" / "plan.json")
    assert result.returncode == 0 and "Policy verdict" not in result.stdout

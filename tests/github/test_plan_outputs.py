"""The CI-facing outputs of `iac plan` and `iac check`: Markdown for several environments, JUnit reports."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from iac._jsonio import loads
from iac.github.comments import sections
from tests.github.markdown_checks import problems

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def in_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.slow
def test_plan_several_environments_as_one_markdown_document_with_a_section_each(run_iac, tmp_path):
    junit = tmp_path / "junit.xml"
    result = run_iac("plan", "dev", "staging", "--format", "markdown", "--junit", str(junit))
    assert result.code == 0, result.stderr[-2000:]
    assert [env for env, _ in sections(result.stdout)] == ["dev", "staging"]
    assert "──" not in result.stdout  # no text-renderer separators between the sections
    assert problems(result.stdout) == []
    suites = [s.get("name") for s in ET.parse(junit).getroot().findall("testsuite")]
    assert suites == ["iac.dev", "iac.staging"]


def test_check_writes_junit_with_a_failure_per_error_finding(run_iac, tmp_path):
    junit = tmp_path / "reports" / "junit.xml"
    result = run_iac("check", "dev", "--json", "--junit", str(junit))
    assert result.code in (0, 3), result.stderr[-2000:]
    report = loads(result.stdout)
    errors = [f for f in report["findings"] if f["severity"] == "error" and not f["waived"]]
    suite = ET.parse(junit).getroot().find("testsuite[@name='iac.dev']")
    assert suite is not None
    assert len(suite.findall("testcase/failure[@type='error']")) == len(errors)
    assert len(suite.findall("testcase")) == len(report["findings"]) + 1  # + the verdict
    verdict = suite.find("testcase[@name='verdict']")
    assert (verdict.find("failure") is not None) == (report["verdict"] == "deny") == (result.code == 3)

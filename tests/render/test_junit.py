"""JUnit XML of findings: golden file, structure CI systems rely on, hostile text."""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from iac.render.junit import render_junit, write_junit
from tests.render.markdown_plans import destroy_plan, fifty_workspace_plan, finding, plan, small_plan

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "junit"


def test_golden_junit_for_three_environments():
    text = render_junit([small_plan(), destroy_plan(), fifty_workspace_plan(teams=2)])
    path = GOLDEN / "three_environments.xml"
    if os.environ.get("IAC_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_errors_fail_warnings_pass_waivers_skip_and_a_deny_fails_the_verdict():
    root = ET.fromstring(render_junit([destroy_plan()]))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "iac.staging"
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == ["verdict", "SEC003 databricks_cluster.ml_gpu.node_type_id",
                           "TAG001 databricks_sql_endpoint.adhoc.tags"]
    assert cases["verdict"].find("failure").get("type") == "deny"
    failure = cases["SEC003 databricks_cluster.ml_gpu.node_type_id"].find("failure")
    assert failure.get("message") == "GPU node types need an approved budget in staging"
    assert "fix: use Standard_NC6s_v3 or add a waiver" in failure.text
    skipped = cases["TAG001 databricks_sql_endpoint.adhoc.tags"].find("skipped")
    assert skipped.get("message") == "waived until 2026-12-31: being deleted"
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "2", "1")
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("3", "2", "1")


def test_warnings_do_not_fail():
    root = ET.fromstring(render_junit([small_plan()]))
    assert root.get("failures") == "0"
    out = root.find("testsuite/testcase[@name='TAG002 databricks_cluster.shared.custom_tags.owner']/system-out")
    assert out is not None and out.text.startswith("warning: cluster has no owner tag")


@pytest.mark.parametrize("verdict", [None, "pass", "warn", "deny", "error"], ids=lambda v: f"verdict {v}")
def test_every_suite_has_a_verdict_case(verdict):
    root = ET.fromstring(render_junit([plan("dev", [], verdict=verdict)]))
    case = root.find("testsuite/testcase[@name='verdict']")
    assert case is not None
    assert (case.find("failure") is not None) == (verdict in ("deny", "error"))
    assert (case.find("skipped") is not None) == (verdict is None)


def test_hostile_text_stays_well_formed_xml(tmp_path):
    nasty = 'a < b && c > "d" ]]> \x00\x07 é ✓'
    p = plan("dev", [], verdict="deny", findings=[finding("X1", "error", "databricks_cluster.x", "p", nasty, nasty)])
    path = write_junit(tmp_path / "report" / "junit.xml", [p])
    root = ET.parse(path).getroot()
    failure = root.find("testsuite/testcase/failure[@type='error']")
    assert failure.get("message") == 'a < b && c > "d" ]]> ?? é ✓'
    assert render_junit([p]) == path.read_text(encoding="utf-8")

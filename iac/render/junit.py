"""JUnit XML of a plan's findings, for CI systems that show test reports (`--junit FILE`).

One `<testsuite>` per environment, named `iac.<env>`. Its first test case is the verdict, failing for
`deny` and `error`, so a suite is never empty and a denied plan shows as a failed test. Then one test case
per finding, named `<check_id> <address>.<path>`:

- `error` findings are failures;
- `warning` and `info` findings pass, with their message in `<system-out>` (a warning must not fail a
  CI run that the verdict lets through);
- waived findings are skipped, with the waiver reason and expiry.

No timestamps or durations are written (`time="0"`), so the same plan gives the same bytes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from iac._jsonio import atomic_write

__all__ = ["render_junit", "write_junit"]

# XML 1.0 cannot carry most control characters, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def render_junit(plans: list[dict[str, Any]]) -> str:
    """The JUnit XML text (UTF-8, with declaration, final newline) for one or several plan JSON documents."""
    root = ET.Element("testsuites", name="iac")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for plan in plans:
        suite = _suite(plan)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path: str | Path, plans: list[dict[str, Any]]) -> Path:
    """Write `render_junit(plans)` to `path` atomically."""
    return atomic_write(path, render_junit(plans))


def _suite(plan: dict[str, Any]) -> ET.Element:
    meta = plan.get("iac") or {}
    environment = str(meta.get("environment") or "default")
    suite = ET.Element("testsuite", name=f"iac.{_clean(environment)}", time="0")
    suite.append(_verdict_case(environment, meta.get("verdict")))
    findings = sorted(meta.get("findings") or [], key=_finding_order)
    for finding in findings:
        suite.append(_finding_case(environment, finding))
    cases = list(suite)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    suite.set("errors", "0")
    return suite


def _verdict_case(environment: str, verdict: Any) -> ET.Element:
    case = ET.Element("testcase", classname=f"iac.{_clean(environment)}", name="verdict", time="0")
    if verdict in ("deny", "error"):
        what = "denied by policy" if verdict == "deny" else "a check failed to run"
        failure = ET.SubElement(case, "failure", message=f"{environment}: {what}", type=str(verdict))
        failure.text = f"verdict: {verdict}"
    elif verdict is None:
        ET.SubElement(case, "skipped", message="the plan was not checked")
    return case


def _finding_case(environment: str, finding: dict[str, Any]) -> ET.Element:
    check = _clean(str(finding.get("check_id") or "check"))
    where = ".".join(_clean(str(p)) for p in (finding.get("address"), finding.get("path")) if p) or "(plan)"
    case = ET.Element("testcase", classname=f"iac.{_clean(environment)}.{check}", name=f"{check} {where}", time="0")
    message = _clean(str(finding.get("message") or ""))
    details = [f"{finding.get('severity', 'info')}: {message}"]
    if finding.get("fix"):
        details.append(f"fix: {_clean(str(finding['fix']))}")
    if finding.get("source"):
        details.append(f"source: {_clean(str(finding['source']))}")
    text = "\n".join(details)
    waived = finding.get("waived")
    if waived:
        reason = _clean(str(waived.get("reason", ""))) if isinstance(waived, dict) else ""
        expires = waived.get("expires") if isinstance(waived, dict) else None
        until = f" until {expires}" if expires else ""
        ET.SubElement(case, "skipped", message=f"waived{until}: {reason}")
    elif finding.get("severity") == "error":
        failure = ET.SubElement(case, "failure", message=message, type="error")
        failure.text = text
    else:
        ET.SubElement(case, "system-out").text = text
    return case


def _finding_order(finding: dict[str, Any]) -> tuple[Any, ...]:
    return (_SEVERITY_ORDER.get(str(finding.get("severity")), 3), str(finding.get("check_id") or ""),
            str(finding.get("address") or ""), str(finding.get("path") or ""), str(finding.get("message") or ""))


def _clean(text: str) -> str:
    return _INVALID_XML.sub("?", text)

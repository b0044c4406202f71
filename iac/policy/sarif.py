"""Findings as SARIF 2.1.0 for code-scanning annotations (`--sarif FILE`).

One run, tool `iac`, one rule per check id used (sorted), results in the report's stable order. A
finding's Python `file:line` is its physical location; the resource address and attribute path are
its logical location. Waived findings carry an accepted external suppression with the reason.
A fingerprint of (rule, address, path) lets code scanning track a finding across commits.
"""

from __future__ import annotations

import hashlib
from typing import Any

from iac.policy.engine import PolicyReport
from iac.policy.model import Finding, Severity
from iac.policy.rules import RULES

__all__ = ["SARIF_SCHEMA", "to_sarif"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_WARNING_RULES = {"COST001", "COST009", "COST013", "SEC007", "TAG003", "WVR001"}
_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}


def _rule(check_id: str) -> dict[str, Any]:
    name, description = RULES.get(check_id, (check_id.lower(), check_id))
    return {"id": check_id, "name": name, "shortDescription": {"text": description},
            "defaultConfiguration": {"level": "error" if check_id not in _WARNING_RULES else "warning"}}


def _location(finding: Finding, environment: str | None) -> dict[str, Any] | None:
    logical = ".".join(p for p in (finding.address, finding.path) if p)
    location: dict[str, Any] = {}
    uri, line = None, None
    if finding.source and ":" in finding.source:
        uri, _, line_text = finding.source.rpartition(":")
        line = int(line_text) if line_text.isdigit() else None
    elif environment:
        uri = f"environments/{environment}.py"
    if uri:
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        if line:
            physical["region"] = {"startLine": line}
        location["physicalLocation"] = physical
    if logical:
        location["logicalLocations"] = [{"fullyQualifiedName": logical, "kind": "resource"}]
    return location or None


def _result(finding: Finding, index: int, environment: str | None) -> dict[str, Any]:
    text = finding.message + (f" Fix: {finding.fix}" if finding.fix else "")
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "ruleIndex": index,
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        "partialFingerprints": {
            "iacFinding/v1": hashlib.sha256(f"{finding.check_id}|{finding.address}|{finding.path}".encode()).hexdigest()
        },
        "properties": {"address": finding.address, "path": finding.path},
    }
    location = _location(finding, environment)
    if location:
        result["locations"] = [location]
    if finding.waived:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f"{finding.waived.reason} (until {finding.waived.expires.isoformat()})"}]
    return result


def to_sarif(report: PolicyReport, *, environment: str | None = None, version: str = "0.1.0") -> dict[str, Any]:
    """The SARIF log of a report (write it with `iac._jsonio.dumps` for byte-stable output)."""
    rule_ids = sorted({f.check_id for f in report.findings})
    position = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "iac", "version": version, "rules": [_rule(r) for r in rule_ids]}},
        "results": [_result(f, position[f.check_id], environment) for f in report.findings],
        "invocations": [{"executionSuccessful": not report.crashed}],
        "properties": {"verdict": report.verdict.value, "enforcement": report.enforcement.value,
                       "environment": environment},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}

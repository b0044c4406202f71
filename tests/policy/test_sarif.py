"""SARIF output validates against the SARIF 2.1.0 schema and is stable."""

import json
from datetime import date
from pathlib import Path

import jsonschema

from iac._jsonio import dumps, read_json
from iac.policy.engine import evaluate
from iac.policy.sarif import to_sarif
from iac.policy.settings import PolicySettings
from tests.planfixtures import change, plan

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
ESTATE = Path(__file__).parent.parent / "golden" / "policy" / "estate" / "plan.json"


BUDGET = {"budget": {"monthly_total": 1000}}  # the baseline's one item without a default


def _sarif(document: dict, **settings: object) -> dict:
    settings.setdefault("guardrails", BUDGET)
    report = evaluate(document, PolicySettings(**settings), mode="production", today=date(2026, 5, 1))
    return json.loads(dumps(to_sarif(report, environment="prod")))


def test_estate_sarif_validates_against_the_schema() -> None:
    log = _sarif(read_json(ESTATE), waivers=[{"check_id": "TAG001", "reason": "r", "expires": "2026-12-31"}])
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert results and all(r["ruleId"] == log["runs"][0]["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] for r in results)
    assert any("suppressions" in r for r in results)


def test_empty_report_validates_too() -> None:
    log = _sarif(plan())
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert log["runs"][0]["results"] == [] and log["version"] == "2.1.0"


def test_schema_rejects_a_broken_log() -> None:
    log = _sarif(plan(change("databricks_cluster.c", {"cluster_name": "c"})))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert not jsonschema.Draft4Validator(SCHEMA).is_valid(log)


def test_source_becomes_the_physical_location() -> None:
    document = plan(change("databricks_cluster.c", {"cluster_name": "c"}, source="modules/team.py:88"))
    location = _sarif(document)["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"] == {"artifactLocation": {"uri": "modules/team.py"}, "region": {"startLine": 88}}
    assert location["logicalLocations"][0]["fullyQualifiedName"].startswith("databricks_cluster.c")

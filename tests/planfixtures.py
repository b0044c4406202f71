"""Hand-written plan JSON in Terraform's format 1.2, as the iac engine emits it, for check tests.

`change(...)` builds one `resource_changes` entry; `plan(...)` wraps entries (and optional
configuration bodies) into a whole plan document. Values go through `iac._jsonio` so numbers are
Decimals exactly as `loads` would give them.
"""

from __future__ import annotations

from typing import Any

from iac._jsonio import dumps, loads

PROVIDER = "registry.terraform.io/databricks/databricks"


def change(address: str, after: dict[str, Any] | None, *, before: dict[str, Any] | None = None,
           actions: list[str] | None = None, after_unknown: dict[str, Any] | None = None,
           source: str | None = None) -> dict[str, Any]:
    """One resource_changes entry; actions default from which sides are present."""
    rtype, name = address.split(".")[-2:]
    if actions is None:
        actions = ["create"] if before is None else (["delete"] if after is None else
                                                      (["no-op"] if before == after else ["update"]))
    entry = {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": name.split("[")[0],
        "provider_name": PROVIDER if rtype.startswith("databricks") else "registry.terraform.io/hashicorp/azurerm",
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": after_unknown if after_unknown is not None else ({} if after is not None else False),
            "before_sensitive": {} if before is not None else False,
            "after_sensitive": {} if after is not None else False,
        },
    }
    if source:
        entry["_source"] = source
    return entry


def plan(*changes: dict[str, Any], expressions: dict[str, dict[str, Any]] | None = None,
         environment: str = "dev", mode: str = "development") -> dict[str, Any]:
    """A whole plan document; `expressions` maps address -> configuration expressions."""
    sources = {c["address"]: c.pop("_source") for c in changes if "_source" in c}
    resources = [
        {"address": addr, "mode": "managed", "type": addr.split(".")[0], "name": addr.split(".")[1],
         "provider_config_key": addr.split("_")[0], "expressions": body, "schema_version": 0}
        for addr, body in sorted((expressions or {}).items())
    ]
    document = {
        "format_version": "1.2",
        "terraform_version": "1.15.5",
        "planned_values": {"root_module": {}},
        "resource_changes": sorted(changes, key=lambda c: c["address"]),
        "configuration": {"root_module": {"resources": resources}},
        "applyable": True,
        "complete": True,
        "errored": False,
        "iac": {"format_version": "1.0", "environment": environment, "mode": mode, "sources": sources,
                "plan_mode": "normal"},
    }
    return loads(dumps(document))  # numbers exactly as the engine's JSON would give them


def run_checks(document: dict[str, Any], checks: Any, *, mode: str = "production", config: dict[str, Any] | None = None,
               **settings: Any) -> list[tuple[str, str, str]]:
    """`(check_id, address, path)` of every unwaived finding of `checks` on `document`."""
    from datetime import date

    from iac.policy.engine import evaluate
    from iac.policy.settings import PolicySettings

    report = evaluate(document, PolicySettings(**settings), mode=mode, config=config, today=date(2026, 5, 1), checks=checks)
    assert not report.crashed, report.findings
    return [(f.check_id, f.address, f.path) for f in report.findings if f.waived is None]


def relaxed(**settings: Any) -> Any:
    """PolicySettings for a test about something other than the safety baseline: every baseline item
    relaxed (its BASE002 notes aside, the checks see only what the test sets). See `judged`."""
    from iac.policy.settings import BASELINE_ITEMS, PolicySettings

    return PolicySettings(relax=dict.fromkeys(BASELINE_ITEMS, "a test of something else"), **settings)


def judged(findings: Any) -> list[Any]:
    """The findings without the baseline's notes about relaxed items (BASE002)."""
    return [f for f in findings if f.check_id != "BASE002"]

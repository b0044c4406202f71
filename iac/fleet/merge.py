"""Fleet plan documents made by several CI jobs (one member each), merged into the one document a single
machine would have written: every member's own plan JSON, the shared part's, and the roll-up summarized again
from those plans (iac/fleet/summary.py reads only plan JSON, so a plan made elsewhere summarizes the same way).

    merge_documents([job_1_doc, job_2_doc, ...], members=["fraud", "search", ...], expected=["fraud", "search"])

`members` (the fleet's keys, in fleet order, when the project is at hand) adds the members no job planned as
unchanged (`iac fleet matrix --changed` left them out: nothing to do); a member of `expected` (the matrix)
without a plan is failing: its job did not produce one. Each member's identity, which the roll-up factors
out of values and addresses, travels in its plan (`iac.fleet.identity`), its warnings too
(`iac.fleet.diagnostics`). The fleet's budget is judged on the whole fleet's plan, by the matrix job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iac._jsonio import compact
from iac.diagnostics import ConfigError, Diagnostic
from iac.fleet.document import FLEET_FORMAT, SHARED_LABEL, is_fleet_document
from iac.fleet.rollup import roll_up
from iac.fleet.summary import UNCHANGED, MemberSummary, Templates, summarize_failure, summarize_member
from iac.fleet.template import Identity

__all__ = ["merge_documents"]

_NO_BUDGET = ("the fleet's budget (COST008/COST009) is judged on the whole fleet's plan, by the job that prints the "
              "matrix (iac fleet matrix)")


def merge_documents(documents: Sequence[Mapping[str, Any]], *, members: Sequence[str] = (),
                    expected: Sequence[str] = ()) -> dict[str, Any]:
    """The merged fleet document (see the module docstring): `environment`, `members`, `shared`, `rollup`."""
    if not documents:
        raise ConfigError(Diagnostic("no fleet plan documents to merge (each matrix job uploads its plan JSON)"))
    for document in documents:
        if not is_fleet_document(document):
            raise ConfigError(Diagnostic("not a fleet plan document (`iac plan ENV --member KEY --out FILE`)"))
    names = sorted({str(d.get("environment")) for d in documents})
    if len(names) > 1:
        raise ConfigError(Diagnostic(f"plans of different fleets cannot be merged: {', '.join(names)}"))
    plans: dict[str, Mapping[str, Any]] = {}
    for document in documents:
        for key, plan in (document.get("members") or {}).items():
            if key in plans and compact(plans[key]) != compact(plan):
                raise ConfigError(Diagnostic(f"two different plans of member {key!r}: merge the artifacts of one run"))
            plans[key] = plan
    shared = next((d["shared"] for d in documents if isinstance(d.get("shared"), Mapping)), None)
    order = list(members) + sorted(k for k in [*plans, *expected] if k not in members)
    templates = Templates()
    summaries = [_summary(key, plans.get(key), templates, missing=key in expected) for key in dict.fromkeys(order)]
    shared_summary = None if shared is None else summarize_member(SHARED_LABEL, Identity("shared", ()), shared, templates,
                                                                  diagnostics=_diagnostics(shared))
    rollup = roll_up(names[0], summaries, templates, shared=shared_summary, mode=_mode(documents))
    rollup["diagnostics"].append({"line": _NO_BUDGET, "members": []})
    unplanned = [m.key for m in summaries if m.key not in plans and m.status == UNCHANGED]
    if unplanned:
        rollup["diagnostics"].append({"line": f"cost and findings are those of the planned members and the shared part; "
                                              f"{len(unplanned)} unchanged member(s) were not planned (nothing to do)",
                                      "members": []})
    return {"environment": names[0], "format_version": FLEET_FORMAT, "members": plans, "shared": shared,
            "rollup": rollup}


def _summary(key: str, plan: Mapping[str, Any] | None, templates: Templates, *, missing: bool) -> MemberSummary:
    if plan is None:
        identity = Identity(key, (("key", key),))
        if missing:
            return summarize_failure(key, identity, f"{key}: no plan artifact: its job failed or did not run")
        return MemberSummary(key=key, identity=identity.as_dict(), status=UNCHANGED)
    fleet = (plan.get("iac") or {}).get("fleet") or {}
    pairs = tuple((str(f), str(v)) for f, v in fleet.get("identity") or (("key", key),))
    return summarize_member(key, Identity(key, pairs), plan, templates, diagnostics=_diagnostics(plan))


def _diagnostics(plan: Mapping[str, Any]) -> list[str]:
    return [str(line) for line in ((plan.get("iac") or {}).get("fleet") or {}).get("diagnostics") or ()]


def _mode(documents: Sequence[Mapping[str, Any]]) -> str | None:
    return next((d["rollup"].get("mode") for d in documents if isinstance(d.get("rollup"), Mapping)), None)

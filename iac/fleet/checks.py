"""Checks that hold for the fleet as a whole: the environment's budget (COST008/COST009) on the sum of every
part's monthly cost. Every other check runs per part, on its own plan, and rolls up with the part's findings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iac.policy.settings import PolicySettings

__all__ = ["fleet_budget"]


def fleet_budget(settings: PolicySettings, mode: str, before: Decimal, after: Decimal, *,
                 today: date | None = None) -> tuple[list[dict[str, Any]], str]:
    """The budget findings (JSON, waivers applied) of the whole fleet and the verdict they alone give;
    `settings` are the environment's (`iac.workflows.checking.environment_settings`)."""
    from iac.cost.model import CostLine, CostReport, Estimate
    from iac.policy.context import CheckContext
    from iac.policy.cost_checks import budget
    from iac.policy.engine import evaluate

    totals = CostReport("USD", "", "", "", (CostLine("(fleet)", "", Estimate(monthly_expected=before),
                                                     Estimate(monthly_expected=after)),))

    def fleet_budget_check(ctx: CheckContext) -> Any:  # the budget check, on the fleet's totals
        return budget(replace(ctx, cost=totals))

    report = evaluate({}, settings, mode=mode, today=today, checks=[fleet_budget_check])
    return [f.to_json() for f in report.findings], report.verdict.value

"""Checks that hold for the fleet as a whole: the environment's budget (COST008/COST009) on the sum of every
part's monthly cost. Every other check runs per part, on its own plan, and rolls up with the part's findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from iac.policy.settings import PolicySettings

__all__ = ["fleet_budget"]


@dataclass(frozen=True)
class _Totals:
    """The three figures the budget check reads from a cost report."""

    total_before: Decimal
    total_after: Decimal

    @property
    def delta(self) -> Decimal:
        return self.total_after - self.total_before


def fleet_budget(settings: PolicySettings, mode: str, before: Decimal, after: Decimal, *,
                 today: date | None = None) -> tuple[list[dict[str, Any]], str]:
    """The budget findings (JSON, waivers applied) of the whole fleet and the verdict they alone give;
    `settings` are the environment's (`iac.workflows.checking.environment_settings`)."""
    from iac.policy.context import CheckContext
    from iac.policy.cost_checks import budget
    from iac.policy.engine import evaluate

    totals = _Totals(before, after)

    def fleet_budget_check(ctx: CheckContext) -> Any:
        return budget(cast(CheckContext, _Context(ctx, totals)))

    report = evaluate({}, settings, mode=mode, today=today, checks=[fleet_budget_check])
    return [f.to_json() for f in report.findings], report.verdict.value


class _Context:
    """A check context whose cost is the fleet's totals (the budget check reads nothing else of it)."""

    def __init__(self, ctx: Any, totals: _Totals) -> None:
        self._ctx, self.cost = ctx, totals

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)

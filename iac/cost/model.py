"""The cost estimate's data: one `Estimate` per resource side, `CostLine`s per address, one `CostReport`.

Money is `Decimal` in USD; the JSON carries decimal strings rounded to cents, never floats
(contract in docs/architecture.md, `iac.cost`). `min`/`expected`/`max` follow cost-model.md section
3: min and max are the bounds the plan guarantees (autoscale, cluster counts), expected is the
point the usage assumptions put between them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import msgspec

from iac._jsonio import format_decimal

__all__ = ["ZERO", "CostLine", "CostReport", "Estimate", "money"]

ZERO = Decimal(0)
_CENT = Decimal("0.01")


def money(value: Decimal) -> str:
    """A decimal string rounded to cents (`"455.14"`, `"40"`), the only form money leaves in."""
    return format_decimal(value.quantize(_CENT, rounding=ROUND_HALF_UP))


class Estimate(msgspec.Struct, frozen=True):
    """The cost of one resource as planned on one side (before or after).

    `hourly_*` is USD per hour while the resource runs; `monthly_*` is USD per month under the usage
    assumptions. `dbu_per_hour_max` is the largest DBU/h it can burn (None when it is not a classic
    compute resource or cannot be known); guardrails use it. `unpriced` lists what could not be
    priced (unknown node type, value known only after apply); the priced remainder is still summed,
    but the resource is reported as unpriced, never as a silent zero. `assumptions` name every
    usage figure used.
    """

    hourly_min: Decimal = ZERO
    hourly_expected: Decimal = ZERO
    hourly_max: Decimal = ZERO
    monthly_min: Decimal = ZERO
    monthly_expected: Decimal = ZERO
    monthly_max: Decimal = ZERO
    dbu_per_hour_max: Decimal | None = None
    assumptions: tuple[str, ...] = ()
    unpriced: tuple[str, ...] = ()

    def __add__(self, other: Estimate) -> Estimate:
        dbu = None
        if self.dbu_per_hour_max is not None or other.dbu_per_hour_max is not None:
            dbu = (self.dbu_per_hour_max or ZERO) + (other.dbu_per_hour_max or ZERO)
        return Estimate(
            self.hourly_min + other.hourly_min,
            self.hourly_expected + other.hourly_expected,
            self.hourly_max + other.hourly_max,
            self.monthly_min + other.monthly_min,
            self.monthly_expected + other.monthly_expected,
            self.monthly_max + other.monthly_max,
            dbu,
            _unique(self.assumptions + other.assumptions),
            _unique(self.unpriced + other.unpriced),
        )


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class CostLine(msgspec.Struct, frozen=True):
    """Before and after cost of one address; a destroyed resource has `after` None, a new one `before` None.
    Its JSON says which with `status`: `new`, `removed`, or `kept` (there before and after, changed or not)."""

    address: str
    type: str
    before: Estimate | None
    after: Estimate | None

    @property
    def before_monthly(self) -> Decimal:
        return self.before.monthly_expected if self.before else ZERO

    @property
    def after_monthly(self) -> Decimal:
        return self.after.monthly_expected if self.after else ZERO

    @property
    def delta_monthly(self) -> Decimal:
        return self.after_monthly - self.before_monthly

    @property
    def unpriced(self) -> bool:
        return bool((self.after and self.after.unpriced) or (self.before and self.before.unpriced))

    def to_json(self) -> dict[str, Any]:
        after = self.after or Estimate()
        reasons = (self.after.unpriced if self.after else ()) + (
            tuple(f"before: {r}" for r in self.before.unpriced) if self.before else ()
        )
        return {
            "address": self.address,
            "status": "new" if self.before is None else "removed" if self.after is None else "kept",
            "before_monthly": money(self.before_monthly),
            "after_monthly": money(self.after_monthly),
            "delta_monthly": money(self.delta_monthly),
            "after_hourly_min": money(after.hourly_min),
            "after_hourly_max": money(after.hourly_max),
            "after_monthly_min": money(after.monthly_min),
            "after_monthly_max": money(after.monthly_max),
            "assumptions": list(after.assumptions if self.after else (self.before.assumptions if self.before else ())),
            "unpriced": self.unpriced,
            "unpriced_reasons": list(reasons),
        }


class CostReport(msgspec.Struct, frozen=True):
    """The whole plan's cost: lines sorted by address, totals, and the assumptions behind them."""

    currency: str
    as_of: str
    cloud: str
    tier: str
    lines: tuple[CostLine, ...]
    assumptions: tuple[str, ...] = ()

    @property
    def total_before(self) -> Decimal:
        return sum((line.before_monthly for line in self.lines), ZERO)

    @property
    def total_after(self) -> Decimal:
        return sum((line.after_monthly for line in self.lines), ZERO)

    @property
    def delta(self) -> Decimal:
        return self.total_after - self.total_before

    @property
    def total_after_min(self) -> Decimal:
        return sum((line.after.monthly_min for line in self.lines if line.after), ZERO)

    @property
    def total_after_max(self) -> Decimal:
        return sum((line.after.monthly_max for line in self.lines if line.after), ZERO)

    def unpriced(self) -> list[CostLine]:
        return [line for line in self.lines if line.unpriced]

    def to_json(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "as_of": self.as_of,
            "cloud": self.cloud,
            "tier": self.tier,
            "resources": [line.to_json() for line in self.lines],
            "total_before": money(self.total_before),
            "total_after": money(self.total_after),
            "total_after_min": money(self.total_after_min),
            "total_after_max": money(self.total_after_max),
            "delta": money(self.delta),
            "assumptions": list(self.assumptions),
        }

"""Usage assumptions: what the plan cannot say about cost (hours, runs, durations), per environment.

A plan fixes the shape of compute, never how long it runs. These figures fill that gap; every one
used in an estimate is printed with it, so a reviewer can see which number is an assumption.
Per-resource overrides (`resources`, keyed by address or an `fnmatch` glob over addresses) win over
the environment defaults, like an Infracost usage file.
"""

from __future__ import annotations

import fnmatch
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

__all__ = ["ResourceUsage", "UsageAssumptions"]


class ResourceUsage(BaseModel):
    """Usage of one resource (or of every resource matching a glob). Unset fields use the defaults."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)

    monthly_hours: Decimal | None = None
    """All-purpose cluster: busy hours per month (the idle tail after each session is added)."""
    sessions_per_day: Decimal | None = None
    """All-purpose cluster / SQL warehouse: busy periods per working day, each followed by an idle tail."""
    expected_scale: Decimal | None = None
    """Autoscaling: where between min (0) and max (1) workers/clusters the resource usually runs."""
    runs_per_month: Decimal | None = None
    """Job: runs per month (overrides the count from the schedule)."""
    avg_run_minutes: Decimal | None = None
    """Job: average run duration."""
    active_hours: Decimal | None = None
    """SQL warehouse / scale-to-zero serving endpoint: busy hours per month."""
    updates_per_month: Decimal | None = None
    """Triggered pipeline: updates per month."""
    update_minutes: Decimal | None = None
    """Triggered pipeline: average update duration."""
    dbu_per_hour: Decimal | None = None
    """Serverless compute (jobs, pipelines): DBU/h while running; the plan never says."""


class UsageAssumptions(BaseModel):
    """Environment-wide usage defaults plus per-resource overrides."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)

    monthly_hours: Decimal = Decimal(176)
    """All-purpose clusters: busy hours per month (176 = 8 h x 22 working days)."""
    sessions_per_day: Decimal = Decimal(1)
    """Busy periods per working day; each ends with an idle tail of `autotermination_minutes` / `auto_stop_mins`."""
    working_days_per_month: Decimal = Decimal(22)
    expected_scale: Decimal = Decimal("0.5")
    """Autoscaling: 0.5 = the midpoint between min and max workers (or warehouse clusters)."""
    avg_run_minutes: Decimal = Decimal(30)
    """Jobs: average run duration."""
    triggered_runs_per_month: Decimal = Decimal(30)
    """Jobs started by a trigger (file arrival, table update) or with no schedule: runs per month."""
    active_hours: Decimal = Decimal(176)
    """SQL warehouses and scale-to-zero serving endpoints: busy hours per month."""
    updates_per_month: Decimal = Decimal(30)
    """Triggered (non-continuous) pipelines: updates per month."""
    update_minutes: Decimal = Decimal(30)
    """Triggered pipelines: average update duration."""
    dbu_per_hour: Decimal | None = None
    """Serverless jobs/pipelines: DBU/h while running. Unset: such compute is reported as unpriced."""
    resources: dict[str, ResourceUsage] = {}  # pydantic copies it per instance
    """Overrides by address (exact match first, then the first matching glob in sorted order)."""

    def for_address(self, address: str) -> ResourceUsage | None:
        """The override that applies to `address`, if any."""
        if address in self.resources:
            return self.resources[address]
        for pattern in sorted(self.resources):
            if fnmatch.fnmatchcase(address, pattern):
                return self.resources[pattern]
        return None

    def get(self, address: str, key: str) -> tuple[Decimal | None, bool]:
        """`(value, overridden)`: the per-resource value when set, else the environment default."""
        override = self.for_address(address)
        if override is not None and getattr(override, key, None) is not None:
            return getattr(override, key), True
        return getattr(self, key, None), False

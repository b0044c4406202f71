"""Cost estimates for Databricks resources in a plan, from the packaged price catalog.

`iac.cost.report.estimate_plan` prices a plan; `iac.cost.usage.UsageAssumptions` holds what a plan
cannot say (hours, runs, durations); `iac.cost.catalog.load_catalog` reads the prices.
"""

__all__: list[str] = []

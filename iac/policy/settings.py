"""Per-environment policy settings: which tags, which limits, which security rules, which waivers.

Environments choose values (`environments/<env>.py`); the checks only read them. Every field has a
default so an environment states only what differs. Defaults are the strict, production-leaning
choice except where a rule only makes sense in production (those default to off and the production
environment turns them on); `enforcement` defaults to the environment mode (advisory in development,
mandatory in production). Where an environment states nothing, the safety baseline (iac/policy/baseline.py)
fills in worker and DBU/h limits, required cluster policies and a blocking budget; `relax` turns an item off.
"""

from __future__ import annotations

import fnmatch
import re
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from iac.cost.usage import UsageAssumptions
from iac.diagnostics import did_you_mean
from iac.policy.model import Enforcement

__all__ = [
    "BASELINE_ITEMS",
    "TAGGABLE_TYPES",
    "BudgetSettings",
    "CostSettings",
    "GuardrailSettings",
    "PolicySettings",
    "SecuritySettings",
    "TagPolicy",
    "Waiver",
    "enforcement_for",
    "for_environment",
]

# Resource types that carry tags Databricks (or the cloud) reports in billing.
TAGGABLE_TYPES: tuple[str, ...] = (
    "azurerm_databricks_workspace",
    "databricks_cluster",
    "databricks_instance_pool",
    "databricks_job",
    "databricks_model_serving",
    "databricks_mws_workspaces",
    "databricks_pipeline",
    "databricks_sql_endpoint",
)

# Access modes that isolate users from each other (Unity Catalog dedicated/standard, and their aliases).
_ISOLATING_MODES = [
    "DATA_SECURITY_MODE_AUTO",
    "DATA_SECURITY_MODE_DEDICATED",
    "DATA_SECURITY_MODE_STANDARD",
    "SINGLE_USER",
    "USER_ISOLATION",
]


class _Settings(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)


class TagPolicy(_Settings):
    """Which tags every taggable resource must carry, and which values they may take."""

    required: list[str] = Field(default_factory=lambda: ["cost_center", "environment", "owner", "project", "team"])
    """Tag keys that must be present (exact, case-sensitive: billing tables group by the exact key)."""
    allowed: dict[str, list[str] | str] = {}  # pydantic copies it per instance
    """Per key: a list of allowed values, or a string that is a regular expression the whole value must match."""
    resource_types: list[str] = Field(default_factory=lambda: list(TAGGABLE_TYPES))
    """Resource types the tag policy applies to."""

    @field_validator("allowed")
    @classmethod
    def _patterns_compile(cls, allowed: dict[str, list[str] | str]) -> dict[str, list[str] | str]:
        for key, rule in allowed.items():
            if isinstance(rule, str):
                try:
                    re.compile(rule)
                except re.error as error:
                    raise ValueError(f"allowed[{key!r}]: invalid regular expression: {error}") from error
        return allowed


class BudgetSettings(_Settings):
    """Monthly money limits for the whole environment (USD, list prices, expected usage)."""

    monthly_total: Decimal | None = None
    """Total monthly estimate after the change above this is an error. The baseline requires one."""
    monthly_delta: Decimal | None = None
    """Monthly increase caused by one plan above this is a finding (a reviewed waiver is expected)."""
    monthly_delta_percent: Decimal | None = None
    """Monthly increase above this percentage of the current total is a finding."""
    delta_blocks: bool = False
    """An increase above `monthly_delta` / `monthly_delta_percent` is an error, not a warning. The baseline's
    `budget` item turns this on unless the environment relaxes it."""
    for_fleet_total: bool = False
    """Set by iac on each part of a fleet: the budget holds for the fleet's total and is judged once, on the
    roll-up (iac/fleet/checks.py), not on one part's plan."""


class GuardrailSettings(_Settings):
    """Cost guardrails per resource (cost-model.md section 11). `None` switches a limit off."""

    max_dbu_per_hour: Decimal | None = None
    """Largest DBU/h a cluster (driver plus max workers, Photon included) or a policy may allow."""
    max_workers: int | None = None
    """Largest `num_workers` / `autoscale.max_workers` of any cluster, job cluster or pipeline cluster."""
    require_autotermination: bool = True
    """All-purpose clusters must terminate when idle (`autotermination_minutes` > 0)."""
    max_autotermination_minutes: int | None = 120
    """All-purpose clusters must terminate after at most this many idle minutes."""
    require_spot_workers: bool = False
    """Workers must run on spot/preemptible capacity (with fallback); the driver may stay on-demand."""
    require_cluster_policy: bool = False
    """Every all-purpose and job cluster must reference a cluster policy."""
    require_bounded_policies: bool = True
    """Every cluster policy must bound the worst-case DBU/h (and stay within `max_dbu_per_hour`)."""
    max_pool_idle_instances: int | None = None
    """Largest `min_idle_instances` of an instance pool (idle VMs are billed around the clock)."""
    max_warehouse_auto_stop_minutes: int | None = None
    """SQL warehouses must stop after at most this many idle minutes (0 = never stops, always a finding)."""
    allow_continuous_pipelines: bool = True
    """`continuous = true` pipelines run (and bill) around the clock; outside production, usually a mistake."""
    require_scale_to_zero: bool = False
    """Serving endpoints must scale to zero when idle (outside production)."""
    budget: BudgetSettings = Field(default_factory=BudgetSettings)


# What a destroy cannot give back: workspaces (with everything in them), Unity Catalog data and its
# credentials, secret scopes (the secret values are not in Terraform's hands to restore).
_HOLDS_DATA = ("azurerm_databricks_workspace", "databricks_catalog", "databricks_external_location",
               "databricks_metastore", "databricks_mws_workspaces", "databricks_schema", "databricks_secret_scope",
               "databricks_storage_credential", "databricks_volume")


class SecuritySettings(_Settings):
    """Security rules; the production-only ones default to off and prod turns them on."""

    jobs_run_as_service_principal: bool = False
    """Jobs and pipelines must declare `run_as { service_principal_name }` (never a person)."""
    forbid_personal_access_tokens: bool = False
    """No `databricks_token` resources and no `token {}` block on workspaces."""
    forbid_personal_owners: bool = False
    """No `owner` (or IS_OWNER permission) that is a person (an email address)."""
    secret_acls_groups_only: bool = True
    """Secret scope ACLs may name groups only, never a user or a service principal."""
    require_isolation: bool = True
    """Clusters must use an isolating `data_security_mode`."""
    isolating_modes: list[str] = Field(default_factory=lambda: list(_ISOLATING_MODES))
    """The `data_security_mode` values that count as isolating."""
    forbid_literal_secrets: bool = True
    """Sensitive attributes (and secret-looking Spark settings) must come from a variable or secret reference."""
    protect_from_destroy: list[str] = Field(default_factory=lambda: list(_HOLDS_DATA))
    """Resource types whose destroy or replacement loses data or identities (SEC008); empty turns it off."""
    not_secret: list[str] = Field(default_factory=lambda: ["account_id"])
    """Attribute names the provider marks sensitive that are identifiers, not credentials (the account id
    is in every console URL); they may be literals."""


class CostSettings(_Settings):
    """Where prices come from: the cloud, region and pricing tier of the workspaces."""

    cloud: Literal["aws", "azure", "gcp"] | None = None
    """`None`: inferred from the plan (workspace resources, node types)."""
    tier: Literal["standard", "premium", "enterprise"] = "premium"
    """Workspace pricing tier; a plan with a workspace resource that states its tier overrides this."""
    region: str | None = None
    """The environment's region (filled in from `Environment.region`); its list prices are used."""
    price_region: str | None = None
    """The price catalog has one region per cloud: an environment elsewhere states here which catalog region's
    list prices stand in for its own (said with every estimate), or its plan is an error."""


class Waiver(_Settings):
    """A reviewed exception, kept in code: one rule, on the resources matching a glob, until a date."""

    check_id: str
    """The rule waived (`TAG001`)."""
    address: str = "*"
    """An `fnmatch` glob over resource addresses (`databricks_cluster.legacy_*`)."""
    reason: str = Field(min_length=1)
    """Why the exception is acceptable; shown with every waived finding."""
    expires: date
    """Last day the waiver applies. After it, the finding counts again and the waiver itself is a finding."""

    def matches(self, check_id: str, address: str) -> bool:
        return self.check_id == check_id and fnmatch.fnmatchcase(address, self.address)


# The safety baseline (iac/policy/baseline.py): what every environment gets unless it relaxes an item, with
# the reason, in `PolicySettings.relax`.
BASELINE_ITEMS: tuple[str, ...] = ("autotermination", "budget", "cluster_policy", "max_dbu_per_hour", "max_workers")


class PolicySettings(_Settings):
    """Everything the checks and the cost estimate need to know about one environment."""

    enforcement: Enforcement | None = None
    """`None`: advisory in development mode, mandatory in production mode."""
    default_tags: dict[str, str] = {}  # pydantic copies it per instance
    """The environment's default tags; they count as present on every taggable resource."""
    tags: TagPolicy = Field(default_factory=TagPolicy)
    guardrails: GuardrailSettings = Field(default_factory=GuardrailSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    cost: CostSettings = Field(default_factory=CostSettings)
    usage: UsageAssumptions = Field(default_factory=UsageAssumptions)
    waivers: list[Waiver] = []  # pydantic copies it per instance
    relax: dict[str, str] = {}  # pydantic copies it per instance
    """Baseline items this environment turns off, each with the reason (`{"max_workers": "GPU training needs
    200 nodes, approved in ARCH-77"}`); the reason is shown with every plan. Items: `BASELINE_ITEMS`."""

    @field_validator("relax")
    @classmethod
    def _known_items_with_reasons(cls, relax: dict[str, str]) -> dict[str, str]:
        for item, reason in relax.items():
            if item not in BASELINE_ITEMS:
                raise ValueError(f"relax: unknown baseline item {item!r}{did_you_mean(item, BASELINE_ITEMS)}; "
                                 f"items: {', '.join(BASELINE_ITEMS)}")
            if not reason.strip():
                raise ValueError(f"relax[{item!r}]: give the reason the baseline does not apply")
        return relax


def enforcement_for(settings: PolicySettings, mode: str | None) -> Enforcement:
    """The enforcement level in force: the explicit setting, else the default for the mode."""
    if settings.enforcement is not None:
        return settings.enforcement
    return Enforcement.mandatory if mode == "production" else Enforcement.advisory


def for_environment(policy: PolicySettings, *, default_tags: dict[str, str], cloud: str | None, tier: str,
                    usage: UsageAssumptions | None = None, region: str | None = None) -> PolicySettings:
    """The settings the checks use for one environment: its own policy plus what the environment
    already states elsewhere (default tags, cloud, region, pricing tier, usage assumptions)."""
    return policy.model_copy(update={
        "default_tags": {**default_tags, **policy.default_tags},
        "cost": CostSettings.model_validate({"cloud": policy.cost.cloud or cloud, "tier": tier,
                                             "region": policy.cost.region or region,
                                             "price_region": policy.cost.price_region}),
        "usage": usage if usage is not None else policy.usage,
    })

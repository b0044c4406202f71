"""azure: two team workspaces on Azure Databricks with their azurerm side, development mode."""

from functools import partial

from iac import Environment, Mode, PolicySettings, UsageAssumptions
from modules.azure_workspace import AzureTeam, azure_estate

TEAMS = [
    AzureTeam(name="fraud", cost_center="cc-1001", vnet_cidr="10.20.0.0/16"),
    AzureTeam(name="search", cost_center="cc-1002", vnet_cidr="10.21.0.0/16"),
]

environment = Environment(
    name="azure",
    mode=Mode.development,
    cloud="azure",
    region="eastus",
    account_id="7c3e9a1d-2222-4b5f-8a6e-3b8c2f0e0002",
    default_tags={"project": "ml-platform", "environment": "dev", "owner": "platform-team"},
    build=partial(azure_estate, teams=TEAMS),
    policy=PolicySettings(  # development mode: advisory, findings never block
        tags={"allowed": {"environment": ["dev", "staging", "prod"], "cost_center": r"cc-\d{4}"}},
        guardrails={"max_dbu_per_hour": 20, "max_workers": 8, "max_autotermination_minutes": 60,
                    "require_spot_workers": True, "require_scale_to_zero": True,
                    "budget": {"monthly_total": 3000, "monthly_delta": 3000}},
    ),
    usage=UsageAssumptions(monthly_hours=120, avg_run_minutes=20),
)

"""dev: two teams experimenting, development mode (prefixed names, paused schedules, spot, short idle)."""

from functools import partial

from iac import Environment, Mode, PolicySettings, UsageAssumptions
from modules.estate import databricks_estate
from modules.team_workspace import Team

TEAMS = [
    Team(name="fraud", cost_center="cc-1001"),
    Team(name="search", cost_center="cc-1002", max_workers=4),
]

environment = Environment(
    name="dev",
    mode=Mode.development,
    cloud="aws",
    region="us-east-1",
    account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001",
    default_tags={"project": "ml-platform", "environment": "dev", "owner": "platform-team"},
    build=partial(databricks_estate, teams=TEAMS, metastore_bucket="acme-dev-metastore"),
    policy=PolicySettings(  # development mode: advisory, findings never block
        tags={"allowed": {"environment": ["dev", "staging", "prod"], "cost_center": r"cc-\d{4}"}},
        guardrails={"max_dbu_per_hour": 20, "max_workers": 8, "max_autotermination_minutes": 60, "require_spot_workers": True,
                    "max_pool_idle_instances": 2, "max_warehouse_auto_stop_minutes": 30, "allow_continuous_pipelines": False,
                    "require_scale_to_zero": True,
                    "budget": {"monthly_total": 5000, "monthly_delta": 1000}},
        waivers=[  # reviewed exceptions: each has a reason and an end date, after which it is itself a finding
            {"check_id": "COST009", "address": "*", "expires": "2027-06-30",
             "reason": "first rollout of the two dev workspaces: the whole estate is new (reviewed with the team leads)"},
        ],
    ),
    usage=UsageAssumptions(monthly_hours=120, avg_run_minutes=20),
)

"""staging: near-production volume, production mode (service principals, pinned versions)."""

from functools import partial

from iac import Environment, Mode, PolicySettings, UsageAssumptions
from modules.estate import databricks_estate
from modules.team_workspace import Team

TEAMS = [
    Team(name="fraud", cost_center="cc-1001", vpc_id="vpc-0a1b2c3d4e5f60001",
         subnet_ids=("subnet-0a01", "subnet-0a02"), security_group_ids=("sg-0a01",)),
    Team(name="search", cost_center="cc-1002", vpc_id="vpc-0a1b2c3d4e5f60002",
         subnet_ids=("subnet-0b01", "subnet-0b02"), security_group_ids=("sg-0b01",)),
    Team(name="pricing", cost_center="cc-1003", vpc_id="vpc-0a1b2c3d4e5f60003",
         subnet_ids=("subnet-0c01", "subnet-0c02"), security_group_ids=("sg-0c01",)),
]

environment = Environment(
    name="staging",
    mode=Mode.production,
    cloud="aws",
    region="us-east-1",
    account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001",
    default_tags={"project": "ml-platform", "environment": "staging", "owner": "platform-team"},
    build=partial(databricks_estate, teams=TEAMS, metastore_bucket="acme-staging-metastore"),
    policy=PolicySettings(  # production mode: mandatory
        tags={"allowed": {"environment": ["dev", "staging", "prod"], "cost_center": r"cc-\d{4}"}},
        guardrails={"max_dbu_per_hour": 60, "max_workers": 16, "max_autotermination_minutes": 60, "require_cluster_policy": True,
                    "max_pool_idle_instances": 4, "max_warehouse_auto_stop_minutes": 30,
                    "budget": {"monthly_total": 20000, "monthly_delta": 5000}},
        security={"jobs_run_as_service_principal": True, "forbid_personal_access_tokens": True, "forbid_personal_owners": True},
        waivers=[  # reviewed exceptions: each has a reason and an end date, after which it is itself a finding
            {"check_id": "COST009", "address": "*", "expires": "2027-01-31",
             "reason": "first rollout of the three staging workspaces, approved by FinOps (FIN-482)"},
        ],
    ),
    usage=UsageAssumptions(monthly_hours=176, avg_run_minutes=30),
)

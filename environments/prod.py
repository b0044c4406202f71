"""prod: a fleet of 50 team workspaces, a state each, production mode. The teams are data; the shape is modules/."""

from iac import Environment, Mode, PolicySettings, UsageAssumptions
from modules.estate import team_fleet
from modules.team_workspace import Team

TEAM_NAMES = [
    "fraud", "search", "pricing", "ads", "churn", "forecast", "risk", "growth", "supply", "logistics",
    "payments", "identity", "support", "marketing", "sales", "finance", "hr", "legal", "security", "infra",
    "catalog", "reviews", "returns", "inventory", "recsys", "ranking", "vision", "nlp", "speech", "maps",
    "fleet", "energy", "health", "insurance", "lending", "trading", "wealth", "tax", "audit", "compliance",
    "partners", "retail", "travel", "media", "games", "music", "video", "social", "iot", "research",
]

TEAMS = [
    Team(name=name, cost_center=f"cc-{2000 + index:04d}", vpc_id=f"vpc-prod{index:04d}",
         subnet_ids=(f"subnet-prod{index:04d}a", f"subnet-prod{index:04d}b"), security_group_ids=(f"sg-prod{index:04d}",))
    for index, name in enumerate(TEAM_NAMES)
]

environment = Environment(
    name="prod",
    mode=Mode.production,
    cloud="aws",
    region="us-east-1",
    account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001",
    default_tags={"project": "ml-platform", "environment": "prod", "owner": "platform-team"},
    build=team_fleet(TEAMS, metastore_bucket="acme-prod-metastore"),  # the metastore shared, a member per team
    policy=PolicySettings(  # production mode: mandatory
        tags={"allowed": {"environment": ["dev", "staging", "prod"], "cost_center": r"cc-\d{4}"}},
        guardrails={"max_dbu_per_hour": 200, "max_workers": 64, "max_autotermination_minutes": 120, "require_cluster_policy": True,
                    "max_pool_idle_instances": 8, "max_warehouse_auto_stop_minutes": 60,
                    "budget": {"monthly_total": 250000, "monthly_delta": 20000, "monthly_delta_percent": 25}},
        security={"jobs_run_as_service_principal": True, "forbid_personal_access_tokens": True, "forbid_personal_owners": True},
        waivers=[  # reviewed exceptions: each has a reason and an end date, after which it is itself a finding
            {"check_id": "COST009", "address": "*", "expires": "2027-06-30",
             "reason": "first rollout of the 50 team workspaces, approved by FinOps (FIN-483)"},
        ],
    ),
    usage=UsageAssumptions(monthly_hours=176, avg_run_minutes=45),
)

"""Every check id with a short name and description: the rule list SARIF and `--help` show."""

from __future__ import annotations

__all__ = ["RULES"]

# id -> (name, one-line description)
RULES: dict[str, tuple[str, str]] = {
    "BASE001": ("baseline", "A guardrail of the safety baseline is off without a reason in the environment."),
    "BASE002": ("baseline-relaxed", "The environment relaxed a guardrail of the safety baseline (the reason is shown)."),
    "COST001": ("unpriced-resource", "A resource cannot be priced (unknown node type, size known only after apply)."),
    "COST002": ("max-dbu-per-hour", "A cluster can burn more DBU/h than the environment allows."),
    "COST003": ("autotermination", "An all-purpose cluster never terminates, or terminates too late."),
    "COST004": ("max-workers", "A cluster can scale to more workers than the environment allows."),
    "COST005": ("spot-workers", "Workers are not on spot capacity where the environment requires it."),
    "COST006": ("cluster-policy-required", "A cluster does not use a cluster policy where one is required."),
    "COST007": ("policy-bounds-cost", "A cluster policy does not bound the worst-case DBU/h, or allows too much."),
    "COST008": ("monthly-budget", "The environment's estimated monthly cost is above its budget."),
    "COST009": ("monthly-delta", "The plan raises the monthly cost by more than allowed."),
    "COST010": ("warehouse-auto-stop", "A SQL warehouse never stops, or stops too late."),
    "COST011": ("pool-idle-instances", "An instance pool keeps too many idle instances."),
    "COST012": ("cluster-policy-rules", "A cluster breaks a rule of its own cluster policy."),
    "COST013": ("cost-undecidable", "A cost guardrail cannot be decided before apply."),
    "COST014": ("no-continuous-pipelines", "A continuous pipeline runs where continuous pipelines are not allowed."),
    "COST015": ("serving-scale-to-zero", "A serving endpoint does not scale to zero where it must."),
    "ENG001": ("check-crashed", "A check crashed; the plan was not judged by it."),
    "SEC001": ("run-as-service-principal", "A job or pipeline does not run as a service principal."),
    "SEC002": ("no-personal-access-tokens", "A personal access token is created."),
    "SEC003": ("no-personal-owner", "A resource is owned by a person."),
    "SEC004": ("secret-acl-groups-only", "A secret scope ACL names a user or service principal instead of a group."),
    "SEC005": ("cluster-isolation", "A cluster does not use an isolating data_security_mode."),
    "SEC006": ("no-literal-secrets", "A secret is written as a literal in the configuration."),
    "SEC007": ("identity-undecidable", "An identity a security rule needs is known only after apply."),
    "SEC008": ("no-data-loss", "A resource that holds data or identities (workspace, catalog, volume...) is destroyed or replaced."),
    "TAG001": ("required-tag", "A required tag key is missing."),
    "TAG002": ("allowed-tag-value", "A tag value is not one of the allowed values."),
    "TAG003": ("tags-undecidable", "Tags are known only after apply, so the tag policy cannot be checked."),
    "WVR001": ("expired-waiver", "A waiver has passed its expiry date."),
}

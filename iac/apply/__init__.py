"""`iac apply` and `iac destroy`: hand exactly the reviewed plan to a real Terraform engine.

The orchestration lives in `flow.py`; the Terraform side (runner, verification, lock, audit, approval,
working directory) in `iac.terraform`; the wiring to iac's own preview, checks and renderers in
`iac.workflows.applying`.
"""

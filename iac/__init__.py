"""iac: typed Python constructs for Databricks, deterministic Terraform JSON, and a plan you can trust."""

__all__: list[str] = []

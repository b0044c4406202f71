"""Offline sandbox: a Databricks-compatible Terraform provider (protocol 6) backed by a local JSON store."""

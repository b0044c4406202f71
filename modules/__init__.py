"""Reusable blueprints, built only from iac's public API."""

"""Terraform JSON configuration: loading modules, the expression subset, variables and evaluation."""

from iac.config.loader import load_config, load_document
from iac.config.model import Module

__all__ = ["Module", "load_config", "load_document"]

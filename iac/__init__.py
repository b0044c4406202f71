"""iac: typed Python constructs for Databricks, deterministic Terraform JSON, and a plan you can trust.

The public surface for blueprints (`modules/`) and environments (`environments/`) is exactly `__all__`.
"""

from iac import constructs as _constructs
from iac.constructs import *  # noqa: F403 (the constructs are the public surface; their list lives in iac.constructs)
from iac.diagnostics import ConfigError, Diagnostic, IacError
from iac.environment import (
    AzurermBackend,
    DevelopmentPresets,
    Environment,
    GcsBackend,
    LocalBackend,
    Mode,
    S3Backend,
    Separation,
    Variable,
)
from iac.stack import ExistingWorkspace, Stack

__all__ = [
    "AzurermBackend",
    "ConfigError",
    "DevelopmentPresets",
    "Diagnostic",
    "Environment",
    "ExistingWorkspace",
    "GcsBackend",
    "IacError",
    "LocalBackend",
    "Mode",
    "S3Backend",
    "Separation",
    "Stack",
    "Variable",
]
__all__ += _constructs.__all__
__all__.sort()  # one sorted public list: what `from iac import *` and the docs show

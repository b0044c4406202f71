"""iac: typed Python constructs for Databricks, deterministic Terraform JSON, and a plan you can trust.

The public surface for blueprints (`modules/`) and environments (`environments/`) is exactly `__all__`.
Names are imported on first use (PEP 562): the command line plans a `--config` file, shows a plan or posts
a comment without loading the constructs and pydantic (a third of a second per command).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iac.constructs import *  # noqa: F403  (type checkers see the names; at run time __getattr__ loads them)
    from iac.cost.usage import UsageAssumptions  # noqa: F401
    from iac.diagnostics import ConfigError, Diagnostic, IacError  # noqa: F401
    from iac.environment import (  # noqa: F401
        AzurermBackend,
        DevelopmentPresets,
        Environment,
        GcsBackend,
        LocalBackend,
        Mode,
        PgBackend,
        S3Backend,
        Separation,
        Variable,
    )
    from iac.fleet.model import Fleet  # noqa: F401
    from iac.policy.settings import PolicySettings  # noqa: F401
    from iac.stack import ExistingWorkspace, Stack  # noqa: F401

_SOURCES = {
    "ConfigError": "iac.diagnostics", "Diagnostic": "iac.diagnostics", "IacError": "iac.diagnostics",
    **dict.fromkeys(("AzurermBackend", "DevelopmentPresets", "Environment", "GcsBackend", "LocalBackend", "Mode",
                     "PgBackend", "S3Backend", "Separation", "Variable"), "iac.environment"),
    "ExistingWorkspace": "iac.stack", "Stack": "iac.stack", "Fleet": "iac.fleet.model",
    "PolicySettings": "iac.policy.settings", "UsageAssumptions": "iac.cost.usage",
}
"""Where each public name other than the constructs lives (the constructs list theirs in iac.constructs)."""

_NAMESPACES = frozenset({"aws", "azurerm", "databricks", "google", "null", "random", "time"})
"""One namespace of generated constructs per provider (`from iac import aws`; `aws.IamRole(...)`). Not in
`__all__`: a star import would shadow the standard library's `random` and `time`."""


def _public() -> list[str]:
    constructs: list[str] = importlib.import_module("iac.constructs").__all__
    return sorted({*_SOURCES, *constructs})  # one sorted public list: what `from iac import *` and the docs show


def __getattr__(name: str) -> Any:
    if name.startswith("_") and name != "__all__":  # `from iac import _jsonio`: the submodule, imported by Python
        raise AttributeError(f"module 'iac' has no attribute {name!r}")
    if name == "__all__":
        value: Any = _public()
    elif name in _NAMESPACES:
        value = importlib.import_module(f"iac.constructs.generated.{name}")
    elif name in _SOURCES:
        value = getattr(importlib.import_module(_SOURCES[name]), name)
    elif not name[:1].isupper():  # construct names are classes; `from iac import cli` asks for a submodule first
        raise AttributeError(f"module 'iac' has no attribute {name!r}")
    else:
        constructs = importlib.import_module("iac.constructs")
        if name not in constructs.__all__:
            raise AttributeError(f"module 'iac' has no attribute {name!r}")
        value = getattr(constructs, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_public()})

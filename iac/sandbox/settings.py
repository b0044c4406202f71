"""What one provider configuration (a `provider` block, alias included) means to the sandbox.

Terraform configures every provider configuration separately: `ConfigureProvider` on each instance, then
the resource calls on that same instance. Launched providers get one process per configuration; a
reattached provider serves all of them from one process, over one TCP connection each, so the provider
keeps these settings per connection (gRPC peer address). The settings decide:

- `scope`: which simulated workspace or cloud account objects go to (the workspace URL; the account URL and
  account id for account-level configurations; the subscription for azurerm; the region for aws; the project
  for google), so each workspace has its own objects;
- `host`: the workspace URL computed values use (cluster URLs, JDBC URLs...); `region`, `project` and the aws
  provider's `default_tags` for cloud values;
- `store_path`: `sandbox_store_path` from the provider block, else the server's `--store`, else
  `$IAC_SANDBOX_STORE`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from iac.sandbox.api import DEFAULT_HOST
from iac.sandbox.api._context import DEFAULT_REGION
from iac.sandbox.schema import STORE_PATH_ARGUMENT

__all__ = ["DEFAULT_SCOPE", "STORE_ENV", "Settings", "configure"]

STORE_ENV = "IAC_SANDBOX_STORE"
"""Environment variable naming the store file when neither the provider block nor the server names one."""

DEFAULT_SCOPE = "default"
"""The workspace of a configuration that names no host (or whose host is not known yet)."""


@dataclass(frozen=True)
class Settings:
    """One provider configuration, as the sandbox uses it (see the module docstring)."""

    scope: str = DEFAULT_SCOPE
    host: str = DEFAULT_HOST
    account_id: str | None = None
    subscription_id: str | None = None
    region: str | None = None
    project: str | None = None
    default_tags: tuple[tuple[str, str], ...] = ()
    store_path: Path | None = None

    def store_file(self) -> Path | None:
        if self.store_path is not None:
            return self.store_path
        return Path(os.environ[STORE_ENV]) if os.environ.get(STORE_ENV) else None


def _url(host: str) -> str:
    return (host if "://" in host else f"https://{host}").rstrip("/")


def _default_tags(blocks: Any) -> tuple[tuple[str, str], ...]:
    """The aws provider's `default_tags { tags = {...} }` (a list block holding at most one element)."""
    block = blocks[0] if isinstance(blocks, list) and blocks and isinstance(blocks[0], dict) else {}
    tags = block.get("tags")
    return tuple(sorted((str(k), str(v)) for k, v in tags.items() if isinstance(v, str))) if isinstance(tags, dict) else ()


def configure(provider: str, config: Mapping[str, Any], base: Settings) -> Settings:
    """Settings for a provider block's (decoded) configuration; unknown or empty values are ignored."""
    known = {k: v for k, v in config.items() if isinstance(v, str) and v}
    settings = base
    if STORE_PATH_ARGUMENT in known:
        settings = replace(settings, store_path=Path(known[STORE_PATH_ARGUMENT]))
    if provider == "azurerm":
        subscription = known.get("subscription_id") or os.environ.get("ARM_SUBSCRIPTION_ID")
        scope = f"azure/subscriptions/{subscription}" if subscription else "azure"
        return replace(settings, scope=scope, subscription_id=subscription)
    if provider == "aws":
        region = known.get("region") or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        return replace(settings, scope=f"aws/{region or DEFAULT_REGION}", region=region,
                       default_tags=_default_tags(config.get("default_tags")))
    if provider == "google":
        project = known.get("project") or os.environ.get("GOOGLE_PROJECT")
        return replace(settings, scope=f"google/{project or 'default'}", project=project, region=known.get("region"))
    if provider != "databricks":
        return settings
    host = known.get("host") or os.environ.get("DATABRICKS_HOST", "")
    account_id = known.get("account_id") or os.environ.get("DATABRICKS_ACCOUNT_ID")
    if not host:
        return replace(settings, account_id=account_id)
    if "accounts." in host:  # account-level API: objects belong to the account, URLs stay the workspace's
        return replace(settings, scope=f"{_url(host)}/accounts/{account_id or 'unknown'}", account_id=account_id)
    return replace(settings, scope=_url(host), host=_url(host), account_id=account_id)

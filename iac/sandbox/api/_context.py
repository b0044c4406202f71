"""What a simulated API's computed value may depend on besides the object itself, and the value shapes they share."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["Context", "DEFAULT_HOST", "DEFAULT_REGION", "Rule", "SANDBOX_USER", "Values"]

DEFAULT_HOST = "https://dbc-4f1c9a2e-7b3d.cloud.databricks.com"
DEFAULT_REGION = "us-east-1"
SANDBOX_USER = "sandbox-admin@example.com"
_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z: timestamps advance one minute per created object

Values = dict[str, Any]


@dataclass
class Context:
    """The simulated cloud an object is created in.

    `serial` is the store's object counter for this creation (ids derive from it, so a fresh store yields
    the same ids on every run); `host` the workspace URL from the provider configuration (or `DEFAULT_HOST`);
    `account_id` / `subscription_id` / `region` / `project` from the provider configuration; `lookup` finds
    another object of the same simulated workspace or cloud account by type and id (a pool-backed cluster takes
    the pool's node type); `default_tags` are the aws provider's `default_tags`.
    """

    resource_type: str
    serial: int
    host: str = DEFAULT_HOST
    account_id: str | None = None
    subscription_id: str | None = None
    region: str | None = None
    project: str | None = None
    default_tags: dict[str, str] = field(default_factory=dict)
    lookup: Callable[[str, str], dict[str, Any] | None] = lambda resource_type, object_id: None
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"{self.resource_type}:{self.serial}")

    @property
    def now_ms(self) -> int:
        return _EPOCH_MS + self.serial * 60_000

    @property
    def now(self) -> datetime:
        return datetime.fromtimestamp(self.now_ms / 1000, UTC)

    def rfc3339(self) -> str:
        """The creation time as RFC 3339 (`2026-01-01T00:07:00Z`)."""
        return self.now.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def hostname(self) -> str:
        return self.host.split("://", 1)[-1].rstrip("/")

    @property
    def aws_region(self) -> str:
        return self.region or DEFAULT_REGION

    @property
    def aws_account(self) -> str:
        """The simulated AWS account: 12 digits, the same for every object of a store."""
        return str(random.Random("aws-account").randint(10**11, 10**12 - 1))

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex(self, length: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(length))

    def digits(self, length: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(self.rng.choice("0123456789") for _ in range(length - 1))

    def alnum(self, length: int) -> str:
        return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(length))

    def upper(self, length: int) -> str:
        return "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(length))

    def stamp(self) -> str:
        """`MMDD-HHMMSS`, the prefix of cluster and pool ids."""
        return self.now.strftime("%m%d-%H%M%S")

    def stable_uuid(self, name: str) -> str:
        """A uuid that does not depend on the object (the metastore of the simulated workspace...)."""
        return str(uuid.UUID(int=random.Random(name).getrandbits(128), version=4))


Rule = Callable[[Values, Context], Values]
"""A type's computed values from its known attributes (a rule may return values for any attribute; only the
ones the plan left unknown are used)."""

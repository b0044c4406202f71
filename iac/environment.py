"""Environment: one deployment target (dev, staging, prod) and the values that make it differ.

An environment file (`environments/<name>.py`) builds one `Environment` and contains no logic: it
chooses values and names the blueprint (`build`) that fills the stack.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from iac.cost.usage import UsageAssumptions
from iac.diagnostics import ConfigError, Diagnostic
from iac.policy.settings import PolicySettings

__all__ = [
    "AzurermBackend",
    "Backend",
    "DevelopmentPresets",
    "Environment",
    "GcsBackend",
    "LocalBackend",
    "Mode",
    "S3Backend",
    "Separation",
    "Variable",
]

_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


class Mode(str, Enum):
    """development: presets for people iterating; production: validations for automation."""

    development = "development"
    production = "production"


class Separation(str, Enum):
    """direct: a workspace per environment (recommended); indirect: one shared workspace, names
    prefixed with the environment and access through per-environment groups."""

    direct = "direct"
    indirect = "indirect"


class _Backend(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)

    creates_states_one_at_a_time: ClassVar[bool] = False
    """Whether a run creating a state locks every state of the backend until it ends: a fleet member applied for
    the first time is then a wave of its own (iac/fleet/waves.py)."""

    def terraform_block(self) -> dict[str, Any]:
        """`{"<type>": {...}}` for `terraform.backend`."""
        fields = {k: v for k, v in self.__dict__.items() if k != "type" and v is not None}
        return {self.type: fields}  # type: ignore[attr-defined]


class LocalBackend(_Backend):
    """State in a local file, relative to the environment's working directory."""

    type: Literal["local"] = "local"
    path: str = "terraform.tfstate"


class S3Backend(_Backend):
    type: Literal["s3"] = "s3"
    bucket: str
    key: str
    region: str
    dynamodb_table: str | None = None
    use_lockfile: bool | None = True
    encrypt: bool = True


class AzurermBackend(_Backend):
    type: Literal["azurerm"] = "azurerm"
    resource_group_name: str
    storage_account_name: str
    container_name: str
    key: str


class GcsBackend(_Backend):
    type: Literal["gcs"] = "gcs"
    bucket: str
    prefix: str


class PgBackend(_Backend):
    """State in a PostgreSQL database (Terraform's `pg` backend, locked with advisory locks). The connection
    string, which holds credentials, is never in the configuration: Terraform reads it from `PG_CONN_STR`."""

    type: Literal["pg"] = "pg"
    # Terraform's pg client locks a state that does not exist yet with pg_try_advisory_lock(-1), one lock for the
    # whole database, held until that run unlocks; every other run's lock also tries -1, and fails meanwhile
    creates_states_one_at_a_time: ClassVar[bool] = True
    schema_name: str = "terraform_remote_state"
    """The schema holding the `states` table; a fleet part gets `<schema_name>/<part>` (e.g. `.../members/fraud`)."""


Backend = Annotated[LocalBackend | S3Backend | AzurermBackend | GcsBackend | PgBackend, Field(discriminator="type")]


class Variable(BaseModel):
    """A Terraform input variable of the environment (values come from TF_VAR_* when not defaulted)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)
    name: str
    type: str = "string"
    default: Any = None
    description: str | None = None
    sensitive: bool = False


class DevelopmentPresets(BaseModel):
    """What development mode changes (each switch is a named preset step)."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)
    prefix_names: bool = True
    pause_schedules: bool = True
    max_autotermination_minutes: int = 30


class Environment(BaseModel):
    """One environment. `build(stack)` adds the environment's resources to `stack`."""

    model_config = ConfigDict(defer_build=True, extra="forbid", arbitrary_types_allowed=True)

    name: str
    """Short lower-case name (`dev`, `staging`, `prod`); also the CLI argument."""
    mode: Mode
    cloud: Literal["aws", "azure", "gcp"]
    region: str
    account_id: str
    """Databricks account id (an identifier, not a credential)."""
    build: Callable[..., Any]
    """`build(stack)` fills the stack (a blueprint applied with this environment's values). Keep logic in modules/."""
    default_tags: dict[str, str] = {}  # pydantic copies it per instance
    """Merged into every taggable resource; the resource's own tags win on conflicts."""
    pricing_tier: Literal["standard", "premium", "enterprise"] = "premium"
    separation: Separation = Separation.direct
    backend: Backend = Field(default_factory=LocalBackend)
    variables: list[Variable] = []  # pydantic copies it per instance
    developer: str | None = None
    """Who is developing (development mode prefix); defaults to $IAC_USER, then $USER."""
    presets: DevelopmentPresets = Field(default_factory=DevelopmentPresets)
    workdir: str | None = None
    """Working directory for synth output, state (local backend), locks and audit; default `.iac/<name>`."""
    policy: PolicySettings = Field(default_factory=PolicySettings)
    """Checks run on every plan: required tags, cost guardrails, security rules, waivers (iac/policy/settings.py).
    Enforcement defaults to the mode: advisory in development, mandatory in production."""
    usage: UsageAssumptions = Field(default_factory=UsageAssumptions)
    """What a plan cannot say about cost (hours, runs, durations); printed with every estimate."""
    _fleet_part: str | None = PrivateAttr(default=None)

    @property
    def fleet_part(self) -> str | None:
        """The part of a fleet this environment is synthesized as (`(shared)` or a member key), set by
        `iac.fleet.parts.part_environment`; None for an environment synthesized whole."""
        return self._fleet_part

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"environment name {value!r} must be lower case letters, digits, '-' or '_'")
        return value

    def developer_name(self) -> str:
        raw = self.developer or os.environ.get("IAC_USER") or os.environ.get("USER") or "developer"
        return re.sub(r"[^a-z0-9_]", "_", raw.lower())

    def working_directory(self, project_dir: Path) -> Path:
        """Where synth output, state (local backend), locks and audit go: always inside the project (a
        `workdir` of "../../x" or "/etc" is refused, in one line)."""
        directory = project_dir / (self.workdir or f".iac/{self.name}")
        root = project_dir.resolve()
        if directory.resolve() != root and root not in directory.resolve().parents:
            raise ConfigError(Diagnostic(f"workdir {self.workdir!r} is outside the project {project_dir}: iac writes "
                                         "state, plans, locks and audit logs only inside it", environment=self.name))
        return directory

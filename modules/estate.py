"""A whole environment's estate: one Unity Catalog metastore and a workspace per team."""

from __future__ import annotations

from collections.abc import Sequence

from iac import Lifecycle, Metastore, Stack
from modules.team_workspace import SIZING, Team, team_workspace

# The account-level group that owns the metastore (an existing account group, not managed here).
PLATFORM_ADMINS = "platform-admins"


def databricks_estate(stack: Stack, *, teams: Sequence[Team], metastore_bucket: str) -> None:
    """The metastore (protected from destroy) and one team workspace per team."""
    env = stack.environment
    assert env is not None
    metastore = stack.add(Metastore(
        "main", name=f"{env.name}-{env.region}", region=env.region, storage_root=f"s3://{metastore_bucket}/metastore",
        owner=PLATFORM_ADMINS, lifecycle=Lifecycle(prevent_destroy=True)))
    for team in teams:
        team_workspace(stack, team, metastore, SIZING[env.mode])

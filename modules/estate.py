"""A whole environment's estate: one Unity Catalog metastore and a workspace per team.

Two forms of the same estate: `databricks_estate` builds it into one stack (one state: dev, staging), and
`team_fleet` describes it as a fleet (the metastore in the shared part, a state per team: prod). A team
fleet's joined form builds exactly what `databricks_estate` builds.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from iac import Fleet, Lifecycle, Metastore, Stack
from modules.team_workspace import SIZING, Team, team_workspace

# The account-level group that owns the metastore (an existing account group, not managed here).
PLATFORM_ADMINS = "platform-admins"


def databricks_estate(stack: Stack, *, teams: Sequence[Team], metastore_bucket: str) -> None:
    """The metastore (protected from destroy) and one team workspace per team, in one stack."""
    team_fleet(teams, metastore_bucket=metastore_bucket)(stack)


def team_fleet(teams: Sequence[Team], *, metastore_bucket: str, canary: Sequence[str] | None = None,
               batch: int = 10) -> Fleet:
    """The estate as a fleet: the metastore shared, one member (workspace and its contents) per team. `iac apply`
    rolls a change out to the `canary` teams first (default: the first team), then `batch` teams at a time."""
    return Fleet(shared=partial(shared_metastore, metastore_bucket=metastore_bucket), blueprint=team_member,
                 members=teams, canary=canary, batch=batch)


def shared_metastore(stack: Stack, *, metastore_bucket: str) -> dict[str, Any]:
    """The environment's metastore (protected from destroy); members read its id."""
    env = stack.environment
    assert env is not None
    metastore = stack.add(Metastore(
        "main", name=f"{env.name}-{env.region}", region=env.region, storage_root=f"s3://{metastore_bucket}/metastore",
        owner=PLATFORM_ADMINS, lifecycle=Lifecycle(prevent_destroy=True)))
    return {"metastore_id": metastore.metastore_id}


def team_member(stack: Stack, team: Team, shared: Any) -> None:
    """One team's workspace, sized for the environment's mode, attached to the shared metastore."""
    env = stack.environment
    assert env is not None
    team_workspace(stack, team, shared.metastore_id, SIZING[env.mode])

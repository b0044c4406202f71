"""The fleet model: member keys, shared exports, the parts' working directories and backends."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from iac import ConfigError, Environment, Fleet, LocalBackend, Mode, S3Backend, Stack
from iac.environment import AzurermBackend, GcsBackend
from iac.fleet.parts import member_part, part_backend, part_environment, shared_part
from iac.resolve.pipeline import resolve
from iac.synth import document
from modules.estate import databricks_estate, team_fleet
from modules.team_workspace import Team


@dataclass(frozen=True)
class Member:
    key: str


def _fleet(*keys: str) -> Fleet:
    return Fleet(blueprint=lambda stack, member, shared: None, members=[Member(k) for k in keys])


@pytest.mark.parametrize(("keys", "message"), [
    (("a", "a"), "two fleet members have the key 'a'"),
    (("Bad Key",), "fleet member 'Bad Key': a member's key is lower case letters"),
    (("",), "fleet member '': a member's key"),
], ids=["duplicate", "not a name", "empty"])
def test_member_keys_name_states_so_they_are_checked(keys: tuple[str, ...], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _fleet(*keys).member_keys()


def test_a_member_without_a_key_is_one_line() -> None:
    fleet = Fleet(blueprint=lambda stack, member, shared: None, members=[object()])
    with pytest.raises(ConfigError, match="fleet member object without a `key` attribute"):
        fleet.member_keys()


def test_a_blueprint_asking_for_an_export_that_does_not_exist_is_told_what_exists() -> None:
    fleet = Fleet(blueprint=lambda stack, member, shared: shared.metastore, members=[Member("a")],
                  shared=lambda stack: {"metastore_id": "m"})
    with pytest.raises(AttributeError, match="the shared part exports no 'metastore'; it exports: metastore_id"):
        fleet(Stack())


def _environment(build: object, backend: object = None) -> Environment:
    return Environment(name="prod", mode=Mode.production, cloud="aws", region="us-east-1", account_id="acc",
                       default_tags={"project": "p"}, build=build, **({"backend": backend} if backend else {}))


def _synth(environment: Environment) -> dict:  # type: ignore[type-arg]
    stack = Stack(environment)
    environment.build(stack)
    resolve(environment, stack)
    return document(environment, stack)


TEAMS = [Team(name="fraud", cost_center="cc-0001"), Team(name="search", cost_center="cc-0002", max_workers=4)]


def test_the_joined_form_is_exactly_the_single_state_estate() -> None:
    joined = _synth(_environment(team_fleet(TEAMS, metastore_bucket="b")))
    single = _synth(_environment(partial(databricks_estate, teams=TEAMS, metastore_bucket="b")))
    assert joined == single


def test_a_member_reads_the_shared_exports_as_variables_with_the_shared_state_s_values() -> None:
    environment = _environment(team_fleet(TEAMS, metastore_bucket="b"))
    fleet = environment.build
    assert isinstance(fleet, Fleet)
    member = part_environment(environment, fleet, member_part("search"), export_names=["metastore_id"],
                              shared_values={"metastore_id": "m-123"})
    assert member.workdir == ".iac/prod/members/search"
    body = _synth(member)
    assert body["variable"]["shared_metastore_id"]["default"] == "m-123"
    assert set(body["resource"]["databricks_mws_workspaces"]) == {"search"}
    unknown = _synth(part_environment(environment, fleet, member_part("search"), export_names=["metastore_id"]))
    assert "default" not in unknown["variable"]["shared_metastore_id"]  # known only after the shared part's apply
    shared = _synth(part_environment(environment, fleet, shared_part()))
    assert set(shared["resource"]) == {"databricks_metastore"}
    assert shared["output"]["metastore_id"]["value"] == "${databricks_metastore.main.metastore_id}"


@pytest.mark.parametrize(("backend", "field", "expected"), [
    (LocalBackend(), "path", "terraform.tfstate"),
    (LocalBackend(path="/var/state/prod.tfstate"), "path", "/var/state/prod/members/fraud/prod.tfstate"),
    (S3Backend(bucket="b", key="prod/terraform.tfstate", region="r"), "key", "prod/members/fraud/terraform.tfstate"),
    (AzurermBackend(resource_group_name="g", storage_account_name="a", container_name="c", key="prod.tfstate"),
     "key", "members/fraud/prod.tfstate"),
    (GcsBackend(bucket="b", prefix="prod"), "prefix", "prod/members/fraud"),
], ids=["local relative", "local absolute", "s3", "azurerm", "gcs"])
def test_each_member_has_its_own_backend_key(backend: object, field: str, expected: str) -> None:
    assert getattr(part_backend(backend, member_part("fraud")), field) == expected


def test_the_shared_part_has_its_own_key_too() -> None:
    backend = S3Backend(bucket="b", key="prod/terraform.tfstate", region="r")
    assert part_backend(backend, shared_part()).key == "prod/shared/terraform.tfstate"
    assert Path(".iac/prod") / shared_part().relative_dir == Path(".iac/prod/shared")


def test_an_unknown_member_names_the_closest_key_and_at_most_ten() -> None:
    from iac.fleet.model import unknown_member

    keys = [f"team{i:04d}" for i in range(1000)]
    line = unknown_member("TEAM0007", keys, environment="prod").diagnostics[0].format()
    assert line == ("[prod] no fleet member 'TEAM0007' (did you mean 'team0007'?); members: team0000, team0001, "
                    "team0002, team0003, team0004, team0005, team0006, team0007, team0008, team0009 and 990 more")
    assert unknown_member("x", []).diagnostics[0].format() == "no fleet member 'x'; members: (none)"

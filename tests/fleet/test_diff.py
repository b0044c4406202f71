"""`iac fleet diff`: why a member differs from the typical member, and where the difference comes from."""

from __future__ import annotations

import json
from pathlib import Path

from iac.workflows.fleet_diff import diff_fleet
from iac.workflows.fleet_states import split_states
from tests.fleet.conftest import TRICKY
from tests.fleet.helpers import converge_joined, team, write_project

OVERRIDE = '''
from modules.estate import team_member
from modules.team_workspace import Team


def blueprint(stack, team: Team, shared) -> None:
    """The usual member, except that one team's warehouse stops later: an override in code."""
    team_member(stack, team, shared)
    if team.key == "catalog":
        stack.get(f"databricks_sql_endpoint.{team.name}_bi").auto_stop_mins = 45
'''


def _differences(root: Path, member: str | None = None) -> dict[str, list[tuple[str, str, object, object]]]:
    result = diff_fleet("fleet", root, member)
    return {d.key: [(f"{x.address}.{x.path}", x.origin, x.member, x.typical) for x in d.differences] for d in result.diffs}


def test_a_member_whose_own_data_differs_is_traced_to_that_field(fleet_project) -> None:
    root = fleet_project([team(name, i, max_workers=4 if name == "vision" else 8) for i, name in enumerate(TRICKY)])
    found = _differences(root)
    assert {k for k, v in found.items() if v} == {"vision"}  # `security`, `catalog`... differ only by their identity
    assert ("databricks_instance_pool.vision_pool.max_capacity", "data", 12, 24) in found["vision"]
    result = diff_fleet("fleet", root, "vision")
    assert all("max_workers = 4 (typical: 8)" in d.detail for d in result.diffs[0].differences)


def test_an_override_in_code_is_named_with_its_source_line(fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY)])
    (root / "fleet_override.py").write_text(OVERRIDE)
    environment = (root / "environments" / "fleet.py").read_text()
    environment = environment.replace("from modules.estate import team_fleet", "from modules.estate import team_fleet\n"
                                      "from dataclasses import replace\nfrom fleet_override import blueprint")
    environment = environment.replace('build=team_fleet(TEAMS, metastore_bucket="acme-fleet-metastore")',
                                      'build=replace(team_fleet(TEAMS, metastore_bucket="acme-fleet-metastore"), blueprint=blueprint)')
    (root / "environments" / "fleet.py").write_text(environment)
    found = _differences(root, "catalog")
    assert found == {"catalog": [("databricks_sql_endpoint.catalog_bi.auto_stop_mins", "code", 45, 20)]}
    detail = diff_fleet("fleet", root, "catalog").diffs[0].differences[0].detail
    assert "modules/team_workspace.py:" in detail  # the construct's own source line


def test_a_difference_recorded_only_in_state_is_drift(fleet_project, secrets) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY)])
    secrets(TRICKY)
    converge_joined(root)
    split_states("fleet", root)
    path = root / ".iac" / "fleet" / "members" / "search" / "terraform.tfstate"
    state = json.loads(path.read_text())
    for resource in state["resources"]:
        if resource["type"] == "databricks_sql_endpoint":
            resource["instances"][0]["attributes"]["auto_stop_mins"] = 90  # changed by hand in the workspace
    path.write_text(json.dumps(state))
    found = _differences(root)
    assert found["search"] == [("databricks_sql_endpoint.search_bi.auto_stop_mins", "state", 90, 20)]
    assert not any(found[k] for k in TRICKY if k != "search")


def test_a_member_that_differs_in_nothing_is_said_to_be_typical(fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY)])
    write_project(root, [team(name, i) for i, name in enumerate(TRICKY)])
    assert _differences(root, "security") == {"security": []}


def test_a_fleet_without_members_is_compared_in_one_plain_sentence() -> None:
    from iac.render.fleet_diff import render_fleet_diff
    from iac.workflows.fleet_diff import FleetDiff

    empty = FleetDiff(environment="dev", members=0, identity_fields=[], diffs=[], environment_file="environments/dev.py")
    assert render_fleet_diff(empty).splitlines()[0] == "Fleet dev: 0 members compared with the typical member (the majority)."

"""`iac fleet split` / `iac fleet join`: the same objects, exactly, in other states; refused while locked."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from iac.diagnostics import ApplyRefused, ConfigError
from iac.fleet.states import PartConfig, join_states, split_state
from iac.terraform.lock import environment_lock
from iac.workflows.fleet_planning import FleetRequest, plan_fleet
from iac.workflows.fleet_states import join_states_of, split_states
from tests.fleet.helpers import converge_joined, team

TEAMS = ["fraud", "search", "security"]


def _resource(rtype: str, name: str, mode: str = "managed") -> dict:
    return {"mode": mode, "type": rtype, "name": name, "provider": "provider[\"registry.terraform.io/databricks/databricks\"]",
            "instances": [{"schema_version": 0, "attributes": {"id": f"{rtype}-{name}", "n": 1.5},
                           "sensitive_attributes": [], "private": "eyJ4Ijp0cnVlfQ=="}]}


STATE = {"version": 4, "terraform_version": "1.15.5", "serial": 9, "lineage": "old", "check_results": None,
         "outputs": {"a_url": {"value": "u", "type": "string"}, "stale": {"value": 1, "type": "number"}},
         "resources": [_resource("databricks_metastore", "main"), _resource("databricks_cluster", "a_shared"),
                       _resource("databricks_cluster", "b_shared")]}
PARTS = [PartConfig("(shared)", frozenset({"databricks_metastore.main"}), frozenset(), frozenset({"metastore_id"})),
         PartConfig("a", frozenset({"databricks_cluster.a_shared"}), frozenset(), frozenset({"a_url"})),
         PartConfig("b", frozenset({"databricks_cluster.b_new"}), frozenset({"databricks_cluster.b_shared"}), frozenset())]


def test_split_carries_every_resource_entry_exactly_into_the_part_that_declares_it() -> None:
    lineages = iter(["l1", "l2", "l3"])
    states = split_state(STATE, PARTS, lineage=lambda: next(lineages))
    assert [r["name"] for r in states["(shared)"]["resources"]] == ["main"]
    assert states["a"]["resources"] == [STATE["resources"][1]]  # the same entry: attributes, marks, private data
    assert states["b"]["resources"] == [STATE["resources"][2]]  # found by the part's moved block's `from`
    assert [s["lineage"] for s in states.values()] == ["l1", "l2", "l3"]
    assert {s["serial"] for s in states.values()} == {1}
    assert states["a"]["outputs"] == {"a_url": STATE["outputs"]["a_url"]} and states["b"]["outputs"] == {}
    assert list(states["a"]) == ["version", "terraform_version", "serial", "lineage", "outputs", "resources",
                                 "check_results"]  # Terraform's field order


def test_join_is_the_inverse_of_split_up_to_lineage_and_the_outputs_only_parts_share() -> None:
    states = split_state(STATE, PARTS)
    states["(shared)"]["outputs"]["metastore_id"] = {"value": "m-1", "type": "string"}
    joined = join_states(states, drop_outputs=["metastore_id"], lineage=lambda: "new")
    assert sorted(joined["resources"], key=json.dumps) == sorted(STATE["resources"], key=json.dumps)
    assert joined["outputs"] == {"a_url": STATE["outputs"]["a_url"]} and joined["lineage"] == "new"


def test_an_object_no_part_declares_is_refused_not_dropped() -> None:
    state = {**STATE, "resources": [*STATE["resources"], _resource("databricks_cluster", "gone_team_shared")]}
    with pytest.raises(ConfigError, match=r"1 object\(s\) in the state belong to no part of the fleet \(databricks_cluster"
                                          r"\.gone_team_shared\)"):
        split_state(state, PARTS)


def test_an_address_in_two_states_is_refused_on_join() -> None:
    states = split_state(STATE, PARTS)
    states["b"]["resources"].append(STATE["resources"][1])
    with pytest.raises(ConfigError, match="databricks_cluster.a_shared is in two states"):
        join_states(states)


@pytest.fixture
def converged(fleet_project, secrets) -> Path:
    root = fleet_project([team(name, i) for i, name in enumerate(TEAMS)])
    secrets(TEAMS)
    converge_joined(root)
    return root


def test_split_then_every_part_plans_no_changes_and_join_gives_the_objects_back(converged: Path) -> None:
    workdir = converged / ".iac" / "fleet"
    original = json.loads((workdir / "terraform.tfstate").read_text())
    report = split_states("fleet", converged)
    assert report.changes == {} and report.objects == sum(len(r["instances"]) for r in original["resources"])
    assert not (workdir / "terraform.tfstate").exists()
    parts = [workdir / "shared", *(workdir / "members" / k for k in TEAMS)]
    for part in parts:
        assert (part / "main.tf.json").is_file()  # a directory Terraform can plan by itself
        assert stat.S_IMODE((part / "terraform.tfstate").stat().st_mode) == 0o600
    backup = report.backups[0]
    assert json.loads(backup.read_text()) == original and stat.S_IMODE(backup.stat().st_mode) == 0o600
    moved = [r for p in parts for r in json.loads((p / "terraform.tfstate").read_text())["resources"]]
    assert sorted(moved, key=json.dumps) == sorted(original["resources"], key=json.dumps)
    shared = json.loads((workdir / "shared" / "terraform.tfstate").read_text())
    assert set(shared["outputs"]) == {"metastore_id"}
    rollup = plan_fleet("fleet", converged, FleetRequest(jobs=1), warn=lambda _: None).rollup
    assert rollup["members"]["unchanged"] == TEAMS and not rollup["shared"]["changes"]

    join = join_states_of("fleet", converged)
    assert join.changes == {}
    joined = json.loads((workdir / "terraform.tfstate").read_text())
    assert sorted(joined["resources"], key=json.dumps) == sorted(original["resources"], key=json.dumps)
    assert joined["lineage"] != original["lineage"] and joined["outputs"] == original["outputs"]
    assert not any((p / "terraform.tfstate").exists() for p in parts)


def test_split_is_refused_while_a_member_is_locked_and_changes_nothing(converged: Path) -> None:
    member = converged / ".iac" / "fleet" / "members" / "search"
    with environment_lock(member / ".iac" / "lock.json", command="iac apply fleet/search", environment="fleet"), \
            pytest.raises(ApplyRefused, match="environment is locked by"):
        split_states("fleet", converged)
    assert (converged / ".iac" / "fleet" / "terraform.tfstate").exists()
    assert not (member / "terraform.tfstate").exists()


def test_split_is_refused_while_terraform_holds_the_state_lock(converged: Path) -> None:
    lock = converged / ".iac" / "fleet" / ".terraform.tfstate.lock.info"
    lock.write_text('{"ID": "x", "Operation": "OperationTypeApply"}')
    with pytest.raises(ApplyRefused, match="Terraform holds the state lock"):
        split_states("fleet", converged)


def test_planning_refuses_both_forms_at_once(converged: Path) -> None:
    split_states("fleet", converged)
    backup = next((converged / ".iac" / "fleet" / ".iac" / "backups").iterdir())
    (converged / ".iac" / "fleet" / "terraform.tfstate").write_text(backup.read_text())  # an interrupted split
    with pytest.raises(ConfigError, match="a split or join was interrupted"):
        plan_fleet("fleet", converged, FleetRequest(jobs=1), warn=lambda _: None)
    assert split_states("fleet", converged).changes == {}  # running split again finishes it

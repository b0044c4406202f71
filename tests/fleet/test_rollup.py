"""The fleet roll-up on real plans of a small fleet: one group per distinct change, every destroy listed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from iac.workflows.fleet_planning import FleetRequest, plan_fleet
from iac.workflows.fleet_states import split_states
from tests.fleet.conftest import TRICKY
from tests.fleet.helpers import converge_joined, team, write_project


def _rollup(root: Path, jobs: int = 1) -> dict:
    return plan_fleet("fleet", root, FleetRequest(jobs=jobs), warn=lambda _: None).rollup


def test_first_plan_groups_every_change_of_every_member_however_its_name_occurs_in_literals(fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY)])
    rollup = _rollup(root)
    assert rollup["members"]["changed"] == TRICKY and rollup["members"]["failing"] == []
    sizes = {group["address"]: len(group["members"]) for group in rollup["groups"]}
    assert set(sizes.values()) == {len(TRICKY)}, {a: n for a, n in sizes.items() if n != len(TRICKY)}
    # 45 resources per team without a network (7 on AWS), its URL output, and the root bucket's policy document,
    # read during apply (Terraform defers it: the bucket it refers to is being created)
    assert len(rollup["groups"]) == 45 + 1 + 1
    assert rollup["totals"]["add"] == 45 * len(TRICKY) + 1  # and the shared metastore
    assert [c["address"] for c in rollup["shared"]["changes"]] == ["databricks_metastore.main", "output.metastore_id"]


def test_the_same_plan_with_one_or_two_workers(fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY)])
    assert _rollup(root, jobs=2) == _rollup(root, jobs=1)


def _converged(fleet_project: Callable[..., Path], secrets: Callable[[list[str]], None], teams: list[str]) -> Path:
    root = fleet_project(teams)
    secrets(TRICKY)
    converge_joined(root)
    split_states("fleet", root)
    return root


def test_a_change_to_most_members_is_one_group_and_a_member_that_differs_gets_its_own(fleet_project, secrets) -> None:
    root = _converged(fleet_project, secrets, [team(name, i) for i, name in enumerate(TRICKY)])
    changed = [team(name, i, max_workers=16 if name == "vision" else 12 if name != "search" else 8)
               for i, name in enumerate(TRICKY)]
    write_project(root, changed)
    rollup = _rollup(root)
    assert rollup["members"]["unchanged"] == ["search"]
    policies = [g for g in rollup["groups"] if g["address"] == "databricks_cluster_policy.\x00key\x01_jobs"]
    assert [g["members"] for g in policies] == [["fraud", "security", "identity", "catalog"], ["vision"]]
    assert policies[0]["shown_for"] == "fraud" and policies[0]["change"]["address"] == "databricks_cluster_policy.fraud_jobs"
    assert rollup["destroys"] == []


def test_every_destroy_and_replacement_is_listed_by_member_and_address(fleet_project, secrets) -> None:
    root = _converged(fleet_project, secrets, [team(name, i, vpc_cidr="10.0.0.0/16") for i, name in enumerate(TRICKY)])
    write_project(root, [team(name, i, vpc_cidr="10.64.0.0/16", aws_account="444455556666")
                         for i, name in enumerate(TRICKY)])
    rollup = _rollup(root)
    replaced = [(d["member"], d["address"]) for d in rollup["destroys"]]
    readdressed = ("aws_security_group.{k}", "aws_subnet.{k}_private_a", "aws_subnet.{k}_private_b", "aws_vpc.{k}",
                   "databricks_mws_networks.{k}_network")  # cidr_block forces the VPC, vpc_id what is in it
    assert replaced == [(k, address.format(k=k)) for k in TRICKY for address in readdressed]
    assert all(d["actions"] == ["delete", "create"] for d in rollup["destroys"])
    storage = [g for g in rollup["groups"] if g["type"] == "databricks_storage_credential"]
    assert [len(g["members"]) for g in storage] == [len(TRICKY)]  # updated in place: one change for all


def test_the_budget_holds_for_the_fleet_s_total_not_for_each_member(fleet_project) -> None:
    root = fleet_project([team(name, i) for i, name in enumerate(TRICKY[:3])])
    path = root / "environments" / "fleet.py"
    path.write_text(path.read_text().replace('"monthly_total": 250000', '"monthly_total": 5000'))
    rollup = _rollup(root)
    budget = [f for f in rollup["findings"] if f["check_id"] == "COST008"]
    assert len(budget) == 1 and budget[0]["members"] == []  # once, for the fleet
    member_cost = float(rollup["cost"]["total_after"]) / 3
    assert member_cost < 5000 < 3 * member_cost  # no member alone is above it; the fleet is
    assert rollup["verdict"] == "deny"

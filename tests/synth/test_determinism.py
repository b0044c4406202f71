"""Synth is byte-identical across runs and whatever order the constructs were created in."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from iac import Environment, Mode, Stack
from iac._jsonio import dumps
from iac.constructs import DataSource
from iac.resolve.pipeline import resolve
from iac.synth import document, synthesize
from modules.estate import databricks_estate
from modules.team_workspace import Team

TEAMS = [Team(name=n, cost_center=f"cc-{i}") for i, n in enumerate(["a", "b", "c", "d"])]


def _synth_in_order(order: list[int]) -> str:
    """Build the estate, then re-add its resources and data sources to a new stack in `order`."""
    environment = Environment(name="shuffle", mode=Mode.production, cloud="aws", region="us-east-1", account_id="acc",
                              default_tags={"project": "p"}, build=lambda stack: None)
    built = Stack(environment)
    databricks_estate(built, teams=TEAMS, metastore_bucket="m")
    constructs = [*built.resources(), *built.data_sources()]
    shuffled = Stack(environment)
    for binding in reversed(built.workspaces()):
        with shuffled.workspace(binding.workspace):
            pass
    for index in order:
        construct = constructs[index]  # same provider wiring, new insertion order
        into = shuffled._data if isinstance(construct, DataSource) else shuffled._resources
        into[construct.address] = construct
    for output in reversed(built.outputs()):
        shuffled.output(output.name, output.value, description=output.description)
    resolve(environment, shuffled)
    return dumps(document(environment, shuffled))


def test_two_runs_are_byte_identical(project_dir: Path) -> None:
    assert synthesize("prod", project_dir).text == synthesize("prod", project_dir).text


@settings(max_examples=10, deadline=None)
@given(st.randoms(use_true_random=False))
def test_construction_order_does_not_change_output(rng: random.Random) -> None:
    size = len(_resources_count())
    order = list(range(size))
    rng.shuffle(order)
    assert _synth_in_order(order) == _synth_in_order(list(range(size)))


def _resources_count() -> list[int]:
    environment = Environment(name="count", mode=Mode.production, cloud="aws", region="us-east-1", account_id="acc",
                              build=lambda stack: None)
    stack = Stack(environment)
    databricks_estate(stack, teams=TEAMS, metastore_bucket="m")
    return list(range(len(stack.resources()) + len(stack.data_sources())))

"""The rules of a rollout, offline: the waves, the review of a part's plan against the reviewed one, the kept
configurations a rollback goes back to, what a rollback cannot give back, and the rollout report (golden)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iac._jsonio import atomic_write
from iac.diagnostics import ConfigError
from iac.fleet.history import KEEP, applied, record_applied, rollback_target
from iac.fleet.model import Fleet
from iac.fleet.review import CHANGED, CONVERGED, REFINED, SAME, compare, has_changes
from iac.fleet.rollback import lost_on_rollback
from iac.fleet.waves import is_canary_wave, waves
from iac.render.fleet_rollout import render_rollout_report
from iac.terraform.workdir import config_hash
from iac.workflows.fleet_applying import FleetApplyReport
from tests.conftest import PROJECT, update_golden

GOLDEN = PROJECT / "tests" / "golden" / "fleet"


# -- waves ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("keys", "canary", "batch", "expected"), [
    (["fraud", "search", "ads", "risk"], ["fraud"], 2, [["fraud"], ["search", "ads"], ["risk"]]),
    (["fraud", "search", "ads", "risk"], ["ads", "fraud"], 3, [["fraud", "ads"], ["search", "risk"]]),
    (["search", "ads"], ["fraud"], 1, [["search"], ["ads"]]),  # the canary converged: the first wave is a batch
    (["fraud", "search"], [], 10, [["fraud", "search"]]),  # no canary
    ([], ["fraud"], 2, []),
])
def test_waves(keys: list[str], canary: list[str], batch: int, expected: list[list[str]]) -> None:
    assert waves(keys, canary=canary, batch=batch) == expected


@pytest.mark.parametrize(("keys", "canary", "alone", "expected", "canary_waves"), [
    # a fleet's first rollout in a pg backend: every member creates its state, each alone, canaries first
    (["fraud", "search", "ads"], ["fraud"], ["fraud", "search", "ads"], [["fraud"], ["search"], ["ads"]], 1),
    (["fraud", "search", "ads", "risk"], ["fraud"], ["ads"], [["fraud"], ["ads"], ["search"], ["risk"]], 1),
    (["fraud", "search", "ads"], ["fraud", "search"], ["search"], [["search"], ["fraud"], ["ads"]], 2),
    (["fraud", "search"], [], [], [["fraud", "search"]], 0),
])
def test_members_creating_their_state_run_alone(keys: list[str], canary: list[str], alone: list[str],
                                                 expected: list[list[str]], canary_waves: int) -> None:
    result = waves(keys, canary=canary, batch=2, alone=alone)
    assert result == expected
    assert [is_canary_wave(result, canary, i) for i in range(1, len(result) + 1)] == \
        [i < canary_waves for i in range(len(result))]


@given(st.lists(st.text(min_size=1, max_size=3), unique=True, max_size=30), st.data(), st.integers(1, 7))
def test_waves_run_every_member_once_canaries_first_never_more_than_a_batch(keys: list[str], data: Any,
                                                                          batch: int) -> None:
    canary = data.draw(st.lists(st.sampled_from(keys), unique=True) if keys else st.just([]))
    alone = data.draw(st.lists(st.sampled_from(keys), unique=True) if keys else st.just([]))
    result = waves(keys, canary=canary, batch=batch, alone=alone)
    assert sorted(k for wave in result for k in wave) == sorted(keys)
    assert all(wave for wave in result)
    assert all(len(wave) == 1 for wave in result for k in wave if k in alone)
    leading = 0
    while leading < len(result) and set(result[leading]) <= set(canary):
        leading += 1
    assert sorted(k for wave in result[:leading] for k in wave) == sorted(canary)  # the canaries first
    assert all(len(wave) <= batch for wave in result[leading:])
    assert [is_canary_wave(result, canary, i) for i in range(1, len(result) + 1)] == \
        [i < leading for i in range(len(result))]


@dataclass(frozen=True)
class _Member:
    key: str


def test_fleet_canary_and_batch_are_checked() -> None:
    def blueprint(stack: Any, member: Any) -> None: ...

    def fleet(keys: str, **options: Any) -> Fleet:
        return Fleet(blueprint=blueprint, members=[_Member(k) for k in keys], **options)

    assert fleet("abc", canary=["c"]).canary_keys() == ["c"]
    assert fleet("ab").canary_keys() == ["a"]  # default: the first member
    assert fleet("ab", canary=()).canary_keys() == []
    with pytest.raises(ConfigError, match="no member 'z'"):
        fleet("a", canary=["z"]).canary_keys()
    with pytest.raises(ConfigError, match="at least 1"):
        fleet("a", batch=0)


# -- review: is a part's plan now the one reviewed? -----------------------------------------------------

def _plan(serial: int, config: str, changes: dict[str, tuple[list[str], dict[str, Any], dict[str, Any]]],
          verdict: str = "pass") -> dict[str, Any]:
    return {"resource_changes": [{"address": a, "change": {"actions": actions, "after": after, "after_unknown": unknown}}
                                 for a, (actions, after, unknown) in changes.items()],
            "iac": {"state": {"serial": serial, "lineage": "l"}, "config_hash": config, "verdict": verdict,
                    "plan_mode": "normal"}}


_UPDATE = {"databricks_cluster.a": (["update"], {"num_workers": 4, "policy_id": None}, {"policy_id": True})}
_FILLED = {"databricks_cluster.a": (["update"], {"num_workers": 4, "policy_id": "p-1"}, {})}
_OTHER = {"databricks_cluster.a": (["update"], {"num_workers": 5, "policy_id": "p-1"}, {})}
_NOOP = {"databricks_cluster.a": (["no-op"], {"num_workers": 4}, {})}


@pytest.mark.parametrize(("fresh", "verdict", "reason"), [
    (_plan(3, "h1", _UPDATE), SAME, None),
    (_plan(4, "h1", _NOOP), CONVERGED, None),  # an earlier, stopped run applied it
    (_plan(3, "h2", _FILLED), REFINED, None),  # only "known after apply" filled in
    (_plan(3, "h2", _OTHER), CHANGED, "databricks_cluster.a.num_workers: a value shown in the review is different now"),
    (_plan(4, "h1", _UPDATE), CHANGED, "the state changed since the review (serial 3 -> serial 4)"),
    (_plan(3, "h1", _UPDATE, verdict="deny"), CHANGED, "the checks' verdict changed (pass -> deny)"),
    (_plan(3, "h2", {**_FILLED, "databricks_job.b": (["create"], {}, {})}), CHANGED,
     "databricks_job.b: not in the reviewed plan, now create"),
    (_plan(3, "h2", {"databricks_cluster.a": (["delete", "create"], {"num_workers": 4}, {})}), CHANGED,
     "databricks_cluster.a: reviewed update, now delete/create"),
])
def test_compare_with_the_reviewed_plan(fresh: dict[str, Any], verdict: str, reason: str | None) -> None:
    comparison = compare(_plan(3, "h1", _UPDATE), fresh)
    assert comparison.verdict == verdict
    assert (reason in comparison.reasons) if reason else comparison.reasons == ()


def test_has_changes_counts_outputs_and_ignores_reads() -> None:
    assert not has_changes({"resource_changes": [{"change": {"actions": ["read"]}}], "output_changes": {}})
    assert has_changes({"output_changes": {"url": {"actions": ["create"]}}})


# -- history: the configurations a rollback goes back to -------------------------------------------------

def test_record_applied_keeps_distinct_configurations_and_the_rollback_target(tmp_path: Path) -> None:
    meta = tmp_path / ".iac"
    record_applied(meta, '{"v": 1}')
    record_applied(meta, '{"v": 1}')  # the same again: one entry
    assert [a.text() for a in applied(meta)] == ['{"v": 1}']
    assert rollback_target(meta, config_hash(b'{"v": 1}')) is None  # nothing else was ever applied
    record_applied(meta, '{"v": 2}')
    assert rollback_target(meta, config_hash(b'{"v": 2}')).text() == '{"v": 1}'  # type: ignore[union-attr]
    assert rollback_target(meta, config_hash(b'{"v": 3}')).text() == '{"v": 2}'  # type: ignore[union-attr]
    record_applied(meta, '{"v": 1}')  # the rollback applied: the code's configuration is again the target
    assert rollback_target(meta, config_hash(b'{"v": 2}')).text() == '{"v": 1}'  # type: ignore[union-attr]
    for n in range(3, 3 + KEEP):
        record_applied(meta, f'{{"v": {n}}}')
    assert len(applied(meta)) == KEEP and len(list((meta / "applied").glob("*.tf.json"))) == KEEP
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in (meta / "applied").iterdir())


def test_lost_on_rollback_names_data_that_does_not_come_back() -> None:
    plan = {"resource_changes": [
        {"address": "databricks_catalog.fraud", "type": "databricks_catalog", "change": {"actions": ["create"]}},
        {"address": "databricks_schema.fraud_raw", "type": "databricks_schema", "change": {"actions": ["delete", "create"]}},
        {"address": "databricks_cluster.fraud", "type": "databricks_cluster", "change": {"actions": ["create"]}},
        {"address": "databricks_volume.v", "type": "databricks_volume", "change": {"actions": ["update"]}},
    ]}
    assert lost_on_rollback(plan, ["databricks_catalog", "databricks_schema", "databricks_volume"]) == [
        "databricks_catalog.fraud was destroyed since that configuration was applied: the rollback creates it again, "
        "empty; the data it held does not come back",
        "databricks_schema.fraud_raw is replaced by the rollback: what it holds now is lost"]


# -- the rollout report -----------------------------------------------------------------------------

def _stopped() -> FleetApplyReport:
    return FleetApplyReport(
        outcomes={"(shared)": "applied", "fraud": "applied", "search": "applied", "ads": "failed", "risk": "converged"},
        seconds={"(shared)": 0.6, "fraud": 1.1, "search": 1.5, "ads": 2.0},
        errors={"ads": "[prod] member ads: Terraform's plan disagrees with iac's preview at 2 address(es); nothing "
                       "was applied"},
        waves=[["fraud"], ["search", "ads"], ["growth", "supply"]], canary=["fraud"],
        not_started=["growth", "supply"], error=ConfigError("stopped"), total_seconds=4.2)


def _finished() -> FleetApplyReport:
    return FleetApplyReport(outcomes={"fraud": "no-changes", "search": "applied"}, seconds={"fraud": 0.5, "search": 1.0},
                            waves=[["fraud"], ["search"]], canary=["fraud"], total_seconds=1.5)


@pytest.mark.parametrize(("name", "report"), [("rollout-stopped.txt", _stopped), ("rollout-done.txt", _finished)])
def test_rollout_report_matches_golden(name: str, report: Any) -> None:
    text = render_rollout_report("prod", report())
    golden = GOLDEN / name
    if update_golden():
        atomic_write(golden, text)
    assert text == golden.read_text(), "rewrite with IAC_UPDATE_GOLDEN=1 and review the diff"

"""Numbers no price can be computed from (1e400, -1e400, 5,000-digit integers, strings where numbers belong)
leave a resource unpriced, said in its cost line and a COST001 finding: never a decimal Overflow or
InvalidOperation, never a traceback."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from iac.plan.jsonplan import to_json
from iac.policy.engine import evaluate
from iac.policy.settings import PolicySettings
from iac.state import State
from iac.workflows.planning import make_plan

HUGE = Decimal("1e400")


def _cluster(**values: Any) -> dict[str, Any]:
    return {"resource": {"databricks_cluster": {"c": {"cluster_name": "c", "spark_version": "15.4.x-scala2.12",
                                                      "node_type_id": "i3.xlarge", **values}}}}


@pytest.mark.parametrize("values", [
    pytest.param({"num_workers": HUGE}, id="num_workers 1e400"),
    pytest.param({"num_workers": -HUGE}, id="num_workers -1e400"),
    pytest.param({"num_workers": Decimal("9" * 5000)}, id="num_workers of 5,000 digits"),
    pytest.param({"num_workers": 2, "autotermination_minutes": HUGE}, id="autotermination 1e400"),
    pytest.param({"num_workers": 2, "autotermination_minutes": Decimal("1e999999")}, id="autotermination 1e999999"),
    pytest.param({"autoscale": {"min_workers": 1, "max_workers": HUGE}}, id="autoscale max 1e400"),
    pytest.param({"autoscale": {"min_workers": -HUGE, "max_workers": 4}}, id="autoscale min -1e400"),
])
def test_absurd_numbers_leave_the_resource_unpriced(values: dict[str, Any]) -> None:
    document = to_json(make_plan(_cluster(**values), State.empty(), env={}))
    report = evaluate(document, PolicySettings(), mode=None)
    (line,) = report.cost.lines
    assert line.after is not None and line.after.unpriced
    assert any(f.check_id == "COST001" and f.address == "databricks_cluster.c" for f in report.findings)
    assert report.cost.to_json()  # every figure is writable


def test_a_sane_cluster_is_still_priced() -> None:
    document = to_json(make_plan(_cluster(num_workers=2, autotermination_minutes=30), State.empty(), env={}))
    (line,) = evaluate(document, PolicySettings(), mode=None).cost.lines
    assert line.after is not None and not line.after.unpriced and line.after.monthly_expected > 0

"""Golden plan JSON (and, once the text renderer is present, plan text) for the main kinds of change.

Each case directory under tests/golden/plan/ holds the configuration planned (`main.tf.json`), the
state Terraform wrote when it applied the case's before-configuration (`terraform.tfstate`), and the
expected outputs. `IAC_UPDATE_GOLDEN=1` re-creates the state with real Terraform and rewrites them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from iac._jsonio import dumps, loads
from iac.workflows.planning import preview
from tests.conftest import update_golden
from tests.oracle.harness import TerraformOracle

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "plan"


def _td(**resources: Any) -> dict[str, Any]:
    extra = resources.pop("_extra", {})
    return {**({"resource": {"terraform_data": resources}} if resources else {}), **extra}


CASES: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "create": ({}, _td(app={"//": "source: envs/dev.py:12", "input": {"name": "etl", "workers": 2, "tags": {"team": "data"}}},
                       db={"input": "${terraform_data.app.id}"}), {}),
    "update": (_td(app={"input": {"name": "etl", "workers": 2}}), _td(app={"input": {"name": "etl", "workers": 4}}), {}),
    "replace": (_td(app={"input": "x", "triggers_replace": "v1"}), _td(app={"input": "x", "triggers_replace": "v2"}), {}),
    "delete": (_td(app={"input": 1}, old={"count": 2, "input": "${count.index}"}), _td(app={"input": 1}), {}),
    "moved": (_td(app={"input": 1}), _td(service={"input": 1}, _extra={"moved": [
        {"from": "terraform_data.app", "to": "terraform_data.service"}]}), {}),
    "sensitive": (_td(app={"input": {"password": "${var.password}", "user": "etl"}}, _extra={
        "variable": {"password": {"type": "string", "sensitive": True, "default": "hunter2"}},
        "output": {"password": {"value": "${var.password}", "sensitive": True}}}),
        _td(app={"input": {"password": "${var.password}", "user": "etl"}}, _extra={
            "variable": {"password": {"type": "string", "sensitive": True, "default": "correct-horse"}},
            "output": {"password": {"value": "${var.password}", "sensitive": True}}}), {}),
    "unknowns": (_td(base={"input": "v1"}, app={"input": {"base": "${terraform_data.base.output}", "n": 1}}),
                 _td(base={"input": "v2"}, app={"input": {"base": "${terraform_data.base.output}", "n": 1}},
                     _extra={"output": {"base_id": {"value": "${terraform_data.base.output}"}}}), {}),
    "destroy": (_td(base={"input": 1}, app={"input": "${terraform_data.base.id}"}, _extra={"output": {"o": {"value": 1}}}),
                _td(base={"input": 1}, app={"input": "${terraform_data.base.id}"}, _extra={"output": {"o": {"value": 1}}}),
                {"destroy": True}),
}


def _state(case: str, before: dict[str, Any], after: dict[str, Any], tmp_path: Path) -> str:
    """The before-state, made by real Terraform once and kept with the golden files."""
    state_file = GOLDEN / case / "terraform.tfstate"
    if update_golden() or not state_file.exists():
        oracle = TerraformOracle(tmp_path / "tf")
        oracle.apply(before)
        state_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(oracle.state_file, state_file)
        (GOLDEN / case / "main.tf.json").write_text(dumps(after))
    return state_file.read_text()


@pytest.mark.parametrize("case", sorted(CASES))
def test_plan_json_matches_golden(case: str, tmp_path: Path) -> None:
    before, after, options = CASES[case]
    state = _state(case, before, after, tmp_path)
    config = loads((GOLDEN / case / "main.tf.json").read_text())
    plan = preview(config, state, base_dir="/project", env={}, **options)
    plan.pop("configuration")  # covered by its own tests; keeps the goldens about changes
    text = dumps(plan)
    golden = GOLDEN / case / "plan.json"
    if update_golden() or not golden.exists():
        golden.write_text(text)
    assert text == golden.read_text()
    if case == "sensitive":
        assert "hunter2" not in text and "correct-horse" not in text


@pytest.mark.parametrize("case", sorted(CASES))
def test_plan_text_matches_golden(case: str, tmp_path: Path) -> None:
    render = pytest.importorskip("iac.render.text").render_plan
    before, after, options = CASES[case]
    state = _state(case, before, after, tmp_path)
    config = loads((GOLDEN / case / "main.tf.json").read_text())
    text = render(preview(config, state, base_dir="/project", env={}, **options), color=False)
    golden = GOLDEN / case / "plan.txt"
    if update_golden() or not golden.exists():
        golden.write_text(text)
    assert text == golden.read_text()

"""Nothing passes silently: options that contradict each other, a state file that is not there, a --replace
address that matches nothing are one-line errors (exit 1) before anything is printed on stdout."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from iac._jsonio import loads

CONFIG = {"resource": {"terraform_data": {"a": {"input": "x"}, "b": {"count": 2, "input": "y"}}}}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "main.tf.json").write_text(json.dumps(CONFIG))
    (tmp_path / "empty.tfstate").write_text("")
    return tmp_path


BAD = [
    pytest.param(["--state", "{dir}/nothere.tfstate"],
                 "--state {dir}/nothere.tfstate: no such file (iac does not plan against an empty state in its place;"
                 " leave --state out to use the backend's state)", id="missing state file"),
    pytest.param(["--json", "--format", "markdown"], "--json and --format markdown contradict each other: give one of"
                 " them", id="json and markdown"),
    pytest.param(["--json", "--format", "text"], "--json and --format text contradict each other: give one of them",
                 id="json and text"),
    pytest.param(["--format", "html"], "unknown --format 'html'; choose one of json, markdown, text", id="unknown format"),
    pytest.param(["--destroy", "--replace", "terraform_data.a"], "--replace has no effect with --destroy (everything is"
                 " destroyed): give one of them", id="destroy and replace"),
    pytest.param(["--replace", "terraform_data.aa"], "--replace 'terraform_data.aa' matches no resource instance in the"
                 " configuration or the state (did you mean 'terraform_data.a'?)", id="unknown replace address"),
    pytest.param(["--replace", "terraform_data.b"], "--replace 'terraform_data.b' names no single instance: it has"
                 " terraform_data.b[0], terraform_data.b[1]; name the instance(s) to replace", id="replace without key"),
    pytest.param(["--replace", "data.terraform_data.a"], "--replace 'data.terraform_data.a': only managed resources can be"
                 " replaced", id="replace a data source"),
]


@pytest.mark.parametrize(("options", "expected"), BAD)
def test_contradictions_and_misses_are_one_line_errors(run_iac: Callable, config: Path, options: list[str],
                                                       expected: str) -> None:
    code, out, err = run_iac("plan", "--config", str(config / "main.tf.json"),
                             *[o.format(dir=config) for o in options])
    assert (code, out) == (1, "")
    assert err == f"Error: {expected.format(dir=config)}\n"


@pytest.mark.parametrize("options", [["--json"], ["--json", "--format", "json"], ["--format", "json"]])
def test_json_spelled_either_way_is_json(run_iac: Callable, config: Path, options: list[str]) -> None:
    code, out, err = run_iac("plan", "--config", str(config / "main.tf.json"), "--state", str(config / "empty.tfstate"),
                             *options)
    assert code == 0, err
    assert loads(out)["format_version"] == "1.2"


def test_replace_of_one_instance_is_planned(run_iac: Callable, config: Path) -> None:
    code, out, err = run_iac("plan", "--config", str(config / "main.tf.json"), "--replace", "terraform_data.b[1]",
                             "--json")
    assert code == 0, err
    assert {rc["address"] for rc in loads(out).get("resource_changes", [])} >= {"terraform_data.b[1]"}


def test_show_refuses_contradicting_formats(run_iac: Callable, config: Path) -> None:
    code, out, err = run_iac("show", str(config / "main.tf.json"), "--json", "--format", "markdown")
    assert (code, out) == (1, "")
    assert err == "Error: --json and --format markdown contradict each other: give one of them\n"


def test_an_environment_plan_never_points_at_a_file_it_did_not_write(run_iac: Callable, project_dir: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project_dir)
    code, _, err = run_iac("plan", "staging", "--state", "/dev/null")
    assert code == 0, err
    assert err.startswith("environments/staging.py: warning: 6 variables have no value") and "main.tf.json" not in err

"""Root variables without a value: planned unknown, reported in one warning line however many there are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from iac.config import load_document
from iac.config.variables import resolve_variables
from iac.diagnostics import Diagnostic
from iac.values import UNKNOWN, Sensitive


def _module(variables: dict[str, Any], directory: Path) -> Any:
    return load_document({"variable": variables}, file="main.tf.json", base_dir=directory)


def test_one_missing_variable_is_one_warning_naming_it(tmp_path: Path) -> None:
    warnings: list[Diagnostic] = []
    values = resolve_variables(_module({"token": {"sensitive": True}, "region": {"default": "eu"}}, tmp_path), warnings=warnings)
    assert values["region"] == "eu"
    assert isinstance(values["token"], Sensitive) and values["token"].value is UNKNOWN
    assert [w.address for w in warnings] == ["var.token"]
    assert "TF_VAR_token" in warnings[0].summary


def test_many_missing_variables_make_one_line_with_the_count_and_the_first_names(tmp_path: Path) -> None:
    names = [f"secret_{i:03}" for i in range(100)]
    warnings: list[Diagnostic] = []
    values = resolve_variables(_module({name: {} for name in names}, tmp_path), warnings=warnings)
    assert all(values[name] is UNKNOWN for name in names)
    assert len(warnings) == 1
    summary = warnings[0].summary
    assert summary.startswith("100 variables have no value (var.secret_000, ")
    assert "var.secret_004 and 95 more" in summary and "var.secret_005" not in summary
    assert "\n" not in warnings[0].format()


def test_values_from_the_environment_leave_no_warning(tmp_path: Path) -> None:
    warnings: list[Diagnostic] = []
    values = resolve_variables(_module({"a": {}, "b": {}}, tmp_path), env={"TF_VAR_a": "1", "TF_VAR_b": "2"}, warnings=warnings)
    assert values == {"a": "1", "b": "2"} and warnings == []

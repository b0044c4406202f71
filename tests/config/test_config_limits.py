"""Sizes iac refuses where Terraform would take minutes and gigabytes: a count or for_each above 100,000
instances, and values nested deeper than 10,000 levels. Each is one line naming the file, the address and the
argument, exit 1, decided before any instance is made (a `count = 1e9` no longer allocates a billion keys)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from iac.diff.scope import MAX_INSTANCES
from tests.conftest import Run

_SQUARE = '${{for p in setproduct(range(400), range(400)): "${p[0]}-${p[1]}" => 1}}'
"""A map of 160,000 keys (range() stops at 1,024 values, as Terraform's does)."""


@pytest.mark.parametrize(("argument", "value", "shown"), [
    ("count", 1_000_000, "1,000,000"),
    ("count", 1e9, "1,000,000,000"),
    ("count", "${pow(10, 100)}", "1.000E+100"),
    ("count", MAX_INSTANCES + 1, "100,001"),
    ("for_each", _SQUARE, "160,000"),
    ("for_each", "${toset([for p in setproduct(range(400), range(400)): join(\"-\", p)])}", "160,000"),
])
def test_count_and_for_each_above_the_limit_are_one_line(tmp_path: Path, run_iac: Callable[..., Run], argument: str,
                                                         value: object, shown: str) -> None:
    config = tmp_path / "main.tf.json"
    config.write_text(json.dumps({"resource": {"terraform_data": {"a": {argument: value, "input": 1}}}}))
    result = run_iac("plan", "--config", str(config))
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (f"Error: {config}: terraform_data.a.{argument}: Invalid {argument} argument: "
                                     f"{shown} instances is more than iac plans for one block (at most 100,000).")


def test_a_module_count_above_the_limit_is_one_line_too(tmp_path: Path, run_iac: Callable[..., Run]) -> None:
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf.json").write_text(json.dumps({"resource": {"terraform_data": {"a": {}}}}))
    config = tmp_path / "main.tf.json"
    config.write_text(json.dumps({"module": {"m": {"source": "./child", "count": 1e9}}}))
    result = run_iac("plan", "--config", str(config))
    assert result.code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "count" in result.stderr and "at most 100,000" in result.stderr


def _nested(depth: int) -> str:
    """A configuration whose value is nested `depth` levels below the resource's own four."""
    return '{"resource": {"terraform_data": {"a": {"input": ' + "[" * depth + "1" + "]" * depth + "}}}}"


def test_values_nested_thousands_deep_are_planned(tmp_path: Path, run_iac: Callable[..., Run]) -> None:
    """Python's recursion limit (1,000) no longer decides: Terraform plans these too (slowly)."""
    config = tmp_path / "main.tf.json"
    config.write_text(_nested(2_000))
    result = run_iac("plan", "--config", str(config), "--format", "json")
    assert result.code == 0, result.stderr[-500:]
    value = json.loads(result.stdout).get("resource_changes", [])[0]["change"]["after"]["input"]
    for _ in range(2_000):
        value = value[0]
    assert value == 1


def test_values_nested_deeper_than_the_limit_are_one_line(tmp_path: Path, run_iac: Callable[..., Run]) -> None:
    config = tmp_path / "main.tf.json"
    config.write_text(_nested(10_000))
    result = run_iac("plan", "--config", str(config))
    assert result.code == 1
    assert result.stderr.strip() == (f"Error: {config}: cannot read Terraform JSON: nested 10,004 levels deep; iac "
                                     "plans values nested at most 10,000 levels")


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_a_number_past_decimal_range_is_planned_and_shown(tmp_path: Path, run_iac: Callable[..., Run], fmt: str) -> None:
    """Found by the fuzz suite: 5,000 nines times 1e999999 (Terraform reads it: a 512-bit big.Float) overflowed
    Python's decimal context (`abs()` past 1e999999) while typing and writing it."""
    config = tmp_path / "main.tf.json"
    config.write_text('{"variable": {"v": {"default": %se999999}}, "resource": {"terraform_data": {"a": {"input": '
                      '"${var.v}"}}}}' % ("9" * 5000))
    result = run_iac("plan", "--config", str(config), "--format", fmt)
    assert result.code == 0, result.stderr[-500:]
    assert "9" * 5000 in result.stdout

"""Configurations nested thousands deep: 3,000 nested brackets, a 4,000-term `+` chain (a tree that deep),
planned by Terraform and by iac alike, in a resource and an output; past `MAX_DEPTH` (5,000 levels, operator
chains included) iac refuses the text with one line naming file:line, where Terraform's Go parser has no limit
(README: "Not covered"). Every walker of the tree runs with `iac.lang.depth.DEEP` as the recursion limit; the
references walker keeps its own stack (nested generators overflowed the C stack: a segfault)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iac.lang.depth import deep_recursion
from iac.lang.hcl import HclSyntaxError, parse_expression
from iac.lang.hcl.reader import MAX_DEPTH
from tests.lang.configs import plan_both

DEEP_CONFIG = ('resource "terraform_data" "a" {\n  input = ' + "[" * 3000 + "1" + "]" * 3000 + "\n}\n"
               'resource "terraform_data" "b" {\n  input = 1' + " + 1" * 4000 + "\n}\n"
               'output "o" {\n  value = terraform_data.b.input + length(terraform_data.a.input)\n}\n')


@pytest.mark.oracle
def test_deep_nesting_plans_as_terraform_plans_it(tmp_path: Path) -> None:
    with deep_recursion():  # as the command line runs: the plan JSONs are read and compared deep too
        expected, actual = plan_both(tmp_path, {"main.tf": DEEP_CONFIG})
        assert actual == expected and expected["outputs"]["o"] == (4002, "number")


def test_an_operator_chain_past_the_limit_is_refused_at_its_line() -> None:
    parse_expression("1" + " + 1" * (MAX_DEPTH - 10), "main.tf")
    with pytest.raises(HclSyntaxError, match="Nesting too deep"):
        parse_expression("1" + " + 1" * (MAX_DEPTH + 1), "main.tf")


def test_a_far_too_deep_configuration_is_one_line_never_a_crash(tmp_path: Path) -> None:
    """70,000 terms in a resource crashed the process (a segfault in a recursive walker) before the limit."""
    (tmp_path / "main.tf").write_text('resource "terraform_data" "a" {\n  input = 1' + " + 1" * 70_000 + "\n}\n")
    done = subprocess.run([sys.executable, "-m", "iac", "plan", "--config", str(tmp_path)], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'main.tf'}:2: Nesting too deep: This text nests more than {MAX_DEPTH} levels deep."]

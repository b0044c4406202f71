"""`--target` and `--replace` through `iac apply` / `iac destroy`, real Terraform (embedded engine, terraform_data).

The preview, what is approved, Terraform's plan and the apply cover exactly the targeted subset (and what it
depends on; for a destroy, what depends on it), and the run says what stays pending, before approval and after.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from apply_helpers import write_stack

from iac import _jsonio
from iac.terraform.audit import read_records

ENGINE = ("--engine", "embedded")


def _chain(version: str) -> dict[str, Any]:
    """a <- b (b reads a), c alone."""
    return {"resource": {"terraform_data": {"a": {"input": f"a{version}"}, "b": {"input": "${terraform_data.a.output}"},
                                            "c": {"input": f"c{version}"}}}}


def _inputs(stack: Path) -> dict[str, Any]:
    state = _jsonio.read_json(stack / "terraform.tfstate")
    return {r["name"]: r["instances"][0]["attributes"]["input"]["value"] for r in state["resources"]}


def _applied(invoke: Callable, stack: Path) -> None:
    result = invoke("apply", "--config-dir", stack, "--auto-approve", *ENGINE)
    assert result.exit_code == 0, result.output


def test_apply_target_previews_approves_and_applies_only_the_subset(tmp_path: Path, invoke: Callable) -> None:
    stack = write_stack(tmp_path / "dev", _chain("1"))
    _applied(invoke, stack)
    write_stack(stack, _chain("2"))

    result = invoke("apply", "--config-dir", stack, "--target", "terraform_data.b", "--auto-approve", *ENGINE)

    assert result.exit_code == 0, result.output
    preview = result.stdout.split("Targeted:")[0]
    assert "# terraform_data.a will be updated in-place" in preview
    assert "# terraform_data.b will be updated in-place" in preview
    assert "terraform_data.c" not in preview, "the approval preview shows only the targeted subset"
    assert ("Targeted: terraform_data.b, with what they depend on (terraform_data.a): the preview above is all "
            "this run changes.") in result.stdout
    assert "Left out by --target: 1 other change(s) (terraform_data.c)." in result.stdout
    assert "Terraform's plan matches iac's preview at 2 address(es). Applying that plan." in result.stdout
    assert ("Confirmed: the targeted changes are applied. Still pending: 1 change(s) the configuration asks for "
            "(terraform_data.c); `iac apply dev` applies them.") in result.stdout
    assert "iac plans no further changes" not in result.stdout
    assert _inputs(stack) == {"a": "a2", "b": "a2", "c": "c1"}
    assert read_records(stack / ".iac" / "audit.jsonl")[-1]["targets"] == ["terraform_data.b"]

    rest = invoke("apply", "--config-dir", stack, "--auto-approve", *ENGINE)  # the pending change, as announced
    assert rest.exit_code == 0, rest.output
    assert "Apply complete! Resources: 0 added, 1 changed, 0 destroyed." in rest.stdout
    assert "Confirmed: iac plans no further changes." in rest.stdout


def test_destroy_target_destroys_only_that_and_its_dependents(tmp_path: Path, invoke: Callable) -> None:
    stack = write_stack(tmp_path / "dev", _chain("1"))
    _applied(invoke, stack)

    result = invoke("destroy", "--config-dir", stack, "--target", "terraform_data.a", "--auto-approve", *ENGINE)

    assert result.exit_code == 0, result.output
    preview = result.stdout.split("Targeted:")[0]
    assert "# terraform_data.a will be destroyed" in preview and "# terraform_data.b will be destroyed" in preview
    assert "terraform_data.c" not in preview
    assert "Targeted: terraform_data.a, with what depends on them (terraform_data.b)" in result.stdout
    assert "Left out by --target: 1 other change(s) (terraform_data.c)." in result.stdout
    assert "Resources: 0 added, 0 changed, 2 destroyed." in result.stdout
    assert ("Confirmed: the state holds nothing that was destroyed. Not targeted, still in the state: 1 object(s) "
            "(terraform_data.c).") in result.stdout
    assert _inputs(stack) == {"c": "c1"}


def test_a_target_that_matches_nothing_stops_before_anything_runs(tmp_path: Path, invoke: Callable) -> None:
    stack = write_stack(tmp_path / "dev", _chain("1"))
    _applied(invoke, stack)
    before = (stack / "terraform.tfstate").read_bytes()
    result = invoke("apply", "--config-dir", stack, "--target", "terraform_data.bb", "--auto-approve", *ENGINE)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: [dev] --target 'terraform_data.bb' matches no resource instance in the configuration or the state "
        "(did you mean 'terraform_data.b'?)"]
    assert (stack / "terraform.tfstate").read_bytes() == before


def test_replace_is_previewed_and_applied(tmp_path: Path, invoke: Callable) -> None:
    stack = write_stack(tmp_path / "dev", _chain("1"))
    _applied(invoke, stack)
    first_id = _jsonio.read_json(stack / "terraform.tfstate")["resources"][2]["instances"][0]["attributes"]["id"]

    result = invoke("apply", "--config-dir", stack, "--replace", "terraform_data.c", "--auto-approve", *ENGINE)

    assert result.exit_code == 0, result.output
    assert "# terraform_data.c will be replaced, as requested" in result.stdout
    assert "Apply complete! Resources: 1 added, 0 changed, 1 destroyed." in result.stdout
    state = _jsonio.read_json(stack / "terraform.tfstate")
    assert state["resources"][2]["instances"][0]["attributes"]["id"] != first_id
    unknown = invoke("apply", "--config-dir", stack, "--replace", "terraform_data.x", "--auto-approve", *ENGINE)
    assert unknown.exit_code == 1
    assert "--replace 'terraform_data.x' matches no resource instance" in unknown.stderr

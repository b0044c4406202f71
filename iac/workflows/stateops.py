"""State workflows: what `iac state list|show|mv|rm` and `iac output` do, always through the Terraform engine
(`terraform state ...`, `terraform output -json`), in the environment's working directory (the sandbox's with
`sandbox`), so every backend Terraform reads works the same way.

Reading (list, show, outputs) takes no lock: Terraform's own state lock covers each command. Editing (mv, rm)
holds the environment's lock for the whole command, as apply does, and keeps an owner-only backup of the state
before it (`<workdir>/.iac/backups/`); `dry_run` asks Terraform what it would do and edits nothing. What is
shown never holds a secret: Terraform masks what the provider marks sensitive, sensitive outputs are masked
here, and any text holding the value of a sensitive variable is masked too.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iac import _jsonio
from iac.apply.target import ApplyTarget
from iac.diagnostics import ConfigError, Diagnostic, IacError
from iac.terraform.runner import EngineChoice
from iac.workflows.session import Session, SetupFactory, engine_session

__all__ = ["Output", "StateEdit", "edit_state", "list_state", "read_outputs", "show_state"]

SENSITIVE = "(sensitive value)"
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Output:
    """One root output as recorded in the state; `value` is None for a sensitive one (never read here)."""

    name: str
    value: Any
    sensitive: bool


@dataclass(frozen=True)
class StateEdit:
    """What `iac state mv|rm` did: Terraform's own words, and where the state was backed up first."""

    terraform_output: str
    backup: Path | None


def list_state(target: ApplyTarget, addresses: Sequence[str] = (), *, sandbox: bool = False,
               engine: EngineChoice = "auto", warn: Warn, setup: SetupFactory | None = None) -> list[str]:
    """The resource instance addresses in the state (those under `addresses`, when given). `setup`, here and
    below: the engine's setup when not the environment's own (a fleet's one sandbox provider)."""
    with engine_session(target, sandbox=sandbox, engine=engine, warn=warn, setup=setup) as session:
        if session.runner.state_pull(session.root) is None:
            return []
        text = session.runner.inspect(session.root, "state", "list", "-no-color", *addresses)
    return [line for line in text.splitlines() if line.strip()]


def show_state(target: ApplyTarget, address: str, *, sandbox: bool = False, engine: EngineChoice = "auto",
               warn: Warn, setup: SetupFactory | None = None) -> str:
    """One object as Terraform's `state show` prints it (values the provider marks sensitive masked)."""
    with engine_session(target, sandbox=sandbox, engine=engine, warn=warn, setup=setup) as session:
        _require_state(session)
        recorded = session.runner.inspect(session.root, "state", "list", "-no-color").split()
        if address not in recorded:  # Terraform's own message here is no error line at all
            close = difflib.get_close_matches(address, recorded, n=1, cutoff=0.8)
            hint = f" (did you mean {close[0]!r}?)" if close else " (see `iac state list`)"
            raise ConfigError(Diagnostic(f"{address!r} is not recorded in the state{hint}", environment=target.name))
        return _scrubbed(session.runner.inspect(session.root, "state", "show", "-no-color", address), session)


def edit_state(target: ApplyTarget, verb: str, addresses: Sequence[str], *, dry_run: bool = False,
               sandbox: bool = False, engine: EngineChoice = "auto", break_lock: bool = False,
               warn: Warn, setup: SetupFactory | None = None, command: str | None = None) -> StateEdit:
    """`terraform state mv SOURCE DESTINATION` or `terraform state rm ADDRESS...`, under the environment's lock
    (`command`: what the lock says holds it), after an owner-only backup of the state (none for a dry run, which
    changes nothing)."""
    if verb not in ("mv", "rm"):
        raise ConfigError(Diagnostic(f"iac state {verb}: not a state edit (mv or rm)"))
    lock = None if dry_run else command or f"iac state {verb} {target.name}"
    with engine_session(target, sandbox=sandbox, engine=engine, warn=warn, lock=lock,
                        break_lock=break_lock, setup=setup) as session:
        state_text = _require_state(session)
        backup = None
        options = ["-no-color", "-dry-run"] if dry_run else ["-no-color"]
        if not dry_run:
            serial = int(_jsonio.loads(state_text).get("serial") or 0)
            backup = session.target.workdir.backup_state(state_text, serial)
            if _local_backend(session.target.config_text):
                # Terraform always keeps a copy of a local state too; beside the state it would be readable by
                # all, so it goes into the owner-only backups directory, next to iac's
                options.append(f"-backup={backup.with_suffix('.terraform.backup')}")
        try:
            text = session.runner.inspect(session.root, "state", verb, *options, *addresses)
        except IacError as error:  # nothing changed: no backup to keep; every line names the environment
            if backup is not None:
                backup.unlink(missing_ok=True)
                backup.with_suffix(".terraform.backup").unlink(missing_ok=True)
            error.diagnostics = tuple(d.at(environment=target.name) for d in error.diagnostics)
            raise
    return StateEdit(text, backup)


def read_outputs(target: ApplyTarget, *, sandbox: bool = False, engine: EngineChoice = "auto",
                 warn: Warn, setup: SetupFactory | None = None) -> list[Output]:
    """The root outputs recorded in the state, by name; sensitive values are never read out."""
    with engine_session(target, sandbox=sandbox, engine=engine, warn=warn, setup=setup) as session:
        if session.runner.state_pull(session.root) is None:
            return []
        recorded = _jsonio.loads(session.runner.inspect(session.root, "output", "-no-color", "-json")) or {}
        secrets = _secrets(session)
    outputs = []
    for name in sorted(recorded):
        body = recorded[name]
        sensitive = bool(body.get("sensitive")) or _holds(body.get("value"), secrets)
        outputs.append(Output(name, None if sensitive else body.get("value"), sensitive))
    return outputs


def _require_state(session: Session) -> str:
    text = session.runner.state_pull(session.root)
    if text is None:
        raise ConfigError(Diagnostic(f"{session.target.name} has no state yet: nothing is recorded (apply first)",
                                     environment=session.target.name))
    return text


def _local_backend(config_text: str) -> bool:
    backend = (_jsonio.loads(config_text).get("terraform") or {}).get("backend") or {}
    return not backend or "local" in backend


def _secrets(session: Session) -> tuple[str, ...]:
    """Values of the configuration's sensitive variables that reach Terraform (TF_VAR_*), 4 characters or more."""
    import os

    variables = _jsonio.loads(session.target.config_text).get("variable") or {}
    environ: Mapping[str, str] = {**os.environ, **session.env}
    found = {environ.get(f"TF_VAR_{name}", "") for name, body in variables.items()
             if isinstance(body, dict) and body.get("sensitive")}
    return tuple(sorted(s for s in found if len(s) >= 4))


def _scrubbed(text: str, session: Session) -> str:
    for secret in _secrets(session):
        text = text.replace(secret, SENSITIVE)
    return text


def _holds(value: Any, secrets: tuple[str, ...]) -> bool:
    if isinstance(value, str):
        return any(s in value for s in secrets)
    if isinstance(value, dict):
        return any(_holds(v, secrets) for v in value.values())
    if isinstance(value, list):
        return any(_holds(v, secrets) for v in value)
    return False

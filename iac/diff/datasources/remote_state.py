"""`terraform_remote_state`, Terraform's built-in data source, read as Terraform reads it while planning.

Its `outputs` are the root outputs of another configuration's state, typed as that state stores them, over
the `defaults` it configures. The `local` backend is a file relative to the directory Terraform runs in (the
root module's): iac reads it exactly. Every other backend needs its service and credentials (`s3`, `gcs`,
`azurerm`, `remote`, ...): iac cannot read those offline and plans them as any data source it cannot read
(`RemoteRead.unread`). Terraform's refusals of the block (an unknown backend type, a `local` configuration
that is not an object or has an unknown argument, defaults that are not an object, no state found) are its
errors in its words.

Terraform does not mark an output the other state stores as sensitive; iac plans the same values and lists
their strings as secrets, which every output of the plan masks (`RemoteRead.secrets`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from iac.config.workspace import DEFAULT_WORKSPACE, LOCAL_BACKEND_ARGUMENTS, local_state_file
from iac.diagnostics import IacError
from iac.lang import cty
from iac.lang.plain import from_plain
from iac.state.tfstate import read_state
from iac.values import strings_in

__all__ = ["BACKENDS", "RemoteRead", "RemoteStateError", "read_remote_state"]

BACKENDS = frozenset(("local", "remote", "azurerm", "consul", "cos", "gcs", "http", "inmem", "kubernetes", "oss",
                      "pg", "s3"))
"""The backend types Terraform 1.15 knows (internal/backend/init)."""


class RemoteStateError(ValueError):
    """Terraform's refusal of the block, its summary and detail; `attribute` the argument it names."""

    def __init__(self, message: str, attribute: str | None = None) -> None:
        super().__init__(message)
        self.attribute = attribute


class RemoteRead(NamedTuple):
    """What the read gives: `value` the data source's state (plain), `typed` the same with its outputs typed
    as the other state types them (what references see), `secrets` the strings of the outputs that state
    marks sensitive. `unread`: a backend iac cannot reach offline (nothing else is set)."""

    value: dict[str, Any] | None
    typed: dict[str, Any] | None = None
    secrets: tuple[str, ...] = ()
    unread: bool = False


def read_remote_state(config: Mapping[str, Any], root: Path) -> RemoteRead:
    """Read the block's configured (wholly known) arguments; `root`: the directory Terraform runs in."""
    backend = config.get("backend")
    if backend is None:  # (Terraform 1.15.5 panics on it)
        raise RemoteStateError("Invalid backend configuration: The backend type must not be null.", "backend")
    if backend not in BACKENDS:
        raise RemoteStateError(f'Invalid backend configuration: There is no backend type named "{backend}".',
                               "backend")
    defaults = config.get("defaults")
    if defaults is not None and not isinstance(defaults, dict):
        raise RemoteStateError("Invalid default values: Defaults must be given in an object value.", "defaults")
    if backend != "local":
        return RemoteRead(None, unread=True)
    arguments = _local_arguments(config.get("config"))
    workspace = config.get("workspace")
    file = local_state_file(root, arguments, workspace if workspace is not None else DEFAULT_WORKSPACE)
    if not file.is_file() or file.stat().st_size == 0:
        raise RemoteStateError("Unable to find remote state: No stored state was found for the given workspace in "
                               "the given backend.", "workspace" if workspace is not None else None)
    try:
        state = read_state(file)
    except IacError as error:
        raise RemoteStateError(f"Error loading state error: {error}", "backend") from error
    plain: dict[str, Any] = dict(defaults or {})
    typed: dict[str, cty.Value] = {name: from_plain(value) for name, value in plain.items()}
    secrets: list[str] = []
    for name, output in state.outputs.items():
        plain[name] = output.value
        typed[name] = from_plain(output.value, cty.type_from_json(output.type) if output.type is not None else None)
        if output.sensitive:
            strings_in(output.value, secrets)
    value = {"backend": backend, "config": config.get("config"), "defaults": defaults, "outputs": plain,
             "workspace": workspace}
    return RemoteRead(value, {**value, "outputs": cty.object_value(typed)}, tuple(secrets))


def _local_arguments(given: Any) -> dict[str, str]:
    """The local backend's configuration, as its schema decodes `config` (numbers and bools become strings)."""
    if given is None:
        return dict(LOCAL_BACKEND_ARGUMENTS)
    if not isinstance(given, dict):
        raise RemoteStateError('Invalid backend configuration: The given configuration is not valid for backend '
                               '"local": an object is required.', "config")
    arguments = dict(LOCAL_BACKEND_ARGUMENTS)
    for name, value in given.items():
        if name not in LOCAL_BACKEND_ARGUMENTS:
            raise RemoteStateError('Invalid backend configuration: The given configuration is not valid for backend '
                                   f'"local": unexpected attribute "{name}".', "config")
        if value is None:
            continue
        try:
            arguments[name] = cty.convert(from_plain(value), cty.STRING).v
        except cty.ConversionError as error:
            raise RemoteStateError('Invalid backend configuration: The given configuration is not valid for backend '
                                   f'"local": attribute "{name}": {error}.', "config") from error
    return arguments

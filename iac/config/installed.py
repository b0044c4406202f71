"""Remote modules (registry, git, http, s3, ...) as `terraform init` installed them.

Terraform downloads every non-local module source into `.terraform/modules/` of the root module's
directory and records each module call in `.terraform/modules/modules.json`: `Key` is the call's path
from the root (`vpc`, `vpc.subnets`), `Dir` where its files are (relative to the root directory),
`Source` and `Version` what was installed. iac reads the same record and never downloads anything: a
remote module that is not installed (or was installed for another source) is a one-line error that
says to run init.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from iac.config.modulesource import LOCAL_PREFIXES
from iac.diagnostics import ConfigError, Diagnostic

__all__ = ["is_local_source", "installed_module"]

_MANIFEST = Path(".terraform") / "modules" / "modules.json"


def is_local_source(source: Any) -> bool:
    """`./x` and `../x` (or `.\\x`, `..\\x`) are read in place; anything else is installed by `terraform init`."""
    return isinstance(source, str) and source.startswith(LOCAL_PREFIXES)


def _manifest(root: Path) -> dict[str, dict[str, Any]]:
    path = root / _MANIFEST
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(entry.get("Key")): entry for entry in document.get("Modules") or [] if isinstance(entry, dict)}


def _same_source(recorded: str, written: str) -> bool:
    """Terraform records registry sources with their host (`registry.terraform.io/ns/name/provider`)."""
    return recorded == written or recorded.endswith("/" + written) or written.endswith("/" + recorded)


def installed_module(root: Path, keys: tuple[str, ...], source: str, file: str, address: str) -> Path:
    """The directory `terraform init` installed the module call at `keys` (call names from the root) into."""
    key = ".".join(keys)
    entry = _manifest(root).get(key)
    hint = f"run `terraform init` in {root} to install it"
    if entry is None:
        raise ConfigError(Diagnostic(f"module source {source!r} is not installed: {hint}", source=file,
                                     address=address, attribute="source"))
    if not _same_source(str(entry.get("Source", "")), source):
        raise ConfigError(Diagnostic(f"module source {source!r} was installed as {entry.get('Source')!r}: {hint} again",
                                     source=file, address=address, attribute="source"))
    directory = (root / str(entry.get("Dir", ""))).resolve()
    if not directory.is_dir():
        raise ConfigError(Diagnostic(f"module source {source!r} is recorded as installed in {entry.get('Dir')!r}, "
                                     f"which does not exist: {hint}", source=file, address=address, attribute="source"))
    return directory
